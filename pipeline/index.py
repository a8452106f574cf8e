"""The corpus index: example reports and their chunks in chromadb.

Two collections:

- ``gongwen_chunks``: one record per chunk (a subsection or paragraph) with its part, subheading,
  order, unit, role, year, kind and source; searched by meaning when drafting.
- ``gongwen_reports``: one record per report, holding the cleaned text and what cleaning stripped,
  so ``corpus show`` and ``corpus rebuild`` need not reread the original file.

Both record which embedding built them; a query with another embedding is refused. Writes take a
file lock and a fresh client, so two ``gongwen`` processes can add at once without losing each
other's records.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import paths
from .embedding import Embedder, chroma_embedding_function, embedder_from_env
from .errors import GongwenError, IndexError_
from .split import Chunk

CHUNKS = "gongwen_chunks"
REPORTS = "gongwen_reports"
MARKER = "gongwen-index.json"
INDEX_FORMAT = 1
REBUILD_HINT = "run `gongwen corpus rebuild` to rebuild it"


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
    chunks: list[Chunk]
    stripped: list[dict[str, Any]] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        return list(dict.fromkeys(c.part.value for c in self.chunks))


@dataclass(frozen=True)
class Candidate:
    """A chunk returned by a vector query, with its embedding for MMR."""

    id: str
    text: str
    metadata: dict[str, Any]
    similarity: float
    embedding: np.ndarray


def chroma_url() -> str | None:
    return os.environ.get("GONGWEN_CHROMA_URL") or None


class CorpusIndex:
    def __init__(self, embedder: Embedder | None = None, location: Path | None = None) -> None:
        self.embedder = embedder or embedder_from_env()
        self.location = location or paths.index_dir()
        self.lock_path = self.location.parent / "index.lock"
        self._client: Any = None
        self._collections: dict[str, Any] = {}

    # --- opening ---------------------------------------------------------------------------------

    def _check_directory(self) -> None:
        if chroma_url() or not self.location.exists():
            return
        if not self.location.is_dir():
            raise IndexError_(f"index path {self.location} is not a directory; move it away or {REBUILD_HINT}")
        entries = [p.name for p in self.location.iterdir() if not p.name.startswith(".")]
        if entries and MARKER not in entries:
            raise IndexError_(
                f"{self.location} holds something that is not a gongwen index; "
                f"set GONGWEN_HOME elsewhere or {REBUILD_HINT}"
            )

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        url = chroma_url()
        try:
            if url:
                from urllib.parse import urlparse

                parsed = urlparse(url)
                return chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                           ssl=parsed.scheme == "https", settings=settings)
            self.location.mkdir(parents=True, exist_ok=True)
            marker = self.location / MARKER
            if not marker.exists():
                marker.write_text(json.dumps({"format": INDEX_FORMAT}), encoding="utf-8")
            return chromadb.PersistentClient(path=str(self.location), settings=settings)
        except GongwenError:
            raise
        except Exception as exc:
            where = url or str(self.location)
            raise IndexError_(f"cannot open the index at {where} ({_brief(exc)}); {REBUILD_HINT}") from None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._check_directory()
            self._client = self._connect()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            with suppress(Exception):
                self._client.close()
            self._client = None
        self._collections = {}

    def _collection(self, name: str) -> Any:
        if name in self._collections:
            return self._collections[name]
        with self.guard():
            collection = self.client.get_or_create_collection(
                name,
                metadata={"embedding": self.embedder.identity, "format": INDEX_FORMAT},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=chroma_embedding_function(self.embedder),
            )
        built_with = (collection.metadata or {}).get("embedding")
        if built_with != self.embedder.identity:
            raise IndexError_(
                f"the index was built with embedding '{built_with}' but the configured embedding is "
                f"'{self.embedder.identity}'; {REBUILD_HINT} with the configured one (or set GONGWEN_EMBEDDING "
                f"to match the index)"
            )
        self._collections[name] = collection
        return collection

    @property
    def chunks(self) -> Any:
        return self._collection(CHUNKS)

    @property
    def reports(self) -> Any:
        return self._collection(REPORTS)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn chromadb's failures on a damaged index into a one-line error with a hint."""
        try:
            yield
        except GongwenError:
            raise
        except Exception as exc:
            raise IndexError_(f"the index at {chroma_url() or self.location} failed ({_brief(exc)}); "
                              f"{REBUILD_HINT}") from None

    @contextmanager
    def writing(self) -> Iterator[CorpusIndex]:
        """Hold the write lock, with a client opened after taking it (so it sees others' writes)."""
        from filelock import FileLock, Timeout

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with FileLock(str(self.lock_path), timeout=600):
                self.close()
                try:
                    yield self
                finally:
                    self.close()  # flushes to disk before another process takes the lock
        except Timeout:
            raise GongwenError(f"another gongwen process holds {self.lock_path} for over 10 minutes") from None

    # --- reading ---------------------------------------------------------------------------------

    def report_count(self) -> int:
        with self.guard():
            return int(self.reports.count())

    def is_seeded(self) -> bool:
        return bool((self.reports.metadata or {}).get("seeded"))

    def mark_seeded(self) -> None:
        collection = self.reports
        with self.guard():
            collection.modify(metadata={**(collection.metadata or {}), "seeded": True})
        self._collections.pop(REPORTS, None)  # reload the metadata on next use

    def existing(self, report_ids: list[str]) -> set[str]:
        """Which of these report ids the index already holds."""
        with self.guard():
            return set(self.reports.get(ids=report_ids, include=[])["ids"]) if report_ids else set()

    def reports_from(self, source_paths: list[str]) -> dict[str, list[str]]:
        """Report ids stored for each of these source paths."""
        if not source_paths:
            return {}
        with self.guard():
            got = self.reports.get(where={"source_path": {"$in": source_paths}}, include=["metadatas"])
        found: dict[str, list[str]] = {}
        for rid, meta in zip(got["ids"], got["metadatas"], strict=True):
            found.setdefault(str(meta["source_path"]), []).append(rid)
        return found

    def list_reports(self) -> list[dict[str, Any]]:
        with self.guard():
            got = self.reports.get(include=["metadatas"])
        rows = [_report_row(rid, meta) for rid, meta in zip(got["ids"], got["metadatas"], strict=True)]
        return sorted(rows, key=lambda r: (r["source"], r["id"]))

    def resolve(self, key: str) -> str:
        """A report id from an id, a unique id prefix, or a source file name."""
        rows = self.list_reports()
        exact = [r["id"] for r in rows if key in (r["id"], r["source"])]
        matches = exact or [r["id"] for r in rows if len(key) >= 4 and r["id"].startswith(key)]
        if len(matches) == 1:
            return str(matches[0])
        if not matches:
            raise GongwenError(f"no report '{key}' in the corpus; `gongwen corpus list` shows the ids")
        raise GongwenError(f"'{key}' matches {len(matches)} reports; give more of the id")

    def get_report(self, report_id: str) -> dict[str, Any]:
        with self.guard():
            got = self.reports.get(ids=[report_id], include=["metadatas", "documents"])
            chunks = self.chunks.get(where={"report_id": report_id}, include=["metadatas", "documents"])
        if not got["ids"]:
            raise GongwenError(f"no report '{report_id}' in the corpus")
        meta = got["metadatas"][0]
        items = sorted(zip(chunks["metadatas"], chunks["documents"], strict=True), key=lambda mc: mc[0]["order"])
        return {
            **_report_row(report_id, meta),
            "text": got["documents"][0],
            "chunks": [{"part": m["part"], "subheading": m["subheading"], "order": m["order"], "text": d}
                       for m, d in items],
            "stripped": json.loads(meta.get("stripped", "[]")),
        }

    def stats(self) -> dict[str, Any]:
        with self.guard():
            metas = self.chunks.get(include=["metadatas"])["metadatas"]
        parts: dict[str, int] = {}
        for meta in metas:
            parts[meta["part"]] = parts.get(meta["part"], 0) + 1
        return {"reports": self.report_count(), "chunks": len(metas), "parts": parts,
                "embedding": self.embedder.identity}

    def query(self, embedding: np.ndarray, n: int, where: dict[str, Any] | None) -> list[Candidate]:
        collection = self.chunks
        with self.guard():
            # n may exceed what matches; chromadb then returns fewer (no count() round trip needed).
            got = collection.query(query_embeddings=[embedding], n_results=n, where=where,
                                   include=["documents", "metadatas", "distances", "embeddings"])
        if not got["ids"] or not got["ids"][0]:
            return []
        return [
            Candidate(cid, doc, meta, 1.0 - float(dist), np.asarray(emb, dtype=np.float32))
            for cid, doc, meta, dist, emb in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                                 got["distances"][0], got["embeddings"][0], strict=True)
        ]

    # --- writing (call inside ``writing()``) ------------------------------------------------------

    def add(self, reports: list[IndexedReport]) -> None:
        """Add reports in one write per collection (chromadb's cost is per call, not per record)."""
        if not reports:
            return
        chunk_ids: list[str] = []
        chunk_texts: list[str] = []
        chunk_metas: list[dict[str, Any]] = []
        for report in reports:
            for c in report.chunks:
                chunk_ids.append(f"{report.id}:{c.order:03d}")
                chunk_texts.append(c.text)
                chunk_metas.append(
                    {"report_id": report.id, "part": c.part.value, "subheading": c.subheading, "order": c.order,
                     "unit": report.unit, "role": report.role, "year": report.year, "kind": report.kind,
                     "source": report.source, "title": report.title})
        report_texts = [r.text for r in reports]
        vectors = self.embedder.embed(chunk_texts + report_texts)
        with self.guard():
            # Chunks first: a report record exists only once all its chunks do.
            self.chunks.upsert(ids=chunk_ids, documents=chunk_texts, metadatas=chunk_metas,
                               embeddings=list(vectors[: len(chunk_ids)]))
            self.reports.upsert(ids=[r.id for r in reports], documents=report_texts,
                                metadatas=[_report_meta(r) for r in reports],
                                embeddings=list(vectors[len(chunk_ids):]))

    def remove(self, report_ids: list[str]) -> None:
        if not report_ids:
            return
        with self.guard():
            self.reports.delete(ids=report_ids)
            self.chunks.delete(where={"report_id": {"$in": report_ids}})

    def _names(self) -> set[str]:
        # chromadb returns names (1.x) or Collection objects (older clients).
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    def stored_reports(self) -> list[tuple[str, str, str]]:
        """(source, source_path, cleaned text) of every report, read without checking which embedding
        built the index: rebuilding is how that is changed."""
        with self.guard():
            if REPORTS not in self._names():
                return []
            got = self.client.get_collection(REPORTS, embedding_function=None).get(
                include=["metadatas", "documents"])
        return [(str(meta.get("source", "report.txt")), str(meta.get("source_path", "")), text)
                for meta, text in zip(got["metadatas"], got["documents"], strict=True)]

    def drop_all(self) -> None:
        self._collections = {}
        with self.guard():
            for name in {CHUNKS, REPORTS} & self._names():
                self.client.delete_collection(name)


def _report_meta(report: IndexedReport) -> dict[str, Any]:
    return {
        "title": report.title, "unit": report.unit, "role": report.role, "year": report.year,
        "kind": report.kind, "source": report.source, "source_path": report.source_path,
        "parts": json.dumps(report.parts, ensure_ascii=False),
        "stripped": json.dumps(report.stripped, ensure_ascii=False),
        "n_chunks": len(report.chunks), "added": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def _report_row(report_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": report_id, "title": meta.get("title", ""), "unit": meta.get("unit", ""),
        "role": meta.get("role", ""), "year": meta.get("year", ""), "kind": meta.get("kind", ""),
        "source": meta.get("source", ""), "parts": json.loads(meta.get("parts", "[]")),
    }


def _brief(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
