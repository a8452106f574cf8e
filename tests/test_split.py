"""Splitting reports into the genre's parts, subsections and metadata."""

from __future__ import annotations

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.corpus.split import PACK_CHARS, NoStructure, retrieval_units, split_report
from pipeline.genre import CAUSES_HEADING as CAUSES_SUBHEADING
from pipeline.genre import Part, classify_heading
from tests.conftest import EXAMPLES

# Read off the originals by hand: （一）… subheadings under 一、主要工作/主要做法, unit, role, year.
EXPECTED = {
    "000": (3, "环卫局", "党组书记", "2020"),
    "001": (4, "X区工信局", "党组书记", "2020"),
    "002": (5, "民政局", "党组书记", ""),
    "003": (5, "县委", "县委书记", "2020"),
    "004": (4, "教体局", "局长", "2020"),
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:3])
def test_examples_split_into_the_genre_parts(path) -> None:
    report = split_report(clean_text(path.read_text(encoding="utf-8")).text)
    subheadings, unit, role, year = EXPECTED[path.name[:3]]
    assert report.parts[:5] == ["title", "opening", "main_work", "problems", "plans"]
    assert len(report.subheadings(Part.MAIN_WORK)) == subheadings
    assert (report.unit, report.role, report.year) == (unit, role, year)
    opening = [c for c in report.chunks if c.part == Part.OPENING]
    assert opening[-1].text.endswith("如下：")
    assert [c.order for c in report.chunks] == list(range(len(report.chunks)))


def test_causes_and_closing_are_recognised() -> None:
    report = split_report(clean_text(EXAMPLES[4].read_text(encoding="utf-8")).text)
    causes = [c for c in report.chunks if c.subheading == CAUSES_SUBHEADING]
    assert len(causes) == 1 and causes[0].part == Part.PROBLEMS
    assert causes[0].text.startswith("究其主要原因")
    closing = [c for c in report.chunks if c.part == Part.CLOSING]
    assert closing and closing[0].text.startswith("今后，我将")


VARIANT = """市医保局局长2022年度述职报告
2022年，我在市委的领导下开展工作，现将履职情况汇报如下：
主要做法
1. 抓好班子建设。全年召开党组会议18次。
一是健全制度。二是压实责任。
2. 推进医保改革。完成DRG支付改革试点。
存在的不足
一是学习不够深入。二是调研不够。
下一步工作计划
一是加强学习。
二是深化改革。
"""


def test_unnumbered_headings_and_arabic_subheadings() -> None:
    report = split_report(VARIANT)
    assert report.parts == ["title", "opening", "main_work", "problems", "plans"]
    assert report.subheadings(Part.MAIN_WORK) == ["抓好班子建设", "推进医保改革"]
    # 一是 lines stay inside the 1. subsection that holds them
    assert "一是健全制度" in next(c.text for c in report.chunks if c.subheading == "抓好班子建设")
    assert report.subheadings(Part.PLANS) == ["加强学习", "深化改革"]
    assert (report.unit, report.role, report.year) == ("市医保局", "局长", "2022")


@pytest.mark.parametrize(
    ("heading", "part"),
    [
        ("一、主要工作", Part.MAIN_WORK), ("一、主要做法", Part.MAIN_WORK), ("一、履职情况", Part.MAIN_WORK),
        ("一、主要工作及成效", Part.MAIN_WORK), ("二、存在问题", Part.PROBLEMS),
        ("二、存在的主要问题及原因", Part.PROBLEMS), ("二、存在的不足", Part.PROBLEMS),
        ("三、下步打算", Part.PLANS), ("三、下一步工作打算", Part.PLANS),
        ("三、下步工作思路和主要措施", Part.PLANS), ("三、下一步工作计划", Part.PLANS),
    ],
)
def test_heading_synonyms(heading: str, part: Part) -> None:
    assert classify_heading(heading) == part


def test_text_without_report_structure_is_refused() -> None:
    with pytest.raises(NoStructure):
        split_report("这是一段普通的文字。\n和另一段文字，没有任何结构。")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:3])
def test_retrieval_units_pack_short_items_and_keep_every_word(path) -> None:
    chunks = split_report(clean_text(path.read_text(encoding="utf-8")).text).chunks
    units = retrieval_units(chunks)
    assert all(u.part != Part.TITLE for u in units)
    # Nothing lost or reordered: the units are the chunks (less the title) joined in order.
    assert "\n".join(u.text for u in units) == "\n".join(c.text for c in chunks if c.part != Part.TITLE)
    assert len({u.order for u in units}) == len(units)  # ids stay unique
    for unit in units:
        members = [c for c in chunks if c.text in unit.text and c.part == unit.part]
        if len(members) > 1:  # packed: short items of 存在问题 or 下步打算, never 究其原因
            assert unit.part in (Part.PROBLEMS, Part.PLANS) and len(unit.text) <= PACK_CHARS
            assert CAUSES_SUBHEADING not in {m.subheading for m in members}
    assert [u for u in units if u.part == Part.MAIN_WORK] == [c for c in chunks if c.part == Part.MAIN_WORK]


def test_packing_stops_at_the_limit_and_at_the_causes() -> None:
    items = "\n".join(f"{n}是{'学习不够深入' * 20}。" for n in "一二三四五六")  # 123 characters each
    report = split_report(VARIANT.replace("一是学习不够深入。二是调研不够。", items + "\n究其原因，认识不足。"))
    problems = [u for u in retrieval_units(report.chunks) if u.part == Part.PROBLEMS]
    assert [u.text.count("是学习") for u in problems] == [4, 2, 0]  # 4 × 123 + 3 newlines ≤ 500 < 5 × 123
    assert problems[0].subheading.startswith("学习不够深入")  # the first packed item names the unit
    assert problems[-1].subheading == CAUSES_SUBHEADING and problems[-1].text == "究其原因，认识不足。"
