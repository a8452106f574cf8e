"""What a text file's marks say: a Markdown report read as one, and a facts file told from a report.

A report written in Markdown gives its structure by marks: ``#`` the title, ``##`` the parts, ``###``
their subsections, ``- `` items, ``**`` emphasis. The split reads the genre's own numbering instead
(一、 for a part, （一） for a subsection, 1. below it), so each heading gets the number its level
means where it has none (「## 存在问题」 → 「二、存在问题」, 「### 压实责任」 → 「（一）压实责任」) and every mark is
dropped. One line in gives one line out, so a line number cleaning or screening names is still the
file's.

A facts file (front matter with unit, role and year, or nothing but bullets under 主要工作 / 存在问题 /
下步打算) is this year's facts, not an example of how a report is written: indexed, it would be
retrieved as a style reference and its unit read as 「# 主要工作」.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..genre import ITEM_NUMBER, PART_NUMBER, SUB_NUMBER, numeral
from ..i18n import _

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?!#)\s*(.*?)(?:\s+#+)?\s*$")  # 「##一、主要工作」 (no space) is common
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_BULLET = re.compile(r"^\s*[-*+•]\s+(?:\[[ xX]\]\s+)?")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # a picture: nothing of it is text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # a link: its words
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # HTML tags (<br>, <span …>); 《》 are not tags
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),
    (re.compile(r"\*(?!\s)(.+?)(?<!\s)\*|(?<![\w])_(?!\s)(.+?)(?<!\s)_(?![\w])"), r"\1\2"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"`+([^`]+)`+"), r"\1"),
    (re.compile(r"(?:\s{2,}|\\)$"), ""),  # a hard line break
)


@dataclass(frozen=True)
class _Heading:
    line: int
    level: int
    text: str


def markdown_text(text: str) -> str:
    """A Markdown report as the plain text of the genre, line for line."""
    lines = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).split("\n")
    out = list(_blocks(lines))
    headings = _headings(lines, out)
    first = next((i for i, line in enumerate(out) if line), -1)
    for heading, numbered in zip(headings, _numbered(headings, first), strict=True):
        out[heading.line] = numbered
    return "\n".join(out)


def _blocks(lines: list[str]) -> Iterator[str]:
    """Each line with its block marks (quote, list, table, fence, rule) and inline marks dropped."""
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
            yield ""
        elif in_code:
            yield line
        elif _TABLE_RULE.match(line) and "|" in line:
            yield ""
        elif line.strip().startswith("|"):
            yield "　".join(_inline(cell.strip()) for cell in line.strip().strip("|").split("|") if cell.strip())
        elif _RULE.match(line) or _SETEXT.match(line):
            yield ""  # a rule, or a heading's underline (the heading is its line above)
        else:
            yield _inline(_BULLET.sub("", _QUOTE.sub("", line), count=1))


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_HELD = 0xF0000  # escaped marks wait in a private-use plane while the marks around them are read


def _inline(text: str) -> str:
    text = _ESCAPED.sub(lambda m: chr(_HELD + ord(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub("[\U000F0000-\U000F00FF]", lambda m: chr(ord(m.group(0)) - _HELD), text).strip()


def _headings(lines: list[str], out: list[str]) -> list[_Heading]:
    """The headings, ATX (「## 标题」) and setext (a line underlined with === or ---), in order."""
    found: list[_Heading] = []
    for i, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx and atx.group(2):
            found.append(_Heading(i, len(atx.group(1)), _inline(atx.group(2))))
        elif i + 1 < len(lines) and _SETEXT.match(lines[i + 1]) and out[i] and not _BULLET.match(line):
            found.append(_Heading(i, 1 if lines[i + 1].strip().startswith("=") else 2, out[i]))
    return found


def _numbered(headings: list[_Heading], first: int) -> list[str]:
    """Each heading's text, given the genre's number its level means where it has none.

    A heading on the first line is the title. Of the other headings, the shallowest level present is
    the parts (一、), the next the subsections (（一）), any deeper the items (1.).
    """
    title = headings[0] if headings and headings[0].line == first else None
    levels = sorted({h.level for h in headings if h is not title})
    counts = [0, 0, 0]
    texts = []
    for heading in headings:
        if heading is title:
            texts.append(heading.text)
            continue
        depth = min(levels.index(heading.level), 2)
        counts[depth] += 1
        counts[depth + 1:] = [0] * (2 - depth)
        texts.append(heading.text if _is_numbered(heading.text) else _number(depth, counts[depth]) + heading.text)
    return texts


def _is_numbered(text: str) -> bool:
    return bool(PART_NUMBER.match(text) or SUB_NUMBER.match(text) or ITEM_NUMBER.match(text))


def _number(depth: int, n: int) -> str:
    return (f"{numeral(n)}、", f"（{numeral(n)}）", f"{n}.")[depth]


# The facts file's keys (drafting/outline/facts.py), in its front matter or as 单位：… lines.
_FACTS_KEYS = {"unit": ("unit", "单位"), "role": ("role", "职务"), "year": ("year", "年度", "年份")}
_SETTING = re.compile(r"^\s*([A-Za-z_\u4e00-\u9fff]{2,10})\s*[:：]")
_ITEM = re.compile(r"^\s*(?:[-*+•·]\s+|\d{1,2}\s*[.．、)）]\s*|[（(]\s*\d{1,2}\s*[)）])")


def facts_file_reason(text: str) -> str | None:
    """Why ``text`` reads as a facts file rather than a report, or None when it does not."""
    lines = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).split("\n")
    settings, body = _front_matter(lines)
    if all(any(alias in settings for alias in aliases) for aliases in _FACTS_KEYS.values()):
        why = _("front matter with unit, role and year")
    elif _only_items(body):
        why = _("nothing but bullets, headings such as # 主要工作 and 单位：… lines")
    else:
        return None
    return _("looks like a facts file ({why}), not an example report; draft from it with `gongwen draft`").format(
        why=why)


def _front_matter(lines: list[str]) -> tuple[set[str], list[str]]:
    """The keys of a leading ``---`` block, and the lines after it."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return set(), lines
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return set(), lines
    keys = {m.group(1) for line in lines[start + 1:end] if (m := _SETTING.match(line))}
    return keys, lines[end + 1:]


def _only_items(lines: list[str]) -> bool:
    """At least two list items and no prose: headings, 单位：… settings and blank lines aside."""
    items = 0
    for line in lines:
        stripped = line.strip()
        if not stripped or _ATX.match(stripped) or stripped == "---":
            continue
        if _ITEM.match(stripped):
            items += 1
        elif not _SETTING.match(stripped) or len(stripped) > 40:
            return False
    return items >= 2
