"""What `corpus add` takes in and what it turns away (issue 23): a bad file is named and skipped, a
Markdown report is read as Markdown, a facts file is not an example report, and what a library prints
stays off the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx

from pipeline.corpus.markdown import markdown_text
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


MARKDOWN_REPORT = """# 青山镇党委书记2023年度抓基层党建工作述职报告

2023年，在县委的坚强领导下，我认真履行基层党建第一责任人职责，现将有关情况述职如下：

## 一、主要工作

### （一）压实党建责任

镇党委全年召开党建专题会议**12次**，与各村党支部签订*目标责任书*。

- 一是建立班子成员联系村制度，详见[联系制度](http://example.org/a)。
- 二是落实`三会一课`制度。

### 加强党员队伍建设

全年发展党员8名，培训党员干部300人次。

---

## 存在问题

### （一）理论学习不够深入

> 部分党员学习积极性不高。

究其原因，主要是学习制度执行不够严格。

## 三、下步打算

### 深化理论武装

落实“第一议题”制度，抓好学习教育。

今后，我将继续履职尽责，推动基层党建工作再上新台阶。
"""


def test_a_markdown_report_is_read_as_markdown(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "qingshan.md"
    path.write_text(MARKDOWN_REPORT, encoding="utf-8")
    assert cli("corpus", "add", str(path)).exit_code == 0
    shown = ok_json(cli("corpus", "show", "qingshan.md", "--json"))
    assert (shown["title"], shown["unit"], shown["role"], shown["year"]) == (
        "青山镇党委书记2023年度抓基层党建工作述职报告", "青山镇", "党委书记", "2023")
    chunks = shown["chunks"]
    by_part = {part: [c for c in chunks if c["part"] == part] for part in ("main_work", "problems", "plans")}
    assert [c["subheading"] for c in by_part["main_work"]] == ["压实党建责任", "加强党员队伍建设"]
    first = by_part["main_work"][0]["text"].split("\n")
    assert first == ["（一）压实党建责任", "镇党委全年召开党建专题会议12次，与各村党支部签订目标责任书。",
                     "一是建立班子成员联系村制度，详见联系制度。", "二是落实三会一课制度。"]
    assert by_part["main_work"][1]["text"].startswith("（二）加强党员队伍建设\n全年发展党员8名")
    assert by_part["problems"][0]["subheading"] == "理论学习不够深入"
    assert "部分党员学习积极性不高。" in by_part["problems"][0]["text"]
    assert by_part["plans"][0]["text"].startswith("（一）深化理论武装\n")
    assert any(c["part"] == "closing" for c in chunks)
    for mark in ("#", "*", "`", "](", "> ", "- ", "---"):
        assert not any(mark in c["text"] for c in chunks), mark


def test_markdown_tables_setext_headings_and_escapes() -> None:
    text = ("某局述职报告\n====\n\n##一、主要工作\n| 指标 | 完成 |\n|---|---|\n| 发展党员 | 5名 |\n"
            "主要做法\n---\n1. 第一项 \\*号\\* **粗**\n")
    assert markdown_text(text).split("\n") == [
        "某局述职报告", "", "", "一、主要工作", "指标　完成", "", "发展党员　5名", "二、主要做法", "",
        "1. 第一项 *号* 粗", ""]


FACTS_PLAIN = """单位：某镇人民政府
职务：党委书记
年度：2022年
- 建成党群服务中心2个
- 问题：党员老龄化
"""
FACTS_BARE = """# 主要工作
- 全年召开党组会议12次
- 发展党员3名
# 存在问题
- 理论学习不够深入
# 下步打算
- 推进支部标准化建设
"""


def test_a_facts_file_is_refused_as_an_example_report(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    newfacts = Path(__file__).parent / "data" / "newfacts" / "02-pingchuan-jiaoyuju.md"
    (folder / "front.md").write_text(newfacts.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "plain.txt").write_text(FACTS_PLAIN, encoding="utf-8")
    (folder / "bare.md").write_text(FACTS_BARE, encoding="utf-8")
    (folder / "report.md").write_text("---\ntitle: 青山镇述职\ndate: 2024-01-10\n---\n" + MARKDOWN_REPORT,
                                      encoding="utf-8")
    result = cli("corpus", "add", str(folder))
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert len(refused) == 3, result.stderr
    assert all("looks like a facts file" in line for line in refused)
    assert "1 added" in result.stderr  # a report's own front matter does not make it a facts file


def _gongwen(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "GONGWEN_HOME": str(home)})


def test_opening_the_index_waits_while_another_process_opens_it(home: Path) -> None:
    from filelock import FileLock

    home.mkdir(parents=True)
    with FileLock(str(home / "index.open.lock")):  # another process is creating the index
        stats = _gongwen(home, "corpus", "stats", "--json")
        time.sleep(4)
        assert stats.poll() is None, stats.communicate()
        assert not (home / "index" / "chroma.sqlite3").exists()
    out, err = stats.communicate(timeout=120)
    assert stats.returncode == 0, err
    assert json.loads(out)["reports"] == 5


def test_two_adds_at_once_on_a_fresh_folder_both_succeed(tmp_path: Path) -> None:
    # A few tries here (each ~5 s); benchmarks/concurrent_adds.py runs 20 or more.
    reports = []
    for unit in ("水务局", "林业局"):
        reports.append(tmp_path / f"{unit}.txt")
        reports[-1].write_text(REPORT.replace("农业农村局", unit), encoding="utf-8")
    for attempt in range(3):
        home = tmp_path / f"home-{attempt}"
        started = [_gongwen(home, "corpus", "add", str(path)) for path in reports]
        started.append(_gongwen(home, "corpus", "search", "压实责任"))  # a reader, at the same moment
        for process in started:
            _, err = process.communicate(timeout=180)
            assert process.returncode == 0, err
        stats = _gongwen(home, "corpus", "stats", "--json")
        assert json.loads(stats.communicate(timeout=120)[0])["reports"] == 7
