"""What one line of a facts file means: list markers, a problem's cause and measure, and voice.

- A numbered or lettered list (「1. 发展党员11名」, 「（2）…」, 「a) …」, 「①…」) is a list of bullets;
  the marker is not part of the fact.
- A problem may carry its cause and its measure: 「活动形式单一，原因是…；措施：…」 is a problem, a
  cause (究其原因) and a plan. The three keep the problem's line number, which is how the composer
  knows the measure answers that problem.
- A 述职报告 is written in the first person, so a bullet whose subject is the reporter's own role
  (「党组书记带头讲党课4次」 when the role is 党组书记) reads 「我带头讲党课4次」. Only the role the
  facts file names is rewritten; 「支部书记…」 in a 党组书记's facts stays as it is.

None of these rewrites changes or drops a number: they only cut a marker or a subject off the front,
or split a line at a cause or measure word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .naming import post

# 1. 1、 1) 1） (1) （1） a. a) (b) ① — never 「1.5万」 (a decimal), 「2023年」 or 「X、Y两村」.
LIST_MARKER = re.compile(
    r"^\s*(?:\d{1,2}\s*(?:[.．](?!\d)|[、)）])|[（(]\s*\d{1,2}\s*[)）]|[A-Za-z]\s*[.．)）](?![A-Za-z0-9.])"
    r"|[（(]\s*[A-Za-z]\s*[)）]|[\u2460-\u2473])\s*")
# Where a problem's cause begins: 「，原因是…」, 「。主要原因：…」, 「究其原因，…」 (at a clause start only,
# so 「是制约工作的主要原因」 stays a problem).
CAUSE_MARK = re.compile(r"(?:^|[，,；;。、])\s*(?:究其(?:主要)?原因\s*[:：，,]?"
                        r"|(?:主要|根本)?原因\s*(?:主要是|是|在于|为|[:：]))\s*")
# Where a measure begins: 「；措施：…」, 「，整改措施是…」, 「，下步打算：…」.
MEASURE_MARK = re.compile(r"(?:^|[，,；;。、])\s*(?:整改措施|改进措施|措施|对策|下步打算|打算)\s*(?:是|为|[:：])\s*")


@dataclass(frozen=True)
class ProblemParts:
    problem: str
    cause: str = ""
    measure: str = ""


def strip_list_marker(text: str) -> str:
    return LIST_MARKER.sub("", text, count=1).strip()


def is_list_item(line: str) -> bool:
    return bool(LIST_MARKER.match(line)) and bool(strip_list_marker(line))


def split_problem(text: str) -> ProblemParts:
    """A problem bullet's problem, cause and measure (each "" when the bullet has none)."""
    problem, measure = _cut(text, MEASURE_MARK)
    problem, cause = _cut(problem, CAUSE_MARK)
    if not problem:  # 「原因：…」 on its own is a cause, with no problem to it
        return ProblemParts("", cause, measure)
    return ProblemParts(problem, cause, measure)


def _cut(text: str, mark: re.Pattern[str]) -> tuple[str, str]:
    match = mark.search(text)
    if match is None or not text[match.end():].strip(" ，,；;。"):
        return _clause(text), ""
    return _clause(text[:match.start()]), _clause(text[match.end():])


def _clause(text: str) -> str:
    return text.strip().strip("，,；;、 ").strip()


def first_person(text: str, role: str, unit: str = "") -> str:
    """「党组书记带头讲党课4次」 → 「我带头讲党课4次」, when 党组书记 is the reporter's role.

    The subject may be written with the unit (「某局党组书记」) or after 「作为」/「本人」 forms are left
    alone: they already say who. A role of several titles (「党组书记、局长」) matches any of them.
    """
    for title in _titles(role):
        for subject in ([post(unit, title)] if unit else []) + [title]:
            if text.startswith(subject) and len(text) > len(subject):
                rest = text[len(subject):].lstrip("，, ")
                if rest and not rest.startswith(("的", "和", "与", "及", "、")):
                    return "我" + rest
    return text


def _titles(role: str) -> list[str]:
    parts = [t.strip() for t in re.split(r"[、,，/和兼]", role) if len(t.strip()) >= 2]
    return list(dict.fromkeys([role.strip(), *sorted(parts, key=len, reverse=True)]))
