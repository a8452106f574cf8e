"""The metric functions, on small hand-made pairs whose answers can be checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.drafting.outline.facts import parse_facts
from pipeline.evaluation.metrics import (
    StyleSpace,
    chrf,
    fact_recall,
    genre_marker_rate,
    heading_conformance,
    invented_numbers,
    max_copied_span,
    parts_present,
    placeholders,
    quoted_term_recall,
    rouge_l,
)

FACTS = parse_facts("""---
unit: 某局
role: 局长
year: 2023
---
# 主要工作
- 召开党组会议12次
- 发展党员3名
- 开展“党员先锋岗”活动
# 存在问题
- 理论学习不够深入
# 下步打算
- 推进支部标准化建设
""", Path("facts.md"))

GOOD = """某局局长2023年度述职报告
2023年，我认真履行职责。现将有关情况述职如下：
一、主要工作
（一）压实责任
全年召开党组会议12次，发展党员3名，开展“党员先锋岗”活动。
二、存在的主要问题及原因
理论学习不够深入。
三、下步工作思路和主要措施
推进支部标准化建设。
今后，我将进一步做好工作。"""


def test_a_known_invented_number() -> None:
    score = invented_numbers(GOOD.replace("发展党员3名", "发展党员3名，培训干部40人次"), FACTS)
    assert (score.value, score.detail) == (1.0, ["40"])
    assert invented_numbers(GOOD, FACTS).value == 0


def test_a_known_missing_fact() -> None:
    assert fact_recall(GOOD, FACTS).value == 1.0
    dropped = GOOD.replace("发展党员3名，", "")
    score = fact_recall(dropped, FACTS)
    assert score.value == pytest.approx(4 / 5) and score.detail == ["发展党员3名"]
    # all of a fact's numbers must stand in the same paragraph as its words
    split = GOOD.replace("发展党员3名，", "发展党员，").replace("推进支部标准化建设。", "推进支部标准化建设3名。")
    assert fact_recall(split, FACTS).detail == ["发展党员3名"]


def test_quoted_terms() -> None:
    assert quoted_term_recall(GOOD, FACTS).value == 1.0
    assert quoted_term_recall(GOOD.replace("“党员先锋岗”", "先锋岗"), FACTS).detail == ["党员先锋岗"]


def test_parts_present_in_order() -> None:
    assert parts_present(GOOD).value == 1.0
    no_closing = parts_present(GOOD.replace("今后，我将进一步做好工作。", ""))
    assert no_closing.value == 0.0 and no_closing.detail["missing"] == ["closing"]


def test_a_skipped_heading_level() -> None:
    assert heading_conformance(GOOD).value == 1.0
    skipped = heading_conformance(GOOD.replace("（一）压实责任", "1.压实责任"))
    assert skipped.value == 0.0 and "skips level 2" in skipped.detail
    out_of_sequence = heading_conformance(GOOD.replace("二、存在", "三、存在"))
    assert out_of_sequence.value == 0.0 and "expected 2" in out_of_sequence.detail


def test_placeholders_are_counted() -> None:
    assert placeholders("究其原因，【待补：原因】。下一步【待补：措施】").value == 2


def test_text_similarity_measures() -> None:
    assert rouge_l("今天天气很好", "今天天气很好") == 1.0
    assert rouge_l("今天天气很好", "明日有雨") == 0.0
    assert rouge_l("甲乙丙丁", "甲乙戊己") == pytest.approx(0.5)  # LCS 2 of 4 each way
    assert chrf("今天天气很好", "今天天气很好") == pytest.approx(1.0)
    assert 0 < chrf("今天天气很好", "今天天气不错") < 1
    assert genre_marker_rate("一是坚持学习。二是扎实推进。") == pytest.approx(1000 * 4 / 14)


def test_longest_copied_span() -> None:
    length, text = max_copied_span("我们要加强党员教育培训工作", ["上级要求加强党员教育管理", "无关内容"])
    assert (length, text) == (6, "加强党员教育")


def test_style_delta_is_zero_for_the_same_text_and_larger_for_another_genre() -> None:
    corpus = ["一是坚持党建引领，扎实推进工作。二是深入学习。", "全面从严治党，持续深化改革，切实加强领导。",
              "春天来了，花开了，小鸟在树上唱歌。", "我们去公园散步，看见湖水和小船。"]
    style = StyleSpace(corpus, features=50)
    report = "一是坚持学习，扎实推进党建。二是切实加强领导。"
    assert style.delta(report, report) == pytest.approx(0.0, abs=1e-9)
    assert style.delta(report, corpus[0]) < style.delta(report, corpus[2])
