"""Batch drafting: many facts files (e.g. every subordinate unit's report) in one go.

All reports draft at once, and the writer's chat model is bounded once for all of them (see
``writing.backend.prepare_writer``), so ``--concurrency`` means the same thing for one report or fifty.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..corpus.read import TEXT_SUFFIXES
from ..errors import GongwenError
from ..i18n import _
from ..parallel import map_bounded
from ..writefile import check_folder
from .engine import run_draft
from .outline.facts import load_facts
from .outputs import check_outputs
from .request import DraftOptions, DraftProgress
from .results import DraftResult
from .runfolder import RunFolder
from .session import Drafted, open_sources, save_draft
from .writing.backend import Endpoint, prepare_writer
from .writing.writers import SectionWriter


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
               options: DraftOptions, progress: Callable[[Path], DraftProgress] | None = None
               ) -> list[DraftResult]:
    """Draft every facts file into its own run folder under ``runs``; results in input order."""
    stamp = time.strftime("%Y%m%d-%H%M%S")

    def one(numbered: tuple[int, Path]) -> DraftResult:
        n, path = numbered
        return run_draft(RunFolder.new(path.stem, runs, n, stamp), path, writer, index, options,
                         progress=progress(path) if progress else None)

    return map_bounded(one, list(enumerate(facts, start=1)), options.concurrency)


def draft_files(paths: list[Path], out_dir: Path | None, runs: Path | None, endpoint: Endpoint,
                options: DraftOptions, force: bool, index: Callable[[], CorpusIndex],
                progress: Callable[[Path], DraftProgress] | None = None, concurrency: int | None = None,
                note: Callable[[str], None] = lambda text: None) -> list[tuple[Path, Drafted]]:
    """Several facts files: check them all, then draft them all under one concurrency bound."""
    if out_dir is None:
        raise GongwenError(_("with several facts files, name a folder for the drafts with --out-dir"))
    files = facts_files(paths)
    if not files:
        raise GongwenError(_("{path}: no facts files (.md, .txt) in it").format(path=paths[0]))
    index = functools.cache(index)  # opened once, by the output checks or the drafts
    check_files(files, out_dir, force)
    outputs = [out_dir / f"{path.stem}{suffix}" for path in files for suffix in (".md", ".docx")]
    # Each file's display is told; it knows they are one command, and says it once.
    corpus = open_sources(outputs, index, endpoint, options, [progress(path) for path in files] if progress else [])
    writer = prepare_writer(endpoint, options, concurrency, bounded=True)
    results = draft_many(files, writer, runs, corpus, options, progress)
    return [(path, save_draft(RunFolder(result.run_dir), result, out_dir / f"{path.stem}.md",
                              out_dir / f"{path.stem}.docx"))
            for path, result in zip(files, results, strict=True)]


def check_files(files: list[Path], out_dir: Path, force: bool) -> None:
    """Every facts file and every output checked before any is drafted; every fault found is reported,
    one line each, not only the first."""
    problems: list[str] = []
    try:
        check_folder(out_dir)
    except GongwenError as exc:
        problems.append(str(exc))  # said once, not again for each output in it
    folder_ok = not problems
    named: dict[str, Path] = {}
    for path in files:
        if path.stem in named:
            problems.append(_("{first} and {second}: both would be drafted as {name}.md and .docx; rename one")
                            .format(first=named[path.stem], second=path, name=out_dir / path.stem))
            continue
        named[path.stem] = path
        try:
            load_facts(path)
            if folder_ok:
                check_outputs([out_dir / f"{path.stem}{suffix}" for suffix in (".md", ".docx")], force, files)
        except GongwenError as exc:
            problems.append(str(exc))
    if problems:
        raise GongwenError("\n".join([_("nothing was drafted: {count} problem(s) to fix first").format(
            count=len(problems)), *problems]))
