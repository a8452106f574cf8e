"""The form guard, the normaliser and the claims trace, on what a real small model wrote.

tests/data/replies-case02.jsonl is every call of Qwen2.5-Coder-1.5B (Q4, llama.cpp) drafting
evals/cases/02.md through the chain of 2026-11-24 (copied from ../shared/real-model). None of those
replies may ship; the other failures below are the ones the issue and the measurements name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.drafting.checks.factlock import allowed_numbers
from pipeline.drafting.checks.form import band, form_violations
from pipeline.drafting.checks.leak import LeakGuard
from pipeline.drafting.checks.section import check_section
from pipeline.drafting.checks.trace import trace_section
from pipeline.drafting.outline.facts import load_facts, parse_facts
from pipeline.drafting.outline.plan import Plan, Section, make_plan
from pipeline.drafting.writing.reply_fixes import normalise_reply
from tests.conftest import ROOT
from tests.test_draft import FACTS

CASE02 = ROOT / "evals" / "cases" / "02.md"
RECORDED = [json.loads(line) for line in (ROOT / "tests" / "data" / "replies-case02.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]


def _plan(path: Path = CASE02) -> tuple[Plan, str]:
    facts = load_facts(path)
    return make_plan(facts), "\n".join(b.text for b in facts.bullets_all())


def _verdict(reply: str, section: Section, plan: Plan, own: str, cut: bool = False) -> list[str]:
    """The kinds of violation the shipped text would carry, after the normaliser."""
    fixed = normalise_reply(reply, section, plan.year, cut=cut)
    text = f"{section.heading}\n{fixed.text}" if section.heading.startswith("（") else fixed.text
    facts = load_facts(CASE02) if plan.unit == "民政局" else parse_facts(FACTS, Path("f.md"))
    check = check_section(text, section, LeakGuard([], [], own_words=own), allowed_numbers(facts, plan.title), plan,
                          own_words=own)
    return [v.kind for v in check.violations]


@pytest.mark.parametrize("call", RECORDED, ids=[f"{c['section']}-{c['attempt']}" for c in RECORDED])
def test_no_recorded_reply_of_the_real_model_would_ship(call: dict) -> None:
    plan, own = _plan()
    kinds = _verdict(call["reply"], plan.section(call["section"]), plan, own, cut=call["finish_reason"] == "length")
    assert kinds, f"{call['section']} attempt {call['attempt']} would ship:\n{call['reply'][:300]}"


def _rules(reply: str, section_id: str) -> str:
    """What the form guard says of the normalised reply, all in one string."""
    plan, own = _plan()
    section = plan.section(section_id)
    fixed = normalise_reply(reply, section, plan.year)
    return "\n".join(v.detail for v in form_violations(fixed.text, section, plan, own_words=own))


@pytest.mark.parametrize(("section_id", "reply", "rule"), [
    # the prompt's own label, and the section's facts as a Markdown list
    ("main_work.3", "【本节事实】\n- 通过学习强国APP等学习十九届五中全会公报\n- 修订党组中心组学习计划", "是提示语里"),
    # a closing about its task, not the year ahead
    ("closing", "谢谢您的指导。我会按照要求，认真撰写述职报告的结尾段，并确保所有事实都写入。", "是在说写作"),
    ("closing", "谢谢大家！今后，我将继续努力，推动民政工作再上新台阶。", "是书信或讲"),
    # three reference blocks echoed as causes
    ("causes", "【参考1】\n究其主要原因，一是认识不深。\n【参考2】\n究其主要原因，二是问责不严。", "是提示语里"),
    # a speech, with a name to fill in
    ("opening", "尊敬的各位领导：大家好！我叫XXX。一年来，我认真履行职责。现将有关情况述职如下：", "是书信或讲"),
    # another part's heading inside a section
    ("main_work.1", "一、压实责任\n制定《X区民政局新冠肺炎疫情常态化防控工作实施方案》，组织养老机构培训。",
     "是标题，这"),
    ("opening", "一年来认真履职。\n二、存在的主要问题及原因\n理论学习重数量轻质量。", "是标题，这"),
    # the opening holding the main work
    ("opening", "一年来，我每月督查养老机构，督导检查全覆盖，婚姻登记实行预约、错峰。现将有关情况述职如下：",
     "是报告其他"),
    # the same thing said three times
    ("causes", "究其原因，我深刻认识到认识不深。我深刻认识到问责不严。我深刻认识到创新不足。", "重复出现"),
    ("problems", "理论学习重数量轻质量，学习流于形式，效果不好。\n理论学习重数量轻质量，学习流于形式，效果很不好。",
     "重复出现"),
    # Markdown
    ("problems", "### 理论学习\n1. **理论学习重数量轻质量**：学习流于形式。", "用了列表或"),
])
def test_the_failures_the_issue_names_are_caught(section_id: str, reply: str, rule: str) -> None:
    assert rule in _rules(reply, section_id)


def test_a_rambling_reply_is_too_long_and_a_fitting_one_is_not() -> None:
    plan, own = _plan()
    section = plan.section("main_work.3")
    _, high = band(200)
    facts = ("通过学习强国APP等学习十九届五中全会公报，修订党组中心组学习计划，"
             "配发《习近平谈治国理政》第三卷和《党建工作常识100问》。")
    fitting = facts + "确保学习取得实效。"
    assert len(fitting) < high
    assert not [v for v in form_violations(fitting, section, plan, 200, own) if "远超" in v.detail]
    rambling = facts + "".join(f"第{i}方面，我们坚持不懈地推进各项工作落实。" for i in range(30))
    assert [v for v in form_violations(rambling, section, plan, 200, own) if "远超" in v.detail]


def test_the_normaliser_fixes_only_harmless_slips_and_says_what_it_did() -> None:
    plan = make_plan(parse_facts(FACTS, Path("f.md")))
    section = plan.section("main_work.1")
    reply = ("```\n### （一）压实管党治党责任\n**一是**全年召开党组会议12次，专题研究党建工作5次。"
             "二是与8个基层党支部签订党建目标责任书。\n```")
    fixed = normalise_reply(reply, section, plan.year)
    assert fixed.text == "一是全年召开党组会议12次，专题研究党建工作5次。二是与8个基层党支部签订党建目标责任书。"
    assert len(fixed.fixes) == 3
    # a list of the section's own facts becomes 一是……二是……
    listed = normalise_reply("- 全年召开党组会议12次，专题研究党建工作5次\n- 与8个基层党支部签订党建目标责任书",
                             section, plan.year)
    assert listed.text.startswith("一是全年召开党组会议12次") and "二是与8个" in listed.text
    # echoed labels are not hidden: the guard sees them and the model is asked again
    echoed = normalise_reply("<<<风格参考结束>>>\n【参考1】\n一是召开会议。", section, plan.year)
    assert "【参考1】" in echoed.text and "<<<" in echoed.text
    # a reply cut at the token cap loses its unfinished sentence
    cut = normalise_reply("一是全年召开党组会议12次。二是与8个基层党支部签", section, plan.year, cut=True)
    assert cut.text == "一是全年召开党组会议12次。"


def test_the_genre_formulas_are_completed() -> None:
    plan = make_plan(parse_facts(FACTS, Path("f.md")))
    lead = "一年来，我认真履行抓基层党建工作第一责任人职责，推动各项任务落实。"
    opening = normalise_reply(lead, plan.section("opening"), plan.year)
    assert opening.text.endswith("现将2023年度抓基层党建工作情况述职如下：")
    causes = normalise_reply("学习制度执行不够严格。", plan.section("causes"), plan.year)
    assert causes.text.startswith("究其原因，")


def test_the_trace_finds_achievements_the_facts_do_not_hold() -> None:
    plan, _ = _plan()
    section = plan.section("main_work.2")
    invented = ("一是落实“五个带头”“一岗双责”，由党委一把手带头深入社区开展疫情防控工作调研。"
                "二是成立党建工作领导小组，制定《党支部组织生活制度》，定期召开专题会议。"
                "三是制定2020年党建工作要点和责任清单，明确了各项工作的目标和任务。")
    traced = {t.text: t for t in trace_section(invented, section, plan)}
    kinds = [t.kind for t in traced.values()]
    assert kinds == ["claim", "claim", "fact"], kinds
    first = next(iter(traced.values()))
    assert "深入社区" in first.claims[0].clause and first.facts  # it carries a fact, and adds what they do not hold
    assert _verdict(invented, section, plan, "").count("claim") == 2


OPENING_04 = ("2020年，我作为本单位党组副书记，始终坚持以习近平新时代中国特色社会主义思想为指导，"
              "深入贯彻党的二十大精神，坚决落实中央和省委关于抓基层党建工作的部署要求，推动党建工作取得新成效。")


def test_no_section_misstates_who_reports_or_when() -> None:
    """The model's opening for a 局长's 2020 report (evals/cases/04.md, benchmark of 2026-11-29) named a
    post and a congress from its memory of other reports; it shipped. Neither may, in any section."""
    from pipeline.drafting.checks.section import claim_violations

    plan, _ = _plan(ROOT / "evals" / "cases" / "04.md")
    found = {v.text: v.detail for v in claim_violations(OPENING_04, plan.section("opening"), plan)}
    assert found == {
        "我作为本单位党组副书记":
            "「我作为本单位党组副书记」中的「党组副书记」不是事实中的职务或人名（述职人是局长），删去或照事实改正",
        "深入贯彻党的二十大精神": "「深入贯彻党的二十大精神」中的「二十大」在2020年还没有召开，删去",
        "推动党建工作取得新成效": "「推动党建工作取得新成效」写了事实中没有的成效，删去；成效只写事实中有的"}
    assert claim_violations(OPENING_04, plan.section("plans"), plan)  # not only where the trace rejects
    fine = ("2020年，我作为局长，深入学习习近平总书记重要讲话精神和党的十九届五中全会精神，"
            "落实党的十九大部署。")
    assert claim_violations(fine, plan.section("opening"), plan) == []
    plan, _ = _plan()  # 民政局党组书记, 2020
    assert claim_violations("我作为党组书记，深入贯彻党的二十大精神。", plan.section("closing"), plan)[0].text \
        == "深入贯彻党的二十大精神"


def test_the_writer_cuts_a_misstated_clause_and_ships_the_rest() -> None:
    from pipeline.drafting.checks.factlock import allowed_numbers
    from pipeline.drafting.checks.leak import LeakGuard
    from pipeline.drafting.writing.model_writer import LLMWriter
    from pipeline.drafting.writing.writers import SectionJob
    from tests.fakes import FakeChatModel

    facts = load_facts(ROOT / "evals" / "cases" / "04.md")
    plan = make_plan(facts)
    job = SectionJob(plan, plan.section("opening"), [], LeakGuard([], []), allowed_numbers(facts, plan.title),
                     lambda call: None)
    result = LLMWriter(FakeChatModel().enqueue(OPENING_04)).write(job)
    assert result.status == "ok" and result.attempts == 1
    assert "党组副书记" not in result.text and "二十大" not in result.text
    assert result.text.startswith("2020年，始终坚持以习近平新时代中国特色社会主义思想为指导，坚决落实中央")
    assert any("二十大" in fix for fix in result.fixes)


def test_problems_numbered_as_items_become_paragraphs() -> None:
    """「一是…二是…」 problems are stock words a reader counts: they are set （一）（二）, one a paragraph."""
    from pipeline.drafting.outline.plan import Section
    from pipeline.drafting.writing.reply_fixes import normalise_reply
    from pipeline.genre import Part

    problems = Section("problems", Part.PROBLEMS, "")
    fixed = normalise_reply("一是理论学习不够系统。二是党员先锋意识“淡化”；三是班子协作不够。", problems, "2020")
    assert fixed.text.split("\n") == ["（一）理论学习不够系统。", "（二）党员先锋意识“淡化”。", "（三）班子协作不够。"]
    causes = normalise_reply("究其原因，一是学习不够。二是培训不足。", Section("causes", Part.PROBLEMS, ""), "2020")
    assert causes.text == "究其原因，一是学习不够。二是培训不足。"  # causes keep the genre's 一是


def test_a_group_set_as_sentences_is_not_asked_for_one_two_three() -> None:
    """The model is asked for 一是…二是… only where the composer numbers the group (its stock words stay in
    the corpus's band); elsewhere for plain sentences."""
    from pipeline.drafting.outline.plan import make_plan
    from pipeline.drafting.writing.model_writer import SectionPrompt, numbered_by_model

    plan = make_plan(load_facts(Path(__file__).parent.parent / "evals" / "cases" / "04.md"))
    groups = [s for s in plan.sections if s.id.startswith("main_work") and len(s.bullets) > 1]
    listed = numbered_by_model(plan)
    assert {s.id for s in groups} - listed and listed, "some groups are numbered, some not"
    prompt = SectionPrompt()
    for section in groups:
        user = prompt.messages(plan, section, [])[1]["content"]
        assert ("不用“一是”“二是”编号" in user) == (section.id not in listed), section.id


def test_a_cut_claim_leaves_the_items_numbered_and_the_sentence_whole() -> None:
    """Two replies of the local model (benchmark, case 01): a clause cut from the first item of 「究其原因，一是…」
    numbered the next item 一是 again; a cut 「还增强了…」 left its 「不仅」 with no pair; and the effect left
    standing, 「解决了学生的实际问题」, is a result the facts do not hold."""
    from pipeline.drafting.writing.reply_fixes import strip_claims

    causes = ("究其原因，一是认识有偏差。思想上认为工作主抓落实政策，党性观念还需进一步加强。谋划不精。"
              "二是纪律执行不严。")
    fixes: list[str] = []
    cut = strip_claims(causes, ["党性观念还需进一步加强"], fixes)
    assert cut == "究其原因，一是认识有偏差。思想上认为工作主抓落实政策。谋划不精。二是纪律执行不严。", cut
    assert strip_claims("一是学习。三是培训。\n一是谈心。三是家访。", ["不在其中"], []) == \
        "一是学习。三是培训。\n一是谈心。三是家访。"  # nothing cut: nothing numbered again
    assert strip_claims("一是组织学习理论，召开了会议。三是培训。\n一是谈心。三是家访。", ["召开了会议"], []) == \
        "一是组织学习理论。二是培训。\n一是谈心。二是家访。"  # each paragraph's list from 一是
    helped = ("二是党员共同帮扶困难学生X同学。通过这种方式，我们不仅解决了学生的实际问题，"
              "还增强了他们对教育的理解和信心。")
    cut = strip_claims(helped, ["还增强了他们对教育的理解和信心"], [])
    assert cut.endswith("通过这种方式，我们解决了学生的实际问题。"), cut
    means = ("一是设立“党员先锋岗”；二是提高党员的廉洁自律意识和社会责任感，"
             "通过开展党风廉政宣传月活动和无偿献血活动，提升党员的政治素养；")
    assert strip_claims(means, ["二是提高党员的廉洁自律意识和社会责任感", "提升党员的政治素养"], []) == \
        "一是设立“党员先锋岗”；二是开展党风廉政宣传月活动和无偿献血活动；"  # case 02: not 「二是通过开展…活动；」
    causes = ("究其原因，一是我认识不深。作为党组书记，我有时忽视了党建的重要性。二是问责不严。我有时存在一定的宽松"
              "态度，导致一些问题没有得到及时和有效的处理。三是创新不足。")
    assert "。二是问责不严。" in strip_claims(causes, ["导致一些问题没有得到及时和有效的处理"], [])
    plan, _ = _plan(ROOT / "evals" / "cases" / "01.md")
    traced = trace_section(cut, plan.section("main_work.3"), plan)
    assert [(c.kind, c.clause) for t in traced for c in t.claims] == [("result", "我们解决了学生的实际问题")], traced


def test_items_are_numbered_in_order() -> None:
    """The local model's plans for case 03 opened at 「三是」 with nothing before it (benchmark, 2026-12-07), and
    its main work said 一是 twice; both shipped so."""
    from pipeline.drafting.outline.plan import Section
    from pipeline.genre import Part

    plans = normalise_reply("三是深化基层党建。深入开展“支部建设年”活动。", Section("plans", Part.PLANS, ""), "2020")
    assert plans.text == "深化基层党建。深入开展“支部建设年”活动。" and "删去只有一项的序号「三是」" in plans.fixes
    work = normalise_reply("一是抓软肋、补短板。一是下派第一书记X名；二是发展壮大村集体经济。",
                           Section("main_work.3", Part.MAIN_WORK, "（三）抓软肋"), "2020")
    assert work.text == "一是抓软肋、补短板。二是下派第一书记X名；三是发展壮大村集体经济。", work
    fine = "究其原因，一是认识有偏差。二是纪律执行不严。"
    assert normalise_reply(fine, Section("causes", Part.PROBLEMS, ""), "2020").text == fine


def test_an_opening_or_closing_that_lists_the_subheadings_is_sent_back() -> None:
    """The local model's opening and closing for case 03 (benchmark, 2026-12-07) said the five subheadings
    again, one after another: the outline, not a closing. The composer's own opening and closing do not."""
    plan, _ = _plan(ROOT / "evals" / "cases" / "03.md")
    closing = ("今后，我将更加注重抓书记、书记抓，强化第一责任人职责。同时，我将抓规范、建队伍，"
               "增强基层党组织政治功能。此外，我将抓软肋、补短板，提升基层组织组织力。")
    opening = ("2020年，我带领书记抓、书记抓，强化第一责任人职责；抓规范、建队伍，增强基层党组织政治功能；抓软肋、"
               "补短板，提升基层组织组织力。现将2020年度抓基层党建工作情况述职如下：")
    for section, text in (("closing", closing), ("opening", opening)):
        said = [v.detail for v in form_violations(text, plan.section(section), plan, reader=False)]
        assert any("又列了一遍" in d for d in said), said
    short = "今后，我将更加注重抓书记、书记抓，强化第一责任人职责，不断提高基层党建工作水平。"
    assert not form_violations(short, plan.section("closing"), plan, reader=False)
    from pipeline.drafting.writing.compose import compose

    for case in sorted((ROOT / "evals" / "cases").glob("*.md")):
        plan = make_plan(load_facts(case))
        for section in (plan.section("opening"), plan.section("closing")):
            drafted = compose(plan, section)
            assert not [v for v in form_violations(drafted, section, plan, reader=False)
                        if "又列了一遍" in v.detail], (case.name, drafted)


def test_a_list_of_plans_ending_in_a_quote_is_cut_and_completed_as_paragraphs() -> None:
    """The local model's third plans reply for case 00 (benchmark, 2026-12-07): its item three ends in a
    quote, so the items were joined with no full stop (「树牢“四个意识”四是：」), and after its invented
    「每月」 item was cut, the fact came back as 「一是……」 after 「（三）」. It ships as four paragraphs."""
    from pipeline.drafting.writing.reply_fixes import complete_items, strip_claims

    plan, _ = _plan(ROOT / "evals" / "cases" / "00.md")
    plans = plan.section("plans")
    reply = ("一是：局党组每年研讨党建工作不少于X次，支部不少于X次\n二是：落实“三会一课”“支部主题党日”等制度\n"
             "三是：结合庆祝建党100周年巩固主题教育成果，树牢“四个意识”\n四是：每月开展“廉政夜校”培训和“争当环卫劳模”活动")
    fixes: list[str] = []
    text = normalise_reply(reply, plans, plan.year).text
    text = complete_items(strip_claims(text, ["每月开展“廉政夜校”培训和“争当环卫劳模”活动"], fixes), plans, fixes)
    assert text.split("\n") == ["（一）局党组每年研讨党建工作不少于X次，支部不少于X次。",
                                "（二）落实“三会一课”“支部主题党日”等制度。",
                                "（三）结合庆祝建党100周年巩固主题教育成果，树牢“四个意识”。",
                                "（四）每年开展“廉政夜校”培训和“争当环卫劳模”活动。"], text


def test_a_fact_miscopied_is_set_back_in_the_users_words() -> None:
    """The local model's replies for case 00 (benchmark, 2026-12-07) changed a character of two facts:
    「班级协作」 for 「班子协作」, 「召发动员党员」 for 「号召党员」. Both shipped; the facts go back as written."""
    plan, _ = _plan(ROOT / "evals" / "cases" / "00.md")
    problems = normalise_reply("一是对基层党建认识不足，存在“一手硬”、“一手软”。二是党员先锋意识“淡化”。"
                               "三是班级协作和担当意识不够。四是党建活动形式单调、教育方式单一。",
                               plan.section("problems"), plan.year)
    assert "（三）班子协作和担当意识不够。" in problems.text.split("\n"), problems.text
    assert "照事实原文改正「班级协作和担当意识不够」为「班子协作和担当意识不够」" in problems.fixes
    work = next(s for s in plan.sections if any("号召党员" in b.text for b in s.bullets))
    fixed = normalise_reply("一是中心组学习X余次。二是召发动员党员深入疫情防控第一线。", work, plan.year)
    assert "二是号召党员深入疫情防控第一线。" in fixed.text, fixed.text
    said = "一是开展“清新简约 务本责实”专题教育，强调在工作中注重细节。"  # more than the fact: untouched
    assert normalise_reply(said, work, plan.year).text == said


def test_a_fact_of_parts_is_completed_by_the_parts_left_out() -> None:
    """The local model's causes for case 04 (benchmark, 2026-12-07) said the fact's first part and was cut
    there; the whole fact was added after it, so 「思想认识不够」 stood twice, both numbered 一是."""
    from pipeline.drafting.writing.reply_fixes import complete_items

    plan, _ = _plan(ROOT / "evals" / "cases" / "04.md")
    fixes: list[str] = []
    text = complete_items("究其原因，一是思想认识不够。", plan.section("causes"), fixes)
    assert text == "究其原因，一是思想认识不够。二是措施研究不够。三是教育深入不够。四是联系基层不够。", text


def test_the_reply_fixes_leave_good_text_alone() -> None:
    """What a review of the fixes above found them doing to text that was right."""
    from pipeline.drafting.outline.plan import Section
    from pipeline.drafting.writing.reply_fixes import complete_items, strip_claims
    from pipeline.genre import Part

    work = Section("main_work.1", Part.MAIN_WORK, "（一）关爱党员")
    two = "在思想上，一是抓学习，召开了会议。二是抓教育。在工作上，一是抓制度。二是抓落实。"
    assert strip_claims(two, ["召开了会议"], []) == \
        "在思想上，一是抓学习。二是抓教育。在工作上，一是抓制度。二是抓落实。"
    assert normalise_reply("三是抓学习教育。\n四是抓制度落实。", work).text == "一是抓学习教育。二是抓制度落实。"
    assert normalise_reply("三是：深化基层党建。", work).text == "深化基层党建。"
    assert strip_claims("一是不仅仅开展了宣传，还召开了大会。", ["还召开了大会"], []) == "一是开展了宣传。"  # 仅 too
    assert strip_claims("一是通过年度考核验收，获评优秀。", ["获评优秀"], []) == "一是通过年度考核验收。"  # passed
    # what cuts of the local model's main work left standing (benchmark, 2026-12-07; a blind reader struck both)
    elected = ("一是村居两委换届选出带头人。通过选举，选出了能够带领村民共同发展的书记，确保了党组织的权威性。"
               "二是完成选举。")
    assert strip_claims(elected, ["选出了能够带领村民共同发展的书记", "确保了党组织的权威性"], []) == \
        "一是村居两委换届选出带头人。二是完成选举。"
    spread = "一是校园相对封闭管理。为了防止疫情扩散，学校实行严格的校园封闭管理。"
    assert strip_claims(spread, ["学校实行严格的校园封闭管理"], []) == "一是校园相对封闭管理。"
    from pipeline.drafting.outline.facts import parse_facts

    facts = parse_facts("---\nunit: 某局\nrole: 党组书记\nyear: 2020\n---\n# 主要工作\n## 关爱党员\n"
                        "- 走访慰问困难党员20户\n- 走访慰问老党员20户，发放慰问金1万元\n- 开展主题党日活动\n",
                        Path("f.md"))
    section = make_plan(facts).section("main_work.1")
    both = "一是走访慰问困难党员20户。二是走访慰问老党员20户，发放慰问金1万元。"
    assert normalise_reply(both, section, "2020").text == both
    ended = complete_items("一是走访慰问困难党员20户。二是走访慰问老党员20户，发放慰问金1万元。\n总之，我将继续努力。",
                           section, [])
    assert ended.split("\n")[0].endswith("三是开展主题党日活动。"), ended


def test_what_the_local_model_added_to_its_facts_is_a_claim() -> None:
    """Two clauses the local model added to case 00's facts (benchmark, 2026-12-07) that shipped unmarked:
    a result said as 良好, and a frequency the facts say only of another deed (「定期检查指导」). What a
    document set out (「明确了…目标和任务」) is left to the reader, as the test above has it."""
    plan, _ = _plan(ROOT / "evals" / "cases" / "00.md")
    section = plan.section("main_work.3")
    said = ("一是中心组（扩大）学习X余次，研讨X次，效果良好。"
            "二是年初召开党组会议部署全年党建工作，明确了年度党建目标和任务。"
            "三是按照“三会一课”制度，定期开展党员教育活动。四是班子成员每人联系一个支部，定期检查指导。")
    found = [(c.kind.value, c.clause) for t in trace_section(said, section, plan) for c in t.claims]
    assert found == [("result", "效果良好"), ("frequency", "定期开展党员教育活动")]


def test_a_fact_the_reply_only_touched_is_added_whole() -> None:
    """The local model's third plans reply for case 01 (benchmark, 2026-12-07) said 「强化党员先锋作用」 and
    left out 「完善党员先锋作用考核评价机制」 and two more facts; the section fell back to the composer
    after three replies. The facts it did not state go after its items, in the user's words."""
    from pipeline.drafting.checks.factlock import missing_facts
    from pipeline.drafting.writing.reply_fixes import complete_items

    plan, _ = _plan(ROOT / "evals" / "cases" / "01.md")
    plans = plan.section("plans")
    reply = ("一是认真贯彻“八项规定”，加强班子队伍建设。二是深化主题教育，强化党员先锋作用。"
             "三是完善机关党建规章制度，加强党支部建设。四是制定党建综合考核办法，把主题教育和全会精神学习纳入考核。")
    fixes: list[str] = []
    text = complete_items(normalise_reply(reply, plans, plan.year).text, plans, fixes)
    assert [v.kind for v in missing_facts(text, plans.bullets)] == [], text
    assert "完善党员先锋作用考核评价机制。" in text and text.count("完善机关党建规章制度") == 1, text
