"""The Word file against GB/T 9704-2012, point by point, in the XML the export writes."""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests.conftest import Cli
from tests.stub_openai import StubOpenAI

FACTS = """---
unit: 某县水务局
role: 党组书记
year: 2023
name: 张三
date: 2024-01-15
---
# 主要工作
## 压实管党治党责任
- 全年召开党组会议12次，专题研究党建工作5次
## 加强党员队伍建设
- 发展党员3名，培训党员干部260人次
# 存在问题
- 理论学习不够系统深入
# 下步打算
- 推进支部标准化规范化建设
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM_TWIPS = 1440 / 25.4


@pytest.fixture
def exported(seeded: Path, cli: Cli, tmp_path: Path) -> tuple[docx.document.Document, Path, dict]:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx"), "--json")
    assert result.exit_code == 0, result.output
    return docx.Document(str(tmp_path / "d.docx")), tmp_path / "d.docx", json.loads(result.stdout)


def _attr(element: object, tag: str, attr: str) -> str | None:
    found = element.find(qn(tag))  # type: ignore[attr-defined]
    return None if found is None else found.get(qn(attr))


def _paragraphs(document: docx.document.Document) -> list:
    return [p for p in document.paragraphs if p.text.strip()]


def _style_or_own(paragraph: object, tag: str) -> bool:
    """A paragraph property set on the paragraph or on its style (or the style's base)."""
    elements = [paragraph._p.pPr]  # type: ignore[attr-defined]
    style = paragraph.style  # type: ignore[attr-defined]
    while style is not None:
        elements.append(style.element.pPr)
        style = style.base_style
    for ppr in elements:
        if ppr is not None and ppr.find(qn(tag)) is not None:
            return ppr.find(qn(tag)).get(qn("w:val"), "1") not in ("0", "false")
    return False


def page(document: docx.document.Document) -> None:  # 5.1: A4
    sect = document.sections[0]._sectPr
    assert (_attr(sect, "w:pgSz", "w:w"), _attr(sect, "w:pgSz", "w:h")) == ("11906", "16838")


def margins(document: docx.document.Document) -> None:  # 5.2.1: 天头 37, 订口 28, 版心 156 × 225 mm
    sect = document.sections[0]._sectPr
    got = [int(_attr(sect, "w:pgMar", f"w:{side}") or 0) for side in ("top", "bottom", "left", "right")]
    assert all(abs(g - mm * MM_TWIPS) < 1 for g, mm in zip(got, (37, 35, 28, 26), strict=True)), got


def lines_per_page(document: docx.document.Document) -> None:  # 5.2.3: 22 lines a page
    sect = document.sections[0]._sectPr
    assert _attr(sect, "w:docGrid", "w:type") == "linesAndChars"
    pitch = int(_attr(sect, "w:docGrid", "w:linePitch") or 0)
    height = 16838 - int(_attr(sect, "w:pgMar", "w:top") or 0) - int(_attr(sect, "w:pgMar", "w:bottom") or 0)
    assert height // pitch == 22
    spacing = document.styles["Normal"].element.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == (str(pitch), "exact")


def chars_per_line(document: docx.document.Document) -> None:  # 5.2.3: 28 characters a line, filling it
    sect = document.sections[0]._sectPr
    width_pt = (11906 - int(_attr(sect, "w:pgMar", "w:left") or 0) - int(_attr(sect, "w:pgMar", "w:right") or 0)) / 20
    pitch = 16 + int(_attr(sect, "w:docGrid", "w:charSpace") or 0) / 4096  # ECMA-376 17.6.5
    assert math.floor(width_pt / pitch) == 28 and width_pt - 28 * pitch < 0.5, (width_pt, pitch)


def body_face(document: docx.document.Document) -> None:  # 5.2.2: 3号仿宋
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and document.styles["Normal"].font.size.pt == 16
    body = next(p for p in _paragraphs(document) if "党组会议12次" in p.text)
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" for r in body.runs)


def title(document: docx.document.Document) -> None:  # 7.3.3: 2号小标宋, centred, broken by meaning
    heading = document.paragraphs[0]
    assert heading.text.split("\n") == ["某县水务局党组书记2023年度", "抓基层党建工作述职报告"]
    assert len(heading._p.findall(f".//{W}br")) == 1 and heading.alignment == 1
    assert {(r._element.rPr.rFonts.get(qn("w:eastAsia")), r.font.size.pt) for r in heading.runs} == {
        ("方正小标宋简体", 22)}
    assert document.paragraphs[1].text == ""  # 标题下空一行


def headings(document: docx.document.Document) -> None:  # 一、 in 黑体, （一） in 楷体, each kept with its text
    part = [p for p in _paragraphs(document) if p.text[:2] in ("一、", "二、", "三、")]
    sub = [p for p in _paragraphs(document) if p.text in ("（一）压实管党治党责任", "（二）加强党员队伍建设")]
    assert len(part) == 3 and len(sub) == 2
    for paragraphs, face in ((part, "黑体"), (sub, "楷体_GB2312")):
        for p in paragraphs:
            assert p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == face
            assert _style_or_own(p, "w:keepNext"), p.text
            assert p.style.element.pPr.find(qn("w:outlineLvl")) is not None  # Word's navigation pane


def flow(document: docx.document.Document) -> None:  # widows and orphans; a two-character first-line indent
    assert _style_or_own(document.paragraphs[2], "w:widowControl")
    body = next(p for p in _paragraphs(document) if "党组会议12次" in p.text)
    ind = body.style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def page_numbers(document: docx.document.Document) -> None:  # 7.5: 「— N —」 4号宋体, outer side, one in
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        para = footer.paragraphs[0]
        assert para.alignment == (2 if side == "right" else 0)
        assert "PAGE" in para._p.xml and para.text.replace("1", "N") == "— N —"
        assert {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in para.runs} == {"宋体"}
        assert {r.font.size.pt for r in para.runs} == {14}
        indent = para.paragraph_format.right_indent if side == "right" else para.paragraph_format.left_indent
        assert indent.pt == 14  # 空一字 (a 四号 character)
    # The 一字线 sits in the middle of the footer's 14 pt line: 7 mm under the type area.
    footer_mm = section.footer_distance.mm + 7 * 25.4 / 72
    assert abs(section.bottom_margin.mm - footer_mm - 7) < 0.5


def signature(document: docx.document.Document) -> None:  # 7.3.5: name, and under it the date
    paras = document.paragraphs
    name, date = paras[-2], paras[-1]
    assert (name.text, date.text) == ("张三", "2024年1月15日") and paras[-3].text == ""
    assert {p.alignment or p.style.paragraph_format.alignment for p in (name, date)} == {2}  # right
    rights = [int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) for p in (name, date)]
    # 成文日期右空二字; 署名首字比日期首字左移二字: the name is 2 characters wide, the date 6.5 (「2024」,
    # 「1」 and 「15」 are half-width), so the name ends 6.5 + 2 + 2 − 2 characters in from the right.
    assert rights == [850, 200]
    assert _style_or_own(name, "w:keepNext")


GBT9704: list[tuple[str, Callable[[docx.document.Document], None]]] = [
    ("5.1 A4", page), ("5.2.1 margins", margins), ("5.2.3 22 lines", lines_per_page),
    ("5.2.3 28 characters", chars_per_line), ("5.2.2 三号仿宋", body_face), ("7.3.3 title", title),
    ("headings", headings), ("flow", flow), ("7.5 page numbers", page_numbers), ("7.3.5 落款", signature),
]


@pytest.mark.parametrize("check", [c for _, c in GBT9704], ids=[name for name, _ in GBT9704])
def test_gbt9704(exported: tuple, check: Callable[[docx.document.Document], None]) -> None:
    check(exported[0])


def test_gaps_are_highlighted_and_commented_not_listed(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS.replace("name: 张三\ndate: 2024-01-15\n", ""), encoding="utf-8")
    result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx"), "--json")
    summary = json.loads(result.stdout)
    document = docx.Document(str(tmp_path / "d.docx"))
    marked = [r for p in document.paragraphs for r in p.runs if r.text.startswith("【待补：")]
    # No superior: the opening has one (the closing says 上级党组织); no causes: 究其原因 has one; no
    # name, no date: the 落款 has two. Each is a run of its own, exactly the gap.
    assert [r.text for r in marked] == [g.split("：", 1)[1] for g in summary["gaps"]]
    assert len(marked) == 4
    assert all(r.font.highlight_color == 7 for r in marked)  # WD_COLOR_INDEX.YELLOW
    comments = {c.text for c in document.comments}
    assert {"待补：上级党组织名称。请据实补写，并删去【待补】标记和本批注。",
            "待补：署名（述职人姓名）。请据实补写，并删去【待补】标记和本批注。"} <= comments
    body = document.element.body
    assert len(body.findall(f".//{W}commentRangeStart")) == 4
    text = "\n".join(p.text for p in document.paragraphs)
    assert "待补清单" not in text and "[" not in text  # the list stays in the terminal, run folder, Markdown
    assert "待补清单" in (tmp_path / "d.md").read_text(encoding="utf-8")
    saved = json.loads((Path(summary["run_dir"]) / "gaps.json").read_text(encoding="utf-8"))
    assert [g["text"] for g in saved] == [g.split("：", 1)[1] for g in summary["gaps"]]


def test_the_file_names_its_run_and_draft(exported: tuple) -> None:
    _, path, summary = exported
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode("utf-8")
        assert "custom-properties" in z.read("_rels/.rels").decode("utf-8")
    from pipeline.drafting.word.docprops import read_properties

    props = read_properties(docx.Document(str(path)))
    assert props["gongwen.run_dir"] == summary["run_dir"] and props["gongwen.draft_id"] in custom
    record = json.loads((Path(summary["run_dir"]) / f"export-{props['gongwen.draft_id']}.json").read_text("utf-8"))
    assert record["docx"] == str(path) and "opening" in record["sections"]


def test_a_title_break_given_by_hand_is_kept(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    title = "title: 某县水务局党组书记|2023年度抓基层党建工作述职报告\n"
    facts.write_text(FACTS.replace("year: 2023\n", "year: 2023\n" + title), encoding="utf-8")
    assert cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx")).exit_code == 0
    heading = docx.Document(str(tmp_path / "d.docx")).paragraphs[0]
    assert heading.text.split("\n") == ["某县水务局党组书记", "2023年度抓基层党建工作述职报告"]
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith("# 某县水务局党组书记2023年度抓基层党建")


def test_a_section_that_fell_back_carries_a_comment(seeded: Path, cli: Cli, tmp_path: Path, stub: StubOpenAI) -> None:
    stub.chat = lambda body: "我局与环卫局一起，全年召开会议36次。"  # never passes the fact lock
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--docx", str(tmp_path / "d.docx"),
                 "--backend", "openai", "--model", "m", "--base-url", stub.base_url, "--json")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "d.docx"))
    notes = [c for c in document.comments if "已改用离线模板稿" in c.text]
    # every section the model was asked for fell back; the causes, with no fact to draft, were composed
    assert len(notes) == len(json.loads(result.stdout)["checks"]["fallbacks"]) == 6
    assert "已改用离线模板稿" not in "\n".join(p.text for p in document.paragraphs)


def test_the_properties_are_the_user_s_not_the_generator_s(exported: tuple, seeded: Path, cli: Cli,
                                                           tmp_path: Path) -> None:
    import datetime as dt

    document, path, _ = exported
    core = document.core_properties
    assert core.author == "张三" and core.title == "某县水务局党组书记2023年度抓基层党建工作述职报告"
    assert core.last_modified_by == "" and core.comments == ""
    now = dt.datetime.now(dt.UTC)
    assert abs((core.created.replace(tzinfo=dt.UTC) - now).total_seconds()) < 300 and core.modified == core.created
    with zipfile.ZipFile(path) as package:
        props = {name: package.read(name).decode("utf-8", "replace") for name in package.namelist()
                 if name.startswith("docProps/") and name.endswith(".xml")}
    assert props and not any("python-docx" in text or "Macintosh" in text for text in props.values())

    nameless = tmp_path / "nameless.md"
    nameless.write_text(FACTS.replace("name: 张三\n", ""), encoding="utf-8")
    assert cli("draft", str(nameless), "--docx", str(tmp_path / "n.docx")).exit_code == 0
    assert docx.Document(str(tmp_path / "n.docx")).core_properties.author == ""
