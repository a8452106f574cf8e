"""One ``gongwen draft``: from what the user asked to the files written.

It checks everything it can before anything is drafted (the facts file, the outputs, the endpoint),
so a mistake costs no model call; picks the section writer; runs the engine in a run folder; and writes
the Markdown and Word files. When a run stops early, the error names the run folder and the exact
command that finishes it.
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GongwenError, Interrupted
from ..i18n import N_, _
from ..writefile import write_atomic, write_private
from .outline.facts import load_facts
from .outputs import check_outputs, recorded_facts, refuse_sources
from .request import DraftOptions, DraftProgress
from .runfolder import RunFolder
from .writing.backend import Endpoint, check_choice, prepare_writer

if TYPE_CHECKING:
    from ..corpus.index import CorpusIndex
    from .results import DraftResult


@dataclass
class DraftRequest:
    facts: Path | None  # None when resuming
    output: Path | None = None
    docx: Path | None = None
    run_dir: Path | None = None
    resume: Path | None = None
    redo: tuple[str, ...] = ()
    force: bool = False
    options: DraftOptions = field(default_factory=DraftOptions)
    endpoint: Endpoint = field(default_factory=Endpoint)
    concurrency: int | None = None  # None: fitted to the endpoint


@dataclass
class Drafted:
    result: DraftResult
    markdown: Path
    docx: Path | None
    review: Path | None = None  # the review page, in the run folder


def draft_one(request: DraftRequest, index: Callable[[], CorpusIndex], note: Callable[[str], None],
              progress: DraftProgress | None = None) -> Drafted:
    """Draft one report and write its files. The inputs are checked first, with only what checking them
    needs imported, so the first line shows within a second; the engine and the export come after."""
    index = functools.cache(index)  # opened once, by the output checks or the draft
    folder, facts = _folder(request)
    endpoint = _resume_endpoint(request.endpoint, folder, note) if request.resume else request.endpoint
    outputs = (request.output, request.docx)
    check_outputs(outputs, request.force, recorded_facts(folder) if request.resume else [facts])
    corpus = open_sources(outputs, index, endpoint, request.options, [progress] if progress else [])
    from .engine import run_draft

    writer = prepare_writer(endpoint, request.options, request.concurrency)
    try:
        result = run_draft(folder, None if request.resume else facts, writer, corpus, request.options, progress,
                           resume=request.resume is not None, redo=request.redo)
    except GongwenError as exc:
        if folder.holds_run():
            raise GongwenError(_("{error}; {stopped}").format(error=exc, stopped=stopped(folder, request))) from None
        raise
    except KeyboardInterrupt:
        raise Interrupted(_("interrupted; {stopped}").format(stopped=stopped(folder, request))) from None
    return save_draft(folder, result, request.output, request.docx)


def open_sources(outputs: Iterable[Path | None], index: Callable[[], CorpusIndex], endpoint: Endpoint,
                 options: DraftOptions, shown: Sequence[DraftProgress]) -> CorpusIndex:
    """What every draft does before its writer is built (draft, a batch, revise): the endpoint and the
    style mode checked, the outputs refused where they would write over an example report, the index
    opened, each progress display told what is being prepared."""
    check_choice(endpoint, options.style_refs)
    for progress in shown:
        progress.preparing(N_("the example reports"))
    refuse_sources(outputs, index)
    corpus = index()
    for progress in shown:
        progress.preparing(N_("the endpoint"))
    return corpus


def save_draft(folder: RunFolder, result: DraftResult, markdown: Path | None, docx: Path | None) -> Drafted:
    """What every draft writes once its sections are done: the Markdown (where the user said, else
    draft.md in the run folder), the Word file if asked, and gaps.json and the review page in the run
    folder."""
    from .ledger import record_review
    from .word.export import save_docx, to_markdown

    written = markdown or folder.path / "draft.md"
    (write_atomic if markdown else write_private)(written, to_markdown(result))
    if docx is not None:
        save_docx(docx, result)
    record_gaps(folder, result)
    return Drafted(result, written, docx, record_review(folder, result))


def record_gaps(folder: RunFolder, result: DraftResult) -> None:
    """The list of gaps, in the run folder (the Word file has none in its body)."""
    from .word.export import gaps

    folder.write_json("gaps.json", [asdict(gap) for gap in gaps(result)])


def stopped(folder: RunFolder, request: DraftRequest) -> str:
    """What a run that stopped early left, and the exact command that finishes it."""
    record = folder.record
    done, total = len(record.get("sections_done", [])), len(record.get("sections", []))
    again = ["gongwen draft --resume", shlex.quote(str(folder.path)),
             *(["-o", shlex.quote(str(request.output))] if request.output else []),
             *(["--docx", shlex.quote(str(request.docx))] if request.docx else [])]
    return _("{done} of {total} sections are drafted and kept in {path}; finish with: {command}").format(
        done=done, total=total, path=folder.path, command=" ".join(again))


def _folder(request: DraftRequest) -> tuple[RunFolder, Path]:
    """The run folder, and the facts file it drafts (the folder's own copy when resuming)."""
    if request.resume is not None:
        folder = RunFolder.existing(request.resume)
        return folder, folder.facts_file
    if request.redo:
        raise GongwenError(_("--redo needs --resume RUN_DIR"))
    if request.facts is None:
        raise GongwenError(_("give a facts file, or --resume RUN_DIR"))
    load_facts(request.facts)  # a bad facts file is refused before anything is set up
    folder = RunFolder.unused(request.run_dir, request.facts.stem, request.force,
                              N_("use --resume {path}, or --force to start over"))
    return folder, request.facts


def _resume_endpoint(given: Endpoint, folder: RunFolder, note: Callable[[str], None]) -> Endpoint:
    """The run's recorded backend, endpoint and model, unless the user names others (which is said)."""
    recorded: dict[str, Any] = folder.record
    chosen = Endpoint(**{**given.__dict__, "backend": given.backend or recorded.get("backend")})
    if chosen.backend != "openai":
        return chosen
    before = str(recorded.get("endpoint") or "")
    if given.base_url and before and given.base_url != before:
        note(_("{path} was drafted with {before}; resuming with {endpoint} as you asked").format(
            path=folder.path, before=before, endpoint=given.base_url))
    chosen.base_url = given.base_url or before or None
    if not chosen.base_url:
        raise GongwenError(_("{path}: run.json records no endpoint; name one with --base-url").format(path=folder.path))
    chosen.model = given.model or recorded.get("model")
    return chosen
