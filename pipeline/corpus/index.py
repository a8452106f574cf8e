"""The corpus index: example reports and their chunks in chromadb.

Collections:

- ``gongwen_chunks_<part>`` (one per part: opening, main_work, problems, plans, closing): one
  record per chunk the drafter retrieves (a subsection or paragraph) with its report, subheading,
  order and unit; searched by meaning when drafting. One collection per part because a
  section only ever searches its own part, and chromadb's metadata filter costs ~100 ms a query at
  10k reports where a collection of its own costs nothing.
- ``gongwen_reports``: one record per report, with its title, unit, role, year, source and what
  cleaning stripped, so ``corpus show`` and ``corpus rebuild`` need not reread the original file.

The texts themselves (each chunk's and each report's cleaned text) live in a text store chosen once
when the index opens: a SQLite file beside an embedded index, or the documents of a chroma server
(see ``textstore``). What the index hands out are typed records: :class:`StoredReport` and
:class:`StoredChunk`.

Both collections record which embedding and index format built them; any other is refused with a
hint to rebuild. Writes take a file lock and a fresh client, so two ``gongwen`` processes can add at
once without losing each other's records; opening takes another (``opening``), so only one process at a
time creates or migrates the index and the others wait for it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np

from .. import paths
from ..errors import GongwenError, IndexError_, brief
from ..genre import Part
from ..i18n import N_, _
from ..llm.endpoint import check_url
from ..writefile import make_private_dir
from .embedding import Embedder, chroma_embedding_function, embedder_from_env
from .records import Candidate, IndexedReport, StoredChunk, StoredReport, report_meta, stored_report
from .textstore import ChromaDocuments, SqliteTexts, TextStore

CHUNKS = "gongwen_chunks_"  # + the part's name
CHUNK_PARTS = tuple(p for p in Part if p != Part.TITLE)
LEGACY_CHUNKS = "gongwen_chunks"  # format 1: every part in one collection
REPORTS = "gongwen_reports"
MARKER = "gongwen-index.json"
INDEX_FORMAT = 2  # 2: a chunk collection per part, texts in the TextStore (embedded), no title chunks
REBUILD_HINT = N_("run `gongwen corpus rebuild` to rebuild it")


class CorpusIndex:
    def __init__(self, embedder: Embedder | None = None, location: Path | None = None) -> None:
        self.embedder = embedder or embedder_from_env()
        self.location = location or paths.index_dir()
        self.lock_path = self.location.parent / "index.lock"  # held for a whole write (an add, a rebuild)
        self.open_lock_path = self.location.parent / "index.open.lock"  # held while opening (see ``opening``)
        self.url = os.environ.get("GONGWEN_CHROMA_URL") or None  # a chroma server, else the embedded store
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self.texts: TextStore = ChromaDocuments() if self.url else SqliteTexts(self.location)

    @property
    def where(self) -> str:
        return self.url or str(self.location)

    # --- opening ---------------------------------------------------------------------------------

    def _check_directory(self) -> None:
        if self.url or not self.location.exists():
            return
        if not self.location.is_dir():
            raise IndexError_(_("index path {path} is not a directory; move it away or {hint}").format(
                path=self.location, hint=_(REBUILD_HINT)))
        entries = [p.name for p in self.location.iterdir() if not p.name.startswith(".")]
        if entries and MARKER not in entries:
            raise IndexError_(
                _("{path} holds something that is not a gongwen index; set GONGWEN_HOME elsewhere or {hint}").format(
                    path=self.location, hint=_(REBUILD_HINT))
            )

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        url = self.url
        try:
            if url:
                from urllib.parse import urlparse

                check_url(url, N_("the chroma server (GONGWEN_CHROMA_URL)"))
                parsed = urlparse(url)
                return chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                           ssl=parsed.scheme == "https", settings=settings)
            make_private_dir(self.location)
            marker = self.location / MARKER
            if not marker.exists():
                marker.write_text(json.dumps({"format": INDEX_FORMAT}), encoding="utf-8")
            return chromadb.PersistentClient(path=str(self.location), settings=settings)
        except GongwenError:
            raise
        except Exception as exc:
            raise IndexError_(_("cannot open the index at {where} ({error}); {hint}").format(
                where=self.where, error=brief(exc), hint=_(REBUILD_HINT))) from None

    @property
    def client(self) -> Any:
        if self._client is None:
            with self.opening():
                self._check_directory()
                self._client = self._connect()
        return self._client

    @contextmanager
    def opening(self) -> Iterator[None]:
        """One process at a time opens the index, so one creates or migrates it and the others wait.

        chromadb creates its tables when it first opens a folder, and gets a collection by creating it
        if it is missing; two processes doing either at once failed (「table collections already
        exists」, 「database is locked」: 3 of 40 pairs of adds on a fresh folder). Held for the opening
        only, never for a write, so a draft does not wait for a long add to finish.
        """
        from filelock import FileLock, Timeout

        make_private_dir(self.open_lock_path.parent)
        try:
            with FileLock(str(self.open_lock_path), timeout=300):
                yield
        except Timeout:
            raise GongwenError(_("another gongwen process has held {path} for over 5 minutes while opening the "
                                 "index").format(path=self.open_lock_path)) from None

    def close(self) -> None:
        if self._client is not None:
            with suppress(Exception):
                self._client.close()
            self._client = None
        self._collections = {}
        self.texts.close()

    def _collection(self, name: str) -> Any:
        if name in self._collections:
            return self._collections[name]
        client = self.client
        with self.opening(), self.guard():
            collection = client.get_or_create_collection(
                name,
                metadata={"embedding": self.embedder.identity, "format": INDEX_FORMAT},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=chroma_embedding_function(self.embedder),
            )
        built_with = (collection.metadata or {}).get("embedding")
        if (collection.metadata or {}).get("format") != INDEX_FORMAT:
            raise IndexError_(_("the index at {where} was built by another version of gongwen; {hint}").format(
                where=self.where, hint=_(REBUILD_HINT)))
        if built_with != self.embedder.identity:
            raise IndexError_(
                _("the index was built with embedding '{built}' but the configured embedding is '{configured}'; "
                  "{hint} with the configured one (or set GONGWEN_EMBEDDING to match the index)").format(
                    built=built_with, configured=self.embedder.identity, hint=_(REBUILD_HINT))
            )
        self._collections[name] = collection
        return collection

    def chunks(self, part: Part) -> Any:
        return self._collection(CHUNKS + part.value)

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
            raise IndexError_(_("the index at {where} failed ({error}); {hint}").format(
                where=self.where, error=brief(exc), hint=_(REBUILD_HINT))) from None

    @contextmanager
    def writing(self) -> Iterator[CorpusIndex]:
        """Hold the write lock, with a client opened after taking it (so it sees others' writes)."""
        from filelock import FileLock, Timeout

        make_private_dir(self.lock_path.parent)
        try:
            with FileLock(str(self.lock_path), timeout=600):
                self.close()
                try:
                    yield self
                finally:
                    self.close()  # flushes to disk before another process takes the lock
        except Timeout:
            raise GongwenError(_("another gongwen process holds {path} for over 10 minutes").format(
                path=self.lock_path)) from None

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

    def list_reports(self) -> list[StoredReport]:
        with self.guard():
            got = self.reports.get(include=["metadatas"])
        reports = [stored_report(rid, meta) for rid, meta in zip(got["ids"], got["metadatas"], strict=True)]
        return sorted(reports, key=lambda r: (r.source, r.id))

    def resolve(self, key: str) -> str:
        """A report id from an id, a unique id prefix, or a source file name."""
        reports = self.list_reports()
        exact = [r.id for r in reports if key in (r.id, r.source)]
        matches = exact or [r.id for r in reports if len(key) >= 4 and r.id.startswith(key)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise GongwenError(_("no report '{key}' in the corpus; `gongwen corpus list` shows the ids").format(
                key=key))
        raise GongwenError(_("'{key}' matches {count} reports; give more of the id").format(key=key,
                                                                                           count=len(matches)))

    def get_report(self, report_id: str) -> tuple[StoredReport, list[StoredChunk]]:
        """A report with its text, and its chunks in order."""
        found = self.reports_by_id([report_id])
        if not found:
            raise GongwenError(_("no report '{key}' in the corpus").format(key=report_id))
        chunks: list[StoredChunk] = []
        with self.guard():
            for part in CHUNK_PARTS:
                got = self.chunks(part).get(where={"report_id": report_id}, include=["metadatas", *self.texts.include])
                chunks.extend(StoredChunk(part.value, meta["subheading"], meta["order"], text) for meta, text
                              in zip(got["metadatas"], self.texts.texts(got["ids"], got.get("documents")), strict=True))
        return found[0], sorted(chunks, key=lambda c: c.order)

    def reports_by_id(self, report_ids: list[str]) -> list[StoredReport]:
        """Each of these reports that the index holds, with its text."""
        if not report_ids:
            return []
        with self.guard():
            got = self.reports.get(ids=report_ids, include=["metadatas", *self.texts.include])
            return self._with_text(got)

    def reports_with_text(self) -> list[StoredReport]:
        """Every report, with its text."""
        with self.guard():
            return self._with_text(self.reports.get(include=["metadatas", *self.texts.include]))

    def _with_text(self, got: dict[str, Any]) -> list[StoredReport]:
        texts = self.texts.texts(got["ids"], got.get("documents"))
        return [stored_report(rid, meta, text)
                for rid, meta, text in zip(got["ids"], got["metadatas"], texts, strict=True)]

    def stats(self) -> dict[str, Any]:
        with self.guard():
            counts = {part.value: int(self.chunks(part).count()) for part in CHUNK_PARTS}
        parts = {name: count for name, count in counts.items() if count}
        return {"reports": self.report_count(), "chunks": sum(parts.values()), "parts": parts,
                "embedding": self.embedder.identity}

    def query(self, embedding: np.ndarray, n: int, part: Part | None = None,
              exclude_reports: Sequence[str] = (), only_reports: Sequence[str] = ()) -> list[Candidate]:
        """The ``n`` chunks nearest ``embedding`` in one part (or all), best first; with ``only_reports``,
        of those reports alone."""
        where = ({"report_id": {"$in": list(only_reports)}} if only_reports
                 else {"report_id": {"$nin": list(exclude_reports)}} if exclude_reports else None)
        include = ["metadatas", "distances", "embeddings", *self.texts.include]
        found: list[Candidate] = []
        with self.guard():
            for searched in [part] if part else CHUNK_PARTS:
                # n may exceed what matches; chromadb then returns fewer (no count() round trip needed).
                got = self.chunks(searched).query(query_embeddings=[embedding], n_results=n, where=where,
                                                  include=include)
                if not got["ids"] or not got["ids"][0]:
                    continue
                texts = self.texts.texts(got["ids"][0], (got.get("documents") or [None])[0])
                found.extend(
                    Candidate(cid, text, {**meta, "part": searched.value}, 1.0 - float(dist),
                              np.asarray(emb, dtype=np.float32))
                    for cid, text, meta, dist, emb in zip(got["ids"][0], texts, got["metadatas"][0],
                                                          got["distances"][0], got["embeddings"][0], strict=True))
        return sorted(found, key=lambda c: -c.similarity)[:n]

    # --- writing (call inside ``writing()``) ------------------------------------------------------

    def add(self, reports: list[IndexedReport]) -> None:
        """Add new reports in one write per collection (chromadb's cost is per call and per record).

        Ids are content hashes, so an id already present (left by an add that was cut off) holds the
        same text and chromadb's ``add`` keeps it.
        """
        if not reports:
            return
        chunks = [(i, report, c) for i, report in enumerate(reports) for c in report.chunks]
        chunk_ids = [f"{report.id}:{c.order:03d}" for _, report, c in chunks]
        chunk_texts = [c.text for _, _, c in chunks]
        # No "part": the collection says it, and each metadata key costs chromadb ~0.03 ms a record.
        chunk_metas = [{"report_id": report.id, "subheading": c.subheading, "order": c.order, "unit": report.unit}
                       for _, report, c in chunks]
        if all(r.vectors is not None for r in reports):
            chunk_vectors = np.concatenate([r.vectors for r in reports if r.vectors is not None])
        else:
            chunk_vectors = self.embedder.embed(chunk_texts)
        # A report is found by id, never by meaning: the mean of its chunks stands for it.
        owner = np.array([i for i, _, _ in chunks], dtype=np.intp)
        report_vectors = np.zeros((len(reports), chunk_vectors.shape[1]), dtype=np.float32)
        np.add.at(report_vectors, owner, chunk_vectors)
        report_vectors /= np.maximum(np.linalg.norm(report_vectors, axis=1, keepdims=True), 1e-9)
        with self.guard():
            self.texts.put([*((cid, report.id, text) for cid, (_, report, _), text
                              in zip(chunk_ids, chunks, chunk_texts, strict=True)),
                            *((r.id, r.id, r.text) for r in reports)])
            # Chunks before reports: a report record exists only once all its chunks do.
            for part in CHUNK_PARTS:
                rows = [i for i, (_, _, c) in enumerate(chunks) if c.part == part]
                if not rows:
                    continue
                self.chunks(part).add(ids=[chunk_ids[i] for i in rows], metadatas=[chunk_metas[i] for i in rows],
                                      embeddings=list(chunk_vectors[rows]),
                                      **self.texts.documents([chunk_texts[i] for i in rows]))
            self.reports.add(ids=[r.id for r in reports], metadatas=[report_meta(r) for r in reports],
                             embeddings=list(report_vectors), **self.texts.documents([r.text for r in reports]))

    def remove(self, report_ids: list[str]) -> None:
        if not report_ids:
            return
        with self.guard():
            self.reports.delete(ids=report_ids)
            for part in CHUNK_PARTS:
                self.chunks(part).delete(where={"report_id": {"$in": report_ids}})
            self.texts.delete_reports(report_ids)

    def _names(self) -> set[str]:
        # chromadb returns names (1.x) or Collection objects (older clients).
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    def stored_reports(self) -> list[StoredReport]:
        """Every report with its text, read without checking which embedding built the index:
        rebuilding is how that is changed."""
        with self.guard():
            if REPORTS not in self._names():
                return []
            collection = self.client.get_collection(REPORTS, embedding_function=None)
            if (collection.metadata or {}).get("format", 1) == 1:  # texts were chromadb documents
                got = collection.get(include=["metadatas", "documents"])
                return [stored_report(rid, meta, text or "") for rid, meta, text
                        in zip(got["ids"], got["metadatas"], got["documents"], strict=True)]
            return self._with_text(collection.get(include=["metadatas", *self.texts.include]))

    def move_aside(self) -> None:
        """Rename a damaged embedded index to ``index.broken-TIME`` (never delete it)."""
        self.close()
        if self.url or not self.location.exists():
            return
        self.location.rename(self.location.with_name(f"{self.location.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}"))
        # chromadb keeps one store per path for the life of the process; this path now names a new one.
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()

    def drop_all(self) -> None:
        self._collections = {}
        with self.guard():
            for name in self._names():
                if name.startswith((CHUNKS, LEGACY_CHUNKS, REPORTS)):
                    self.client.delete_collection(name)
            self.texts.clear()
