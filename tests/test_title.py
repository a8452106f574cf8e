"""Titles broken by meaning, in a balanced shape (GB/T 9704 7.3.3), and the break given by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.drafting.outline.facts import parse_facts
from pipeline.drafting.outline.plan import make_plan
from pipeline.drafting.outline.title import TITLE_CHARS, title_lines, width
from tests.conftest import ROOT, Cli


@pytest.mark.parametrize(("title", "words", "lines"), [
    # who and when / what: not 「…抓基层党建工 / 作述职报告」
    ("某县水务局党组书记2023年度抓基层党建工作述职报告", ("某县水务局", "党组书记"),
     ["某县水务局党组书记2023年度", "抓基层党建工作述职报告"]),
    ("X区工信局党组书记2020年度抓基层党建工作述职报告", ("X区工信局", "党组书记"),
     ["X区工信局党组书记2020年度", "抓基层党建工作述职报告"]),
    # fits one line (16.5 characters: the X is half-width)
    ("X局党组书记抓基层党建工作述职报告", ("X局", "党组书记"), ["X局党组书记抓基层党建工作述职报告"]),
    # given by hand
    ("X局党组书记|抓基层党建工作述职报告", (), ["X局党组书记", "抓基层党建工作述职报告"]),
    ("X局党组书记 ｜ 抓基层党建工作述职报告", (), ["X局党组书记", "抓基层党建工作述职报告"]),
])
def test_title_lines(title: str, words: tuple[str, ...], lines: list[str]) -> None:
    assert title_lines(title, words) == lines


def test_a_long_title_breaks_into_three_balanced_lines_never_inside_a_name() -> None:
    unit, role = "某某市某某区人民政府办公室", "党组书记、主任"
    title = f"{unit}{role}2023年度抓基层党建工作和履行全面从严治党主体责任情况述职报告"
    lines = title_lines(title, (unit, role))
    assert "".join(lines) == title and len(lines) == 3
    assert all(width(line) <= TITLE_CHARS for line in lines)
    assert lines[0] == unit  # the unit's name whole
    assert max(map(width, lines)) - min(map(width, lines)) <= 6
    assert not any(line.endswith("20") or line.startswith("23") for line in lines)  # no number cut


def test_the_plan_keeps_the_break_out_of_the_title_text() -> None:
    facts = parse_facts("---\nunit: 某局\nrole: 局长\nyear: 2023\ntitle: 某局局长|2023年度述职报告\n"
                        "name: 张三\ndate: 2024-01-15\n---\n- 开展调研5次\n", Path("f.md"))
    plan = make_plan(facts)
    assert plan.title == "某局局长2023年度述职报告" and plan.title_lines == ["某局局长", "2023年度述职报告"]
    assert (plan.name, plan.date) == ("张三", "2024-01-15")


@pytest.mark.parametrize(("unit", "role", "said"), [
    ("县委", "县委书记", "县委书记"),
    ("柳营街道党工委", "党工委书记", "柳营街道党工委书记"),
    ("城南街道党工委", "党工委书记", "城南街道党工委书记"),
    ("民政局", "党组书记", "民政局党组书记"),
    ("某县水务局", "党组书记、局长", "某县水务局党组书记、局长"),
    ("水务局", "局长", "水务局局长"),  # one character shared: said twice on purpose
])
def test_the_post_says_what_unit_and_role_share_once(unit: str, role: str, said: str) -> None:
    from pipeline.drafting.outline.naming import post

    assert post(unit, role) == said


def test_a_draft_says_its_post_once_in_title_and_opening(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    case = ROOT / "evals" / "cases" / "03.md"  # unit: 县委, role: 县委书记
    out = tmp_path / "d.md"
    result = cli("draft", str(case), "-o", str(out))
    assert result.exit_code == 0, result.output
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# 县委书记2020年度")
    assert "县委县委" not in markdown and "认真履行县委书记抓基层党建工作" in markdown
