"""The index's records: what goes in (a prepared report) and what comes out (typed, never raw dicts).

chromadb keeps metadata as flat scalars, so a report's lists (its parts, what cleaning stripped, what
screening flagged) are stored as JSON strings; :func:`report_meta` and :func:`stored_report` are the two
directions.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .split import Chunk


@dataclass
class IndexedReport:
    """A cleaned, split report as the index stores it."""

    id: str  # content hash of the cleaned text
    source: str  # file name
    source_path: str  # where it was read from
    title: str
    unit: str
    role: str
    year: str
    kind: str
    text: str
    chunks: list[Chunk]  # the retrieval units (see ``split.retrieval_units``)
    stripped: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)  # kept out of text and chunks (screen.py)
    vectors: np.ndarray | None = None  # of the chunks, when embedded ahead (see ``ingest``)

    @property
    def parts(self) -> list[str]:
        return list(dict.fromkeys(c.part.value for c in self.chunks))


@dataclass(frozen=True)
class StoredReport:
    """A report as the index holds it; ``text`` is read only by the calls that say so."""

    id: str
    title: str
    unit: str
    role: str
    year: str
    kind: str
    source: str  # file name
    source_path: str
    parts: list[str]
    stripped: list[dict[str, Any]]
    text: str = ""
    flagged: list[dict[str, Any]] = field(default_factory=list)  # what screening kept out of ``text``

    def row(self) -> dict[str, Any]:
        """What ``corpus list`` shows of it."""
        return {"id": self.id, "title": self.title, "unit": self.unit, "role": self.role, "year": self.year,
                "kind": self.kind, "source": self.source, "parts": self.parts, "flagged": self.flagged}


@dataclass(frozen=True)
class StoredChunk:
    part: str
    subheading: str
    order: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """A chunk returned by a vector query, with its embedding for MMR."""

    id: str
    text: str
    metadata: dict[str, Any]
    similarity: float
    embedding: np.ndarray


def report_meta(report: IndexedReport) -> dict[str, Any]:
    return {
        "title": report.title, "unit": report.unit, "role": report.role, "year": report.year,
        "kind": report.kind, "source": report.source, "source_path": report.source_path,
        "parts": json.dumps(report.parts, ensure_ascii=False),
        "stripped": json.dumps(report.stripped, ensure_ascii=False),
        "flagged": json.dumps(report.flagged, ensure_ascii=False),
        "n_chunks": len(report.chunks), "added": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def stored_report(report_id: str, meta: dict[str, Any], text: str = "") -> StoredReport:
    return StoredReport(
        id=report_id, title=str(meta.get("title", "")), unit=str(meta.get("unit", "")),
        role=str(meta.get("role", "")), year=str(meta.get("year", "")), kind=str(meta.get("kind", "")),
        source=str(meta.get("source", "report.txt")), source_path=str(meta.get("source_path", "")),
        parts=json.loads(meta.get("parts", "[]")), stripped=json.loads(meta.get("stripped", "[]")),
        flagged=json.loads(meta.get("flagged", "[]")), text=text)
