"""Which reports a case holds out of retrieval: its source report and that report's near-duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus.index import CorpusIndex
from ..text import squash

NEAR_DUPLICATE_JACCARD = 0.5


@dataclass(frozen=True)
class Report:
    id: str
    unit: str
    source: str
    text: str


def jaccard_5grams(a: str, b: str) -> float:
    ga = {a[i:i + 5] for i in range(len(a) - 4)}
    gb = {b[i:i + 5] for i in range(len(b) - 4)}
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def held_out(target: Report, reports: list[Report]) -> set[str]:
    """The target and its near-duplicates: same unit, or character 5-gram Jaccard above 0.5."""
    a = squash(target.text)
    return {r.id for r in reports
            if r.id == target.id or (r.unit and r.unit == target.unit)
            or jaccard_5grams(a, squash(r.text)) > NEAR_DUPLICATE_JACCARD}


def corpus_reports(index: CorpusIndex) -> list[Report]:
    return [Report(r.id, r.unit, r.source, r.text) for r in index.reports_with_text()]


