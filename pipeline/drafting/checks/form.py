"""The form guard: what a section must not look like when it ships, whatever its facts.

Beside the fact lock (factlock.py) and the leak guard (leak.py). Each rule is a slip a small local model was seen
to make (../shared/real-model, and the replies recorded there, which the tests replay):

- ``echo``: the prompt's own labels or delimiters (本节事实, 【参考1】, ``[main_work.4]``, <<< >>>) and a
  reference's masked words (××);
- ``meta``: replies about the task instead of the text (我会按照要求…, 以下是…, 好的，…);
- ``letter``: letter or speech forms (尊敬的…, 大家好, 此致 敬礼, a XXX placeholder name);
- ``markdown``: list or heading lines, bold marks, tables, fences;
- ``heading``: a part's heading, or another subsection's, inside the section;
- ``repeat``: paragraphs or sentences that repeat each other, a phrase said three times;
- ``other_section``: another section's facts (the opening may not hold the main work);
- ``lists_headings``: an opening or closing that lists the main work's subheadings again (three or more);
- ``too_long``: far over the length the writer asked for (the band is ``LENGTH_BAND`` × that length;
  a reply too short is not a violation but may be asked to expand, see writing/model_writer.py).

Each violation names the offending text, in Chinese: it goes back to the model in the repair request.
"""

from __future__ import annotations

import re
from collections import Counter

from ...genre import CAUSES, PART_NUMBER, SUB_NUMBER, Part, classify_heading, is_subheading_of, strip_numbering
from ...text import bigrams, sentences, share, squash
from ..outline.plan import Plan, Section
from .reader import reader_violations
from .violations import Violation, violation

# The band a section's length must fall in, as a multiple of its budget (measured on the real model:
# see the README's "Drafting with a local model"). Below the low end the writer asks for more; above
# the high end the reply is rejected, and every reply is capped there with max_tokens.
LENGTH_BAND = (0.6, 1.6)
LENGTH_SLACK = 60  # characters: a short section's band is at least this wide

ECHO = re.compile(
    r"本节事实|风格参考|参考写法|全文提纲|全文结构|现在起草|必须遵守|写作要求|篇幅[：:]|本部分[：:]|事实[：:]\s*$"
    r"|【(?!待补)[^】]{0,12}】|<<<|>>>|\[(?:[a-z_]+)(?:\.\d+)?\]|^\s*(?:单位|职务|年度)[：:]"
    r"|[\u4e00-\u9fff]{1,10}……|××", re.MULTILINE)  # …… and ××: a reference's masked words, echoed
META = re.compile(
    r"我(?:会|将)(?:严格)?(?:按照|根据)(?:您的|你的)?要求|以下是|^\s*好的[，,。！!]|根据(?:您|你)的要求"
    r"|作为(?:一名|一个)?(?:AI|人工智能|助手|语言模型)|希望(?:以上|这些|这篇|本文|这段)|如(?:有|需)(?:修改|调整)"
    r"|请(?:您)?(?:审阅|过目)|(?:撰写|起草|写好)(?:述职报告的|本节的|这一?部分的)?(?:开头段|结尾段|本节|这一?部分)"
    r"|(?:确保|保证)所有事实都|以上(?:就)?是[^。\n]{0,30}(?:正文|内容|部分|段落)|(?:本|这)一?(?:部分|段|节)的?正文"
    r"|(?:正文|内容)如下[：:]", re.MULTILINE)
LETTER = re.compile(r"尊敬的|各位(?:领导|同事|同志|来宾)(?:[、和及]同[事志]们?)?[：:，,]|大家好|此致|敬礼"
                    r"|谢谢(?:大家|各位|您)|我叫|述职人[：:]|X{3,}|×{2,}|某某")
MARKDOWN_LINE = re.compile(r"^\s*(?:#{1,6}\s*\S|[-*+•·]\s|>\s|\|.*\||```|\d{1,2}[.．、)）]\s*\S)")
MARKDOWN_INLINE = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|`[^`\n]+`")
REPEAT_GRAM = 6  # a phrase of this many characters said three times is a repetition
PARAGRAPH_OVERLAP = 0.6  # bigram Jaccard of two paragraphs that say the same thing
FACT_OVERLAP = 0.8  # share of another section's fact that, found here, means its text was written here
OTHER_FACT_MIN = 6  # bigrams: a shorter fact of another section may be said here in passing
HEADING_MIN = 4  # bigrams: a shorter subheading (「建强堡垒」) is common words, not the outline said again
HEADINGS_LISTED = 3  # subheadings an opening or closing may not say again: it would read as the outline


def form_violations(text: str, section: Section, plan: Plan, budget: int | None = None,
                    own_words: str = "", elsewhere: frozenset[str] = frozenset(), reader: bool = True
                    ) -> list[Violation]:
    """Every form rule the section breaks; ``own_words`` (the facts) may contain what a rule forbids;
    ``elsewhere``: the clauses the other sections' frames say (reader.said_elsewhere); ``reader=False``
    leaves out the reader's rules (reader.py), which the evaluation counts one by one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    found: list[Violation] = []
    found += _matches(ECHO, text, "echo", own_words)
    found += _matches(META, text, "meta", own_words)
    found += _matches(LETTER, text, "letter", own_words)
    found += [violation("form", line[:20], key="form.markdown") for line in lines
              if MARKDOWN_LINE.match(line) or MARKDOWN_INLINE.search(line)]
    found += _headings(lines, section)
    found += _repeats(lines, own_words + "\n" + "\n".join(s.heading for s in plan.sections))
    found += _other_sections(text, section, plan)
    found += _lists_headings(text, section, plan)
    found += too_long(text, budget)
    if reader:
        found += reader_violations(text, section, plan, elsewhere, own_words)
    return found


def _matches(pattern: re.Pattern[str], text: str, rule: str, own_words: str) -> list[Violation]:
    seen = dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text))
    return [violation("form", hit, key=f"form.{rule}") for hit in seen if hit and hit not in own_words]


def _headings(lines: list[str], section: Section) -> list[Violation]:
    """A part's heading anywhere, or (in a subsection) any heading line but its own first line."""
    found = []
    own_seen = False
    for line in lines:
        short = len(line) <= 30 and "。" not in line
        own = section.part == Part.MAIN_WORK and not own_seen and is_subheading_of(line, section.heading)
        own_seen = own_seen or own
        part_heading = short and (PART_NUMBER.match(line) or (len(line) <= 16 and classify_heading(line)))
        other_sub = section.part == Part.MAIN_WORK and SUB_NUMBER.match(line) and short
        if not own and (part_heading or other_sub):
            found.append(violation("form", line, key="form.heading"))
    return found


def _repeats(lines: list[str], own_words: str) -> list[Violation]:
    """``own_words`` (the facts and the outline's headings) may be said as often as the text needs."""
    found: list[Violation] = []
    grams = [(line, bigrams(line)) for line in lines if len(line) >= 20]
    for i, (line, mine) in enumerate(grams):
        for _, earlier in grams[:i]:
            if mine and earlier and len(mine & earlier) / len(mine | earlier) >= PARAGRAPH_OVERLAP:
                found.append(violation("form", line[:20], key="form.repeat"))
                break
    said_once = [squash(s) for s in sentences("\n".join(lines))]
    counted = Counter(s.rstrip("。！？；!?;") for s in said_once if len(s) >= 8)
    found += [violation("form", s[:20], key="form.repeat") for s, n in counted.items() if n > 1 and s not in own_words]
    body = squash("".join(lines))
    phrases = Counter(body[i:i + REPEAT_GRAM] for i in range(len(body) - REPEAT_GRAM + 1))
    said = [g for g, n in phrases.items() if n >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", g) and g not in own_words]
    if said:
        found.append(violation("form", said[0], key="form.repeat"))
    return found


def _other_sections(text: str, section: Section, plan: Plan) -> list[Violation]:
    """Another section's facts written here. Causes and plans may name the problems they explain or answer."""
    mine = bigrams(text)
    found = []
    names_problems = section.part == Part.PLANS or section.id == CAUSES
    for other in plan.sections:
        if other.id == section.id or (names_problems and other.id == Part.PROBLEMS.value):
            continue
        for bullet in other.bullets:
            if len(bigrams(bullet.text)) >= OTHER_FACT_MIN and share(bullet.text, mine) >= FACT_OVERLAP:
                found.append(violation("form", bullet.text[:30], key="form.other_section"))
    return found


def _lists_headings(text: str, section: Section, plan: Plan) -> list[Violation]:
    """An opening or closing that says three or more of the main work's subheadings: the outline again
    (「今后，我将更加注重抓书记、书记抓，强化第一责任人职责。同时，我将抓规范、建队伍……」)."""
    if section.part not in (Part.OPENING, Part.CLOSING):
        return []
    mine = bigrams(text)
    said = [core for s in plan.sections if s.part == Part.MAIN_WORK
            if len(bigrams(core := strip_numbering(s.heading))) >= HEADING_MIN and share(core, mine) >= FACT_OVERLAP]
    if len(said) < HEADINGS_LISTED:
        return []
    return [violation("form", "」「".join(said[:2]), key="form.lists_headings")]


def too_long(text: str, budget: int | None) -> list[Violation]:
    """Over the band of the length a writer asked for (the composer's text, asked no length, is not)."""
    chars = len(squash(text))
    if budget and chars > band(budget)[1]:
        return [violation("form", key="form.too_long", chars=chars, budget=budget)]
    return []


def band(budget: int) -> tuple[int, int]:
    """The shortest and longest a section of this budget may be, in characters."""
    low = min(LENGTH_BAND[0] * budget, max(0, budget - LENGTH_SLACK))
    return round(low), round(max(LENGTH_BAND[1] * budget, budget + LENGTH_SLACK))
