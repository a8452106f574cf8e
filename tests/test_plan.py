"""The outline: sections, topic grouping of ungrouped bullets, budgets in the examples' proportions."""

from __future__ import annotations

from pathlib import Path

from pipeline.drafting.outline.facts import parse_facts
from pipeline.drafting.outline.plan import example_shares, make_plan

PLAIN = """单位：某镇人民政府
职务：党委书记
年度：2022
字数：3000
- 全年召开党委会议研究党建工作10次
- 组织中心组理论学习12次
- 完成村“两委”换届，新建标准化党支部4个
- 发展党员5名，培训党员干部300人次
- 开展警示教育2次
- 建成乡村振兴示范点2个
- 问题：党员老龄化
- 原因：青年人才外流
- 打算：每年发展青年党员不少于5名
"""


def test_ungrouped_bullets_are_grouped_by_topic_and_budgets_add_up() -> None:
    plan = make_plan(parse_facts(PLAIN, Path("plain.txt")))
    ids = [s.id for s in plan.sections]
    assert ids == ["opening", *(f"main_work.{n}" for n in range(1, 7)), "problems", "causes", "plans", "closing"]
    conduct = next(s for s in plan.sections if s.heading.endswith("从严正风肃纪，推进党风廉政建设"))
    assert [b.text for b in conduct.bullets] == ["开展警示教育2次"]
    headings = [s.heading for s in plan.sections if s.id.startswith("main_work")]
    assert headings[0] == "（一）压实主体责任，健全党建工作机制"
    assert headings[-1] == "（六）坚持党建引领，服务中心工作"
    assert plan.section("causes").bullets[0].text == "青年人才外流"
    assert [b.text for b in plan.section("problems").bullets] == ["党员老龄化"]
    assert sum(s.budget for s in plan.sections) == 3000
    main = sum(s.budget for s in plan.sections if s.id.startswith("main_work"))
    assert abs(main / 3000 - example_shares()["main_work"]) < 0.02
    assert plan.title == "某镇人民政府党委书记2022年度抓基层党建工作述职报告"


def test_plan_json_names_parts() -> None:
    data = make_plan(parse_facts(PLAIN, Path("plain.txt"))).as_dict()
    assert data["sections"][1]["part"] == "main_work" and data["length"] == 3000
