"""``gongwen revise``: read back a draft the user edited in Word or WPS, and make its next version.

1. Read the edited file by section (word/readback.py) and find what it was drafted from: the run folder its
   properties name, or the facts file given with ``--facts``.
2. Compare each section with the draft as it was exported (``export-ID.json`` in that run folder):
   - changed by the user: **locked**, kept byte for byte;
   - cleared (its text deleted), marked (a paragraph 「重写」) or named with ``--redo``: **redrafted**;
   - a （N） subsection deleted heading and all: **removed**, left out (``--redo`` brings it back);
   - unchanged: **kept**.
3. Run the fact lock on the whole text and report what the user's edits introduced (a number the facts
   file does not have) or removed (a fact no longer stated). Reported, never undone: the user is the
   authority on the facts, but should see where the text and the facts file now differ.
4. Draft the sections to redraft in a new run folder, keeping the others as they are, and write the
   next version beside the file (``NAME.v2.docx``, then v3 …), never over it or any input.
5. With ``--learn`` (the user's consent), add the finished text to the corpus as an example report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..corpus.house import mark
from ..corpus.index import CorpusIndex
from ..corpus.ingest import add_text
from ..errors import GongwenError, Interrupted
from ..genre import Part, is_subheading, placeholders
from ..i18n import N_, _, join
from .checks.factlock import allowed_numbers, invented_number_violations, missing_facts
from .checks.violations import SectionCheck
from .engine import run_draft
from .outline.facts import Facts, load_facts
from .outline.naming import names_post, post
from .outline.plan import Plan, make_plan
from .outputs import check_outputs, recorded_facts
from .request import DraftOptions, DraftProgress
from .results import DraftResult, SectionResult, SectionStatus
from .runfolder import FACTS, RunFolder
from .session import open_sources, save_draft
from .word.docprops import DRAFT_ID, RUN_DIR
from .word.export import blocks
from .word.readback import Edited, read_edited
from .writing.backend import Endpoint, prepare_writer


class Revision(StrEnum):
    """What revise does with a section of the edited draft; run.json and --json record the value."""

    LOCKED = "locked"  # the user changed it: kept byte for byte
    KEPT = "kept"  # the user left it as drafted
    CLEARED = "cleared"  # the user emptied it: drafted again
    MARKED = "marked"  # the user wrote 重写 in it: drafted again
    REDO = "redo"  # --redo: drafted again
    REMOVED = "removed"  # the user deleted it: left out


REDRAFT = frozenset({Revision.CLEARED, Revision.MARKED, Revision.REDO})  # what the user asked to have drafted again


@dataclass
class ReviseRequest:
    edited: Path
    facts: Path | None = None  # else the facts file of the run folder the edited file names
    output: Path | None = None  # else NAME.vN.docx beside the edited file
    run_dir: Path | None = None  # the new run's folder
    redo: tuple[str, ...] = ()
    learn: bool = False
    force: bool = False
    options: DraftOptions = field(default_factory=DraftOptions)
    endpoint: Endpoint = field(default_factory=Endpoint)
    concurrency: int | None = None  # None: fitted to the endpoint
    mismatch_ok: bool = False  # take --facts even where it does not fit the document's title and 落款


@dataclass
class Revised:
    result: DraftResult
    docx: Path
    status: dict[str, Revision]  # section id → what revise did with it
    introduced: list[str]  # what the fact lock finds that the user's edits brought in
    removed: list[str]  # facts of the facts file the user's edits took out
    notes: list[str] = field(default_factory=list)
    learned: str | None = None  # the report id the finished text was added under
    review: Path | None = None  # the review page, in the run folder

    def sections(self, *statuses: Revision) -> list[str]:
        return [sid for sid, status in self.status.items() if status in statuses]


def revise(request: ReviseRequest, index: Callable[[], CorpusIndex], note: Callable[[str], None],
           progress: DraftProgress | None = None) -> Revised:
    index = functools.cache(index)  # opened once, by the output checks or the draft
    edited = read_edited(request.edited)
    source = _source_run(edited, request.facts)
    facts_path = request.facts or (source.facts_file if source else None)
    if facts_path is None:  # _source_run has refused this already; for the type checker
        raise GongwenError(_("{path}: give the facts file with --facts FILE").format(path=request.edited))
    facts = load_facts(facts_path)
    plan = make_plan(facts)
    if request.facts is not None and not request.mismatch_ok:
        check_fit(edited, facts, plan.title, request.facts)
    plan.check_redo(request.redo)
    before = _baseline(source, edited, note)
    texts = _by_plan(edited, plan, note)
    status = _status(plan, texts, before, edited.marked, request.redo)
    if request.learn:
        _learnable(edited, status, texts)
    output = request.output or next_version(request.edited)
    recorded = recorded_facts(source) if source else []
    check_outputs([output], request.force, [request.edited, facts_path, *recorded])
    folder = RunFolder.unused(request.run_dir, output.stem, request.force, N_("name another --run-dir, or --force"))
    idx = open_sources([output], index, request.endpoint, request.options, [progress] if progress else [])
    theirs = request.facts.absolute() if request.facts else recorded[-1]  # the user's file, for run.json
    result = _draft(folder, facts_path, theirs, plan, texts, status, request, idx, progress)
    _frame(result, edited, texts, status)
    now = {s.id: s.text for s in result.sections}
    introduced, removed = fact_lock_report(facts, result.plan.title, now, before)
    saved = save_draft(folder, result, None, output)
    done = Revised(result, output, status, introduced, removed, list(edited.notes), review=saved.review)
    if request.learn:
        done.learned = _learn(idx, result, request.edited, output)
    folder.update(revision={"edited": str(request.edited), "from_run": str(source.path) if source else None,
                            "draft_id": edited.properties.get(DRAFT_ID), "facts": str(facts_path),
                            "sections": status, "introduced": introduced, "removed": removed,
                            "not_carried": edited.notes, "output": str(output), "learned": done.learned})
    return done


def next_version(edited: Path) -> Path:
    """``draft.docx`` → ``draft.v2.docx``; ``draft.v2.docx`` → ``draft.v3.docx``; never a file that exists."""
    match = re.fullmatch(r"(.+)\.v(\d+)", edited.stem)
    base, number = (match.group(1), int(match.group(2))) if match else (edited.stem, 1)
    while True:
        number += 1
        candidate = edited.with_name(f"{base}.v{number}.docx")
        if not candidate.exists():
            return candidate


def _source_run(edited: Edited, facts: Path | None) -> RunFolder | None:
    """The run folder the edited file was exported from, if this machine still has it."""
    named = edited.properties.get(RUN_DIR)
    if named and (Path(named) / FACTS).is_file():
        return RunFolder.existing(Path(named))
    if facts is not None:
        return None
    where = (_("names the run folder {folder}, which is gone").format(folder=named) if named
             else _("names no gongwen run folder"))
    raise GongwenError(_("{path}: {where}; give the facts file it was drafted from with --facts FILE").format(
        path=edited.path, where=where))


def check_fit(edited: Edited, facts: Facts, title: str, facts_path: Path) -> None:
    """A facts file given with --facts must be the document's: its post and year in the title, its name in
    the 落款. Another unit's facts would redraft sections with that unit's facts and sign its name."""
    said = "".join(edited.title)
    differs = []
    if said and said != title and not names_post(said, facts.unit, facts.role):
        differs.append(_("the title 「{title}」 does not name {post}").format(title=said,
                                                                              post=post(facts.unit, facts.role)))
    years = re.findall(r"(\d{4})\s*年", said)
    if years and facts.year not in years:
        differs.append(_("the title is of {title_year}, the facts of {facts_year}").format(title_year=years[0],
                                                                                            facts_year=facts.year))
    signed = next((line.strip() for line in edited.signature if line.strip() and not placeholders(line)
                   and not re.search(r"\d|年|月|日", line)), "")
    if facts.name and signed and facts.name not in signed:
        differs.append(_("the 落款 is signed {signed}, the facts name {name}").format(signed=signed, name=facts.name))
    if differs:
        raise GongwenError(_("{path}: does not fit {facts} ({differences}); give the facts file it was drafted "
                             "from, or --mismatch-ok to use this one anyway").format(
            path=edited.path, facts=facts_path, differences=join(differs, "clauses")))


def _baseline(source: RunFolder | None, edited: Edited, note: Callable[[str], None]) -> dict[str, str] | None:
    """Each section as the draft said it when exported, or None when that record is not to be had."""
    draft_id = edited.properties.get(DRAFT_ID, "")
    record = source.read_json(f"export-{draft_id}.json") if source and draft_id else {}
    sections = record.get("sections")
    if isinstance(sections, dict):
        return {str(k): str(v) for k, v in sections.items()}
    note(_("{path}: no record of the draft it was exported as; every section with text is taken as yours, and "
           "the fact lock lists all it finds").format(path=edited.path))
    return None


def _by_plan(edited: Edited, plan: Plan, note: Callable[[str], None]) -> dict[str, str]:
    """The edited text by the plan's sections; text under a section the plan lacks (a （四） the user
    added) stays with the section before it, where they put it."""
    ids = {s.id for s in plan.sections}
    texts: dict[str, str] = {}
    last = plan.sections[0].id
    for sid, lines in edited.sections.items():
        if sid not in ids:
            note(_("{section}: not a section of the plan; its text is kept with {last}").format(section=sid,
                                                                                                 last=last))
            texts[last] = "\n".join(filter(None, [texts.get(last, ""), *lines]))
            continue
        texts[sid] = "\n".join(filter(None, [texts.get(sid, ""), *lines]))
        last = sid
    return texts


def _body(text: str) -> list[str]:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return lines[1:] if lines and is_subheading(lines[0]) else lines


def _status(plan: Plan, texts: dict[str, str], before: dict[str, str] | None, marked: set[str],
            redo: tuple[str, ...]) -> dict[str, Revision]:
    status = {}
    for section in plan.sections:
        sid, text = section.id, texts.get(section.id)
        if sid in redo:
            status[sid] = Revision.REDO
        elif sid in marked:
            status[sid] = Revision.MARKED
        elif text is None and section.part == Part.MAIN_WORK and before is not None and sid in before:
            status[sid] = Revision.REMOVED
        elif not _body(text or ""):
            status[sid] = Revision.CLEARED
        elif before is not None and _lines(text or "") == _lines(before.get(sid, "")):
            status[sid] = Revision.KEPT
        else:
            status[sid] = Revision.LOCKED
    return status


def _lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def _learnable(edited: Edited, status: dict[str, Revision], texts: dict[str, str]) -> None:
    """--learn takes only a finished report: nothing left to draft, no 【待补】 left anywhere (the title, the
    body and the 落款: the 落款 is not learned, but a report with a gap in it is not finished)."""
    pending = [sid for sid, st in status.items() if st in REDRAFT]
    gaps = sum(len(placeholders(text)) for text in [*edited.title, *texts.values(), *edited.signature])
    if pending or gaps:
        left = join([x for x in [_("sections to draft: {ids}").format(ids=join(pending)) if pending else "",
                                 _("{count} 【待补】 left").format(count=gaps) if gaps else ""] if x])
        raise GongwenError(_("{path}: --learn takes a finished report ({left}); finish it and run gongwen revise "
                             "on it with --learn").format(path=edited.path, left=left))


def _draft(folder: RunFolder, facts_path: Path, theirs: Path, plan: Plan, texts: dict[str, str],
           status: dict[str, Revision], request: ReviseRequest, index: CorpusIndex,
           progress: DraftProgress | None) -> DraftResult:
    """A run in which the sections the user keeps are done already, so only the others are drafted.
    ``run.json`` records ``theirs``, the user's facts file, so the next revision refuses to write over it."""
    folder.begin(facts_path, resume=False)
    for n, section in enumerate(plan.sections, start=1):
        if status[section.id] not in REDRAFT:
            text = texts.get(section.id, "") if status[section.id] != Revision.REMOVED else ""
            kept = SectionStatus.LOCKED if status[section.id] == Revision.LOCKED else SectionStatus.KEPT
            folder.save_section(n, SectionResult(section.id, text, kept, 0, SectionCheck(section.id)))
    folder.update(facts=str(theirs))
    writer = prepare_writer(request.endpoint, request.options, request.concurrency)
    try:
        return run_draft(folder, None, writer, index, request.options, progress, resume=True)
    except GongwenError as exc:
        raise GongwenError(_("{error}; what was drafted is kept in {path}; run gongwen revise again").format(
            error=exc, path=folder.path)) from None
    except KeyboardInterrupt:
        raise Interrupted(_("interrupted; nothing was written beside {path}").format(path=request.edited)) from None


def _frame(result: DraftResult, edited: Edited, texts: dict[str, str], status: dict[str, Revision]) -> None:
    """The user's title, 一、 headings and 落款; and their （N） heading over a body drafted again."""
    if edited.title:
        result.plan.title_lines = edited.title
        result.plan.title = "".join(edited.title)
    result.headings = {**(result.headings or {}), **edited.headings} or None
    result.signature = edited.signature or None
    for section in result.sections:
        theirs = _lines(texts.get(section.id, ""))
        if status[section.id] in REDRAFT and theirs and is_subheading(theirs[0]):
            lines = section.text.split("\n")
            section.text = "\n".join([theirs[0], *(lines[1:] if is_subheading(lines[0]) else lines)])


def fact_lock_report(facts: Facts, title: str, now: dict[str, str],
                     before: dict[str, str] | None) -> tuple[list[str], list[str]]:
    """What the fact lock finds in the text now and did not find in the draft: numbers the facts file
    lacks (by section), and facts no longer stated. Without the draft, everything it finds."""
    allowed = allowed_numbers(facts, title)
    was = before or {}
    introduced = []
    for sid, text in now.items():
        had = {v.text for v in invented_number_violations(was.get(sid, ""), allowed)}
        introduced += [f"{sid}: {v.detail}" for v in invented_number_violations(text, allowed) if v.text not in had]
    bullets = facts.bullets_all()
    old = "\n".join(was.get(sid, "") for sid in now)
    had_missing = {(v.kind, v.text) for v in missing_facts(old, bullets)} if before is not None else set()
    removed = [v.detail for v in missing_facts("\n".join(now.values()), bullets)
               if (v.kind, v.text) not in had_missing]
    return introduced, removed


def _learn(index: CorpusIndex, result: DraftResult, edited: Path, output: Path) -> str:
    """The finished text (title and body, not the 落款: no person's name goes into the corpus)."""
    text = "\n".join(b.text.replace("\n", "") for b in blocks(result, signature=False))
    outcome = add_text(index, text, edited.name, str(edited.resolve()))
    if outcome.report_id:  # the user's own finished report: the house's wording, to follow
        mark({outcome.report_id: edited.name})
    if outcome.status == "failed":
        raise GongwenError(_("{output} is written, but {edited} could not be learned: {reason}").format(
            output=output, edited=edited, reason=outcome.error))
    return outcome.report_id
