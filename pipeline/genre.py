"""The vocabulary of the 述职报告 genre, shared by splitting, fact parsing and checking.

A report has these parts, in order:

- ``TITLE``      标题, e.g. 《X局党组书记抓基层党建工作述职报告》
- ``OPENING``    开头, ending in 「现将……述职如下：」
- ``MAIN_WORK``  一、主要工作 (主要做法, 履职情况 …), with （一）… subheadings and 一是…二是… items
- ``PROBLEMS``   二、存在的主要问题及原因, including the 究其原因 paragraph (the *causes*)
- ``PLANS``      三、下步工作思路和主要措施 (下步打算 …)
- ``CLOSING``    结尾, e.g. 「今后，我将……」

This module is the only home of the genre's vocabulary: the parts and their order and headings, the
section ids a plan uses, the numerals 一…十, and the 【待补：…】 placeholder (a visible gap where the
facts lack what the genre needs).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Part(StrEnum):
    TITLE = "title"
    OPENING = "opening"
    MAIN_WORK = "main_work"
    PROBLEMS = "problems"
    PLANS = "plans"
    CLOSING = "closing"


PART_ORDER: tuple[Part, ...] = tuple(Part)
BODY_PARTS: tuple[Part, ...] = (Part.MAIN_WORK, Part.PROBLEMS, Part.PLANS)
PART_HEADINGS = {Part.MAIN_WORK: "一、主要工作", Part.PROBLEMS: "二、存在的主要问题及原因",
                 Part.PLANS: "三、下步工作思路和主要措施", Part.OPENING: "开头", Part.CLOSING: "结尾"}

# Section ids of a plan: each part's own name, ``main_work.N`` per （N） subsection, and ``causes``: the
# 究其原因 paragraph, which belongs to the problems part but is drafted as a section of its own.
CAUSES = "causes"
CAUSES_HEADING = "究其原因"

CN_DIGITS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for （一） headings and 一是 items)."""
    if n <= 10:
        return CN_DIGITS[n - 1]
    return ("" if n < 20 else CN_DIGITS[n // 10 - 1]) + "十" + (CN_DIGITS[n % 10 - 1] if n % 10 else "")


PLACEHOLDER_PATTERN = re.compile(r"【待补：([^】]*)】")


def placeholder(what: str) -> str:
    """A visible gap: 「【待补：上级党组织名称】」."""
    return f"【待补：{what}】"


# Stock words of the genre: far more of them than real reports use reads as boilerplate (the
# evaluation's genre_marker_rate; the composer keeps its drafts in the band the corpus uses).
GENRE_MARKERS = ("一是", "二是", "三是", "四是", "五是", "坚持", "扎实", "进一步", "切实", "深入", "着力", "不断",
                 "持续", "全面", "统筹")


def genre_marker_rate(text: str) -> float:
    """Stock genre words per 1,000 characters (whitespace not counted)."""
    chars = len(re.sub(r"\s+", "", text))
    return 1000 * sum(text.count(m) for m in GENRE_MARKERS) / chars if chars else 0.0


def placeholders(text: str) -> list[str]:
    """What each gap in ``text`` says is missing."""
    return PLACEHOLDER_PATTERN.findall(text)

# 一、主要工作 — the level-1 heading of a part.
PART_NUMBER = re.compile(rf"^[{CN_DIGITS}]{{1,3}}\s*[、.．]\s*")
# （一）高度重视…… — the level-2 subheading inside a part.
SUB_NUMBER = re.compile(rf"^[（(]\s*[{CN_DIGITS}]{{1,3}}\s*[)）]\s*")
# 1. 建立责任制 — the level-3 heading (also used as a part's only level).
ITEM_NUMBER = re.compile(r"^\d{1,2}\s*[.．、](?!\d)\s*")
# 一是…二是… — ordinal items inside a paragraph.
ORDINAL_ITEM = re.compile(rf"^[{CN_DIGITS}]{{1,3}}是")
ORDINAL_ANYWHERE = re.compile(rf"[{CN_DIGITS}]{{1,3}}是")  # the same, wherever it stands in a paragraph
# The opening ends with 「……述职如下：」 (or 报告/汇报如下).
OPENING_END = re.compile(r"(述职|报告|汇报|总结)如下\s*[：:]\s*$")
# The paragraph that analyses causes inside the problems part.
CAUSES_START = re.compile(r"^(究其|分析(其)?原因|原因分析|产生(这些|上述)?问题的(主要)?原因|存在问题的原因)")
# Paragraphs that close a report.
CLOSING_START = re.compile(r"^(今后|总之|新的一年|在新的一年|最后|按照以上|回顾.{0,6}展望)")


def opening_formula(year: str) -> str:
    """The sentence that ends an opening and hands over to the body."""
    return f"现将{year}年度抓基层党建工作情况述职如下："


CAUSES_LEAD = "究其原因，"

# Names every report may use, whoever wrote it first: the guiding theory and the Party's standing
# campaigns and rules. Copying one of these is not copying another unit's sentence.
UNIVERSAL_NAMES = (
    "习近平新时代中国特色社会主义思想", "习近平总书记重要讲话精神", "新时代党的建设总要求", "全面从严治党",
    "不忘初心、牢记使命", "党史学习教育", "两学一做", "三会一课", "中央八项规定精神", "党风廉政建设",
    "四个意识", "四个自信", "两个维护", "两个确立", "抓好党建是最大政绩", "党的政治建设", "一岗双责",
)
# What a closing says: a resolve for the year ahead (「今后，我将……」).
CLOSING_RESOLVE = re.compile(r"我将|我们将|将进一步|将继续|将始终|今后|新的一年|下一步")
# The fewest characters of content an opening has before 「现将……述职如下：」, and a closing has.
OPENING_MIN_LEAD = 15
CLOSING_MIN_CHARS = 20

# Heading words that name each body part. Checked in this order: 「下步工作思路和主要措施」
# names plans although it contains 主要, and 「存在的主要问题」 names problems.
_PART_WORDS: tuple[tuple[Part, re.Pattern[str]], ...] = (
    (Part.PROBLEMS, re.compile(r"问题|不足|差距|短板|薄弱")),
    (Part.PLANS, re.compile(r"下[一]?步|打算|计划|思路|措施|今后|努力方向|工作安排|展望")),
    (Part.MAIN_WORK, re.compile(r"主要工作|主要做法|工作做法|履职|成效|成绩|工作情况|工作开展|开展情况|做法|工作")),
)


def classify_heading(text: str) -> Part | None:
    """Which body part a heading such as 「二、存在的主要问题及原因」 names, if any."""
    words = PART_NUMBER.sub("", text).strip(" ：:。")
    for part, pattern in _PART_WORDS:
        if pattern.search(words):
            return part
    return None


def is_subheading(line: str) -> bool:
    """A （一） line of its own: a short heading, not a numbered sentence."""
    return bool(SUB_NUMBER.match(line)) and len(line) <= 40 and not line.rstrip().endswith(("。", "；", "：", ";"))


def is_subheading_of(line: str, planned: str) -> bool:
    """The planned （一） heading, or a genre form of it with the same number (「（一）坚持高位推动，压实责任」)."""
    number = SUB_NUMBER.match(planned)
    return line == planned or (number is not None and line.startswith(number.group(0)) and is_subheading(line))


def strip_numbering(text: str) -> str:
    """「（一）高度重视」 → 「高度重视」; 「一、主要工作」 → 「主要工作」."""
    for pattern in (PART_NUMBER, SUB_NUMBER, ITEM_NUMBER):
        text = pattern.sub("", text, count=1)
    return text.strip()
