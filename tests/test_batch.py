"""Batch drafting: several facts files, one concurrency bound across all of them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.stub_openai import StubOpenAI
from tests.test_draft import FACTS, faithful


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for i in range(n):
        (folder / f"unit{i}.md").write_text(FACTS.replace("某县水务局", f"某县第{i}水务局"), encoding="utf-8")
    return folder


def test_a_folder_of_facts_files_drafts_under_one_bound(seeded: Path, cli: Cli, tmp_path: Path,
                                                        stub: StubOpenAI) -> None:
    stub.chat, stub.delay = faithful, 0.2
    out = tmp_path / "drafts"
    out.mkdir()
    result = cli("draft", str(_folder(tmp_path, 3)), "--out-dir", str(out), "--backend", "openai", "--model", "m",
                 "--base-url", stub.base_url, "--concurrency", "3", "--json")
    assert result.exit_code == 0, result.output
    summaries = json.loads(result.stdout)
    assert [Path(s["facts"]).name for s in summaries] == ["unit0.md", "unit1.md", "unit2.md"]
    for i in range(3):
        assert f"某县第{i}水务局" in (out / f"unit{i}.md").read_text(encoding="utf-8")
        assert (out / f"unit{i}.docx").stat().st_size > 0
    chats = [r for r in stub.requests if r["path"].endswith("/chat/completions")]
    assert len(chats) == 3 * 7
    assert 2 <= stub.peak_in_flight() <= 3  # parallel, but never past --concurrency across all reports


def test_one_bad_file_stops_the_batch_before_anything_is_drafted(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    (folder / "broken.md").write_text("---\nunit: 某局\n---\n- 事实\n", encoding="utf-8")
    out = tmp_path / "drafts"
    result = cli("draft", str(folder), "--out-dir", str(out))
    assert result.exit_code == 1 and "broken.md" in result.stderr and "missing role" in result.stderr
    assert not out.exists()


def test_batch_options_are_checked(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    files = sorted(str(p) for p in folder.iterdir())
    assert "--out-dir" in cli("draft", *files, "-o", str(tmp_path / "x.md")).output
    assert "--out-dir" in cli("draft", *files).output
    out = tmp_path / "drafts"
    out.mkdir()
    assert cli("draft", *files, "--out-dir", str(out)).exit_code == 0
    again = cli("draft", *files, "--out-dir", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr
