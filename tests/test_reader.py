"""What a reader rejects on sight (checks/reader.py), on the texts the blind reading and the saved run found,
and the composer's drafts free of all of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.drafting.checks.form import form_violations
from pipeline.drafting.checks.reader import (
    cut_paragraphs,
    fact_twice,
    organ_twice,
    repeated_clauses,
    said_elsewhere,
    two_leads,
    unfitting_lead,
)
from pipeline.drafting.outline.facts import Bullet, load_facts
from pipeline.drafting.outline.plan import Plan, Section, make_plan
from pipeline.drafting.writing.compose import compose, elsewhere
from pipeline.drafting.writing.phrases import mine
from pipeline.drafting.writing.reply_fixes import finish_paragraphs
from pipeline.genre import Part
from tests.conftest import CORPUS, ROOT

CASES = sorted((ROOT / "evals" / "cases").glob("*.md"))
DATA = ROOT / "tests" / "data"


def _plan(case: str) -> Plan:
    return make_plan(load_facts(ROOT / "evals" / "cases" / f"{case}.md"))


def test_an_organ_said_twice() -> None:
    assert [v.text for v in organ_twice("县委县委书记2020年度抓基层党建工作述职报告")] == ["县委县委"]
    assert [v.text for v in organ_twice("我作为城南街道党工委党工委书记")] == ["党工委党工委"]
    assert organ_twice("我作为县委书记，带领县委常委会") == []


def test_one_fact_stated_twice() -> None:
    plan = _plan("02")
    section = plan.section("main_work.2")
    text = ("一是落实“五个带头”“一岗双责”。二是成立党建工作领导小组，制定《党支部组织生活制度》。"
            "三是制定2020年党建工作要点和责任清单。四是成立党建工作领导小组，制定《党支部组织生活制度》，压实责任。")
    assert [v.text for v in fact_twice(text, section)] == ["成立党建工作领导小组，制定《党支部组织生活制度》"]
    assert fact_twice(text.rsplit("四是", 1)[0], section) == []


def test_a_paragraph_that_stops_mid_sentence() -> None:
    """The saved real run shipped both (tests/data/eval-qwen: case 02's plans, case 04's main_work.3)."""
    assert cut_paragraphs("五是2021年1-3月完成换届选举。六是换届后对社区“两委”")
    assert cut_paragraphs("三是排查组织关系。四是2020年党员缴纳党费X元")
    assert cut_paragraphs("一是落实“三会一课”制度。\n（二）加强党员队伍建设") == []
    assert cut_paragraphs("主要做法是：") == [] and cut_paragraphs("深化“两学一做”。”") == []



@pytest.mark.parametrize("paragraph", ["一是强化理论武装，取得成效……", "二是结对帮扶，群众反映效果好!",
                                       "三是深化“两学一做”。”", "主要做法是：", "四是换届后对社区“两委”"])
def test_the_reply_fix_and_the_check_agree_on_a_paragraph_that_stops_mid_sentence(paragraph: str) -> None:
    """The fix cuts (or ends) a paragraph only where the check would reject it: one rule, text.unfinished.
    Before, the fix deleted 「…取得成效……」 and cut 「…效果好!」, both of which the check accepts."""
    section = Section("main_work.1", Part.MAIN_WORK, "（一）加强理论武装", [Bullet("开展理论学习12次", 3)])
    fixes: list[str] = []
    kept = finish_paragraphs(paragraph, section, fixes)
    assert (kept == paragraph) == (cut_paragraphs(paragraph) == []), (kept, fixes)


def test_two_leads_in_one_subsection() -> None:
    """A capable model's own lead after the frame's, replayed through the chain."""
    plan = _plan("00")
    section = plan.section("main_work.1")
    text = (f"{section.heading}\n管党治党，关键在于压实责任。我着力压实党建工作责任，主要抓了以下几项工作："
            "我始终把抓好党建作为最大的政绩，认真履行党建工作第一责任人职责。一是年初召开党组会议部署全年党建工作。")
    assert [v.kind for v in two_leads(text, section)] == ["two_leads"]
    second = "我始终把抓好党建作为最大的政绩，认真履行党建工作第一责任人职责。"
    assert two_leads(text.replace(second, ""), section) == []


def test_a_lead_whose_topic_is_not_its_subsections() -> None:
    """Case 04's （四）明重点、育亮点 (teaching and sports awards) was led by a truth about theory."""
    plan = _plan("04")
    section = plan.section("main_work.4")
    led = (f"{section.heading}\n理论上清醒，政治上才能坚定。着重抓了以下几个方面："
           "一是邀请专家作十九届五中全会公报专题讲座。二是召开“三会一课”现场观摩会并在全市推广。")
    assert [v.kind for v in unfitting_lead(led, section)] == ["form"]
    fitting = led.replace("理论上清醒，政治上才能坚定。", "党建工作只有融入中心、服务大局，才有生命力。")
    assert unfitting_lead(fitting, section) == []


def test_a_frame_clause_said_again() -> None:
    plan = _plan("00")
    said = elsewhere(plan, plan.section("opening"))
    assert said, "the other sections' frames say something"
    clause = next(iter(sorted(said)))
    assert [v.kind for v in said_elsewhere(f"2020年，{clause}。", said)] == ["said_twice"]
    assert repeated_clauses(["坚持统筹谋划、持续用力，既抓思想认识。", "我坚持统筹、持续用力，既抓认识。"]) == []
    assert repeated_clauses(["既抓思想认识又抓制度机制，更抓工作落实。", "既抓思想认识又抓制度机制，重点做了。"]) \
        == ["既抓思想认识又抓制度机制"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_composer_says_no_frame_clause_twice_and_every_lead_fits(case: Path) -> None:
    facts = load_facts(case)
    book = mine([clean_text(p.read_text(encoding="utf-8")).text for p in sorted(CORPUS.glob("*.txt"))
                 if p.name != facts.source])
    plan = make_plan(facts)
    texts = {s.id: compose(plan, s, book) for s in plan.sections}
    own = "\n".join(b.text for b in facts.bullets_all())
    assert repeated_clauses(texts.values(), own) == []
    assert "的同时，我围绕" not in "".join(texts.values())  # the bridging formula a reader found in every group
    for section in plan.sections:
        assert unfitting_lead(texts[section.id], section) == [], section.id
        assert form_violations(texts[section.id], section, plan, own_words=own,
                               elsewhere=elsewhere(plan, section, book)) == [], section.id


def test_a_learned_draft_does_not_make_the_tools_own_prose_a_copy() -> None:
    """After revise --learn, a finished draft is a corpus report: its frame is the composer's prose, which
    every later draft's frame says too. That is not another unit's sentence (issue 23, point 3: 5 of 7
    sections of a model draft fell back as 「照抄了参考材料」)."""
    from pipeline.drafting.checks.leak import LeakGuard

    learned = "\n".join(compose(_plan("00"), s) for s in _plan("00").sections)
    plan = _plan("02")
    guard = LeakGuard([learned], [], own_words="\n".join(b.text for s in plan.sections for b in s.bullets))
    section = plan.section("problems")
    text = compose(plan, section)
    assert {v.kind for v in guard.find(text)} == {"copied_span"}, "the frame is shared, so this test can fail"
    assert guard.find(text, stock=text) == []


def test_leads_fit_what_a_reader_says_the_facts_are_about() -> None:
    """54 subsections a reader labelled blind (tests/data/lead-topics.json): where the composer leads a
    subsection with a general truth, the truth is of the reader's topic; where no topic is clear, no lead."""
    from pipeline.drafting.outline.topics import BY_KEY

    labelled = json.loads((DATA / "lead-topics.json").read_text(encoding="utf-8"))["groups"]
    led = fitting = 0
    for group in labelled:
        plan = make_plan(load_facts(ROOT / group["file"]))
        text = compose(plan, plan.section(group["section"]))
        said = [key for key, topic in BY_KEY.items() if any(why in text for why in topic.whys)]
        assert len(said) <= 1, (group["id"], said)
        if said:
            led += 1
            fitting += said[0] == group["topic"]
    assert led >= 20  # leads where the facts are clear, not none at all
    assert fitting / led >= 0.8, (fitting, led)
