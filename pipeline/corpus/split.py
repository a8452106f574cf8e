"""Stage 3 of ingest: split a cleaned report into the genre's parts and chunks.

A chunk is one subsection (（一）… with its paragraphs), one 一是… item paragraph, a part's lead
paragraph, or the 究其原因 paragraph. Each chunk knows its part, subheading and order, and the report
knows its unit, role (职务) and year, read from the title and opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..genre import (
    CAUSES_HEADING,
    CAUSES_START,
    CLOSING_START,
    ITEM_NUMBER,
    OPENING_END,
    ORDINAL_ITEM,
    PART_NUMBER,
    SUB_NUMBER,
    Part,
    classify_heading,
    strip_numbering,
)

_MAX_SUBHEADING = 40


@dataclass(frozen=True)
class Chunk:
    part: Part
    subheading: str
    order: int
    text: str


@dataclass
class SplitReport:
    title: str
    unit: str
    role: str
    year: str
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        seen: list[str] = []
        for chunk in self.chunks:
            if chunk.part.value not in seen:
                seen.append(chunk.part.value)
        return seen

    def subheadings(self, part: Part) -> list[str]:
        return [c.subheading for c in self.chunks if c.part == part and c.subheading]


PACK_CHARS = 500
_PACKED_PARTS = (Part.PROBLEMS, Part.PLANS)


def retrieval_units(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks the index keeps: all but the title (the report's record holds it), with short
    neighbouring items of 存在问题 and 下步打算 packed together up to ``PACK_CHARS`` characters.

    A reference then shows a run of 一是……二是…… rather than one 40-character line, and a report
    costs fewer records (chromadb's write cost is per record). 究其原因 always stands alone.
    """
    units: list[Chunk] = []
    for chunk in chunks:
        if chunk.part == Part.TITLE:
            continue
        last = units[-1] if units else None
        if (last is not None and chunk.part == last.part and chunk.part in _PACKED_PARTS
                and CAUSES_HEADING not in (chunk.subheading, last.subheading)
                and len(last.text) + 1 + len(chunk.text) <= PACK_CHARS):
            units[-1] = Chunk(last.part, last.subheading or chunk.subheading, last.order,
                              f"{last.text}\n{chunk.text}")
        else:
            units.append(chunk)
    return units


class NoStructure(ValueError):
    """The text does not read as a report: no 主要工作 / 存在问题 / 下步打算 parts."""


def split_report(text: str) -> SplitReport:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        raise NoStructure("no text left after cleaning")
    title, rest = _take_title(lines)
    opening, rest = _take_opening(rest)
    sections = _take_parts(rest)
    found = [part for part, _ in sections if part is not None]
    if len(set(found)) < 2:
        raise NoStructure(
            "no report structure: expected parts such as 一、主要工作 / 二、存在问题 / 三、下步打算"
        )

    chunks: list[Chunk] = []

    def add(part: Part, subheading: str, body: list[str]) -> None:
        if body:
            chunks.append(Chunk(part, subheading, len(chunks), "\n".join(body)))

    if title:
        add(Part.TITLE, "", [title])
    add(Part.OPENING, "", opening)
    for part, body in sections:
        if part is None:  # text between the opening and the first part heading
            add(Part.OPENING, "", body)
            continue
        for sub_part, subheading, sub_body in _subsections(part, body):
            add(sub_part, subheading, sub_body)

    unit, role = _unit_and_role(title, " ".join(opening))
    return SplitReport(title=title, unit=unit, role=role, year=_year(title, opening), chunks=chunks)


def _take_title(lines: list[str]) -> tuple[str, list[str]]:
    first = lines[0]
    if len(first) <= 60 and "。" not in first and not PART_NUMBER.match(first):
        return first, lines[1:]
    return "", lines


def _take_opening(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if OPENING_END.search(line):
            return lines[: i + 1], lines[i + 1 :]
        if _part_heading(line) is not None:
            return lines[:i], lines[i:]
    return [], lines


def _part_heading(line: str) -> Part | None:
    """The part a level-1 heading line names, or None if the line is not one."""
    if len(line) > 30 or "。" in line:
        return None
    if PART_NUMBER.match(line):
        return classify_heading(line) or Part.MAIN_WORK
    # An unnumbered heading must be nothing but the heading words: 「存在问题」, 「下步打算」.
    if len(line) <= 16 and not re.search(r"[，,；;]", line) and not SUB_NUMBER.match(line):
        return classify_heading(line)
    return None


def _take_parts(lines: list[str]) -> list[tuple[Part | None, list[str]]]:
    sections: list[tuple[Part | None, list[str]]] = [(None, [])]
    for line in lines:
        part = _part_heading(line)
        if part is not None:
            sections.append((part, []))
        else:
            sections[-1][1].append(line)
    return [(part, body) for part, body in sections if part is not None or body]


def _subheading_of(line: str) -> str:
    """「（一）高度重视，认真履行党建工作职责。一是……」 → 「高度重视，认真履行党建工作职责」."""
    text = strip_numbering(line)
    text = ORDINAL_ITEM.sub("", text, count=1) if ORDINAL_ITEM.match(line) else text
    head = re.split(r"[。：:；;]", text, maxsplit=1)[0]
    return head[:_MAX_SUBHEADING].strip(" ，,")


def _level(line: str) -> int:
    """Heading level of a paragraph's start: （一） 2, 1. 3, 一是 4; 0 for plain prose."""
    if SUB_NUMBER.match(line):
        return 2
    if ITEM_NUMBER.match(line):
        return 3
    if ORDINAL_ITEM.match(line):
        return 4
    return 0


def _subsections(part: Part, body: list[str]) -> list[tuple[Part, str, list[str]]]:
    """Group a part's paragraphs into (part, subheading, paragraphs) chunks.

    The highest heading level the part uses starts a chunk; deeper levels stay inside it.
    """
    levels = [lvl for lvl in map(_level, body) if lvl]
    top = min(levels, default=0)
    groups: list[tuple[Part, str, list[str]]] = []
    current: tuple[Part, str, list[str]] | None = None
    for line in body:
        if part == Part.PROBLEMS and CAUSES_START.match(line):
            current = (Part.PROBLEMS, CAUSES_HEADING, [line])
        elif top and _level(line) == top:
            current = (part, _subheading_of(line), [line])
        elif part == Part.PLANS and CLOSING_START.match(line) and groups:
            current = (Part.CLOSING, "", [line])
        elif current is None or (current[0] == part and not current[1]):
            current = (part, "", [line])  # a lead paragraph stands alone
        else:
            current[2].append(line)
            continue
        groups.append(current)
    return groups


# --- Unit, role and year ------------------------------------------------------------------------

_ROLE = re.compile(
    r"(党组书记|党委书记|党工委书记|党总支书记|党支部书记|支部书记|[县市区镇乡]委书记|"
    r"书记|副?(局长|院长|校长|所长|站长|处长|科长|部长|厅长|主任|县长|区长|市长|镇长|乡长|"
    r"董事长|总经理|经理|主席|社长|馆长|队长))"
)
_UNIT_SUFFIX_ROLES = {"局长": "局", "院长": "院", "校长": "校", "所长": "所", "站长": "站", "处长": "处",
                      "科长": "科", "部长": "部", "厅长": "厅", "馆长": "馆", "队长": "队"}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _year(title: str, opening: list[str]) -> str:
    match = _YEAR.search(title) or _YEAR.search(opening[0] if opening else "")
    return match.group(1) if match else ""


def _unit_and_role(title: str, opening: str) -> tuple[str, str]:
    head = _YEAR.sub("", title)
    head = re.split(r"抓|关于|述职|履职|年度|个人|工作报告|述责|述廉", head, maxsplit=1)[0]
    unit, role = head.strip(), ""
    match = _ROLE.search(head)
    if match:
        role = match.group(1)
        unit = head[: match.start()].strip()
        county = re.match(r"([县市区镇乡]委)书记", role)
        if not unit and county:
            unit = county.group(1)
        suffix = _UNIT_SUFFIX_ROLES.get(role.lstrip("副"))
        if unit and suffix and not unit.endswith(suffix):
            unit += suffix  # 「教体局长」 → unit 教体局, role 局长
    if not role:
        in_opening = re.search(r"(?:作为|担任)[^，。]{0,8}?" + _ROLE.pattern, opening)
        if in_opening:
            role = in_opening.group(1)
    return unit, role


def split_or_none(text: str) -> SplitReport | None:
    """The report's parts, or None where the text has none of the genre's structure."""
    try:
        return split_report(text)
    except NoStructure:
        return None
