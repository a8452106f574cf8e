"""Ingest: files → read (a .md file's marks read by markdown.py) → screen → clean → split → index.

A bad file never stops a batch: it is skipped with a one-line reason and the batch goes on. A facts
file is refused too: it is this year's facts, not an example report.
A report's identity is the hash of its cleaned text, so re-adding an unchanged file embeds nothing,
and a changed file (same path, new content) replaces its old chunks.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import GongwenError, InputError, brief, debugging
from ..i18n import _
from .clean import clean_text
from .embedding import HashingEmbedder
from .index import CorpusIndex
from .markdown import facts_file_reason, markdown_text
from .read import MARKDOWN_SUFFIXES, SUPPORTED_SUFFIXES, TEXT_SUFFIXES, read_report
from .records import IndexedReport
from .screen import Finding, screen
from .split import NoStructure, retrieval_units, split_report


@dataclass
class Outcome:
    path: str
    status: str  # added | replaced | unchanged | skipped (``error`` says why)
    report_id: str = ""
    title: str = ""
    chunks: int = 0
    error: str = ""
    flagged: list[dict[str, Any]] = field(default_factory=list)  # what screening kept out (screen.Finding)


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.count("added"), "replaced": self.count("replaced"),
            "unchanged": self.count("unchanged"), "skipped": self.count("skipped"),
            "flagged": sum(1 for o in self.outcomes if o.flagged),
            "files": [asdict(o) for o in self.outcomes],
        }


def kind_of(title: str) -> str:
    if "述职" in title:
        return "述职报告"
    if "总结" in title:
        return "工作总结"
    return "工作报告"


def prepare(path: Path, source_path: str | None = None) -> IndexedReport:
    """Read, screen, clean and split one file. Raises :class:`InputError` for a bad file."""
    read = read_report(path)
    text = read.text
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES and (facts := facts_file_reason(text)):
        raise InputError(path, facts)
    text = strip_front_matter(text, path)
    if suffix in MARKDOWN_SUFFIXES:
        text = markdown_text(text)
    return prepare_text(text, path, source_path or str(path.resolve()), read.findings)


def prepare_text(text: str, path: Path, source_path: str, flagged: Sequence[Finding] = ()) -> IndexedReport:
    """Screen, clean and split a report's text; ``flagged`` is what reading already kept out of it."""
    screened = screen(strip_front_matter(text, path))
    findings = sorted([*flagged, *screened.findings], key=lambda f: f.paragraph)
    cleaned = clean_text(screened.text)
    try:
        split = split_report(cleaned.text)
    except NoStructure as exc:
        raise InputError(path, str(exc)) from None
    if not split.unit:
        # Without it the leak guard cannot keep this unit's name out of other people's drafts.
        raise InputError(path, _("no unit found in the title or opening (e.g. 《X局党组书记……述职报告》); "
                                 "put the unit in the title"))
    return IndexedReport(
        id=report_id(cleaned.text, findings),
        source=path.name,
        source_path=source_path,
        title=split.title, unit=split.unit, role=split.role, year=split.year, kind=kind_of(split.title),
        text=cleaned.text,
        chunks=retrieval_units(split.chunks),
        stripped=[asdict(s) for s in cleaned.stripped],
        flagged=[f.as_dict() for f in findings],
    )


def report_id(text: str, flagged: Sequence[Finding]) -> str:
    """The hash of the cleaned text, and of what was flagged in it if anything was: a report that
    gained a planted sentence is not the report it was (and keeps the id it had when nothing was)."""
    content = text + "".join(f"\n{f.paragraph}\t{f.kind}\t{f.text}" for f in flagged)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def strip_front_matter(text: str, path: Path) -> str:
    """Blank out a Markdown file's ``---`` front matter (so line numbers still count the file's lines);
    refuse one that is never closed."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n" * (i + 1) + "\n".join(lines[i + 1:])
    raise InputError(path, _("line 1: front matter opened with '---' is never closed"))


def expand(paths_: Iterable[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named (recursively, skipping hidden)."""
    files: list[Path] = []
    for path in paths_:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
            )
        else:
            files.append(path)  # read_document names a missing or unsupported file
    return files


BATCH = 64  # reports per chromadb write: its cost is per call, so a batch is nearly as cheap as one


@dataclass(frozen=True)
class Source:
    """A report to index: a file, or text already read (when rebuilding) under a file's name."""

    path: Path
    source_path: str | None = None
    text: str | None = None
    flagged: tuple[Finding, ...] = ()  # found when the text was first read (rebuilding keeps them)


def add_paths(index: CorpusIndex, paths_: Iterable[Path],
              progress: Callable[[Outcome], None] | None = None) -> IngestSummary:
    with index.writing():
        return _index_sources(index, [Source(p) for p in expand(paths_)], progress)


def add_text(index: CorpusIndex, text: str, name: str, source_path: str) -> Outcome:
    """One report given as text (a draft the user finished in Word), read, cleaned, split and indexed like
    a file of that name; a later text under the same ``source_path`` replaces it."""
    with index.writing():
        return _index_sources(index, [Source(Path(name), source_path, text)]).outcomes[0]


def _index_sources(index: CorpusIndex, sources: list[Source],
                   progress: Callable[[Outcome], None] | None = None) -> IngestSummary:
    summary = IngestSummary()
    # The offline embedding is cheap and local, so it is computed with the text, even for a report
    # the index turns out to hold; an API embedding is asked only for new reports.
    embedder = index.embedder if isinstance(index.embedder, HashingEmbedder) else None
    for prepared in _prepared_batches(sources, embedder):
        for outcome in _index_batch(index, prepared):
            summary.outcomes.append(outcome)
            if progress:
                progress(outcome)
    return summary


Prepared = list[tuple[Source, IndexedReport | str]]  # a report, or why its file was refused
AHEAD_FROM = 256  # files; fewer are done in this process, as a worker takes ~0.5 s to start


def _prepared_batches(sources: list[Source], embedder: HashingEmbedder | None) -> Iterator[Prepared]:
    """The sources read, cleaned, split (and embedded) a batch at a time.

    chromadb holds the GIL while it writes, so for a large ingest one worker process prepares the
    next batch while this one writes the last: the two cores both work.
    """
    batches = [sources[start:start + BATCH] for start in range(0, len(sources), BATCH)]
    if len(sources) < AHEAD_FROM:
        yield from (_prepare_batch(batch, embedder) for batch in batches)
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as worker:
        ahead = worker.submit(_prepare_batch, batches[0], embedder)
        for following in [*batches[1:], None]:
            ready = ahead.result()
            if following is not None:
                ahead = worker.submit(_prepare_batch, following, embedder)
            yield ready


def _prepare_batch(sources: list[Source], embedder: HashingEmbedder | None) -> Prepared:
    prepared: Prepared = []
    for source in sources:
        try:
            if source.text is None:
                prepared.append((source, prepare(source.path, source.source_path)))
            else:
                prepared.append((source, prepare_text(source.text, source.path,
                                                      source.source_path or str(source.path), source.flagged)))
        except InputError as exc:
            prepared.append((source, exc.reason))
        except Exception as exc:  # a fault in a file no reader foresaw must not stop the batch
            if debugging():
                raise
            prepared.append((source, f"cannot be read ({brief(exc)})"))
    reports = [r for _, r in prepared if isinstance(r, IndexedReport)]
    if embedder is not None and reports:
        vectors = embedder.embed([c.text for r in reports for c in r.chunks])
        start = 0
        for report in reports:
            report.vectors = vectors[start:start + len(report.chunks)]
            start += len(report.chunks)
    return prepared


def _index_batch(index: CorpusIndex, prepared: Prepared) -> list[Outcome]:
    reports = [r for _, r in prepared if isinstance(r, IndexedReport)]
    stored = index.existing([r.id for r in reports])
    new: dict[str, IndexedReport] = {}
    for report in reports:
        if report.id not in stored:
            new.setdefault(report.id, report)
    previous = index.reports_from([r.source_path for r in new.values()])
    replaced = {r.id for r in new.values() if any(rid != r.id for rid in previous.get(r.source_path, []))}
    index.remove(sorted({rid for r in new.values() for rid in previous.get(r.source_path, []) if rid != r.id}))
    index.add(list(new.values()))

    outcomes = []
    for source, result in prepared:
        if isinstance(result, str):
            outcomes.append(Outcome(str(source.path), "skipped", error=result))
            continue
        status = "unchanged"
        if new.get(result.id) is result:
            status = "replaced" if result.id in replaced else "added"
        outcomes.append(Outcome(str(source.path), status, result.id, result.title, len(result.chunks),
                                flagged=result.flagged))
    return outcomes


def _bundled_sources() -> list[Source]:
    return [Source(p, source_path=f"bundled:{p.name}") for p in expand([paths.bundled_corpus_dir()])]


def ensure_seeded(index: CorpusIndex) -> IngestSummary | None:
    """On first use, fill an empty index with the bundled example reports."""
    if index.is_seeded():
        return None
    with index.writing():
        if index.is_seeded():  # another process seeded it while we waited for the lock
            return None
        summary = _index_sources(index, _bundled_sources())
        if summary.skipped:
            first = summary.skipped[0]
            raise GongwenError(_("bundled example {path} could not be indexed: {reason}").format(
                path=first.path, reason=first.error))
        index.mark_seeded()
    return summary


def rebuild(index: CorpusIndex) -> IngestSummary:
    """Re-index every stored report with the configured embedding (e.g. after changing it).

    The cleaned texts are read back from the index when it is readable; a damaged index is moved
    aside (never deleted) and the bundled examples are indexed afresh.
    """
    with index.writing():
        try:
            stored = index.stored_reports()
        except GongwenError:
            stored = None
        if stored is None:
            index.move_aside()
        else:
            index.drop_all()
        index.close()
        sources = _bundled_sources() if stored is None else [
            Source(Path(r.source), source_path=r.source_path, text=r.text,
                   flagged=tuple(Finding(**f) for f in r.flagged)) for r in stored]
        summary = _index_sources(index, sources)
        index.mark_seeded()
    return summary
