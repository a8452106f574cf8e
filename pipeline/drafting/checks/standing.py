"""Who reports and when: what no sentence of any section may get wrong, whatever else it says.

A small model writes the genre's boilerplate from memory, and its memory is of other reports
(measured, 2026-11-29): 「2020年，我作为本单位党组副书记……深入贯彻党的二十大精神」 in a 局长's
report for 2020. Neither is a number, a quoted name or a verb of doing, so the fact lock and the
claims trace pass it; it is an invented fact all the same. So, in every section:

- a **post** (职务) the report does not hold — not its role, unit or superior, not in a fact — is
  misstated (「党组副书记」 for a 局长; 「党组书记」 is fine where a fact names one);
- a **Party congress or plenum** not yet held in the report's year is misstated (「党的二十大」 in 2020;
  「十九届五中全会」 is fine in 2020). Congresses and plenums later than the table are taken as not yet
  held in any year the table covers.

Both are kinds of claim (claims.py: a post, and a political statement); the trace judges every
clause but the composer's genre prose, which names none.
"""

from __future__ import annotations

import re

from .numbers import chinese_to_int

# Longest first, so 「党组副书记」 is read as itself and not as 「书记」.
_POSTS = sorted([
    "党组书记", "党组副书记", "党委书记", "党委副书记", "党总支书记", "党总支副书记", "党支部书记", "支部书记",
    "县委书记", "市委书记", "区委书记", "镇党委书记", "乡党委书记", "副书记", "书记", "局长",
    "副局长", "主任", "副主任", "校长", "副校长", "院长", "副院长", "所长",
    "副所长", "县长", "副县长", "区长", "副区长", "市长", "副市长", "镇长",
    "副镇长", "乡长", "副乡长", "厅长", "副厅长", "处长", "副处长", "科长",
    "副科长", "部长", "副部长", "董事长", "总经理", "副总经理", "社长", "站长",
    "队长", "总书记", "主要负责人", "负责人", "组长", "副组长", "第一书记", "纪检组长", "纪委书记", "人大常委会主任",
    "政协主席", "分管领导", "联络员",
], key=len, reverse=True)
POST = re.compile("|".join(_POSTS))
STANDING = ("总书记",)  # read as itself, so 「习近平总书记」 is never taken for a 书记
_PERSON = re.compile(r"[\u4e00-\u9fff]某某")  # a named person, as the examples mask names

CONGRESSES = {"十五大": 1997, "十六大": 2002, "十七大": 2007, "十八大": 2012, "十九大": 2017, "二十大": 2022,
              "二十一大": 2027}
PLENUMS = {"十七届": (2007, 2007, 2008, 2009, 2010, 2011, 2012), "十八届": (2012, 2013, 2013, 2014, 2015, 2016, 2017),
           "十九届": (2017, 2018, 2018, 2019, 2020, 2021, 2022), "二十届": (2022, 2023, 2024, 2025)}
_CONGRESS = re.compile("|".join(sorted(CONGRESSES, key=len, reverse=True)))
_PLENUM = re.compile(r"(十[七八九]届|二十届)([一二三四五六七八九])中全会")
LATER = 9999  # the year of a congress or plenum later than the table


def post_claim(clause: str, known: str) -> str:
    """A post the report does not hold, or a person it does not name (张某某), said in ``clause``."""
    for post in POST.findall(clause):
        if post not in known and post not in STANDING:
            return str(post)
    person = _PERSON.search(clause)
    return str(person.group(0)) if person and person.group(0) not in known else ""


def era_claim(clause: str, year: int, known: str) -> str:
    """A Party congress or plenum in ``clause`` not yet held in ``year``."""
    return next((event for event in _events(clause) if _held(event) > year and event not in known), "")


def report_year(year: str) -> int:
    """The report's year as a number; one that says none: after every congress the table holds."""
    digits = re.sub(r"\D", "", year)
    return int(digits) if digits else LATER


def _events(clause: str) -> list[str]:
    return _CONGRESS.findall(clause) + [m.group(0) for m in _PLENUM.finditer(clause)]


def _held(event: str) -> int:
    """The year a congress or plenum was held; one later than the table: after every year it covers."""
    if event in CONGRESSES:
        return CONGRESSES[event]
    match = _PLENUM.fullmatch(event)
    if not match:
        return LATER
    years = PLENUMS[match.group(1)]
    n = chinese_to_int(match.group(2)) or 0  # the pattern takes one of 一…九
    return years[n - 1] if n <= len(years) else LATER
