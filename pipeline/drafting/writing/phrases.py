"""The genre's connective wording, mined from the indexed example reports: the composer's phrasebook.

Only what at least three reports share is kept (the leak guard's own measure of a stock phrase), so
no unit's own sentence can come out of it. Every kept phrase carries its count in
:attr:`Phrasebook.shared`, which the tests recount.

What is mined:

- **formulas** for a slot of the report, found where the slot is: the clause that opens the
  究其原因 paragraph (「究其主要原因」), the one that opens the closing, the clause before the problems
  or the plans are listed, the word in 「在…的X领导下」, the guiding theory the reports name;
- **heading leads**: the short first half of subheadings (「多措并举，…」), by the topic of the section
  they head;
- **topic terms** with the verb the reports put before them (「加强党性修养」, 「发挥党员的先锋模范作用」),
  for the composer's leads and item heads;
- **usual topics** (F13): the topics at least half the reports give a main-work item (outline/topics.py).

Where the examples share nothing for a slot the composer uses its own neutral wording.

Mining reads at most ``SAMPLE`` reports: ~25 ms for the five bundled ones, ~1 s for 200 (measured
here), plus reading their texts from the index; so the result is cached on disk, keyed by the ids
(content hashes) of the reports it was mined from.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ...corpus.split import SplitReport, split_or_none
from ...genre import CAUSES_HEADING, CAUSES_START, CLOSING_START, Part, genre_marker_rate
from ...text import HAN_RUN, bigrams, clauses, sentences, squash
from ..checks.leak import STOCK_MIN_EXAMPLES
from ..outline.topics import TOPICS, main_topic, report_topics, topic_of, usual_topics
from .house import HouseStyle, mine_house

if TYPE_CHECKING:
    from ...corpus.index import CorpusIndex

MIN_REPORTS = STOCK_MIN_EXAMPLES  # a phrase is the genre's when this many reports share it
SAMPLE = 200  # reports mined at most: formulas shared by 3 of 200 are common enough
MINER_VERSION = "7"  # part of the cache key: a change of the mining rules invalidates old caches
TERM_LENGTHS = range(4, 11)
TERMS_PER_TOPIC = 6

# The verb a noun phrase takes, by its head (the grammar, not any report's wording); a verb the reports
# themselves put before the phrase, three of them at least, wins over this one.
HEAD_VERBS = {"作用": "发挥", "建设": "加强", "责任": "压实", "职责": "履行", "学习": "抓实", "生活": "严格",
              "修养": "加强", "意识": "增强", "制度": "落实", "管理": "加强", "队伍": "建强", "能力": "提升",
              "堡垒": "建强", "教育": "深化", "培训": "抓好", "凝聚力": "增强", "组织力": "提升", "工作": "抓好"}
VERBS = frozenset({*HEAD_VERBS.values(), "强化", "压紧", "抓牢", "推进", "推动", "夯实", "健全", "完善", "严格",
                   "贯彻", "落实", "提高", "加大", "筑牢", "树牢", "坚持", "深入", "扎实", "持续"})
ADVERBS = frozenset({"集中", "认真", "全面", "积极", "不断", "切实", "充分", "及时", "自觉", "主动", "进一"})
_TIME_BOUND = re.compile(r"[一二三四五六七八九十]+(?:届|中全会|大)|\d")  # 十九届…: right for one year only
_HEADS = re.compile("|".join(sorted(HEAD_VERBS, key=len, reverse=True)))

# Slot → (which clauses of a report stand in it, what a formula for it must look like).
_SLOT_SHAPES: dict[str, re.Pattern[str]] = {
    "causes": CAUSES_START,
    "closing": CLOSING_START,
    "problems": re.compile(r"存在.{0,12}(不足|问题|差距|短板)$"),
    "plans": re.compile(r"(重点|着力|切实)抓好.{0,10}(工作|方面)$"),
    "leadership": re.compile(r"^[\u4e00-\u9fff]{2}$"),
    "guide": re.compile(r"^[\u4e00-\u9fff]{8,24}思想$"),
}


@dataclass(frozen=True)
class Phrasebook:
    reports: int = 0  # how many example reports it was mined from
    formulas: dict[str, str] = field(default_factory=dict)  # slot → the formula the reports share there
    heading_leads: dict[str, list[str]] = field(default_factory=dict)  # topic key → first halves
    terms: dict[str, list[str]] = field(default_factory=dict)  # topic key → verb + term, most shared first
    usual: dict[str, int] = field(default_factory=dict)  # usual topic key → reports covering it
    shared: dict[str, int] = field(default_factory=dict)  # every mined phrase → reports containing it
    # The genre's wording, bigram by bigram: what at least MIN_REPORTS reports use. A clause made only of
    # these (and the facts' words) is genre prose, 套语, whoever wrote it.
    genre: frozenset[str] = frozenset()
    # The genre's stock words per 1,000 characters (genre.GENRE_MARKERS) of the reports' upper quartile:
    # the rate the composer's drafts keep under, inside the band the reports span.
    marker_rate: float = 0.0
    marker_floor: float = 0.0  # the lowest rate of the reports: a draft below it reads thinner than any
    house: HouseStyle = field(default_factory=HouseStyle)  # the user's own office's formulas (house.py)

    @property
    def wording(self) -> frozenset[str]:
        """The bigrams a clause may be made of and claim nothing: the genre's, and the house's own formulas
        and phrases (never its facts: those are last year's)."""
        return self.genre | bigrams(self.house.wording()) if self.house.reports else self.genre

    def formula(self, slot: str, fallback: str) -> str:
        return self.formulas.get(slot) or fallback

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "genre": sorted(self.genre), "house": self.house.as_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Phrasebook:
        return cls(int(data["reports"]), dict(data["formulas"]), dict(data["heading_leads"]), dict(data["terms"]),
                   dict(data["usual"]), dict(data["shared"]), frozenset(data["genre"]), float(data["marker_rate"]),
                   float(data["marker_floor"]), HouseStyle.from_dict(data["house"]))


def phrasebook(index: CorpusIndex, exclude: Iterable[str] = ()) -> Phrasebook:
    """The phrasebook of the indexed reports (less ``exclude``), from the cache when it has been mined: the
    genre's wording from other units' reports, the house's from the user's own (corpus/house.py)."""
    from ... import paths
    from ...corpus.house import house_ids
    from ...writefile import make_private_dir, write_atomic

    left_out = set(exclude)
    house = set(house_ids()) - left_out
    ids = sorted(r.id for r in index.list_reports() if r.id not in left_out and r.id not in house)
    chosen = ids[:: max(1, -(-len(ids) // SAMPLE))][:SAMPLE]  # evenly over the ids, which are hashes
    own = sorted(r.id for r in index.list_reports() if r.id in house)[:SAMPLE]
    key = hashlib.sha256("\n".join([MINER_VERSION, *chosen, "house", *own]).encode()).hexdigest()[:24]
    cache = paths.data_dir() / "cache" / f"phrases-{key}.json"
    try:
        return Phrasebook.from_dict(json.loads(cache.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    others = [r.text for r in index.reports_by_id(chosen)]
    house_texts = [r.text for r in index.reports_by_id(own)] if own else []
    book = replace(mine(others), house=mine_house(house_texts, others))
    make_private_dir(cache.parent)
    write_atomic(cache, json.dumps(book.as_dict(), ensure_ascii=False))
    return book


def mine(texts: Sequence[str]) -> Phrasebook:
    """Mine a phrasebook from report texts (cleaned, as the index stores them)."""
    reports = [(split, squash(text)) for text in texts if (split := split_or_none(text)) is not None]
    bodies = [body for _, body in reports]
    count = _counter(bodies)
    shared: dict[str, int] = {}

    def keep(phrase: str) -> bool:
        n = count(phrase)
        if n >= MIN_REPORTS:
            shared[phrase] = n
        return n >= MIN_REPORTS

    formulas = {slot: found for slot, shape in _SLOT_SHAPES.items()
                if (found := _slot_formula([_slot_clauses(split, slot) for split, _ in reports], shape, keep))}
    leads: dict[str, list[str]] = {}
    for lead, topic in _heading_leads(split for split, _ in reports):
        if keep(lead) and lead not in leads.setdefault(topic, []):
            leads[topic].append(lead)
    terms = _terms(bodies, count, keep)
    covered = [report_topics((c.part, c.text) for c in split.chunks) for split, _ in reports]
    uses = Counter(gram for body in bodies for gram in bigrams(body))
    genre = frozenset(gram for gram, n in uses.items() if n >= MIN_REPORTS)
    rates = [genre_marker_rate(text) for text in texts]
    rate = statistics.quantiles(rates, n=4)[2] if len(rates) > 1 else sum(rates)
    return Phrasebook(len(reports), formulas, leads, terms, usual_topics(covered), dict(sorted(shared.items())),
                      genre, round(rate, 2), round(min(rates, default=0.0), 2))


def _counter(bodies: Sequence[str]) -> Callable[[str], int]:
    memo: dict[str, int] = {}

    def count(phrase: str) -> int:
        if phrase not in memo:
            memo[phrase] = sum(phrase in body for body in bodies)
        return memo[phrase]

    return count


def _clauses(text: str) -> list[str]:
    return [clause for s in sentences(squash(text)) for clause in clauses(s)]


def _slot_clauses(split: SplitReport, slot: str) -> set[str]:
    """The clauses of one report that stand in ``slot`` (each report counts once per clause)."""
    chunks = split.chunks
    if slot == "causes":
        texts = [c.text for c in chunks if c.subheading == CAUSES_HEADING]
        return {_clauses(t)[0] for t in texts if _clauses(t)}
    if slot == "closing":
        return {_clauses(c.text)[0] for c in chunks if c.part == Part.CLOSING and _clauses(c.text)}
    if slot in ("problems", "plans"):
        part = Part.PROBLEMS if slot == "problems" else Part.PLANS
        leads = [c.text for c in chunks if c.part == part and not c.subheading][:1]
        return {clause for text in leads for clause in _clauses(text)}
    opening = " ".join(c.text for c in chunks if c.part == Part.OPENING)
    if slot == "leadership":
        return set(re.findall(r"的([\u4e00-\u9fff]{2})领导下", opening))
    return {m for m in re.findall(r"[\u4e00-\u9fff]{8,24}思想", " ".join(c.text for c in chunks))}


def _slot_formula(per_report: list[set[str]], shape: re.Pattern[str], keep: Callable[[str], bool]) -> str:
    """The clause most reports put in the slot, if at least MIN_REPORTS do (ties: the longer)."""
    tally: dict[str, int] = {}
    for said in per_report:
        for clause in said:
            for candidate in _tails(clause) if clause.endswith("思想") else [clause]:
                if shape.search(candidate):
                    tally[candidate] = tally.get(candidate, 0) + 1
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))
    return next((c for c, n in ranked if n >= MIN_REPORTS and keep(c)), "")


def _tails(clause: str) -> list[str]:
    """「深入学习习近平…思想」 → its endings, so the shared name is found inside longer clauses."""
    return [clause[i:] for i in range(len(clause) - 7)]


def _heading_leads(splits: Iterable[SplitReport]) -> Iterable[tuple[str, str]]:
    """(first half of a 「X，Y」 subheading, the topic of the section it heads)."""
    for split in splits:
        for chunk in split.chunks:
            if chunk.part not in (Part.MAIN_WORK, Part.PLANS) or "，" not in chunk.subheading:
                continue
            lead = chunk.subheading.split("，", 1)[0]
            if HAN_RUN.fullmatch(lead) and 2 <= len(lead) <= 6 and not _TIME_BOUND.search(lead):
                topic = main_topic(chunk.text)
                yield lead, topic.key if topic else ""


def _terms(bodies: Sequence[str], count: Callable[[str], int], keep: Callable[[str], bool]) -> dict[str, list[str]]:
    """Topic → 「verb + term」 for the noun phrases at least MIN_REPORTS reports use."""
    # Document frequency of every run of 4-10 characters that ends in a head noun, counted where the
    # heads are (a few hundred per report) rather than over every substring; and what follows each use.
    reports_using: Counter[str] = Counter()
    follows: dict[str, Counter[str]] = defaultdict(Counter)
    for body in bodies:
        found: set[str] = set()
        for run in HAN_RUN.findall(body):
            for m in _HEADS.finditer(run):
                for size in range(len(m.group()) + 1, min(m.end(), TERM_LENGTHS[-1]) + 1):
                    if size in TERM_LENGTHS:
                        term = run[m.end() - size:m.end()]
                        found.add(term)
                        follows[term][run[m.end():m.end() + 1]] += 1
        reports_using.update(found)
    shared = [(t, n) for t, n in reports_using.items() if n >= MIN_REPORTS and _head(t)]
    candidates = {t: n for t, n in shared if not _TIME_BOUND.search(t)
                  and t[:2] not in VERBS | ADVERBS and not _fragment(follows[t])
                  and not any(f"“{t}”" in body for body in bodies)}  # quoted in the reports: a slogan
    # Of terms inside one another (先锋模范作用, 党员先锋模范作用) keep the longest, and of two spellings
    # (党员的先锋模范作用, 党员先锋模范作用) the more shared: one idea, one head.
    longest = [t for t in candidates if not any(t != u and t in u for u in candidates)]
    spelled: dict[str, str] = {}
    for term in sorted(longest, key=lambda t: (-candidates[t], t)):
        spelled.setdefault(term.replace("的", ""), term)
    longest = [t for t in longest if spelled[t.replace("的", "")] == t]
    by_topic: dict[str, list[tuple[int, int, str]]] = {}
    for term in longest:
        topic = topic_of(term)
        if topic is not None and keep(term):
            phrase = _verb(term, bodies, count, keep) + term
            by_topic.setdefault(topic.key, []).append((-candidates[term], -len(term), phrase))
    # In the topics' own order, not the order a set of strings happened to iterate in (which Python's
    # hash seed changes from run to run): the composer takes the first fitting term, so the same
    # corpus must give the same book.
    return {topic.key: [p for _, _, p in sorted(by_topic[topic.key])[:TERMS_PER_TOPIC]]
            for topic in TOPICS if topic.key in by_topic}


def _fragment(after: Counter[str]) -> bool:
    """「第一责任」 is 「第一责任人」 cut short: nearly every time it is used, the same character follows
    (``after`` counts what follows each use; "" where the run of characters ends)."""
    top, uses = after.most_common(1)[0]
    return bool(top) and uses > 0.75 * sum(after.values())


def _head(term: str) -> str:
    return next((h for h in sorted(HEAD_VERBS, key=len, reverse=True) if term.endswith(h) and term != h), "")


def _verb(term: str, bodies: Sequence[str], count: Callable[[str], int], keep: Callable[[str], bool]) -> str:
    """The verb most reports put right before ``term`` (at least MIN_REPORTS), else its head's verb."""
    before: dict[str, int] = {}
    for body in bodies:
        for match in re.finditer(re.escape(term), body):
            verb = body[max(0, match.start() - 2):match.start()]
            if verb in VERBS:
                before[verb] = before.get(verb, 0) + 1
    for verb, _ in sorted(before.items(), key=lambda kv: (-kv[1], kv[0])):
        if count(verb + term) >= MIN_REPORTS and keep(verb + term):
            return verb
    return HEAD_VERBS[_head(term)]
