"""Batch drafting: many facts files (e.g. every subordinate unit's report) in one go.

All reports draft at once, and one semaphore bounds the LLM calls in flight across all of them, so
``--concurrency`` means the same thing for one report or fifty.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..corpus.read import TEXT_SUFFIXES
from ..llm.chat import Backend, Reply
from ..parallel import map_bounded
from .engine import DraftOptions, DraftResult, SectionResult, run_draft
from .plan import Plan, Section


class BoundedBackend:
    """A backend whose calls, from every thread, wait for one of ``limit`` slots."""

    def __init__(self, inner: Backend, limit: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.endpoint = inner.endpoint
        self._slots = threading.BoundedSemaphore(max(1, limit))

    def complete(self, messages: list[dict[str, str]], plan: Plan, section: Section) -> Reply:
        with self._slots:
            return self.inner.complete(messages, plan, section)


def facts_files(paths: list[Path]) -> list[Path]:
    """Facts files named, and the .md/.txt files directly inside folders named, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                                and not p.name.startswith(".")))
        else:
            found.append(path)
    return found


def draft_many(facts: list[Path], backend: Backend, runs: Path, index: CorpusIndex, options: DraftOptions,
               progress: Callable[[Path, SectionResult], None] | None = None) -> list[DraftResult]:
    """Draft every facts file into its own run folder under ``runs``; results in input order."""
    bounded = BoundedBackend(backend, options.concurrency)
    stamp = time.strftime("%Y%m%d-%H%M%S")

    def one(numbered: tuple[int, Path]) -> DraftResult:
        n, path = numbered
        report = (lambda section: progress(path, section)) if progress else None
        return run_draft(path, bounded, runs / f"{stamp}-{n:03d}-{path.stem}", index, options, progress=report)

    return map_bounded(one, list(enumerate(facts, start=1)), options.concurrency)
