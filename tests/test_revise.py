"""``gongwen revise``: a draft edited in Word comes back; what the user wrote is kept, what they cleared
is drafted again, the fact lock reports their edits, and the next version goes beside the file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx
import pytest

from tests.conftest import Cli

FACTS = """---
unit: 某县水务局
role: 党组书记
year: 2023
superior: 县委
name: 张三
date: 2024-01-15
---
# 主要工作
## 压实管党治党责任
- 全年召开党组会议12次，专题研究党建工作5次
- 与8个基层党支部签订党建目标责任书
## 加强党员队伍建设
- 发展党员3名，培训党员干部260人次
- 开展“党员先锋岗”创建活动
# 存在问题
- 理论学习不够系统深入
- 原因：学用结合不够紧密
# 下步打算
- 推进支部标准化规范化建设
"""
REWRITE = "今后，我将带头履行第一责任人职责，把基层党建各项任务抓细抓实，以更高标准推动水务事业发展。"


@pytest.fixture
def drafted(seeded: Path, cli: Cli, tmp_path: Path) -> Path:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx"))
    assert result.exit_code == 0, result.output
    return tmp_path / "d.docx"


def _revise(cli: Cli, *args: str) -> dict:
    result = cli("revise", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _paragraph(document: docx.document.Document, says: str) -> docx.text.paragraph.Paragraph:
    """The first paragraph that says this (the composer sets items inside its lead paragraph)."""
    return next(p for p in document.paragraphs if says in p.text)


def _under(document: docx.document.Document, heading: str) -> list[docx.text.paragraph.Paragraph]:
    """The paragraphs between a heading and the next heading."""
    paras = document.paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == heading) + 1
    end = next(i for i in range(start, len(paras)) if paras[i].style.name in ("述职·一级标题", "述职·二级标题"))
    return paras[start:end]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_through_word(cli: Cli, drafted: Path) -> None:
    # In Word: change a number, delete one section's text, rewrite one paragraph; save over the file.
    document = docx.Document(str(drafted))
    counted = _paragraph(document, "全年召开党组会议12次")
    counted.text = counted.text.replace("12次", "15次")
    for para in _under(document, "（二）加强党员队伍建设"):
        para._p.getparent().remove(para._p)
    _paragraph(document, "今后，我将").text = REWRITE
    document.save(str(drafted))
    edited = _sha(drafted)

    summary = _revise(cli, str(drafted))
    out = drafted.with_name("d.v2.docx")
    assert summary["output"] == str(out) and out.is_file()
    assert _sha(drafted) == edited, "the edited file was changed"
    assert summary["sections"]["main_work.1"] == summary["sections"]["closing"] == "locked"
    assert summary["sections"]["main_work.2"] == "cleared" and summary["sections"]["opening"] == "kept"
    assert any("「15」这个数字不在事实中" in line for line in summary["introduced"])
    assert any("全年召开党组会议12次" in line and "中的数字「12」" in line for line in summary["removed"])

    v2 = docx.Document(str(out))
    texts = [p.text for p in v2.paragraphs]
    assert REWRITE in texts, "the rewritten paragraph is not kept byte for byte"
    assert counted.text in texts  # the user's number stays: reported, not undone
    redrafted = [p.text for p in _under(v2, "（二）加强党员队伍建设")]
    assert redrafted and "发展党员3名" in redrafted[0] and "“党员先锋岗”" in redrafted[0]
    assert texts[-2:] == ["张三", "2024年1月15日"]
    run = Path(summary["run_dir"])
    assert REWRITE in (run / "draft.md").read_text(encoding="utf-8")
    assert json.loads((run / "run.json").read_text(encoding="utf-8"))["revision"]["edited"] == str(drafted)


def test_a_marked_paragraph_redo_and_a_deleted_subsection(cli: Cli, drafted: Path) -> None:
    document = docx.Document(str(drafted))
    problems = _paragraph(document, "（一）理论学习")
    problems.text = "理论学习还要再加强。"
    problems.insert_paragraph_before("重写", style=problems.style)
    closing = _paragraph(document, "今后，我将")
    closing.text = closing.text + "（我改过）"
    for para in [_paragraph(document, "（二）加强党员队伍建设"), *_under(document, "（二）加强党员队伍建设")]:
        para._p.getparent().remove(para._p)
    document.save(str(drafted))

    summary = _revise(cli, str(drafted), "--redo", "closing")
    assert summary["sections"]["problems"] == "marked" and summary["sections"]["closing"] == "redo"
    assert summary["sections"]["main_work.2"] == "removed"
    texts = [p.text for p in docx.Document(summary["output"]).paragraphs]
    assert "重写" not in texts and "理论学习还要再加强。" not in texts  # the marked section is drafted again
    assert any("理论学习不够系统深入" in t for t in texts)
    assert not any("（我改过）" in t for t in texts)
    assert "（二）加强党员队伍建设" not in texts  # deleted heading and all: left out


def test_versions_go_beside_the_file_and_never_over_one(cli: Cli, drafted: Path) -> None:
    first = _revise(cli, str(drafted))
    second = _revise(cli, str(drafted))
    assert (Path(first["output"]).name, Path(second["output"]).name) == ("d.v2.docx", "d.v3.docx")
    third = _revise(cli, second["output"])  # a version read back against its own run folder
    assert Path(third["output"]).name == "d.v4.docx" and set(third["sections"].values()) == {"kept"}
    before = _sha(drafted)
    refused = cli("revise", str(drafted), "-o", str(drafted), "--force")
    assert refused.exit_code == 1 and "is an input" in refused.stderr and _sha(drafted) == before


def test_an_untouched_draft_comes_back_the_same(cli: Cli, drafted: Path) -> None:
    summary = _revise(cli, str(drafted))
    assert set(summary["sections"].values()) == {"kept"} and not summary["introduced"] and not summary["removed"]
    old = [p.text for p in docx.Document(str(drafted)).paragraphs]
    assert [p.text for p in docx.Document(summary["output"]).paragraphs] == old
    # A revision's run gets what a draft's gets: the review page and the gaps, beside its draft.md.
    run = Path(summary["run_dir"])
    assert summary["review"] == str(run / "review.html") and (run / "gaps.json").is_file()
    assert "<html" in (run / "review.html").read_text(encoding="utf-8") and (run / "draft.md").is_file()


def test_a_file_that_lost_its_styles_is_read_by_its_headings(cli: Cli, drafted: Path) -> None:
    document = docx.Document(str(drafted))
    for para in document.paragraphs:
        para.style = document.styles["Normal"]
    _paragraph(document, "学用结合不够紧密").text = "究其原因，主要是学用结合不够紧密，我改写了这一段。"
    document.save(str(drafted))
    summary = _revise(cli, str(drafted))
    assert summary["sections"]["causes"] == "locked"
    assert {summary["sections"][s] for s in ("opening", "main_work.1", "main_work.2", "problems", "plans",
                                             "closing")} == {"kept"}


def test_without_its_run_folder_the_facts_file_is_needed(cli: Cli, drafted: Path, tmp_path: Path) -> None:
    document = docx.Document(str(drafted))
    for rel in list(document.part.package.rels.values()):
        if rel.reltype.endswith("/custom-properties"):
            document.part.package.rels.pop(rel.rId)
    document.save(str(tmp_path / "plain.docx"))
    refused = cli("revise", str(tmp_path / "plain.docx"))
    assert refused.exit_code == 1 and "--facts" in refused.stderr and "Traceback" not in refused.output
    assert not (tmp_path / "plain.v2.docx").exists()
    summary = _revise(cli, str(tmp_path / "plain.docx"), "--facts", str(tmp_path / "facts.md"))
    assert set(summary["sections"].values()) == {"locked"}  # nothing to compare with: all taken as the user's


def test_learn_adds_a_finished_report_and_refuses_an_unfinished_one(cli: Cli, drafted: Path) -> None:
    document = docx.Document(str(drafted))
    for para in _under(document, "（二）加强党员队伍建设"):
        para.text = ""
    document.save(str(drafted.with_name("half.docx")))
    refused = cli("revise", str(drafted.with_name("half.docx")), "--learn")
    assert refused.exit_code == 1 and "main_work.2" in refused.stderr
    assert not drafted.with_name("half.v2.docx").exists()

    summary = _revise(cli, str(drafted), "--learn")
    listed = json.loads(cli("corpus", "list", "--json").stdout)
    learned = next(r for r in listed if r["id"] == summary["learned"])
    assert learned["unit"] == "某县水务局" and learned["source"] == "d.docx"
    shown = json.loads(cli("corpus", "show", summary["learned"], "--json").stdout)
    assert "党组会议12次" in shown["text"] and "张三" not in shown["text"]  # no person's name in the corpus


# --- a facts file that is not the document's ---------------------------------------------------------

def _from_elsewhere(path: Path, to: Path) -> Path:
    """The draft without the properties that name its run folder: a report from elsewhere."""
    document = docx.Document(str(path))
    for rel in list(document.part.package.rels.values()):
        if rel.reltype.endswith("/custom-properties"):
            document.part.package.rels.pop(rel.rId)
    document.save(str(to))
    return to


def test_another_unit_s_facts_are_refused_saying_what_differs(cli: Cli, drafted: Path, tmp_path: Path) -> None:
    plain = _from_elsewhere(drafted, tmp_path / "plain.docx")
    other = tmp_path / "other.md"
    other.write_text(FACTS.replace("某县水务局", "某县林业局").replace("year: 2023", "year: 2022")
                     .replace("张三", "李四"), encoding="utf-8")
    refused = cli("revise", str(plain), "--facts", str(other))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    line = refused.stderr.strip()
    assert "\n" not in line and str(plain) in line and str(other) in line
    assert "某县林业局党组书记" in line and "2022" in line and "李四" in line and "--mismatch-ok" in line
    assert not (tmp_path / "plain.v2.docx").exists()

    ok = cli("revise", str(plain), "--facts", str(other), "--mismatch-ok")
    assert ok.exit_code == 0, ok.output
    assert cli("revise", str(plain), "--facts", str(tmp_path / "facts.md")).exit_code == 0  # its own facts fit


def test_a_role_said_once_in_the_title_still_fits(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS.replace("unit: 某县水务局", "unit: 县委").replace("role: 党组书记", "role: 县委书记"),
                     encoding="utf-8")
    made = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx"))
    assert made.exit_code == 0, made.output
    plain = _from_elsewhere(tmp_path / "d.docx", tmp_path / "plain.docx")
    result = cli("revise", str(plain), "--facts", str(facts))
    assert result.exit_code == 0, result.output


def test_learn_counts_every_gap_left(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"  # no name, no date: the 落款 has two gaps
    facts.write_text(FACTS.replace("name: 张三\n", "").replace("date: 2024-01-15\n", ""), encoding="utf-8")
    assert cli("draft", str(facts), "--docx", str(tmp_path / "d.docx")).exit_code == 0
    refused = cli("revise", str(tmp_path / "d.docx"), "--learn")
    assert refused.exit_code == 1 and "2 【待补】 left" in refused.stderr


def test_the_revise_summary_words_every_revision_and_only_those() -> None:
    """The summary's lines are keyed by the values revise records: a new kind of revision gets words."""
    from pipeline.cli.revise_command import STATUS_WORDS
    from pipeline.drafting.revise import Revision

    assert [status for status, _ in STATUS_WORDS] == list(Revision)
