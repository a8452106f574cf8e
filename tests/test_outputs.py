"""What a command writes is checked before anything is drafted: never an input, by any route; its folder
there and writable, never made silently; and a batch names every bad file, not only the first."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from pipeline.paths import bundled_corpus_dir
from tests.conftest import Cli
from tests.test_draft import FACTS


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def drafted(seeded: Path, cli: Cli, tmp_path: Path) -> Path:
    """jiedao.md drafted into d.docx, from another folder, so run.json records the facts file by its path."""
    (tmp_path / "jiedao.md").write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(tmp_path / "jiedao.md"), "-o", str(tmp_path / "d.md"), "--docx",
                 str(tmp_path / "d.docx"))
    assert result.exit_code == 0, result.output
    return tmp_path / "d.docx"


def _refused(result: object, says: str = "is an input") -> None:
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert says in result.stderr and "Traceback" not in result.output  # type: ignore[attr-defined]


def _no_run(home: Path) -> None:
    """Nothing was drafted: no run folder was made."""
    runs = home / "runs"
    assert not runs.exists() or not any(runs.iterdir())


# --- an input is never an output ---------------------------------------------------------------------

def test_revise_never_writes_over_the_facts_file_its_run_records(cli: Cli, drafted: Path, tmp_path: Path) -> None:
    facts = tmp_path / "jiedao.md"
    (tmp_path / "link.md").symlink_to(facts)
    os.link(facts, tmp_path / "hard.md")
    for target in (facts, tmp_path / "link.md", tmp_path / "hard.md"):
        _refused(cli("revise", str(drafted), "-o", str(target), "--force"))
    assert facts.read_text(encoding="utf-8") == FACTS and (tmp_path / "link.md").is_symlink()
    _refused(cli("revise", str(drafted), "-o", str(drafted), "--force"))  # the .docx being revised


def test_a_revision_of_a_revision_still_knows_the_facts_file(cli: Cli, drafted: Path, tmp_path: Path) -> None:
    first = cli("revise", str(drafted))
    assert first.exit_code == 0, first.output
    _refused(cli("revise", str(tmp_path / "d.v2.docx"), "-o", str(tmp_path / "jiedao.md"), "--force"))
    assert (tmp_path / "jiedao.md").read_text(encoding="utf-8") == FACTS


def test_resume_never_writes_over_the_facts_file_its_run_records(cli: Cli, drafted: Path, home: Path,
                                                                  tmp_path: Path) -> None:
    run = next((home / "runs").iterdir())
    _refused(cli("draft", "--resume", str(run), "-o", str(tmp_path / "jiedao.md"), "--force"))
    assert (tmp_path / "jiedao.md").read_text(encoding="utf-8") == FACTS


def test_no_source_of_the_corpus_is_an_output(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    mine = tmp_path / "mine.txt"  # a report of the user's own, added to the corpus
    bundled = sorted(bundled_corpus_dir().glob("*.txt"))[0]
    mine.write_text(bundled.read_text(encoding="utf-8") + "\n附：本单位另写的一段。\n", encoding="utf-8")
    assert cli("corpus", "add", str(mine)).exit_code == 0
    before = _sha(mine)
    (tmp_path / "bundled.txt").symlink_to(bundled)  # a link, so the old code could not harm the example
    os.link(mine, tmp_path / "mine-hard.txt")
    for target in (mine, tmp_path / "mine-hard.txt", tmp_path / "bundled.txt"):
        for flag in ("-o", "--docx"):
            _refused(cli("draft", str(facts), flag, str(target), "--force"))
    assert _sha(mine) == before and (tmp_path / "bundled.txt").is_symlink()


# --- folders checked before anything is drafted --------------------------------------------------------

def test_a_missing_output_folder_is_an_error_that_says_how_to_make_it(seeded: Path, cli: Cli, home: Path,
                                                                      tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    missing = tmp_path / "no" / "such"
    for flag in ("-o", "--docx"):
        result = cli("draft", str(facts), flag, str(missing / "x.out"))
        _refused(result, f"mkdir -p {missing}")
        assert str(missing / "x.out") in result.stderr
    assert not (tmp_path / "no").exists()
    _no_run(home)


def _readonly(tmp_path: Path) -> Path:
    """A folder no file can be made in, even by root (who ignores permission bits)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    return folder if not os.access(folder, os.W_OK) else Path("/sys")


def test_an_unwritable_output_folder_fails_before_drafting(seeded: Path, cli: Cli, home: Path,
                                                           tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    for flag, target in (("-o", _readonly(tmp_path) / "d.md"), ("--docx", Path("/proc/x.docx"))):
        result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), flag, str(target))
        _refused(result, "cannot be written in")
        assert str(target) in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "d.md").exists()
    _no_run(home)


def test_revise_checks_its_output_folder_first(cli: Cli, drafted: Path, home: Path, tmp_path: Path) -> None:
    runs = len(list((home / "runs").iterdir()))
    _refused(cli("revise", str(drafted), "-o", str(tmp_path / "gone" / "v2.docx")), "mkdir -p")
    _refused(cli("revise", str(drafted), "-o", str(_readonly(tmp_path) / "v2.docx")), "cannot be written in")
    assert not (tmp_path / "gone").exists() and len(list((home / "runs").iterdir())) == runs


def test_a_batch_out_dir_is_never_made_silently(seeded: Path, cli: Cli, home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "units"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.md").write_text(FACTS, encoding="utf-8")
    _refused(cli("draft", str(folder), "--out-dir", str(tmp_path / "drafts")), "mkdir -p")
    assert not (tmp_path / "drafts").exists()
    _no_run(home)


# --- a batch names every bad file -----------------------------------------------------------------------

def test_a_batch_names_every_bad_file_and_both_paths_of_a_shared_name(seeded: Path, cli: Cli, home: Path,
                                                                      tmp_path: Path) -> None:
    folder, other, out = tmp_path / "units", tmp_path / "other", tmp_path / "drafts"
    for made in (folder, other, out):
        made.mkdir()
    (folder / "a.md").write_text(FACTS, encoding="utf-8")
    (folder / "b.md").write_text("---\nunit: 某局\n---\n- 事实\n", encoding="utf-8")
    (folder / "c.md").write_text("---\nunit: 某局\nrole: 局长\n---\n- 事实\n", encoding="utf-8")
    (other / "a.md").write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(folder), str(other / "a.md"), "--out-dir", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any(str(folder / "b.md") in line and "role" in line for line in lines)
    assert any(str(folder / "c.md") in line and "year" in line for line in lines)
    assert any(str(folder / "a.md") in line and str(other / "a.md") in line for line in lines)
    assert not any(out.iterdir())
    _no_run(home)
