"""Retrieve: the example chunks nearest a query, diversified by maximal marginal relevance (MMR).

This is both ``gongwen corpus search`` and the retrieval the drafter uses for each section, so what a
person sees when searching is what the model is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..genre import Part
from .index import CorpusIndex
from .records import Candidate


@dataclass(frozen=True)
class Hit:
    id: str
    report_id: str
    part: str
    subheading: str
    text: str
    score: float  # cosine similarity to the query
    metadata: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "report_id": self.report_id, "part": self.part, "subheading": self.subheading,
                "text": self.text, "score": round(self.score, 4)}

    def record(self) -> dict[str, Any]:
        """As ``sources.json`` keeps it: with the unit, which prompts mask in the example's text."""
        return {**self.as_dict(), "unit": str(self.metadata.get("unit", "")), "house": bool(self.metadata.get("house"))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hit:
        """A hit as ``sources.json`` saved it (:meth:`record`)."""
        return cls(data["id"], data["report_id"], data["part"], data["subheading"], data["text"], data["score"],
                   {"unit": data.get("unit", ""), "house": bool(data.get("house"))})


def search(index: CorpusIndex, query: str, *, part: Part | None = None, k: int = 5,
           exclude_reports: Sequence[str] = (), diversity: float = 0.3, fetch_k: int | None = None,
           only_reports: Sequence[str] = ()) -> list[Hit]:
    """The ``k`` chunks most relevant to ``query`` that are not near-duplicates of each other.

    ``diversity`` is 1 − λ of MMR: 0 ranks by relevance alone, higher values trade relevance for
    variety. ``exclude_reports`` keeps the named reports out (evaluation holds a report out);
    ``only_reports`` searches those alone (the house's own).
    """
    if k <= 0:
        return []
    query_vec = index.embedder.embed([query])[0]
    candidates = index.query(query_vec, fetch_k or max(4 * k, 20), part, exclude_reports, only_reports)
    chosen = mmr(query_vec, candidates, k, 1.0 - diversity)
    return [
        Hit(c.id, str(c.metadata.get("report_id", "")), str(c.metadata.get("part", "")),
            str(c.metadata.get("subheading", "")), c.text, c.similarity, c.metadata)
        for c in chosen
    ]


def mmr(query: np.ndarray, candidates: list[Candidate], k: int, lambda_: float) -> list[Candidate]:
    """Greedy MMR: each pick maximises λ·relevance − (1−λ)·(max similarity to the picks so far)."""
    if not candidates:
        return []
    vectors = np.stack([c.embedding for c in candidates])
    relevance = np.array([c.similarity for c in candidates])
    pair = vectors @ vectors.T
    picked: list[int] = []
    redundancy = np.zeros(len(candidates))
    for _ in range(min(k, len(candidates))):
        score = lambda_ * relevance - (1.0 - lambda_) * redundancy
        score[picked] = -np.inf
        best = int(np.argmax(score))
        picked.append(best)
        redundancy = np.maximum(redundancy, pair[best])
    return [candidates[i] for i in picked]
