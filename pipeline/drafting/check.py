"""The fact lock, the leak guard and the genre's shape: what a drafted section must satisfy to ship.

- **invented_number**: every number in the draft must come from the facts (normalised, so 十二次
  matches 12次 and 1.2万 matches 12000); fixed terms and ordinals are not numbers (see numbers.py).
- **missing_number** / **missing_term** / **missing_fact**: every bullet of the section must show up:
  all its numbers, every quoted term (“…”「…」《…》) verbatim, and most of its wording.
- **leaked_name**: no unit name from an example report.
- **copied_span**: no run of ≥ 20 characters copied from one example, unless it is a stock phrase
  that at least three examples share, or the user's own facts contain it.
- **genre**: the opening ends 「现将……述职如下：」 after saying something, the causes begin 究其原因,
  the closing states a resolve for the year ahead, and no section is empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ..genre import (
    CAUSES,
    CAUSES_START,
    CLOSING_MIN_CHARS,
    CLOSING_RESOLVE,
    CLOSING_START,
    OPENING_END,
    OPENING_MIN_LEAD,
    UNIVERSAL_NAMES,
    Part,
)
from ..llm.prompts import Snippets, load_snippets
from .facts import Bullet, Facts
from .numbers import Number, find_numbers
from .plan import Section

COPY_WINDOW = 20
STOCK_MIN_EXAMPLES = 3
WORDING_SHARE = 0.7  # share of a bullet's character bigrams the section must contain

_QUOTED = re.compile(r"“([^”]{2,40})”|「([^」]{2,40})」|《([^》]{2,40})》|‘([^’]{2,40})’|\"([^\"]{2,40})\"")
_GENERIC_NAMES = {"县委", "市委", "区委", "党委", "党组", "政府", "镇委", "乡委"}


@dataclass(frozen=True)
class Violation:
    kind: str
    detail: str  # what to tell the person and the model (prompts/violations.txt), naming the text
    text: str = ""  # the offending or missing text


@lru_cache(maxsize=1)
def _messages() -> Snippets:
    return load_snippets("violations")


def violation(kind: str, text: str = "", key: str = "", **values: object) -> Violation:
    """A violation worded by prompts/violations.txt (``key`` defaults to ``kind``)."""
    messages = _messages()
    name = key or kind
    wanted = messages.variables(name)
    given = {"text": text, **values}
    return Violation(kind, messages.render(name, **{k: v for k, v in given.items() if k in wanted}), text)


@dataclass
class SectionCheck:
    section: str
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "ok": self.ok, "violations": [asdict(v) for v in self.violations]}


def number_keys(texts: Iterable[str]) -> set[tuple[Any, bool]]:
    return {n.key for text in texts for n in find_numbers(text)}


def allowed_numbers(facts: Facts, title: str) -> set[tuple[Any, bool]]:
    """The numbers a draft may use: those in the facts, the unit, role, superior and title, and the year."""
    return number_keys([*(b.text for b in facts.bullets_all()), facts.unit, facts.role, facts.superior, title,
                        f"{facts.year}年"])


def invented_number_violations(draft: str, allowed: set[tuple[Any, bool]]) -> list[Violation]:
    return [violation("invented_number", n.text)
            for n in find_numbers(draft) if n.key not in allowed]


def quoted_terms(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def bigrams(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}


def covers_wording(fact: str, text_bigrams: set[str]) -> bool:
    """Whether a text holds most of a fact's wording (its character bigrams: Chinese has no spaces)."""
    wording = bigrams(fact)
    return not wording or len(wording & text_bigrams) >= WORDING_SHARE * len(wording)


def missing_facts(draft: str, bullets: Sequence[Bullet]) -> list[Violation]:
    """Bullets whose numbers, quoted terms or wording the draft lacks."""
    have = {n.key for n in find_numbers(draft)}
    draft_bigrams = bigrams(draft)
    found: list[Violation] = []
    for bullet in bullets:
        numbers: list[Number] = find_numbers(bullet.text)
        for n in numbers:
            if n.key not in have:
                found.append(violation("missing_number", n.text, fact=bullet.text))
        for term in quoted_terms(bullet.text):
            if term not in draft:
                found.append(violation("missing_term", term, fact=bullet.text))
        if not covers_wording(bullet.text, draft_bigrams):
            found.append(violation("missing_fact", bullet.text, fact=bullet.text))
    return found


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


class LeakGuard:
    """Finds example units' names and runs copied from example reports in a draft."""

    def __init__(self, examples: Sequence[str], names: Iterable[str], own_words: str = "") -> None:
        texts = [normalise(t) for t in examples]
        windows = [{t[i:i + COPY_WINDOW] for i in range(len(t) - COPY_WINDOW + 1)} for t in texts]
        counts: dict[str, int] = {}
        for per_example in windows:
            for w in per_example:
                counts[w] = counts.get(w, 0) + 1
        self._copyable = {w for w, c in counts.items() if c < STOCK_MIN_EXAMPLES}
        # Text the user wrote in the facts (a document title, a quoted slogan, their own subheading) is
        # theirs to use, even where an example report has it too (often their own earlier report).
        self.own_words = own_words
        self._own_phrases = _phrases(own_words)
        self.names = sorted(
            {n for n in _name_variants(names) if n not in _GENERIC_NAMES and n not in own_words},
            key=len, reverse=True)

    def find(self, draft: str) -> list[Violation]:
        found = [violation("leaked_name", name)
                 for name in self.names if name in draft]
        masked = normalise(draft)
        for phrase in self._own_phrases:
            masked = masked.replace(phrase, "|")  # no copied run can pass through the user's own words
        return found + [violation("copied_span", span)
                        for span in self._copied_spans(masked)]

    def _copied_spans(self, text: str) -> list[str]:
        spans: list[str] = []
        start = end = -1
        for i in range(len(text) - COPY_WINDOW + 1):
            if text[i:i + COPY_WINDOW] in self._copyable:
                if i > end:  # a new span
                    if start >= 0:
                        spans.append(text[start:end])
                    start = i
                end = i + COPY_WINDOW
        if start >= 0:
            spans.append(text[start:end])
        return spans


def _phrases(text: str, shortest: int = 4) -> list[str]:
    """The user's phrases: quoted terms whole, and the clauses between punctuation; longest first."""
    found = set(quoted_terms(text)) | {f"“{t}”" for t in quoted_terms(text)} | {f"《{t}》" for t in quoted_terms(text)}
    for line in text.split("\n"):
        found.update(re.split(r"[，。；;：:！？、,]", normalise(line)))
        found.add(normalise(line))
    return sorted((p for p in found if len(p) >= shortest), key=len, reverse=True)


def _name_variants(names: Iterable[str]) -> set[str]:
    """「X区工信局」 → {「X区工信局」, 「区工信局」, 「工信局」}: the ways a report refers to itself."""
    variants: set[str] = set()
    for name in names:
        name = name.strip()
        if len(name) < 3:
            continue
        variants.add(name)
        short = re.sub(r"^(X|某)?[省市区县镇乡]?", "", name)
        if len(short) >= 3:
            variants.add(short)
        tail = re.sub(r"^.*[省市区县镇乡]", "", name)
        if len(tail) >= 3:
            variants.add(tail)
    return variants


def genre_violations(text: str, section: Section) -> list[Violation]:
    """What the genre requires of a section's shape."""
    body = text.strip()
    if not body:
        return [violation("genre", key="genre.empty")]
    if section.part == Part.OPENING:
        end = OPENING_END.search(body)
        lead = body[:end.start()].rsplit("。", 1)[0] if end else body
        if not end:
            return [violation("genre", key="genre.opening_end")]
        if len(re.sub(r"\W", "", lead)) < OPENING_MIN_LEAD:
            return [violation("genre", key="genre.opening_lead")]
    if section.part == Part.CLOSING and (len(re.sub(r"\W", "", body)) < CLOSING_MIN_CHARS
                                         or not (CLOSING_START.match(body) or CLOSING_RESOLVE.search(body))):
        return [violation("genre", key="genre.closing")]
    if section.id == CAUSES and not CAUSES_START.match(body):
        return [violation("genre", key="genre.causes")]
    return []


def leak_guard(shown: Sequence[tuple[str, str]], facts: Facts) -> LeakGuard:
    """The leak guard for a draft whose model was shown these example reports (unit, text)."""
    bullets = facts.bullets_all()
    # One fact per line, so a window never spans two facts and allows what neither contains.
    own = "\n".join([facts.unit, facts.role, facts.superior, facts.title, *(b.text for b in bullets),
                     *{b.group for b in bullets if b.group}, *UNIVERSAL_NAMES])
    return LeakGuard([text for _, text in shown], [unit for unit, _ in shown], own_words=own)
