"""The texts of an embedded index: chunk and report texts in a SQLite file beside chromadb's.

chromadb's local store spends about 2 µs a character on a document (its full-text index and the
metadata segment), which made the texts three quarters of ingest time. gongwen never searches the
texts by keyword, so an embedded index keeps them here: one row a text, keyed by the record's id,
written in one transaction per batch. A chroma server (``GONGWEN_CHROMA_URL``) keeps them as its
documents instead, so every machine that shares the server sees them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

FILE = "gongwen-texts.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS texts (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS texts_by_report ON texts (report_id);
"""
_MAX_VARIABLES = 900  # below SQLite's oldest limit on bound parameters per statement


class TextStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")  # readers (a draft) never wait on a writer (an add)
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def put(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Store (id, report_id, text) rows, replacing any with the same id."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO texts (id, report_id, body) VALUES (?, ?, ?)", rows)

    def texts(self, ids: list[str]) -> list[str]:
        """The texts of these ids in order; a missing one is an empty string."""
        found: dict[str, str] = {}
        for group in _groups(ids):
            marks = ",".join("?" * len(group))
            found.update(self.db.execute(f"SELECT id, body FROM texts WHERE id IN ({marks})", group).fetchall())
        return [found.get(i, "") for i in ids]

    def delete_reports(self, report_ids: list[str]) -> None:
        """Delete the report texts and chunk texts of these reports."""
        with self.db:
            for group in _groups(report_ids):
                self.db.execute(f"DELETE FROM texts WHERE report_id IN ({','.join('?' * len(group))})", group)

    def clear(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM texts")


def _groups(values: list[str]) -> Iterator[list[str]]:
    """``values`` in slices small enough to bind in one statement."""
    for start in range(0, len(values), _MAX_VARIABLES):
        yield values[start:start + _MAX_VARIABLES]
