"""Where the index keeps its texts: one protocol, two stores, chosen once when the index opens.

- ``SqliteTexts`` (an embedded index): chunk and report texts in a SQLite file beside chromadb's.
  chromadb's local store spends about 2 µs a character on a document (its full-text index and the
  metadata segment), which made the texts three quarters of ingest time. gongwen never searches the
  texts by keyword, so they live here: one row a text, keyed by the record's id, written in one
  transaction per batch. The schema is versioned (SQLite's ``user_version``).
- ``ChromaDocuments`` (a chroma server, ``GONGWEN_CHROMA_URL``): the texts are the server's documents,
  so every machine that shares the server sees them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import IndexError_
from ..i18n import _

FILE = "gongwen-texts.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS texts (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS texts_by_report ON texts (report_id);
"""
_MAX_VARIABLES = 900  # below SQLite's oldest limit on bound parameters per statement

Row = tuple[str, str, str]  # (record id, report id, text)


class TextStore(Protocol):
    include: tuple[str, ...]  # what a chromadb get or query must include for :meth:`texts` to read them

    def documents(self, texts: Sequence[str]) -> dict[str, Any]:
        """What chromadb's ``add`` takes for these records' texts (nothing, when they are kept here)."""
        ...

    def put(self, rows: Iterable[Row]) -> None: ...

    def texts(self, ids: Sequence[str], documents: Sequence[str | None] | None) -> list[str]:
        """The texts of these records, in order ('' for one that is missing)."""
        ...

    def delete_reports(self, report_ids: Sequence[str]) -> None: ...

    def clear(self) -> None: ...

    def close(self) -> None: ...


class SqliteTexts:
    include: tuple[str, ...] = ()

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                db.close()
                raise IndexError_(_("{path} was written by a newer gongwen (text store schema {schema}); "
                                    "upgrade gongwen, or run `gongwen corpus rebuild` to rebuild it").format(
                    path=self.path, schema=found))
            db.execute("PRAGMA journal_mode=WAL")  # readers (a draft) never wait on a writer (an add)
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # 0: written before versions were kept
            self._db = db
        return self._db

    def documents(self, texts: Sequence[str]) -> dict[str, Any]:
        return {}

    def put(self, rows: Iterable[Row]) -> None:
        """Store (id, report_id, text) rows, replacing any with the same id."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO texts (id, report_id, body) VALUES (?, ?, ?)", rows)

    def texts(self, ids: Sequence[str], documents: Sequence[str | None] | None) -> list[str]:
        found: dict[str, str] = {}
        for group in _groups(list(ids)):
            marks = ",".join("?" * len(group))
            found.update(self.db.execute(f"SELECT id, body FROM texts WHERE id IN ({marks})", group).fetchall())
        return [found.get(i, "") for i in ids]

    def delete_reports(self, report_ids: Sequence[str]) -> None:
        """Delete the report texts and chunk texts of these reports."""
        with self.db:
            for group in _groups(list(report_ids)):
                self.db.execute(f"DELETE FROM texts WHERE report_id IN ({','.join('?' * len(group))})", group)

    def clear(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM texts")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class ChromaDocuments:
    """The texts as a chroma server's documents: stored and deleted with their records."""

    include: tuple[str, ...] = ("documents",)

    def documents(self, texts: Sequence[str]) -> dict[str, Any]:
        return {"documents": list(texts)}

    def put(self, rows: Iterable[Row]) -> None:
        pass  # they travel with the records

    def texts(self, ids: Sequence[str], documents: Sequence[str | None] | None) -> list[str]:
        return [d or "" for d in documents or []]

    def delete_reports(self, report_ids: Sequence[str]) -> None:
        pass  # deleted with the records

    def clear(self) -> None:
        pass

    def close(self) -> None:
        pass


def _groups(values: list[str]) -> Iterator[list[str]]:
    """``values`` in slices small enough to bind in one statement."""
    for start in range(0, len(values), _MAX_VARIABLES):
        yield values[start:start + _MAX_VARIABLES]
