"""How the code is laid out: each stage a folder, nothing importing in a circle, no module too long to read,
and the rooms of drafting depending only downward."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
LONGEST = 400  # lines: a module past this does more than one job
STAGES = ("corpus", "drafting/outline", "drafting/writing", "drafting/checks", "drafting/word", "llm", "evaluation",
          "cli")
ROOMS = ("outline", "writing", "checks", "word")
# What a room of drafting may use from above it: what drafting produces and where it is kept.
SHARED_ABOVE = {"pipeline.drafting.results", "pipeline.drafting.runfolder"}


def _name(path: Path) -> str:
    parts = list(path.with_suffix("").relative_to(ROOT).parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, *, typing_only: bool = True) -> set[str]:
    """The pipeline modules ``name`` imports, anywhere in it (inside functions too); with
    ``typing_only=False``, not those under ``if TYPE_CHECKING:``."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not typing_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
                skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


def _cycle() -> list[str]:
    """One import circle among the package's modules, if there is one."""
    graph = {name: _imports(name) for name in MODULES}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_no_module_imports_in_a_circle() -> None:
    assert _cycle() == []


def test_the_cycle_finder_finds_a_circle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: two modules that import each other are found."""
    package = tmp_path / "pipeline"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import x\n")
    (package / "b.py").write_text("def f():\n    from .a import y\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "MODULES", {_name(p): p for p in package.rglob("*.py")})
    assert sorted(set(_cycle())) == ["pipeline.a", "pipeline.b"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= LONGEST, f"{MODULES[name]}: {lines} lines; split it by what its parts do"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_folder(stage: str) -> None:
    assert (PACKAGE / stage / "__init__.py").is_file()
    assert (PACKAGE / stage / "__init__.py").read_text(encoding="utf-8").strip(), f"{stage}: say what it holds"


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_of_drafting_uses_only_the_rooms_beside_it_and_what_drafting_produces(room: str) -> None:
    above = {m for m in MODULES if m.startswith("pipeline.drafting.") and m.count(".") == 2} - SHARED_ABOVE
    for name in (m for m in MODULES if m.startswith(f"pipeline.drafting.{room}")):
        assert not _imports(name, typing_only=False) & above, name


def test_the_pipeline_never_uses_the_evaluation_or_the_commands() -> None:
    for name in MODULES:
        if name.startswith(("pipeline.drafting", "pipeline.corpus", "pipeline.llm")):
            assert not {m for m in _imports(name) if m.startswith(("pipeline.evaluation", "pipeline.cli"))}, name
