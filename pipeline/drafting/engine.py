"""The drafting engine: facts → plan → retrieve → write (and check) → record, into a run folder.

The record includes ``trace.json``, the draft's source map: each sentence and the facts it carries.

Each section is written by the section writer (an LLM writer with the composer as its fallback, or the
composer alone), all sections at once under a concurrency bound. Every section passes the fact lock,
the leak guard and the genre checks (checks/) or is replaced by the composer's text and flagged:
copied or invented text is never shipped.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .. import __version__
from ..corpus.house import house_ids
from ..corpus.index import CorpusIndex
from ..corpus.retrieve import Hit, search
from ..genre import CAUSES, Part
from ..llm.prompts import load_snippets
from ..parallel import map_bounded
from .checks.claims import OtherUnits
from .checks.factlock import allowed_numbers
from .checks.leak import LeakGuard, leak_guard
from .checks.trace import TracedSentence, claims, trace_section, unverified
from .outline.facts import Facts, load_facts
from .outline.plan import Plan, Section, make_plan
from .request import DraftOptions, DraftProgress
from .results import DraftResult, SectionResult, SectionStatus
from .review import draft_notes
from .runfolder import RunFolder
from .writing.compose import compose
from .writing.phrases import Phrasebook, phrasebook
from .writing.writers import SectionJob, SectionWriter, section_chain

HOUSE_HITS = 1  # of a section's references, how many come from the user's own reports when it has some


class StageClock:
    """Times each stage the same way; ``run.json`` records the seconds per stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.start = time.perf_counter()

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(time.perf_counter() - began, 3)


def run_draft(folder: RunFolder, facts_path: Path | None, writer: SectionWriter, index: CorpusIndex,
              options: DraftOptions | None = None, progress: DraftProgress | None = None,
              resume: bool = False, redo: tuple[str, ...] = ()) -> DraftResult:
    """Draft a report into ``folder``; with ``resume``, keep the sections already drafted there."""
    options = options or DraftOptions()
    clock = StageClock()
    folder.begin(facts_path, resume)
    facts = load_facts(folder.facts_file)
    with clock("plan"):
        plan = _plan(facts, redo, folder)
    kept = _kept(folder, plan, redo) if resume else {}
    if progress:
        progress.begin([s.id for s in plan.sections if s.id not in kept], writer.model)
    with clock("retrieve"):
        sources = _sources(index, plan, options, folder, resume)
        phrases = phrasebook(index, exclude=options.exclude_reports)
        guard = leak_guard(_shown(index, sources), facts, phrases.house.wording())
    _record_start(folder, writer, plan, options, kept, resume, facts_path)
    with clock("write"):
        sections = _write(folder, writer, plan, sources, guard, allowed_numbers(facts, plan.title), kept, options,
                          progress, phrases)
    result = DraftResult(folder.path, plan, sections, writer.backend, writer.model,
                         time.perf_counter() - clock.start)
    result.headings = dict(phrases.house.headings) or None  # the house's 一、 headings, where it has its own
    result.notes = draft_notes(result, facts, phrases)
    traced = trace_draft(plan, sections, phrases, guard.others)
    result.unverified = {sid: unverified(ts) for sid, ts in traced.items()}
    folder.write_json("checks.json", result.checks)
    folder.write_json("trace.json", source_map(result, traced))
    calls = folder.calls()
    folder.update(status="done", seconds=round(result.seconds, 3), timings=clock.seconds, calls=len(calls),
                  usage=_usage(calls))
    return result


def _plan(facts: Facts, redo: tuple[str, ...], folder: RunFolder) -> Plan:
    plan = make_plan(facts)
    plan.check_redo(redo)
    folder.write_json("plan.json", plan.as_dict())
    return plan


def _sources(index: CorpusIndex, plan: Plan, options: DraftOptions, folder: RunFolder,
             resume: bool) -> dict[str, list[Hit]]:
    """Each section's style references; a resumed run keeps the ones it was drafted with."""
    saved = folder.read_json("sources.json") if resume else {}
    if saved and set(saved) == {s.id for s in plan.sections}:
        return {sid: [Hit.from_dict(h) for h in hits] for sid, hits in saved.items()}
    sources = retrieve(index, plan, options)
    folder.write_json("sources.json", {sid: [h.record() for h in hits] for sid, hits in sources.items()})
    return sources


def retrieve(index: CorpusIndex, plan: Plan, options: DraftOptions) -> dict[str, list[Hit]]:
    """The example chunks of the same part nearest each section's heading and facts (MMR): the house's own
    first (HOUSE_HITS of them, where the corpus has the user's own reports), then other units'."""
    queries = load_snippets("section_parts")
    house = sorted(set(house_ids()) - set(options.exclude_reports))
    found = {}
    for s in plan.sections:
        query, part = s.query or queries.render(f"query.{s.id}"), Part.PROBLEMS if s.id == CAUSES else s.part
        own = [replace(h, metadata={**h.metadata, "house": True}) for h in
               search(index, query, k=min(HOUSE_HITS, options.k), part=part, only_reports=house)] if house else []
        found[s.id] = [*own, *search(index, query, k=options.k - len(own), part=part,
                                     exclude_reports=[*options.exclude_reports, *house])]
    return found


def _shown(index: CorpusIndex, sources: dict[str, list[Hit]]) -> list[tuple[str, str]]:
    """(unit, text) of the other units' reports the model is shown: the names and sentences it could copy.
    The house's own reports are not among them: their wording is the user's to reuse.

    Reading only these, not every report, spares a 10k-report corpus a second and 200 MB per draft.
    """
    house = house_ids()
    ids = sorted({h.report_id for hits in sources.values() for h in hits} - set(house))
    return [(report.unit, report.text) for report in index.reports_by_id(ids)]


def _kept(folder: RunFolder, plan: Plan, redo: tuple[str, ...]) -> dict[str, SectionResult]:
    return {section.id: result for n, section in enumerate(plan.sections, start=1)
            if section.id not in redo and (result := folder.load_section(n, section)) is not None}


def _record_start(folder: RunFolder, writer: SectionWriter, plan: Plan, options: DraftOptions,
                  kept: dict[str, SectionResult], resume: bool, facts_path: Path | None) -> None:
    previous = folder.record if resume else {}
    folder.update(status="running", backend=writer.backend, model=writer.model, endpoint=writer.endpoint,
                  versions=_versions(), prompts=writer.prompt_hashes(), style_refs=options.style_refs,
                  concurrency={"sections_at_once": options.concurrency, "why": options.concurrency_why},
                  facts=str(facts_path.absolute() if facts_path else previous.get("facts", "")),
                  sections=[s.id for s in plan.sections], sections_done=sorted(kept), resumed=resume,
                  usage=previous.get("usage", {}))


def _write(folder: RunFolder, writer: SectionWriter, plan: Plan, sources: dict[str, list[Hit]], guard: LeakGuard,
           allowed: set[tuple[Any, bool]], kept: dict[str, SectionResult], options: DraftOptions,
           progress: DraftProgress | None, phrases: Phrasebook) -> list[SectionResult]:
    """Write every section not kept, at most ``options.concurrency`` at once; each is saved when done."""
    chain = section_chain(writer)

    def one(numbered: tuple[int, Section]) -> SectionResult:
        n, section = numbered
        result = kept.get(section.id)
        if result is None:
            if progress:
                progress.started(section.id)
            result = chain(SectionJob(plan, section, sources[section.id], guard, allowed, folder.log_call, phrases))
            folder.save_section(n, result)
        if progress:
            progress.finished(result)
        return result

    try:
        return map_bounded(one, list(enumerate(plan.sections, start=1)), options.concurrency)
    except BaseException as exc:
        folder.stop("failed" if isinstance(exc, Exception) else "interrupted",
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise


def trace_draft(plan: Plan, sections: list[SectionResult], phrases: Phrasebook,
                others: OtherUnits | None = None) -> dict[str, list[TracedSentence]]:
    """Every shipped section traced, with the composer's text for it as the stock it may share. The
    user's own text (a section they changed, kept by revise) is theirs: nothing in it is marked."""
    return {r.id: trace_section(r.text, plan.section(r.id), plan, compose(plan, plan.section(r.id), phrases), others,
                                phrases.wording)
            for r in sections if r.status != SectionStatus.LOCKED}


def source_map(result: DraftResult, traced: dict[str, list[TracedSentence]]) -> dict[str, Any]:
    """trace.json: each shipped sentence, what it is for the reader (fact, stock, unverified), the facts
    it carries (lines of facts.md), what it claims that its section rejects, and what ships unverified."""
    return {"sections": {sid: [asdict(t) for t in ts] for sid, ts in traced.items()},
            "unsupported_claims": sum(len(claims(ts)) for ts in traced.values()),
            "unverified": result.unverified_count, "unverified_per_1000": result.unverified_rate}


def _usage(calls: list[dict[str, Any]]) -> dict[str, int]:
    usage: dict[str, int] = {}
    for call in calls:
        for key, value in call["usage"].items():
            usage[key] = usage.get(key, 0) + value
    return usage


def _versions() -> dict[str, str]:
    found = {"gongwen": __version__, "python": platform.python_version()}
    for package in ("chromadb", "openai", "langchain-core", "python-docx"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found
