"""Shared fixtures: a temp data dir for every test, the CLI runner, the stub OpenAI server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

# The tests read the interface in English whatever the machine's locale: typer builds the help texts
# when pipeline.cli is imported, so the language is set before that; the fixture below keeps it so for
# each test (tests/test_i18n.py switches it where it means to).
os.environ["GONGWEN_LANG"] = "en"

from pipeline.cli import app  # after the language is chosen
from tests.stub_openai import StubOpenAI

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
EXAMPLES = sorted(CORPUS.glob("*.txt"))

_ENV = ("GONGWEN_EMBEDDING", "GONGWEN_EMBEDDING_BASE_URL", "GONGWEN_CHROMA_URL", "OPENAI_API_KEY",
        "OPENAI_BASE_URL", "GONGWEN_MODEL", "GONGWEN_DEBUG")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data directory and a clean environment."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GONGWEN_LANG", "en")
    path = tmp_path / "gongwen-home"
    monkeypatch.setenv("GONGWEN_HOME", str(path))
    return path


_SEEDED: list[Path] = []


@pytest.fixture
def seeded(home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose index already holds the bundled examples (built once, copied per test)."""
    if not _SEEDED:
        template = tmp_path_factory.mktemp("seeded-template")
        result = CliRunner().invoke(app, ["corpus", "stats"], env={"GONGWEN_HOME": str(template)})
        assert result.exit_code == 0, result.output
        _SEEDED.append(template)
    shutil.copytree(_SEEDED[0], home)
    return home


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str) -> object:
        return self.runner.invoke(app, list(args))


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def stub() -> Iterator[StubOpenAI]:
    server = StubOpenAI().start()
    yield server
    server.stop()
