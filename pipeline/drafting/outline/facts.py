"""The facts file: this year's facts as bullet points, the input of drafting.

Two forms are accepted.

Markdown with front matter::

    ---
    unit: 某县水务局
    role: 党组书记
    year: 2023
    ---
    # 主要工作
    ## 压实管党治党责任
    - 全年召开党组会议12次
    # 存在问题
    - 理论学习不够深入，原因是学习制度执行不严
    # 下步打算
    - 加强理论武装

or the plain form: 单位：/职务：/年度： lines, then bullets with no sections, each sorted by a
「问题：」, 「原因：」 or 「打算：」 prefix (otherwise it is main work).

A bullet is a line starting with 「- 」, or an item of a numbered or lettered list (「1. 」, 「（2）」,
「a) 」); the marker is dropped. Under 存在问题 a bullet may carry its cause and its measure
(「…，原因是…；措施：…」) and a 「原因：」 bullet is a cause: causes are kept apart (究其原因), and a
measure joins the plans. A bullet whose subject is the reporter's role is put in the first person.
See bullets.py for these rules.

Every error names the file and, where there is one, the line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ...corpus.read import decode_text, read_bytes
from ...errors import InputError
from ...genre import Part, classify_heading
from ...i18n import N_, _, join
from ...text import normalise
from .bullets import first_person, is_list_item, split_problem, strip_list_marker

DEFAULT_LENGTH = 3500

# Keys of the front matter and their Chinese spellings in the plain form.
_KEYS = {
    "unit": ("unit", "单位"), "role": ("role", "职务"), "year": ("year", "年度", "年份"),
    "title": ("title", "标题"), "kind": ("kind", "文种", "类型"), "length": ("length", "字数", "篇幅"),
    "superior": ("superior", "上级", "上级党组织"),
    "name": ("name", "署名", "姓名"), "date": ("date", "日期", "成文日期"),  # the 落款 under the report
    "source": ("source", "来源"),  # evaluation cases: the example report the facts were written from
}
_ALIASES = {alias: key for key, aliases in _KEYS.items() for alias in aliases}
_REQUIRED = ("unit", "role", "year")
_PLAIN_KEY = re.compile(r"^\s*(" + "|".join(sorted(_ALIASES, key=len, reverse=True)) + r")\s*[:：]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-*•·]\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*#*\s*$")
_PREFIX = re.compile(r"^(问题|不足|原因|打算|措施|计划|下步)\s*[:：]\s*")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Bullet:
    text: str
    line: int  # 1-based line in the facts file
    group: str = ""  # the ## heading it sits under, if any


@dataclass
class Facts:
    unit: str
    role: str
    year: str
    title: str = ""
    kind: str = "述职报告"
    length: int = DEFAULT_LENGTH
    superior: str = ""
    source: str = ""
    name: str = ""  # 署名 of the 落款
    date: str = ""  # 日期 of the 落款
    main_work: list[Bullet] = field(default_factory=list)
    problems: list[Bullet] = field(default_factory=list)
    causes: list[Bullet] = field(default_factory=list)  # 究其原因: 「原因：」 bullets and causes split off problems
    plans: list[Bullet] = field(default_factory=list)

    def bullets(self, part: Part) -> list[Bullet]:
        return {Part.MAIN_WORK: self.main_work, Part.PROBLEMS: self.problems, Part.PLANS: self.plans}[part]

    def bullets_all(self) -> list[Bullet]:
        """Every bullet, in the report's order: main work, problems, causes, plans."""
        return [*self.main_work, *self.problems, *self.causes, *self.plans]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_facts(path: Path) -> Facts:
    return parse_facts(decode_text(read_bytes(path, N_("a facts file")), path), path)


def parse_facts(text: str, path: Path) -> Facts:
    text = normalise(text)  # 「year: ２０２４」 is a year, and 「１２次」 reaches the draft as 「12次」
    # Comments may span lines; blank them out but keep the line count, so errors point right.
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    settings, where, body_start = _front_matter(lines, path)
    facts_lines = list(enumerate(lines, start=1))[body_start:]
    bullets = _body(facts_lines, settings, where, path)
    return _build(settings, where, bullets, path)


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], dict[str, int], int]:
    settings: dict[str, str] = {}
    where: dict[str, int] = {}
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return settings, where, 0
    for i in range(first + 1, len(lines)):
        line = lines[i].strip()
        if line == "---":
            return settings, where, i + 1
        if _BULLET.match(line):
            break  # the facts began: the closing '---' is missing
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z_\u4e00-\u9fff]+)\s*[:：]\s*(.*)$", line)
        if not match:
            raise InputError(path, _("line {line}: broken front matter, expected 'key: value', got {text!r}").format(
                line=i + 1, text=line[:30]))
        key = _ALIASES.get(match.group(1))
        if key is None:
            raise InputError(path, _("line {line}: unknown front-matter key '{key}' (known: {keys})").format(
                line=i + 1, key=match.group(1), keys=", ".join(_KEYS)))
        settings[key] = _unquote(match.group(2))
        where[key] = i + 1
    raise InputError(path, _("line {line}: front matter opened with '---' is never closed (add a '---' line "
                             "after the settings)").format(line=first + 1))


def _unquote(value: str) -> str:
    value = re.sub(r"\s+#.*$", "", value).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value.strip()


def _body(lines: list[tuple[int, str]], settings: dict[str, str], where: dict[str, int],
          path: Path) -> list[tuple[Part | None, Bullet]]:
    """Bullets with the part their section names (None where there is no section)."""
    part: Part | None = None
    group = ""
    bullets: list[tuple[Part | None, Bullet]] = []
    for number, raw in lines:
        line = raw.rstrip()
        heading = _HEADING.match(line.strip())
        bullet = _BULLET.match(line)
        plain = _PLAIN_KEY.match(line)
        if heading and len(heading.group(1)) == 1:
            part = classify_heading(heading.group(2))
            if part is None:
                raise InputError(path, _("line {line}: section '{heading}' is not one of 主要工作 / 存在问题 / "
                                         "下步打算").format(line=number, heading=heading.group(2)))
            group = ""
        elif heading:
            group = strip_list_marker(heading.group(2))
        elif bullet or is_list_item(line):
            text = strip_list_marker(bullet.group(1) if bullet else line)
            if text:
                bullets.append((part, Bullet(text, number, group)))
        elif plain and not bullets:
            key = _ALIASES[plain.group(1)]
            settings.setdefault(key, _unquote(plain.group(2)))
            where.setdefault(key, number)
        elif line.strip() and bullets and raw[:1].isspace():
            # An indented line continues the bullet above it.
            previous_part, previous = bullets[-1]
            bullets[-1] = (previous_part, Bullet(previous.text + line.strip(), previous.line, previous.group))
        elif line.strip() and line.strip() != "---":
            # A fact written without '- ' is still a fact: nothing the user wrote is dropped.
            bullets.append((part, Bullet(line.strip(), number, group)))
    return bullets


def _build(settings: dict[str, str], where: dict[str, int], bullets: list[tuple[Part | None, Bullet]],
           path: Path) -> Facts:
    missing = [key for key in _REQUIRED if not settings.get(key)]
    if missing:
        names = join([f"{key} ({_KEYS[key][1]})" for key in missing])
        raise InputError(path, _("line 1: missing {names}; put them in the front matter or as 单位：/职务：/年度： "
                                 "lines").format(names=names))
    year = settings["year"].removesuffix("年").strip()
    if not re.fullmatch(r"(19|20)\d{2}", year):
        raise InputError(path, _("line {line}: year must be a four-digit year, got {value!r}").format(
            line=where["year"], value=settings["year"]))
    length = DEFAULT_LENGTH
    if settings.get("length"):
        digits = settings["length"].replace(",", "").removesuffix("字").strip()
        if not digits.isdigit() or not 500 <= int(digits) <= 50000:
            raise InputError(path, _("line {line}: length must be a number of characters between 500 and 50000, "
                                     "got {value!r}").format(line=where["length"], value=settings["length"]))
        length = int(digits)
    if not bullets:
        raise InputError(path, _("no bullets: list the facts as lines starting with '- '"))

    facts = Facts(unit=settings["unit"], role=settings["role"], year=year, title=settings.get("title", ""),
                  kind=settings.get("kind") or "述职报告", length=length, superior=settings.get("superior", ""),
                  source=settings.get("source", ""), name=settings.get("name", ""), date=settings.get("date", ""))
    for part, bullet in bullets:
        if part is None:
            part, bullet = _sort_plain(bullet)
        _add(facts, part, Bullet(first_person(bullet.text, facts.role, facts.unit), bullet.line, bullet.group))
    return facts


def _add(facts: Facts, part: Part, bullet: Bullet) -> None:
    """File a bullet under its part; a problem's cause and measure go to the causes and the plans,
    keeping the problem's line (which is how the composer pairs a measure with its problem)."""
    if part != Part.PROBLEMS:
        facts.bullets(part).append(bullet)
        return
    pieces = split_problem(bullet.text)
    for text, home in ((pieces.problem, facts.problems), (pieces.cause, facts.causes), (pieces.measure, facts.plans)):
        if text:
            home.append(Bullet(text, bullet.line, bullet.group))


def _sort_plain(bullet: Bullet) -> tuple[Part, Bullet]:
    """A bullet outside any section: 「问题：」 and 「打算：」 prefixes decide its part."""
    match = _PREFIX.match(bullet.text)
    if not match:
        return Part.MAIN_WORK, bullet
    if match.group(1) == "原因":
        return Part.PROBLEMS, bullet  # split_problem reads the 原因： prefix and makes it a cause
    part = Part.PROBLEMS if match.group(1) in ("问题", "不足") else Part.PLANS
    return part, Bullet(bullet.text[match.end():].strip(), bullet.line, bullet.group)


TEMPLATE = """\
---
# 必填：单位、职务、年度
unit: 某县水务局
role: 党组书记
year: 2023
# 选填：标题（默认按单位、职务、年度生成）、上级党组织（用于开头）、目标字数（默认 3500）
# title: 某县水务局党组书记2023年度抓基层党建工作述职报告
superior: 县委
length: 3500
# 选填：落款（署名、日期），写在报告末尾
name: 张某某
date: 2024年1月10日
---
<!--
  每条事实写成一行，以“- ”开头，或写成编号列表（“1. ”“（2）”）；数字、名称照实写，起草时一字不改。
  缺少的事实不要编，起草稿会留下【待补：……】提示。
  “## 小标题”可选，会成为（一）（二）……小标题；不写则按主题自动归组。
  以职务开头的事实（如“党组书记带头……”）会改用第一人称“我……”。
  存在问题可以带上原因和措施：“……，原因是……；措施：……”；也可单列“原因：……”。
-->

# 主要工作

## 压实管党治党责任
- 全年召开党组会议12次，专题研究党建工作5次
- 与8个基层党支部签订党建目标责任书
- 党组书记带头讲党课4次

## 加强党员队伍建设
1. 发展党员3名
2. 培训党员干部260人次

# 存在问题
- 理论学习不够系统深入，原因是学习制度执行不严；措施：落实“第一议题”制度
- 基层党支部活动形式较为单一
- 原因：对党建工作创新研究不够

# 下步打算
- 推进支部标准化规范化建设
"""
