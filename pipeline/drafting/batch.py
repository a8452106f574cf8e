"""Batch drafting: many facts files (e.g. every subordinate unit's report) in one go.

All reports draft at once, and the writer's chat model is bounded once for all of them (see
``session.make_writer``), so ``--concurrency`` means the same thing for one report or fifty.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..corpus.read import TEXT_SUFFIXES
from ..parallel import map_bounded
from .engine import DraftOptions, run_draft
from .results import DraftResult, SectionResult
from .runfolder import RunFolder
from .writers import SectionWriter


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


def draft_many(facts: list[Path], writer: SectionWriter, runs: Path | None, index: CorpusIndex,
               options: DraftOptions, progress: Callable[[Path, SectionResult], None] | None = None
               ) -> list[DraftResult]:
    """Draft every facts file into its own run folder under ``runs``; results in input order."""
    stamp = time.strftime("%Y%m%d-%H%M%S")

    def one(numbered: tuple[int, Path]) -> DraftResult:
        n, path = numbered
        report = (lambda section: progress(path, section)) if progress else None
        return run_draft(RunFolder.new(path.stem, runs, n, stamp), path, writer, index, options, progress=report)

    return map_bounded(one, list(enumerate(facts, start=1)), options.concurrency)
