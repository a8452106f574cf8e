"""Metrics that score a draft against the real report it was held out from.

**Gates** (a draft must pass them):

- ``invented_numbers``: numbers in the draft that are not in the facts (fact lock, numbers.py).
- ``fact_recall``: share of bullets stated in one paragraph: all their numbers and ≥ 70% of their key
  terms (a bullet's key terms are its character bigrams, the units Chinese meaning is carried by).
- ``quoted_term_recall``: share of the facts' quoted terms (“…”「…」《…》) the draft has verbatim.
- ``parts_present``: title, opening, the three parts and the closing, in that order (1 or 0).
- ``heading_conformance``: 一、→（一）→1.→（1）, no level skipped, each level numbered in sequence (1 or 0).
- ``placeholders``: how many 【待补】 are left.

**Descriptives** (to compare with the baselines): ``length_ratio``, character ROUGE-L, chrF,
``style_delta`` (cosine Burrows' Delta over character uni- and bigrams), ``genre_marker_rate`` (per
1,000 characters) and ``max_copied_span`` (the longest run shared with any example report).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..corpus.split import split_or_none
from ..drafting.checks.factlock import allowed_numbers, covers_wording, invented_number_violations, number_keys
from ..drafting.checks.numbers import chinese_to_int
from ..drafting.outline.facts import Facts
from ..genre import CN_DIGITS, PART_ORDER, genre_marker_rate, placeholder
from ..genre import placeholders as find_placeholders
from ..text import bigrams, quoted_terms, squash
from .metric import GATES


@dataclass(frozen=True)
class Score:
    metric: str
    value: float
    detail: Any = None


def plain_text(markdown: str) -> str:
    """A Markdown draft as report text: heading marks and the closing checklist removed."""
    body = markdown.split("\n---\n")[0]
    return "\n".join(re.sub(r"^#+\s*", "", line) for line in body.split("\n") if line.strip())


# --- gates -----------------------------------------------------------------------------------------


def invented_numbers(draft: str, facts: Facts) -> Score:
    invented = [v.text for v in invented_number_violations(draft, allowed_numbers(facts, facts.title))]
    return Score("invented_numbers", float(len(invented)), invented)


def fact_recall(draft: str, facts: Facts) -> Score:
    paragraphs = [p for p in draft.split("\n") if p.strip()]
    para_numbers = [number_keys([p]) for p in paragraphs]
    para_bigrams = [bigrams(p) for p in paragraphs]
    bullets = [b.text for b in facts.bullets_all()]
    missing = []
    for bullet in bullets:
        numbers = number_keys([bullet])
        stated = any(numbers <= nums and covers_wording(bullet, grams)
                     for nums, grams in zip(para_numbers, para_bigrams, strict=True))
        if not stated:
            missing.append(bullet)
    return Score("fact_recall", 1 - len(missing) / len(bullets) if bullets else 1.0, missing)


def quoted_term_recall(draft: str, facts: Facts) -> Score:
    terms = list(dict.fromkeys(t for b in facts.bullets_all() for t in quoted_terms(b.text)))
    missing = [t for t in terms if t not in draft]
    return Score("quoted_term_recall", 1 - len(missing) / len(terms) if terms else 1.0, missing)


def parts_present(text: str) -> Score:
    split = split_or_none(text)
    found = split.parts if split else []
    order = [p.value for p in PART_ORDER]
    in_order = [p for p in found if p in order]
    missing = [p for p in order if p not in in_order]
    ordered = in_order == sorted(in_order, key=order.index)
    return Score("parts_present", 1.0 if not missing and ordered else 0.0,
                 {"missing": missing, "in_order": ordered})


_LEVELS = (
    (1, re.compile(rf"^([{CN_DIGITS}]{{1,3}})、")),
    (2, re.compile(rf"^[（(]([{CN_DIGITS}]{{1,3}})[)）]")),
    (3, re.compile(r"^(\d{1,2})[.．](?!\d)")),
    (4, re.compile(r"^[（(](\d{1,2})[)）]")),
)


def _numeral(text: str) -> int:
    return int(text) if text.isdigit() else chinese_to_int(text) or 0


def heading_conformance(text: str) -> Score:
    """一、→（一）→1.→（1）: no level deeper than one below its parent, numbers counting 1, 2, 3 …"""
    expected = {1: 1, 2: 1, 3: 1, 4: 1}
    depth = 0
    for line in (ln.strip() for ln in text.split("\n")):
        for level, pattern in _LEVELS:
            match = pattern.match(line)
            if not match:
                continue
            if level > depth + 1:
                detail = f"level {level} heading 「{line[:20]}」 skips level {depth + 1}"
                return Score("heading_conformance", 0.0, detail)
            number = _numeral(match.group(1))
            if number != expected[level]:
                return Score("heading_conformance", 0.0,
                             f"「{line[:20]}」 is numbered {number}, expected {expected[level]}")
            expected[level] = number + 1
            for deeper in range(level + 1, 5):
                expected[deeper] = 1
            depth = level
            break
    return Score("heading_conformance", 1.0, None)


def placeholders(text: str) -> Score:
    found = [placeholder(what) for what in find_placeholders(text)]
    return Score("placeholders", float(len(found)), found)


def _text_only(measure: Callable[[str], Score]) -> Callable[[str, Facts], Score]:
    gate = lambda draft, facts: measure(draft)  # noqa: E731 - the facts are not needed to judge the form
    gate.__name__ = measure.__name__
    return gate


_GATES: tuple[Callable[[str, Facts], Score], ...] = (
    invented_numbers, fact_recall, quoted_term_recall, _text_only(parts_present), _text_only(heading_conformance),
    _text_only(placeholders))
assert tuple(gate.__name__ for gate in _GATES) == GATES, "every gate is in the metric table, in order"


def gates(draft: str, facts: Facts) -> list[Score]:
    return [gate(draft, facts) for gate in _GATES]


# --- descriptives ----------------------------------------------------------------------------------


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1."""
    from rapidfuzz.distance import LCSseq

    a, b = squash(candidate), squash(reference)
    if not a or not b:
        return 0.0
    lcs = LCSseq.similarity(a, b)
    precision, recall = lcs / len(a), lcs / len(b)
    return 0.0 if lcs == 0 else 2 * precision * recall / (precision + recall)


def chrf(candidate: str, reference: str) -> float:
    import sacrebleu

    return float(sacrebleu.sentence_chrf(squash(candidate), [squash(reference)]).score) / 100




def max_copied_span(text: str, examples: Sequence[str]) -> tuple[int, str]:
    """The longest run of ``text`` that stands in any example, by binary search on its length."""
    a = squash(text)
    bodies = [squash(e) for e in examples]

    def shared(length: int) -> str | None:
        if length == 0:
            return ""
        windows = {a[i:i + length] for i in range(len(a) - length + 1)}
        for b in bodies:
            for i in range(len(b) - length + 1):
                if b[i:i + length] in windows:
                    return b[i:i + length]
        return None

    low, high, best = 0, len(a), ""
    while low < high:
        mid = (low + high + 1) // 2
        found = shared(mid)
        if found is None:
            high = mid - 1
        else:
            low, best = mid, found
    return low, best


class StyleSpace:
    """Cosine Burrows' Delta over the most frequent character uni- and bigrams of a corpus."""

    def __init__(self, corpus: Sequence[str], features: int = 300) -> None:
        counts: Counter[str] = Counter()
        for text in corpus:
            counts.update(self._grams(text))
        self.features = [g for g, _ in counts.most_common(features)]
        matrix = np.array([self._profile(t) for t in corpus])
        self.mean = matrix.mean(axis=0)
        self.std = matrix.std(axis=0) + 1e-9

    @staticmethod
    def _grams(text: str) -> list[str]:
        t = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return list(t) + [t[i:i + 2] for i in range(len(t) - 1)]

    def _profile(self, text: str) -> np.ndarray:
        grams = Counter(self._grams(text))
        total = sum(grams.values()) or 1
        return np.array([grams[f] / total for f in self.features])

    def delta(self, a: str, b: str) -> float:
        za = (self._profile(a) - self.mean) / self.std
        zb = (self._profile(b) - self.mean) / self.std
        denom = float(np.linalg.norm(za) * np.linalg.norm(zb))
        return 1.0 - float(za @ zb) / denom if denom else 1.0


def part_texts(text: str) -> dict[str, str]:
    split = split_or_none(text)
    if split is None:
        return {}
    parts: dict[str, list[str]] = {}
    for chunk in split.chunks:
        parts.setdefault(chunk.part.value, []).append(chunk.text)
    return {part: "\n".join(texts) for part, texts in parts.items()}


def descriptives(candidate: str, reference: str, examples: Sequence[str], style: StyleSpace) -> list[Score]:
    span, text = max_copied_span(candidate, examples)
    reference_chars = len(squash(reference)) or 1
    return [
        Score("length_ratio", len(squash(candidate)) / reference_chars),
        Score("rouge_l", rouge_l(candidate, reference)),
        Score("chrf", chrf(candidate, reference)),
        Score("style_delta", style.delta(candidate, reference)),
        Score("genre_marker_rate", genre_marker_rate(candidate)),
        Score("max_copied_span", float(span), text),
    ]
