"""What `corpus add` takes in and what it turns away (issue 23): a bad file is named and skipped, a
Markdown report is read as Markdown, a facts file is not an example report, and what a library prints
stays off the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx

from tests.conftest import Cli
from tests.pdfgen import write_pdf
from tests.test_corpus_cli import REPORT, ok_json


def broken_docx(path: Path, part: str = "word/document.xml") -> Path:
    """A .docx whose zip is sound but one of whose XML parts is cut in half (Word cannot open it either)."""
    good = path.with_name("source-" + path.name)
    document = docx.Document()
    document.add_paragraph("某局党组书记述职报告")
    document.save(str(good))
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as broken:
        for item in source.infolist():
            data = source.read(item.filename)
            broken.writestr(item, data[: len(data) // 2] if item.filename == part else data)
    good.unlink()
    return path


def test_a_malformed_docx_is_named_and_skipped_and_the_rest_added(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    broken_docx(folder / "broken.docx")
    broken_docx(folder / "badstyles.docx", "word/styles.xml")
    (folder / "good.txt").write_text(REPORT, encoding="utf-8")
    (folder / "other.txt").write_text(REPORT.replace("农业农村局", "自然资源局"), encoding="utf-8")
    result = cli("corpus", "add", str(folder))
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    for name in ("broken.docx", "badstyles.docx"):
        named = [line for line in lines if name in line]
        assert named and all("not a valid .docx file" in line for line in named), lines
    assert "2 added, 0 replaced, 0 unchanged, 2 skipped" in result.stderr
    skipped = lines[lines.index("skipped:") + 1:]
    assert len(skipped) == 2 and all("not a valid .docx file" in line for line in skipped), lines
    assert ok_json(cli("corpus", "stats", "--json"))["reports"] == 7


def test_json_lists_the_skipped_files(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    result = cli("corpus", "add", str(broken_docx(tmp_path / "broken.docx")), str(good), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["skipped"]) == (1, 1)
    [skipped] = [f for f in summary["files"] if f["status"] == "skipped"]
    assert skipped["path"].endswith("broken.docx") and "not a valid .docx file" in skipped["error"]


def test_revise_names_a_malformed_docx(cli: Cli, tmp_path: Path) -> None:
    path = broken_docx(tmp_path / "draft.docx")
    result = cli("revise", str(path))
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert str(path) in line and "not a valid .docx file" in line and "internal error" not in line


def test_what_a_library_prints_stays_off_the_terminal(seeded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    write_pdf(folder / "whole.pdf", ["农业农村局党组书记述职报告", *REPORT.strip().split("\n")[1:]])
    data = (folder / "whole.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: data.rfind(b"%%EOF")])  # pypdf warns: EOF marker not found
    # In a process of its own: pytest's log capture would hide what the terminal shows.
    result = subprocess.run([sys.executable, "-m", "pipeline", "corpus", "add", str(folder)], capture_output=True,
                            text=True, env={**os.environ, "GONGWEN_HOME": str(seeded)}, timeout=120)
    assert result.returncode == 1
    assert "EOF marker" not in result.stderr and "CAUTION" not in result.stderr and not result.stdout
    lines = result.stderr.splitlines()
    for line in lines:
        assert line.startswith(("✓", "✗", "skipped:", "  ")) or " added, " in line, line
    assert any("truncated.pdf" in line and "not a valid PDF" in line for line in lines)
