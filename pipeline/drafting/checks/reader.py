"""What a reader rejects on sight, beside the form guard's slips: found in drafts that passed every check
(../shared/reader-review, and the saved real run in tests/data/eval-qwen).

- **an organ said twice**: 「县委县委书记」, 「…党工委党工委书记」;
- **one fact stated twice** in a section;
- **a paragraph that stops mid-sentence**: 「六是换届后对社区“两委”」 (the closing quote hid the cut),
  「四是2020年党员缴纳党费X元」 with no 。;
- **two leads** before a subsection's items: 「…主要抓了以下几项工作：我始终把抓好党建作为最大的政绩，…。一是…」;
- **a frame clause said twice** in a draft: a clause of another section's frame (its lead, its close)
  said again here;
- **a lead whose topic is not its subsection's**: 「理论上清醒，政治上才能坚定」 over teaching awards.

Each is a form violation (form.py calls them), so a model is asked again, and each is a gate of
``gongwen eval`` on the shipped draft.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ...genre import ITEM_NUMBER, ORDINAL_ANYWHERE, ORDINAL_ITEM, SUB_NUMBER, Part, is_subheading
from ...text import bigrams, clauses, ends_sentence, sentences, squash
from ..outline.plan import Plan, Section
from ..outline.topics import facts_topic, main_topic
from .factlock import covers_wording
from .violations import Violation, violation

# An organ's name said twice in a row: 「县委县委」, 「党工委党工委」, 「民政局民政局」.
_ORGAN_TWICE = re.compile(r"(?P<organ>[\u4e00-\u9fff]{1,7}?(?:委|党组|局|政府|支部|总支|街道|办事处|委员会))(?P=organ)")
STATED_MIN = 4  # bigrams: a fact shorter than this may be said again in passing
REPEATED_MIN = 8  # characters: a clause this long, said twice, is a repetition a reader sees
LEAD_WORDS = re.compile(r"以下|如下|主要(?:做法|抓了|做了|有)|重点(?:做了|抓了)|[几下]项|几个方面")


def organ_twice(text: str) -> list[Violation]:
    return [violation("form", m.group(0), key="form.organ_twice", what=m.group("organ"))
            for m in _ORGAN_TWICE.finditer(text)]


def fact_twice(text: str, section: Section) -> list[Violation]:
    said = [s for s in sentences(text) if s.strip()]
    return [violation("form", b.text[:30], key="form.fact_twice") for b in section.bullets
            if len(bigrams(b.text)) >= STATED_MIN and sum(covers_wording(b.text, s) for s in said) > 1]


def cut_paragraphs(text: str) -> list[Violation]:
    """Paragraphs whose last sentence has no end: what a closing quote or bracket hides is looked at too."""
    found = []
    for line in (ln.strip() for ln in text.split("\n") if ln.strip()):
        if is_subheading(line) or SUB_NUMBER.fullmatch(line):
            continue
        if not ends_sentence(line, leads=True):
            found.append(violation("cut", line[-20:], key="form.cut"))
    return found


def two_leads(text: str, section: Section) -> list[Violation]:
    """In a subsection: after a lead that announces the items (「…主要抓了以下几项工作：」), a sentence that is
    neither an item nor one of the facts, before the items begin."""
    if section.part != Part.MAIN_WORK:
        return []
    for paragraph in text.split("\n"):
        if found := _second_lead(paragraph, section):
            return found
    return []


def _second_lead(paragraph: str, section: Section) -> list[Violation]:
    # A lead ends with 「：」: the split is at sentence ends and there; the leads are what comes before the
    # first item.
    said = [s.strip() for s in sentences(paragraph, leads=True) if s.strip() and not is_subheading(s.strip())]
    first = next((i for i, s in enumerate(said) if ORDINAL_ITEM.match(s) or ITEM_NUMBER.match(s)), len(said))
    if first == len(said):
        return []
    for before, after in itertools.pairwise(said[:first]):
        announces = before.endswith(("：", ":")) or LEAD_WORDS.search(before)
        starts = ORDINAL_ITEM.match(after) or ITEM_NUMBER.match(after)
        states = any(covers_wording(b.text, after) for b in section.bullets)
        if announces and not starts and not states:
            return [violation("two_leads", after, key="form.two_leads")]
    return []


def said_elsewhere(text: str, elsewhere: frozenset[str], own_words: str = "") -> list[Violation]:
    """Clauses of another section's frame said again here (the facts' own words may be said anywhere)."""
    own = squash(own_words)
    return [violation("said_twice", clause, key="form.said_twice") for clause in dict.fromkeys(clauses_of(text))
            if clause in elsewhere and clause not in own]


def clauses_of(text: str, least: int = REPEATED_MIN) -> list[str]:
    """The clauses of ``text`` long enough to be seen again (``least`` characters), squashed."""
    return [c for s in sentences(text) for c in (squash(c) for c in clauses(s)) if len(c) >= least]


def repeated_clauses(texts: Iterable[str], own_words: str = "", least: int = REPEATED_MIN) -> list[str]:
    """Clauses said more than once across ``texts`` (a draft's sections; the evaluation's style measure
    passes its sentences, with a shorter ``least``), not the facts' own words."""
    own = squash(own_words)
    seen: set[str] = set()
    again: list[str] = []
    for text in texts:
        for clause in dict.fromkeys(clauses_of(text, least)):
            if clause in seen and clause not in own and clause not in again:
                again.append(clause)
            seen.add(clause)
    return again


def unfitting_lead(text: str, section: Section) -> list[Violation]:
    """A subsection's lead that states a general truth (no 「我」, no fact, announcing nothing) about a topic
    its facts are not about: 「理论上清醒，政治上才能坚定」 over teaching awards."""
    if section.part != Part.MAIN_WORK or not section.bullets:
        return []
    body = "\n".join(line for line in text.split("\n") if not is_subheading(line.strip()))
    first = ORDINAL_ANYWHERE.search(body)
    lead = body[:first.start()] if first else ""
    general = "".join(s for s in sentences(lead) if "我" not in s and not LEAD_WORDS.search(s)
                      and not s.rstrip().endswith(("：", ":")) and not any(covers_wording(b.text, s)
                                                                        for b in section.bullets))
    said = main_topic(general)
    if said is None or said == facts_topic(b.text for b in section.bullets):
        return []
    return [violation("form", general[:24], key="form.unfitting_lead", what=said.name)]


def reader_violations(text: str, section: Section, plan: Plan, elsewhere: frozenset[str] = frozenset(),
                      own_words: str = "") -> list[Violation]:
    return [*organ_twice(text), *fact_twice(text, section), *cut_paragraphs(text), *two_leads(text, section),
            *said_elsewhere(text, elsewhere, own_words), *unfitting_lead(text, section)]
