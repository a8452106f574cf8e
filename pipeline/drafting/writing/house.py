"""The house style: how the user's own office writes, mined from its earlier reports (the corpus's house
reports: ``corpus add --house``, or a report learned with ``revise --learn``).

What two house reports or more say alike, in the same place, is the house's formula there:

- the part headings (「一、履职尽责的主要做法」);
- the subheading's pattern (「（一）以“铸魂”为要，强化政治引领」: fixed words around a keyword and a label);
- the transition that opens a subsection (「紧扣“铸魂”二字，我重点抓了三件事：」: the keyword again, a count);
- the opening's last sentence, the problems' lead, the causes' opening words, the closing's first words
  (「回顾2023年、展望2024年」, the years stand for the report's and the next) and its last sentence;
- the secretary's recurring phrases: parallel wording (「守好山、管好林、带好队」) two house reports share
  and no other unit's report has.

A formula carries no fact: one with a number other than the report's year (or the next) is no formula.
The composer uses these ahead of the genre-wide phrasebook, and the model is shown them as the
wording to follow; other units' reports lend the genre's shape only.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ...corpus.split import SplitReport, split_or_none
from ...genre import CAUSES_HEADING, CN_DIGITS, PART_NUMBER, SUB_NUMBER, Part, classify_heading, numeral
from ...text import sentences, squash
from ..checks.standing import POST
from ..outline.topics import topic_of

AGREE = 2  # house reports that must say a thing alike for it to be the house's
SLOT = "\x00"  # where a template's variable part goes
_YEAR = re.compile(r"(?:19|20)\d{2}")
_COUNT = re.compile(rf"[{CN_DIGITS}两]+(?=个方面)")
_PARALLEL = re.compile(r"(?:[\u4e00-\u9fff]{2,12}、){1,3}[\u4e00-\u9fff]{2,9}")


@dataclass(frozen=True)
class HouseStyle:
    reports: int = 0
    headings: dict[str, str] = field(default_factory=dict)  # part → its 一、 heading
    subheading: tuple[str, ...] = ()  # fixed pieces around slots: the keyword, then the label
    transition: tuple[str, ...] = ()  # fixed pieces around slots: the keyword, then the count
    keywords: dict[str, str] = field(default_factory=dict)  # topic key → the keyword the house used for it
    opening_end: str = ""  # {year} for the report's year
    problems_lead: str = ""
    causes_start: str = ""
    closing_head: str = ""  # {year}, {next}
    closing_tail: str = ""
    phrases: tuple[str, ...] = ()
    plans_end: str = ""  # the plans lead's last words: 「重点在{count}个方面再加力：」

    def wording(self) -> str:
        """Every formula and phrase, one a line, as a draft says it (a transition with each count it may
        give): the house's own words, which a draft may say, and say in every subsection as the house does."""
        said = [*self.headings.values(), _filled(self.subheading, ["", ""]), self.opening_end, self.problems_lead,
                self.causes_start, self.closing_head, self.closing_tail, *self.phrases, self.plans_end,
                *(_filled(self.transition, ["", count_word(n)]) for n in range(2, 11))]
        return "\n".join(fill(s, "") for s in said if s)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def keyword(self, topic: str) -> str:
        """The house's keyword for a topic (its subheadings' first slot), else the tool's own."""
        return self.keywords.get(topic) or KEYWORDS.get(topic, "实干")

    def subheading_for(self, number: str, keyword: str, label: str) -> str:
        """「（一）以“铸魂”为要，强化政治引领」 in the house's pattern; "" where it has none of two slots."""
        return f"{number}{_filled(self.subheading, [keyword, label])}" if self.subheading.count(SLOT) == 2 else ""

    def transition_for(self, keyword: str, count: int) -> str:
        """「紧扣“铸魂”二字，我重点抓了三件事：」 in the house's pattern; "" where it has none of two slots."""
        return _filled(self.transition, [keyword, count_word(count)]) if self.transition.count(SLOT) == 2 else ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HouseStyle:
        return cls(int(data["reports"]), dict(data["headings"]), tuple(data["subheading"]), tuple(data["transition"]),
                   dict(data["keywords"]), data["opening_end"], data["problems_lead"], data["causes_start"],
                   data["closing_head"], data["closing_tail"], tuple(data["phrases"]), data["plans_end"])


def years(text: str, year: str) -> str:
    """A report's own year as {year}, the next as {next}, a count of parts (「四个方面」) as {count}; "" when
    another number is left (a fact)."""
    if not year.isdigit():
        return ""
    said = text.replace(str(int(year) + 1), "{next}").replace(year, "{year}")
    said = _COUNT.sub("{count}", said)
    return "" if re.search(rf"\d|[{CN_DIGITS}百千万]+[个名次项人]", said) else said


def fill(text: str, year: str, count: int = 0) -> str:
    said = text.replace("{next}", str(int(year) + 1) if year.isdigit() else "").replace("{year}", year)
    return said.replace("{count}", count_word(count) if count else "几")


def mine_house(texts: Sequence[str], others: Sequence[str] = ()) -> HouseStyle:
    """The house's formulas in ``texts`` (its reports, cleaned); ``others``: other units' reports, whose
    wording is no house's phrase."""
    splits = [(s, t) for t in texts if (s := split_or_none(t)) is not None]
    if len(splits) < AGREE:
        return HouseStyle(len(splits))
    said = [{slot: years(text, s.year) for slot, text in formula_slots(s).items()} for s, _ in splits]
    agreed = {slot: _agreed(f[slot] for f in said) for slot in FORMULA_SLOTS}
    return HouseStyle(
        reports=len(splits),
        headings=_agreed_headings(t for _, t in splits),
        subheading=template([line for s, _ in splits for line in subheadings(s)]),
        transition=template([line for s, _ in splits for line in subsection_leads(s)]),
        keywords=_keywords(splits),
        opening_end=agreed["opening_end"], problems_lead=agreed["problems_lead"],
        causes_start=agreed["causes_start"], closing_head=agreed["closing_head"],
        closing_tail=agreed["closing_tail"],
        phrases=_phrases([t for _, t in splits], others),
        plans_end=agreed["plans_end"])


FORMULA_SLOTS = ("opening_end", "problems_lead", "causes_start", "closing_head", "closing_tail", "plans_end")


def formula_slots(split: SplitReport) -> dict[str, str]:
    """What one report says in each formula slot, as it says it ("" where it says nothing there): the
    opening's last sentence, the problems' lead, the causes' words before their colon, the closing's first
    clause and its last sentence, the plans lead's last words. The house's formula in a slot is what AGREE
    reports say alike there."""
    causes = _causes(split)
    closing = _part(split, Part.CLOSING)
    return {"opening_end": _last_sentence(_part(split, Part.OPENING)),
            "problems_lead": _lead(split, Part.PROBLEMS),
            "causes_start": causes.split("：")[0] if "：" in causes[:40] else "",
            "closing_head": re.split(r"[，：]", closing)[0],
            "closing_tail": _last_sentence(closing),
            "plans_end": re.split(r"[，。]", _lead(split, Part.PLANS))[-1]}


def subheadings(split: SplitReport) -> list[str]:
    """The report's main-work subheadings, without their （N） numbers."""
    return [SUB_NUMBER.sub("", c.subheading) for c in split.chunks if c.part == Part.MAIN_WORK and c.subheading]


def subsection_leads(split: SplitReport) -> list[str]:
    """The first sentence of each main-work subsection, after its subheading: where a transition stands."""
    return [_first_sentence(c.text.split("\n", 1)[-1]) for c in split.chunks
            if c.part == Part.MAIN_WORK and c.subheading]


def _agreed(said: Sequence[str] | Any) -> str:
    """What at least AGREE of the reports say (the most said; "" for none)."""
    counts = Counter(s for s in said if s)
    top = counts.most_common(1)
    return top[0][0] if top and top[0][1] >= AGREE else ""


def _part(split: SplitReport, part: Part) -> str:
    return "".join(c.text for c in split.chunks if c.part == part and c.subheading != CAUSES_HEADING)


def _lead(split: SplitReport, part: Part) -> str:
    first = next((c for c in split.chunks if c.part == part), None)
    return first.text.split("\n")[0].strip() if first and not first.subheading else ""


def _causes(split: SplitReport) -> str:
    return next((c.text for c in split.chunks if c.subheading == CAUSES_HEADING), "")


def _said(text: str) -> list[str]:
    """A passage's sentences and leads, stripped, none empty."""
    return [s.strip() for s in sentences(text, leads=True) if s.strip()]


def _first_sentence(text: str) -> str:
    return next(iter(_said(text)), "")


def _last_sentence(text: str) -> str:
    return next(reversed(_said(text)), "")


def part_headings(text: str) -> dict[str, str]:
    """part → the report's 一、 heading line for it (the first, if it has two)."""
    found: dict[str, str] = {}
    for line in (ln.strip() for ln in text.split("\n")):
        part = classify_heading(line) if PART_NUMBER.match(line) and len(line) <= 30 else None
        if part is not None:
            found.setdefault(part.value, line)
    return found


def _agreed_headings(texts: Sequence[str] | Any) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for text in texts:
        for part, line in part_headings(text).items():
            found.setdefault(part, []).append(line)
    return {part: agreed for part, lines in found.items() if (agreed := _agreed(lines))}


def template(lines: Sequence[str]) -> tuple[str, ...]:
    """The fixed pieces most of ``lines`` share, in order, with a slot between them: 「以“铸魂”为要，强化
    政治引领」 and 「以“压责”为要，拧紧责任链条」 → ("以“", SLOT, "”为要，", SLOT). () when they share none."""
    if len(lines) < 2 * AGREE:
        return ()
    kept = [lines[0]]
    for line in lines[1:]:  # each piece cut down to what this line has of it too (a line that has none: an outlier)
        cut = [piece[b.a:b.a + b.size] for piece in kept
               for b in difflib.SequenceMatcher(None, piece, line, autojunk=False).get_matching_blocks() if b.size >= 2]
        kept = cut or kept
    if not kept or kept == [lines[0]]:
        return ()
    shape = re.compile("(.*?)".join(re.escape(p) for p in kept).join(("^(.*?)", "(.*?)$")))
    if sum(bool(shape.match(line)) for line in lines) < 0.8 * len(lines):
        return ()
    out: list[str] = []
    head = shape.match(lines[0])
    assert head is not None  # the first line is one the pieces came from
    if head.group(1):
        out.append(SLOT)
    for n, piece in enumerate(kept):
        out.append(piece)
        if head.group(n + 2):
            out.append(SLOT)
    return tuple(out)


def slots(shape: tuple[str, ...], line: str) -> list[str]:
    """The values ``line`` gives a template's slots, or [] if it does not fit."""
    pattern = "".join("(.+?)" if p == SLOT else re.escape(p) for p in shape)
    found = re.fullmatch(pattern.replace("(.+?)", "(.+)", 1) if pattern.endswith("(.+?)") else pattern, line)
    return list(found.groups()) if found else []


def _keywords(splits: Sequence[tuple[SplitReport, str]]) -> dict[str, str]:
    """The keyword the house's subheadings gave each topic (the first slot, where it is short), read off the
    label the keyword heads (「以“压责”为要，拧紧责任链条」: responsibility). A label that names no topic
    (「服务兴林大局」) says nothing sure: its body may dwell on anything."""
    lines = [SUB_NUMBER.sub("", c.subheading) for s, _ in splits for c in s.chunks
             if c.part == Part.MAIN_WORK and c.subheading]
    shape = template(lines)
    found: dict[str, str] = {}
    for line in lines:
        values = slots(shape, line) if shape else []
        topic = topic_of(values[-1]) if len(values) > 1 else None
        if values and len(values[0]) <= 4 and topic is not None:
            found.setdefault(topic.key, values[0])
    return found


def _phrases(texts: Sequence[str], others: Sequence[str]) -> tuple[str, ...]:
    """Parallel wording (parts of one length, joined by 、) at least two house reports share and no other
    unit's report has: 「守好山、管好林、带好队」, 「一线问诊、现场开方」; most shared first. A list of posts
    (「党组书记、班子成员、支部书记」) is a fact, not a phrase."""
    bodies = [squash(t) for t in texts]
    theirs = [squash(t) for t in others]
    found: set[str] = set()
    for body in bodies:
        for run in _PARALLEL.findall(body):
            parts = run.split("、")
            size = min(map(len, parts[1:]))  # the first part may carry the words before it: cut it to size
            parts = [parts[0][-size:], *parts[1:-1], parts[-1][:size]]
            if len(set(map(len, parts))) == 1 and not any(POST.search(p) for p in parts):
                found.add("、".join(parts))
    shared = [p for p in found if sum(p in body for body in bodies) >= AGREE and not any(p in t for t in theirs)]
    return tuple(sorted(shared, key=lambda p: (-sum(body.count(p) for body in bodies), p)))


# A topic's keyword where the house's subheadings gave it none: two characters, as 「铸魂」 is.
KEYWORDS = {"responsibility": "压责", "theory": "铸魂", "organisation": "强基", "conduct": "正风",
            "ideology": "守阵", "members": "育人", "central": "聚力"}


def _filled(shape: tuple[str, ...], values: list[str]) -> str:
    given = iter(values)
    return "".join(next(given) if piece == SLOT else piece for piece in shape)


def count_word(n: int) -> str:
    """「三」 for 3, 「两」 for 2 (两件事, not 二件事)."""
    return "两" if n == 2 else numeral(n)
