"""The title's lines: broken by meaning, in a balanced shape (GB/T 9704-2012 7.3.3).

A title too long for one line (二号 characters: 20 fit the 156 mm type area) is broken where its
meaning breaks: after the unit, the role or the year, before 抓…/关于… or before the kind of report,
never inside a word, a number or a 《…》 title, so that 「X局党组书记抓基层党建工作述职报告」 becomes
「X局党组书记 / 抓基层党建工作述职报告」, not 「…抓基层党建工 / 作述职报告」. Of the breaks that fit, the
most balanced wins (a trapezoid or a diamond, never a long line over a stub).

The user can give the break by hand in the facts file: ``title: X局党组书记|抓基层党建工作述职报告``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

TITLE_CHARS = 20  # 二号 (22 pt, 7.76 mm) characters on a 156 mm line
MANUAL_BREAK = re.compile(r"\s*(?:[|｜]|\\n)\s*")
KINDS = ("述职述责述廉报告", "述职述廉报告", "述责述廉报告", "述职报告", "工作总结", "工作报告", "情况报告", "报告")
# Words a title's meaning turns on: a line may start with these.
_BEFORE = re.compile(r"抓|关于|履行")
# A line may end after a year: 2023年度, 2023年.
_AFTER = re.compile(r"\d{4}\s*年度?")
_HALF_WIDTH = re.compile(r"[\x20-\x7e]")


def manual_lines(title: str) -> list[str]:
    """The lines the user marked with ``|`` (or a literal ``\\n``); one line when there is no mark."""
    return [part for part in MANUAL_BREAK.split(title.strip()) if part]


def width(text: str) -> float:
    """Width in Chinese characters: half-width letters and digits count one half."""
    return sum(0.5 if _HALF_WIDTH.match(ch) else 1.0 for ch in text)


def title_lines(title: str, words: Iterable[str] = (), limit: int = TITLE_CHARS) -> list[str]:
    """``title`` in lines of at most ``limit`` characters, broken by meaning and balanced.

    ``words`` are names the title holds whole (the unit, the role): a line may begin or end with one,
    never cut through it.
    """
    manual = manual_lines(title)
    if len(manual) > 1:
        return manual
    title = "".join(manual)
    if width(title) <= limit:
        return [title]
    known = [w for w in words if w]
    best = _best(title, sorted(_cuts(title, known)), limit, max_lines=3)
    if best is None:
        # No break of meaning fits: cut as evenly as the characters allow, outside any word we know.
        protected = _protected(title, known)
        best = _best(title, [i for i in range(1, len(title)) if _safe(title, i, protected)], limit, max_lines=4)
    return best or [title]


def _best(title: str, cuts: list[int], limit: int, max_lines: int) -> list[str] | None:
    """The most balanced split at these cuts into the fewest lines that fit, if any does."""
    for count in range(1, max_lines):
        fitting = [lines for lines in (_split(title, chosen) for chosen in itertools.combinations(cuts, count))
                   if all(width(line) <= limit for line in lines)]
        if fitting:
            return min(fitting, key=_shape_cost)
    return None


def _cuts(title: str, words: list[str]) -> set[int]:
    """Positions between characters where the title's meaning breaks."""
    found: set[int] = set()
    for word in words:
        for match in re.finditer(re.escape(word), title):
            found.update((match.start(), match.end()))
    for kind in KINDS:
        at = title.rfind(kind)
        if at > 0:
            found.add(at)
            break
    found.update(m.start() for m in _BEFORE.finditer(title))
    found.update(m.end() for m in _AFTER.finditer(title))
    protected = _protected(title, words)
    return {i for i in found if 0 < i < len(title) and _safe(title, i, protected)}


def _protected(title: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans no break may fall inside: the given words, numbers, Latin words and 《…》 titles."""
    spans = [(m.start(), m.end()) for word in words for m in re.finditer(re.escape(word), title)]
    spans += [(m.start(), m.end()) for m in re.finditer(r"[0-9A-Za-z.]+|《[^》]*》|“[^”]*”|（[^）]*）", title)]
    return spans


def _safe(title: str, i: int, protected: list[tuple[int, int]]) -> bool:
    if title[i] in "，。、；：？！）》”’" or title[i - 1] in "（《“‘":
        return False
    return not any(start < i < end for start, end in protected)


def _split(title: str, cuts: Iterable[int]) -> list[str]:
    bounds = [0, *cuts, len(title)]
    return [title[a:b] for a, b in itertools.pairwise(bounds)]


def _shape_cost(lines: list[str]) -> tuple[float, float]:
    """Most balanced first; between equals, a line above no longer than the one below (a trapezoid)."""
    widths = [width(line) for line in lines]
    return max(widths) - min(widths), sum(max(0.0, a - b) for a, b in itertools.pairwise(widths))
