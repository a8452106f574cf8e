"""Find the numbers in Chinese report text and normalise them, for the fact lock.

「12次」, 「十二次」, 「1.2万人次」 and 「12,000人次」 become comparable values; 「15%」 and 「百分之十五」
both become 15 %. What is *not* a number here: ordinals and list markers (一是, 第一, （一）, 一、),
fixed political terms (三会一课, 两学一做, 十九届五中全会 …), and a bare 一 (一个支部, 一批), which in
Chinese is as often an article as a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"

# Measure words that make a Chinese numeral a count rather than part of a set phrase.
_MEASURE = (
    "人次|个|名|次|人|项|场|期|家|户|元|篇|份|条|所|座|支|批|天|周|月|年|届次|件|套|处|村|镇|间|台|辆|"
    "公里|米|平方米|亩|吨|小时|课时|学时|轮|组|类|位|余|多|余次|余人|万|亿|倍|成"
)
# Fixed terms whose numerals are names, never counts. Matched before numbers are looked for.
FIXED_TERMS = (
    "三会一课", "两学一做", "一岗双责", "四个意识", "四个自信", "两个维护", "两个确立", "五个带头", "两个作用",
    "一把手", "第一责任人", "第一议题", "四风", "八项规定", "十九大", "二十大", "十九届", "二十届", "一中全会",
    "二中全会", "三中全会", "四中全会", "五中全会", "六中全会", "七中全会", "一带一路", "三严三实", "一线",
    "一体", "一致", "一起", "一些", "一定", "一直", "进一步", "一方面", "另一方面", "之一", "唯一", "统一",
    "一级抓一级", "一心一意", "三重一大", "一手抓", "两手抓", "三亮三比三创", "四个必须", "六晒",
)
_FIXED = re.compile("|".join(re.escape(t) for t in sorted(FIXED_TERMS, key=len, reverse=True)))
_ORDINAL = re.compile(rf"第[{_CN_CHARS}\d]+|[{_CN_CHARS}]+是|[（(][{_CN_CHARS}\d]+[)）]|^[{_CN_CHARS}]+、", re.M)

_ARABIC = re.compile(r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([万亿])?\s*([%％])?")
_PERCENT_CN = re.compile(rf"百分之([{_CN_CHARS}点]+)")
_CHINESE = re.compile(rf"([{_CN_CHARS}]+)(?=(?:{_MEASURE}))")


@dataclass(frozen=True)
class Number:
    text: str  # as written
    value: Decimal
    percent: bool
    start: int

    @property
    def key(self) -> tuple[Decimal, bool]:
        return (self.value.normalize(), self.percent)


def chinese_to_int(text: str) -> int | None:
    """「一千二百零五」 → 1205, 「十二」 → 12, 「两万」 → 20000, 「二〇二三」 → 2023; None if not a numeral."""
    if not text or any(c not in _CN_CHARS for c in text) or text[0] in _CN_BIG:
        return None
    if all(c in _CN_DIGIT for c in text) and len(text) > 1:  # digit by digit, as in years
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[c]
            digit = None
        else:  # 万, 亿
            total = (total + section + (digit or 0)) * _CN_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    # Keep offsets stable: replace what is excluded by spaces of the same length.
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def find_numbers(text: str) -> list[Number]:
    """Every count, amount, percentage and date number in ``text``, normalised."""
    masked = _blank(_blank(text, _FIXED), _ORDINAL)
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: Decimal, percent: bool) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Number(text[start:end], value, percent, start))

    for m in _ARABIC.finditer(masked):
        try:
            value = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        except InvalidOperation:
            continue
        if m.group(3):
            value *= _CN_BIG[m.group(3)]
        add(m.start(), m.end(), value, bool(m.group(4)))
    for m in _PERCENT_CN.finditer(masked):
        whole, _, frac = m.group(1).partition("点")
        number = chinese_to_int(whole)
        if number is not None:
            digits = "".join(str(_CN_DIGIT[c]) for c in frac if c in _CN_DIGIT)
            add(m.start(), m.end(), Decimal(f"{number}.{digits}" if digits else number), True)
    for m in _CHINESE.finditer(masked):
        number = chinese_to_int(m.group(1))
        if number is None or (number == 1 and m.group(1) == "一"):
            continue
        add(m.start(), m.end(), Decimal(number), False)
    return sorted(found, key=lambda n: n.start)
