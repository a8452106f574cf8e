"""The offline composer: the genre's connective prose around the facts, and never a fact of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.corpus.split import split_report
from pipeline.drafting.checks.factlock import allowed_numbers, number_keys
from pipeline.drafting.checks.leak import LeakGuard
from pipeline.drafting.checks.numbers import find_numbers
from pipeline.drafting.checks.section import check_section
from pipeline.drafting.outline.facts import Bullet, load_facts, parse_facts
from pipeline.drafting.outline.plan import Section, make_plan
from pipeline.drafting.results import DraftResult, SectionResult
from pipeline.drafting.word.export import to_markdown
from pipeline.drafting.writing.compose import answer_order, compose, subheading
from pipeline.drafting.writing.phrases import mine
from pipeline.evaluation.metrics import plain_text
from pipeline.genre import Part, placeholders
from pipeline.text import squash
from tests.conftest import CORPUS, ROOT, Cli

CASES = sorted((ROOT / "evals" / "cases").glob("*.md"))
# What the form guard refuses in a section: Markdown list or heading lines, letter forms, meta talk.
NOT_A_REPORT = re.compile(r"^\s*(#|[-*+] |\d+\. )|尊敬的|此致|敬礼|XXX|以下是|我会按照", re.M)

INLINE = """---
unit: 某县卫健局
role: 党组书记
year: 2023
superior: 县委
---
# 主要工作
1. 党组书记带头讲党课4次
2. 发展党员11名
3. 支部书记讲党课6次
# 存在问题
- 村医队伍建设滞后，原因是乡村医生年龄偏大
- 党员教育方式单一，主要原因：培训内容不够贴近实际；措施：每季度开展1次专题培训
# 下步打算
a) 推进支部标准化建设
"""


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_composer_passes_every_check_on_the_evaluation_cases(case: Path) -> None:
    """As the evaluation runs it: the case's own report held out of the examples."""
    facts = load_facts(case)
    reports = {p.name: clean_text(p.read_text(encoding="utf-8")).text for p in sorted(CORPUS.glob("*.txt"))}
    others = [text for name, text in reports.items() if name != facts.source]
    units = [split_report(text).unit for text in others]
    book = mine(others)
    plan = make_plan(facts)
    guard = LeakGuard(others, units, own_words="\n".join(b.text for b in facts.bullets_all()))
    allowed = allowed_numbers(facts, plan.title)
    sections = []
    for section in plan.sections:
        text = compose(plan, section, book)
        check = check_section(text, section, guard, allowed, plan, own_words=guard.own_words, stock=text)
        assert check.violations == [], section.id
        assert not NOT_A_REPORT.search(text), text
        sections.append(SectionResult(section.id, text, "ok", 1, check))
    draft = plain_text(to_markdown(DraftResult(case, plan, sections, "offline", "offline-composer", 0.0)))
    # The connective prose says nothing the facts do not: every number in the draft is a fact's.
    assert number_keys([draft]) <= allowed
    # Long enough to read as a report: a quarter of the real report at least (what the facts hold, set in
    # the genre's frame). It was 0.5 while the frame padded with practices and results a blind reader
    # struck as unsupported (「同谋划、同部署、同落实」, 「推动全面从严治党各项任务落地见效」, rotating tails:
    # reader-review), and 0.3 while every subsection had a lead; a lead now comes only where the facts'
    # topic is clear (tests/data/lead-topics.json), so the length is the facts' and the frame's.
    assert len(squash(draft)) >= 0.25 * len(squash(reports[facts.source]))


def test_connective_prose_claims_no_number_name_or_quoted_term() -> None:
    facts = parse_facts(INLINE, Path("f.md"))
    book = mine([clean_text(p.read_text(encoding="utf-8")).text for p in sorted(CORPUS.glob("*.txt"))])
    plan = make_plan(facts)
    for section in plan.sections:
        text = compose(plan, section, book)
        for bullet in section.bullets:  # what is left when the facts are taken out is the composer's own
            text = text.replace(bullet.text, "")
        for piece in re.split(r"[；]", " ".join(b.text for b in facts.causes)):
            text = text.replace(piece, "")
        text = text.replace(f"{facts.year}年", "")
        assert find_numbers(text) == [], (section.id, text)
        assert not any(name in text for name in ("环卫局", "工信局", "民政局", "教体局")), text


def test_inline_causes_and_a_numbered_list_draft_with_no_causes_gap() -> None:
    facts = parse_facts(INLINE, Path("f.md"))
    plan = make_plan(facts)
    causes = compose(plan, plan.section("causes"))
    assert placeholders(causes) == []
    assert "乡村医生年龄偏大" in causes and "村医队伍建设滞后" in causes  # the cause, tied to its problem
    main = compose(plan, plan.section("main_work.1"))
    assert "我带头讲党课4次" in main and "1." not in main and "2." not in main
    guard = LeakGuard([], [], own_words="\n".join(b.text for b in facts.bullets_all()))
    allowed = allowed_numbers(facts, plan.title)
    for section in plan.sections:  # the rewritten facts are stated, numbers and wording
        text = compose(plan, section)
        check = check_section(text, section, guard, allowed, plan, own_words=guard.own_words, stock=text)
        assert check.violations == [], section.id
    plans = compose(plan, plan.section("plans"))
    # The measure written on the problem's line answers that problem, before the other plan.
    assert plans.index("针对党员教育方式单一的问题，每季度开展1次专题培训") < plans.index("推进支部标准化建设")


def test_plans_are_ordered_to_answer_the_problems() -> None:
    problems = [Bullet("理论学习不够系统深入", 10), Bullet("支部活动形式较为单一", 11), Bullet("党员老龄化", 12)]
    plans = [Bullet("丰富支部活动形式，开展主题党日", 20), Bullet("每年发展青年党员不少于5名", 21),
             Bullet("健全理论学习制度，系统学习党章党规", 22), Bullet("加强作风建设", 23)]
    order = answer_order(problems, plans)
    assert [(p.line, q.line if q else None) for p, q in order] == [(22, 10), (20, 11), (21, None), (23, None)]


def test_a_bare_label_gets_the_genre_s_form_and_a_subheading_keeps_its_own() -> None:
    bare = Section("main_work.1", Part.MAIN_WORK, "（一）压实责任", [Bullet("全年召开党组会议12次", 3)])
    assert re.fullmatch(r"（一）[\u4e00-\u9fff]{4,6}，压实责任", subheading(bare))
    for heading in ("（二）高度重视，认真履行党建工作职责", "（三）战疫情、显担当", "（一）全面开展疫情防控"):
        assert subheading(Section("main_work.2", Part.MAIN_WORK, heading, [])) == heading


def test_template_draft_shows_topic_coverage_and_says_it_is_short(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    template = cli("facts", "template")
    facts_path = tmp_path / "t.md"
    facts_path.write_text(template.stdout, encoding="utf-8")
    checked = cli("facts", "check", str(facts_path))
    assert checked.exit_code == 0, checked.output
    assert "causes (2)" in checked.stdout and "topic coverage" in checked.stdout and "中心工作" in checked.stdout

    out = tmp_path / "d.md"
    result = cli("draft", str(facts_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    markdown = out.read_text(encoding="utf-8")
    checklist = markdown.split("\n---\n")[1]
    assert "主题覆盖" in checklist and "「中心工作」" in checklist  # the one usual topic the template leaves out
    assert "篇幅" in checklist and "不到目标 3500 字" in checklist and "补充事实" in checklist
    assert "note: 篇幅" in result.stderr
    assert "【待补" not in markdown.split("\n---\n")[0]  # its causes are there: no gap


def test_a_draft_long_enough_for_its_length_says_nothing_about_length(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts_path = tmp_path / "short.md"
    facts_path.write_text(INLINE.replace("year: 2023", "year: 2023\nlength: 800"), encoding="utf-8")
    result = cli("draft", str(facts_path), "-o", str(tmp_path / "d.md"), "--json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert not any(note.startswith("篇幅") for note in notes)
    assert json.loads(result.stdout)["placeholders"] == 0


def test_coverage_after_drafting_reads_the_draft_s_headings(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts_path = tmp_path / "plain.md"  # ungrouped; the last bullet is on no topic, so it goes under 中心工作
    facts_path.write_text("单位：某镇人民政府\n职务：党委书记\n年度：2022\n- 全年召开党委会议研究党建工作10次\n"
                          "- 组织中心组理论学习12次\n- 完成村“两委”换届，新建标准化党支部4个\n"
                          "- 发展党员5名，培训党员干部300人次\n- 完成镇机关办公楼改造\n- 问题：党员老龄化\n"
                          "- 打算：每年发展青年党员不少于5名\n", encoding="utf-8")
    out = tmp_path / "d.md"
    result = cli("draft", str(facts_path), "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert "服务中心工作" in out.read_text(encoding="utf-8").split("\n---\n")[0]
    assert not any("中心工作" in note for note in json.loads(result.stdout)["notes"])
