"""How a report names its unit and its post: the one home of both.

- ``post(unit, role)``: the post a report is written for, as the title, the opening, the closing, the
  prompt and the first-person rewrite say it (「环卫局党组书记」).
- ``names_post(text, unit, role)``: whether a title names that post (``gongwen revise`` checks that a
  facts file fits the document it is given for).
- ``whose_work(unit)``: what the unit's Party building covers, as a closing says it: a Party committee's is
  its territory's (县委 → 全县, 柳营街道党工委 → 全街道), any other unit's its own (环卫局).
- ``unit_names(units)``: the ways a report refers to its unit (「X区工信局」, 「区工信局」, 「工信局」). The
  leak guard rejects another unit's names by this list, and a style reference is masked by the same list,
  so the prompt never shows a name the guard would then reject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Names every report uses of some organ, whoever wrote it: never one unit's own.
GENERIC_UNIT_NAMES = frozenset({"县委", "市委", "区委", "党委", "党组", "政府", "镇委", "乡委"})
_SHORTEST = 3  # a name shorter than this (「某局」) names no unit in particular
_SHORTEST_OVERLAP = 2  # characters a role must share with the end of the unit's name to be said once


def post(unit: str, role: str) -> str:
    """The post: the unit and the role, joined, the words they share said once.

    A role often repeats the end of the unit's name: 县委 + 县委书记 → 县委书记, 柳营街道党工委 + 党工委书记
    → 柳营街道党工委书记 (never 「县委县委书记」). The overlap must be at least two characters: one is
    a word said twice on purpose (水务局 + 局长 → 水务局局长).
    """
    unit, role = unit.strip(), role.strip()
    for size in range(min(len(unit), len(role)), _SHORTEST_OVERLAP - 1, -1):
        if unit.endswith(role[:size]):
            return unit + role[size:]
    return f"{unit}{role}"


_COMMITTEE = re.compile(r"(县|市|区|镇|乡|街道)(?:党工委|党委|委)$")


def whose_work(unit: str) -> str:
    """「推动{whose_work}基层党建工作质量提升」: 县委 → 全县 (never 「推动县委基层党建」), 水务局 → 水务局."""
    committee = _COMMITTEE.search(unit.strip())
    return f"全{committee.group(1)}" if committee else unit.strip()


def names_post(text: str, unit: str, role: str) -> bool:
    """Whether ``text`` (a report's title) names this post: as :func:`post` says it, or the unit by one
    of its names and the role (「县水务局党组书记」 for 某县水务局 + 党组书记)."""
    if post(unit, role) in text:
        return True
    names = name_variants([unit]) | {unit.strip()}
    return bool(role.strip()) and role.strip() in text and any(name and name in text for name in names)


def name_variants(names: Iterable[str]) -> set[str]:
    """「X区工信局」 → {「X区工信局」, 「区工信局」, 「工信局」}: the ways a report refers to itself."""
    variants: set[str] = set()
    for name in names:
        name = name.strip()
        if len(name) < _SHORTEST:
            continue
        variants.add(name)
        short = re.sub(r"^(X|某)?[省市区县镇乡]?", "", name)
        if len(short) >= _SHORTEST:
            variants.add(short)
        tail = re.sub(r"^.*[省市区县镇乡]", "", name)
        if len(tail) >= _SHORTEST:
            variants.add(tail)
    return variants


def unit_names(units: Iterable[str]) -> list[str]:
    """The names of these units that belong to them alone, longest first (so the longest is replaced
    before the names inside it)."""
    return sorted(name_variants(units) - GENERIC_UNIT_NAMES, key=len, reverse=True)
