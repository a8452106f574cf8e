"""The facts file: both forms, the template, and errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.drafting.outline.facts import TEMPLATE, load_facts
from pipeline.errors import InputError
from pipeline.genre import Part
from tests.conftest import Cli

MARKDOWN = """---
unit: 某县水务局
role: "党组书记"
year: 2023  # 年度
superior: 县委
length: 4000
---
# 主要工作
## 压实责任
- 全年召开党组会议12次
- 签订责任书8份，
  覆盖全部基层支部
## 队伍建设
- 发展党员3名
# 存在的主要问题及原因
- 理论学习不够深入
# 下一步工作计划
- 推进支部标准化建设
"""

PLAIN = """单位：某镇人民政府
职务：党委书记
年度：2022年
- 建成党群服务中心2个
- 问题：党员老龄化，35岁以下党员占比不足15%
- 打算：每年发展青年党员不少于5名
- 开展“三会一课”48次
"""


def _write(tmp_path: Path, text: str, name: str = "facts.md", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_markdown_form(tmp_path: Path) -> None:
    facts = load_facts(_write(tmp_path, MARKDOWN))
    assert (facts.unit, facts.role, facts.year, facts.superior, facts.length) == (
        "某县水务局", "党组书记", "2023", "县委", 4000)
    assert [(b.text, b.group, b.line) for b in facts.main_work] == [
        ("全年召开党组会议12次", "压实责任", 10),
        ("签订责任书8份，覆盖全部基层支部", "压实责任", 11),
        ("发展党员3名", "队伍建设", 14),
    ]
    assert [b.text for b in facts.problems] == ["理论学习不够深入"]
    assert [b.text for b in facts.plans] == ["推进支部标准化建设"]


def test_plain_form_sorts_bullets_by_prefix(tmp_path: Path) -> None:
    facts = load_facts(_write(tmp_path, PLAIN, "facts.txt", "gb18030"))
    assert (facts.unit, facts.role, facts.year, facts.length) == ("某镇人民政府", "党委书记", "2022", 3500)
    assert [b.text for b in facts.main_work] == ["建成党群服务中心2个", "开展“三会一课”48次"]
    assert [b.text for b in facts.problems] == ["党员老龄化，35岁以下党员占比不足15%"]
    assert [b.text for b in facts.plans] == ["每年发展青年党员不少于5名"]
    assert all(b.group == "" for b in facts.bullets(Part.MAIN_WORK))


def test_template_is_a_valid_facts_file(tmp_path: Path, cli: Cli) -> None:
    result = cli("facts", "template")
    assert result.exit_code == 0 and result.stdout == TEMPLATE
    facts = load_facts(_write(tmp_path, result.stdout))
    assert facts.main_work and facts.problems and facts.plans
    assert {b.group for b in facts.main_work} == {"压实管党治党责任", "加强党员队伍建设"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nunit: 某局\nrole: 局长\n- 召开会议3次\n", "line 1: front matter opened with '---' is never closed"),
        ("---\nunit: 某局\nthis is not a key\n---\n- 事实\n", "line 3: broken front matter"),
        ("---\nunit: 某局\ncolour: red\n---\n- 事实\n", "line 3: unknown front-matter key 'colour'"),
        ("---\nunit: 某局\nrole: 局长\n---\n- 事实\n", "missing year (年度)"),
        ("单位：某局\n- 事实\n", "missing role (职务), year (年度)"),
        ("---\nunit: 某局\nrole: 局长\nyear: 去年\n---\n- 事实\n", "line 4: year must be a four-digit year"),
        ("---\nunit: 某局\nrole: 局长\nyear: 2023\nlength: 很长\n---\n- 事实\n", "line 5: length must be"),
        ("---\nunit: 某局\nrole: 局长\nyear: 2023\n---\n", "no bullets"),
        ("---\nunit: 某局\nrole: 局长\nyear: 2023\n---\n# 杂项\n- 事实\n", "line 6: section '杂项'"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_facts(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_bad_paths_and_files(tmp_path: Path) -> None:
    binary = tmp_path / "blob.md"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    for path, message in [(tmp_path / "missing.md", "no such file"), (tmp_path, "directory"),
                          (binary, "binary"), (empty, "empty")]:
        with pytest.raises(InputError, match=message):
            load_facts(path)


def test_check_command(tmp_path: Path, cli: Cli) -> None:
    path = _write(tmp_path, MARKDOWN)
    result = cli("facts", "check", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unit"] == "某县水务局" and len(data["main_work"]) == 3
    broken = cli("facts", "check", str(tmp_path / "nope.md"))
    assert broken.exit_code == 1
    assert broken.stderr.strip().count("\n") == 0 and "nope.md: no such file" in broken.stderr


FORMS = """---
unit: 某县卫健局
role: 党组书记、局长
year: 2023
name: 张某某
date: 2024年1月10日
---
# 主要工作
1. 发展党员11名
2）1.5万元用于党群服务中心建设
（3）某县卫健局党组书记带头讲党课4次
a) 局长带队督查12次
① 支部书记讲党课6次
- 1、党组书记和班子成员签订责任书
# 存在问题
- 村医队伍建设滞后，原因是乡村医生年龄偏大
- 学习不深，究其原因，学习制度执行不严；措施：每月集中学习2次
- 对党建认识不足，是制约工作的主要原因
- 原因：考核机制不健全
# 下步打算
- 推进支部标准化建设
"""


def test_lists_causes_measures_voice_and_the_signature(tmp_path: Path) -> None:
    facts = load_facts(_write(tmp_path, FORMS))
    assert (facts.name, facts.date) == ("张某某", "2024年1月10日")
    assert [b.text for b in facts.main_work] == [
        "发展党员11名", "1.5万元用于党群服务中心建设", "我带头讲党课4次", "我带队督查12次", "支部书记讲党课6次",
        "党组书记和班子成员签订责任书"]
    assert [b.text for b in facts.problems] == ["村医队伍建设滞后", "学习不深", "对党建认识不足，是制约工作的主要原因"]
    assert [(b.text, b.line) for b in facts.causes] == [("乡村医生年龄偏大", 16), ("学习制度执行不严", 17),
                                                        ("考核机制不健全", 19)]
    assert [(b.text, b.line) for b in facts.plans] == [("每月集中学习2次", 17), ("推进支部标准化建设", 21)]


def test_rewrites_keep_every_number(tmp_path: Path) -> None:
    from pipeline.drafting.checks.factlock import number_keys

    facts = load_facts(_write(tmp_path, FORMS))
    # Every number written in the bullets, and no list marker taken for one: 11, 1.5万, 4, 12, 6, 2.
    assert number_keys(b.text for b in facts.bullets_all()) == number_keys(["11 15000 4 12 6 2"])


def test_first_person_only_for_the_reporter_s_own_role() -> None:
    from pipeline.drafting.outline.bullets import first_person

    assert first_person("党组书记带头讲党课4次", "党组书记") == "我带头讲党课4次"
    assert first_person("某局党组书记带头讲党课4次", "党组书记", "某局") == "我带头讲党课4次"
    assert first_person("党组书记带头讲党课4次", "局长") == "党组书记带头讲党课4次"  # not the reporter's role
    assert first_person("支部书记讲党课6次", "党组书记") == "支部书记讲党课6次"
    assert first_person("党组书记和班子成员签订责任书", "党组书记") == "党组书记和班子成员签订责任书"


def test_the_template_shows_every_form(tmp_path: Path) -> None:
    facts = load_facts(_write(tmp_path, TEMPLATE))
    assert facts.causes and facts.name and facts.date
    assert any(b.text.startswith("我") for b in facts.main_work)  # 「党组书记带头…」 in the first person
    assert any(p.line == c.line for p in facts.problems for c in facts.causes)  # a cause written inline
    assert any(p.line == m.line for p in facts.problems for m in facts.plans)  # and a measure
    assert any(line[:2] in ("1.", "2.") for line in TEMPLATE.splitlines())  # a numbered list


def test_check_shows_causes_as_their_own_group(seeded: Path, tmp_path: Path, cli: Cli) -> None:
    path = _write(tmp_path, FORMS)
    result = cli("facts", "check", str(path))
    assert result.exit_code == 0, result.output
    assert "causes (3)" in result.stdout and "problems (3)" in result.stdout
    assert "乡村医生年龄偏大" in result.stdout.split("causes (3)")[1].split("plans")[0]
    data = json.loads(cli("facts", "check", str(path), "--json").stdout)
    assert data["causes"][0]["text"] == "乡村医生年龄偏大"
    assert data["coverage"]["reports"] == 5 and "中心工作" in data["coverage"]["missing"]
