"""The fact lock and the leak guard, on small hand-made cases whose answers are checked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.drafting.checks.factlock import invented_number_violations, missing_facts, number_keys
from pipeline.drafting.checks.leak import LeakGuard
from pipeline.drafting.checks.numbers import chinese_to_int, find_numbers
from pipeline.drafting.outline.facts import Bullet
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("召开党组会议12次", [("12", False)]),
        ("专题研究党建工作十二次", [("12", False)]),
        ("培训党员1.2万人次，占比15%", [("12000", False), ("15", True)]),
        ("覆盖率达到百分之九十五点五", [("95.5", True)]),
        ("投入资金3,500元", [("3500", False)]),
        ("2023年7月1日召开大会", [("2023", False), ("7", False), ("1", False)]),
        ("二〇二三年", [("2023", False)]),
        ("两万人", [("20000", False)]),
        # not numbers: ordinals, list markers, fixed terms, a bare 一
        ("一是坚持“三会一课”，二是落实第一责任人职责", []),
        ("（三）深入学习十九届五中全会精神，落实“两学一做”", []),
        ("每名班子成员联系一个支部", []),
    ],
)
def test_numbers_are_found_and_normalised(text: str, expected: list[tuple[str, bool]]) -> None:
    assert [(str(n.value.normalize()), n.percent) for n in find_numbers(text)] == [
        (str(Decimal(v).normalize()), p) for v, p in expected]


def test_chinese_numerals() -> None:
    assert [chinese_to_int(t) for t in ("十", "十二", "二十", "一百零五", "一千二百", "三万五千", "万")] == [
        10, 12, 20, 105, 1200, 35000, None]


FACTS = [Bullet("全年召开党组会议12次，专题研究党建工作5次", 1), Bullet("发展党员3名", 2),
         Bullet("开展“党员先锋岗”创建活动", 3)]


def test_a_known_invented_number_is_caught() -> None:
    allowed = number_keys(b.text for b in FACTS) | number_keys(["2023"])
    draft = "2023年，全年召开党组会议十二次，专题研究党建工作5次，发展党员3名，开展活动20余次。"
    assert [v.text for v in invented_number_violations(draft, allowed)] == ["20"]


def test_a_known_missing_fact_is_caught() -> None:
    draft = "全年召开党组会议12次，专题研究党建工作5次。深入开展“党员先锋岗”创建活动。"
    violations = missing_facts(draft, FACTS)
    assert [(v.kind, v.text) for v in violations] == [("missing_number", "3"), ("missing_fact", "发展党员3名")]


def test_a_missing_quoted_term_is_caught() -> None:
    draft = "全年召开党组会议12次，专题研究党建工作5次，发展党员3名，开展党员先锋创建活动。"
    assert [(v.kind, v.text) for v in missing_facts(draft, FACTS)] == [("missing_term", "党员先锋岗")]


def test_paraphrase_that_keeps_the_facts_passes() -> None:
    draft = ("坚持把党建工作摆在首位，全年召开党组会议12次，其中专题研究党建工作5次；"
             "严格发展程序，发展党员3名；深入开展“党员先锋岗”创建活动。")
    assert missing_facts(draft, FACTS) == []


@pytest.fixture(scope="module")
def guard() -> LeakGuard:
    examples = [clean_text(p.read_text(encoding="utf-8")).text for p in EXAMPLES]
    return LeakGuard(examples, ["环卫局", "X区工信局", "民政局", "县委", "教体局"], own_words="某县水务局 县委")


def test_example_unit_names_are_caught(guard: LeakGuard) -> None:
    found = guard.find("我局与环卫局联合开展活动，学习工信局经验，在县委领导下工作。")
    assert sorted(v.text for v in found if v.kind == "leaked_name") == ["工信局", "环卫局"]


def test_a_copied_run_is_caught_but_stock_phrases_pass(guard: LeakGuard) -> None:
    copied = "建立了领导班子成员联系支部制度，每名班子成员联系一个支部，定期检查指导支部党建工作"
    found = guard.find(f"我们{copied}。")
    assert [v.kind for v in found] == ["copied_span"]
    assert copied[:20] in found[0].text
    # 「巩固深化“不忘初心、牢记使命”主题教育成果」 stands in at least three examples: stock, allowed.
    assert guard.find("持续巩固深化“不忘初心、牢记使命”主题教育成果，推动工作落实。") == []


def test_the_users_own_words_are_not_a_copy_even_where_an_example_has_them() -> None:
    title = "制定《X区民政局新冠肺炎疫情常态化防控工作实施方案》"
    examples = [clean_text(p.read_text(encoding="utf-8")).text for p in EXAMPLES]
    own = LeakGuard(examples, [], own_words=f"某局\n{title}，组织养老机构培训")
    other = LeakGuard(examples, [], own_words="某局")
    assert own.find(f"{title}，组织全区养老机构开展培训。") == []
    assert [v.kind for v in other.find(f"{title}，组织全区养老机构开展培训。")] == ["copied_span"]
