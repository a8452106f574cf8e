"""The reader's ledger of a run folder, and the review page made from it (``review.html``).

The ledger is ``trace.json``: each shipped sentence, what it is for the reader (事实, 套语, 待核实, or a
claim), and the facts it carries. A run folder saved without one (an older run, or drafts saved from
elsewhere) is traced here, with the engine's ``trace_draft`` and today's checks, and the page says so.
That is why this sits in drafting/ and not beside the page's HTML in word/review_page.py: a room of
drafting uses nothing above it, and tracing a draft needs the engine.

``gongwen draft`` writes the page into the run folder (cheap: it reads what the run just wrote);
``gongwen review RUN`` writes it again, or elsewhere with ``-o``; ``gongwen eval`` writes one per case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus.read import decode_text, read_bytes
from ..errors import GongwenError
from ..i18n import N_, _
from ..writefile import write_atomic, write_private
from .checks.trace import Found, Ledger, TracedSentence, unverified
from .outline.facts import load_facts
from .outline.plan import Plan, make_plan
from .outputs import check_outputs, recorded_facts, refuse_sources
from .results import DraftResult, SectionResult
from .runfolder import RunFolder
from .word.review_page import Example, Review, render_review

if TYPE_CHECKING:
    from ..corpus.index import CorpusIndex
    from .checks.claims import OtherUnits
    from .writing.phrases import Phrasebook

REVIEW = "review.html"
TRACE = "trace.json"
SOURCES = "sources.json"


@dataclass
class TraceBasis:
    """What tracing a draft needs that the run folder does not hold: the genre's phrases (for the stock
    the composer would write) and the other units' reports the writer was shown; ``said``: how they were
    had, for the page."""

    phrases: Phrasebook
    others: OtherUnits | None
    said: str


@dataclass(frozen=True)
class Reviewed:
    path: Path
    counts: dict[str, int]  # sentences by kind
    unverified: int
    unverified_per_1000: float
    said: str  # how the trace was had, when not from trace.json


def write_review(run: Path, output: Path | None, force: bool, index: Callable[[], CorpusIndex]) -> Reviewed:
    """``gongwen review``: the page of the draft in ``run``, written to ``output`` or ``run/review.html``.

    The run's own page is rewritten freely, like its other files; an ``output`` that exists needs
    ``force``, and one that is a file of the run (or the facts file it records) is refused outright."""
    folder = RunFolder.existing(run)
    if output is not None:
        inputs = [p for p in run.rglob("*") if p.is_file() and p != run / REVIEW] + recorded_facts(folder)
        check_outputs([output], force, inputs)
        refuse_sources([output], index)
    review = read_review(folder, corpus_basis(folder, index))
    page = render_review(review)
    if output is None:
        output = run / REVIEW
        write_private(output, page)
    else:
        write_atomic(output, page)
    result = review.result
    return Reviewed(output, review.counts, result.unverified_count, result.unverified_rate, review.said)


def record_review(folder: RunFolder, result: DraftResult) -> Path:
    """After a draft: its page in the run folder, from the trace the run has just written."""
    path = folder.path / REVIEW
    write_private(path, render_review(read_review(folder, None, result)))
    return path


def review_html(run: Path, basis: TraceBasis) -> str | None:
    """The page of the run in ``run`` (an evaluation's case, traced as the evaluation traces it where the
    run has no trace.json), or None where it holds no drafted section."""
    folder = RunFolder(run)
    if not folder.facts_file.is_file() or not any((run / "sections").glob("*.json")):
        return None
    return render_review(read_review(folder, lambda: basis))


def read_review(folder: RunFolder, basis: Callable[[], TraceBasis] | None = None,
                result: DraftResult | None = None) -> Review:
    """Everything the page shows of ``folder``; ``result``: the draft just made there, else read back.

    Without a readable trace.json the draft is traced with ``basis`` (made only then: it opens the
    index); without a basis its sentences are shown untraced."""
    plan = result.plan if result is not None else make_plan(load_facts(folder.facts_file))
    sections = result.sections if result is not None else _sections(folder, plan)
    traced, said = _traced(folder, plan, sections, basis)
    shown = replace(plan, sections=[s for s in plan.sections if s.id in {r.id for r in sections}])
    record = folder.record
    base = result or DraftResult(folder.path, shown, sections, str(record.get("backend", "")),
                                 str(record.get("model", "")), 0.0)
    drafted = replace(base, plan=shown, unverified={sid: unverified(ts) for sid, ts in traced.items()})
    return Review(drafted, traced, _facts_lines(folder), _examples(folder), said)


def corpus_basis(folder: RunFolder, index: Callable[[], CorpusIndex]) -> Callable[[], TraceBasis]:
    """Tracing as the run would have been traced, from the corpus indexed now: its phrasebook, and the
    reports ``sources.json`` names as the ones the writer was shown."""
    def basis() -> TraceBasis:
        from .checks.claims import OtherUnits
        from .writing.phrases import phrasebook

        corpus = index()
        ids = sorted({str(h.get("report_id", "")) for hits in folder.read_json(SOURCES).values()
                      if isinstance(hits, list) for h in hits if isinstance(h, dict)} - {""})
        others = OtherUnits([r.text for r in corpus.reports_by_id(ids)]) if ids else None
        said = (_("with today's checks and the example reports indexed now") if ids
                else _("with today's checks and the example reports indexed now; with no sources.json, other "
                       "units' wording was not looked for"))
        return TraceBasis(phrasebook(corpus), others, said)

    return basis


def _sections(folder: RunFolder, plan: Plan) -> list[SectionResult]:
    found = []
    for n, section in enumerate(plan.sections, start=1):
        try:
            result = folder.load_section(n, section)
        except (KeyError, TypeError, ValueError) as exc:
            raise GongwenError(_("{path}: not a section file gongwen can read ({error})").format(
                path=folder.section_file(n, section.id, "json"), error=f"{type(exc).__name__}: {exc}")) from None
        if result is not None:
            found.append(result)
    if not found:
        raise GongwenError(_("{path}: no section is drafted in it yet; nothing to review").format(path=folder.path))
    return found


def _traced(folder: RunFolder, plan: Plan, sections: list[SectionResult],
            basis: Callable[[], TraceBasis] | None) -> tuple[dict[str, list[TracedSentence]], str]:
    saved = _read_trace(folder.read_json(TRACE))
    if saved is not None:
        return saved, ""
    why = _("The run folder has no trace.json") if not (folder.path / TRACE).exists() else _("trace.json is damaged")
    if basis is None:
        return {}, _("{why}: its sentences are shown untraced.").format(why=why)
    from .engine import trace_draft

    made = basis()
    return (trace_draft(plan, sections, made.phrases, made.others),
            _("{why}: it was traced now, {how}.").format(why=why, how=made.said))


def _read_trace(data: dict[str, Any]) -> dict[str, list[TracedSentence]] | None:
    """trace.json's sentences by section; None where it is missing or not what the engine writes."""
    sections = data.get("sections")
    if not isinstance(sections, dict):
        return None
    try:
        return {str(sid): [_sentence(t) for t in ts] for sid, ts in sections.items()}
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def _sentence(data: dict[str, Any]) -> TracedSentence:
    def found(items: list[dict[str, Any]]) -> list[Found]:
        return [Found(str(f["clause"]), str(f.get("kind", "")), str(f.get("words", "")), str(f.get("key", "")))
                for f in items]

    return TracedSentence(str(data["section"]), str(data["text"]), Ledger(data["kind"]),
                          [int(n) for n in data.get("facts", [])], found(data.get("claims", [])),
                          found(data.get("unverified", [])))


def _facts_lines(folder: RunFolder) -> list[str]:
    """facts.md's lines as the facts parser numbers them."""
    text = decode_text(read_bytes(folder.facts_file, N_("a facts file")), folder.facts_file)
    return [line.rstrip("\r") for line in text.split("\n")]


def _examples(folder: RunFolder) -> dict[str, list[Example]] | None:
    """sources.json: each section's example chunks; None where the run has none."""
    if not (folder.path / SOURCES).is_file():
        return None
    examples: dict[str, list[Example]] = {}
    for sid, hits in folder.read_json(SOURCES).items():
        for hit in hits if isinstance(hits, list) else []:
            if isinstance(hit, dict):
                meta = hit.get("metadata")
                unit = hit.get("unit") or (meta.get("unit") if isinstance(meta, dict) else "") or ""
                examples.setdefault(str(sid), []).append(Example(str(unit), str(hit.get("text", ""))))
    return examples
