"""One ``gongwen draft``: from what the user asked to the files written.

It checks everything it can before anything is drafted (the facts file, the outputs, the endpoint),
so a mistake costs no model call; picks the section writer; runs the engine in a run folder; and writes
the Markdown and Word files. When a run stops early, the error names the run folder and the exact
command that finishes it.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.index import CorpusIndex
from ..errors import GongwenError, Interrupted
from ..llm.endpoint import host_of, is_loopback
from ..writefile import refuse_overwrite, same_file, write_atomic, write_private
from .batch import draft_many, facts_files
from .engine import DraftOptions, run_draft
from .export import gaps, save_docx, to_markdown
from .facts import load_facts
from .llm_writer import STYLE_MODES, LLMWriter
from .results import DraftResult, SectionResult
from .runfolder import RunFolder
from .writers import ComposerWriter, SectionWriter

BACKENDS = ("offline", "openai")


@dataclass
class Endpoint:
    """The model the user named, by flag or environment; a resumed run fills the gaps from run.json."""

    backend: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float | None = None
    max_retries: int | None = None

    def chosen_backend(self) -> str:
        """``offline`` or ``openai``; unset: openai when a key or an endpoint is configured."""
        if self.backend is not None:
            if self.backend not in BACKENDS:
                raise GongwenError(f"unknown backend '{self.backend}'; use offline or openai")
            return self.backend
        # A key alone also means "use a model": the openai backend then asks for the endpoint by name.
        configured = (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL") or self.api_key
                      or self.base_url)
        return "openai" if configured else "offline"


DEFAULT_CONCURRENCY = 4


def fit_concurrency(requested: int | None, writer: SectionWriter) -> tuple[int, str]:
    """Sections at once, and why: as asked; else as many as the server says it serves (llama.cpp's
    /props); else one for a server on this machine (it queues the rest, and queued calls time out);
    else four."""
    if requested:
        return requested, "as asked"
    slots = writer.parallel_slots()
    if slots:
        return slots, f"the server says it serves {slots} at once"
    if writer.endpoint and is_loopback(host_of(writer.endpoint)):
        return 1, "a server on this machine works on one request at a time unless it says otherwise"
    return DEFAULT_CONCURRENCY, "the default"


def make_writer(endpoint: Endpoint, style_refs: str = "patterns", bound: int | None = None) -> SectionWriter:
    """The section writer for the chosen backend; ``bound`` caps the calls in flight across threads."""
    from ..llm.chat import BoundedChatModel, ChatModel, openai_chat_model

    if style_refs not in STYLE_MODES:
        raise GongwenError(f"'{style_refs}': use none, patterns or raw")
    if endpoint.chosen_backend() == "offline":
        return ComposerWriter()
    chat: ChatModel = openai_chat_model(model=endpoint.model, base_url=endpoint.base_url, api_key=endpoint.api_key,
                                        timeout=endpoint.timeout, max_retries=endpoint.max_retries)
    return LLMWriter(BoundedChatModel(chat, bound) if bound else chat, style_refs)


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


def draft_one(request: DraftRequest, index: Callable[[], CorpusIndex], note: Callable[[str], None],
              progress: Callable[[SectionResult], None] | None = None) -> Drafted:
    """Draft one report and write its files."""
    folder, facts = _folder(request)
    endpoint = _resume_endpoint(request.endpoint, folder, note) if request.resume else request.endpoint
    if request.output and request.docx and same_file(request.output, request.docx):
        raise GongwenError(f"{request.output}: given for both -o and --docx")
    for target in (request.output, request.docx):
        if target is not None:
            refuse_overwrite(target, request.force, inputs=[facts])
    writer = make_writer(endpoint, request.options.style_refs)
    request.options.concurrency, why = fit_concurrency(request.concurrency, writer)
    request.options.concurrency_why = why
    try:
        result = run_draft(folder, None if request.resume else facts, writer, index(), request.options, progress,
                           resume=request.resume is not None, redo=request.redo)
    except GongwenError as exc:
        if folder.holds_run():
            raise GongwenError(f"{exc}; {stopped(folder, request)}") from None
        raise
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {stopped(folder, request)}") from None
    markdown = request.output or folder.path / "draft.md"
    (write_atomic if request.output else write_private)(markdown, to_markdown(result))
    if request.docx is not None:
        save_docx(request.docx, result)
    record_gaps(folder, result)
    return Drafted(result, markdown, request.docx)


def record_gaps(folder: RunFolder, result: DraftResult) -> None:
    """The list of gaps, in the run folder (the Word file has none in its body)."""
    folder.write_json("gaps.json", [asdict(gap) for gap in gaps(result)])


def stopped(folder: RunFolder, request: DraftRequest) -> str:
    """What a run that stopped early left, and the exact command that finishes it."""
    record = folder.record
    done, total = len(record.get("sections_done", [])), len(record.get("sections", []))
    again = ["gongwen draft --resume", shlex.quote(str(folder.path)),
             *(["-o", shlex.quote(str(request.output))] if request.output else []),
             *(["--docx", shlex.quote(str(request.docx))] if request.docx else [])]
    return f"{done} of {total} sections are drafted and kept in {folder.path}; finish with: {' '.join(again)}"


def _folder(request: DraftRequest) -> tuple[RunFolder, Path]:
    """The run folder, and the facts file it drafts (the folder's own copy when resuming)."""
    if request.resume is not None:
        folder = RunFolder.existing(request.resume)
        return folder, folder.facts_file
    if request.redo:
        raise GongwenError("--redo needs --resume RUN_DIR")
    if request.facts is None:
        raise GongwenError("give a facts file, or --resume RUN_DIR")
    load_facts(request.facts)  # a bad facts file is refused before anything is set up
    folder = RunFolder(request.run_dir) if request.run_dir else RunFolder.new(request.facts.stem)
    if folder.holds_run() and not request.force:
        raise GongwenError(f"{folder.path}: holds a run already; use --resume {folder.path}, or --force to start over")
    return folder, request.facts


def _resume_endpoint(given: Endpoint, folder: RunFolder, note: Callable[[str], None]) -> Endpoint:
    """The run's recorded backend, endpoint and model, unless the user names others (which is said)."""
    recorded: dict[str, Any] = folder.record
    chosen = Endpoint(**{**given.__dict__, "backend": given.backend or recorded.get("backend")})
    if chosen.backend != "openai":
        return chosen
    before = str(recorded.get("endpoint") or "")
    if given.base_url and before and given.base_url != before:
        note(f"{folder.path} was drafted with {before}; resuming with {given.base_url} as you asked")
    chosen.base_url = given.base_url or before or None
    if not chosen.base_url:
        raise GongwenError(f"{folder.path}: run.json records no endpoint; name one with --base-url")
    chosen.model = given.model or recorded.get("model")
    return chosen


def draft_files(paths: list[Path], out_dir: Path | None, runs: Path | None, endpoint: Endpoint,
                options: DraftOptions, force: bool, index: Callable[[], CorpusIndex],
                progress: Callable[[Path, SectionResult], None] | None = None, concurrency: int | None = None,
                note: Callable[[str], None] = lambda text: None) -> list[tuple[Path, Drafted]]:
    """Several facts files: check them all, then draft them all under one concurrency bound."""
    if out_dir is None:
        raise GongwenError("with several facts files, name a folder for the drafts with --out-dir")
    files = facts_files(paths)
    if not files:
        raise GongwenError(f"{paths[0]}: no facts files (.md, .txt) in it")
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise GongwenError("two facts files share a name; their drafts would overwrite each other")
    for path in files:
        load_facts(path)  # every file is checked before any is drafted
        for suffix in (".md", ".docx"):
            refuse_overwrite(out_dir / f"{path.stem}{suffix}", force, inputs=files)
    unbounded = make_writer(endpoint, options.style_refs)
    options.concurrency, options.concurrency_why = fit_concurrency(concurrency, unbounded)
    writer = make_writer(endpoint, options.style_refs, bound=options.concurrency)
    drafted = []
    for path, result in zip(files, draft_many(files, writer, runs, index(), options, progress), strict=True):
        markdown, word = out_dir / f"{path.stem}.md", out_dir / f"{path.stem}.docx"
        write_atomic(markdown, to_markdown(result))
        save_docx(word, result)
        record_gaps(RunFolder(result.run_dir), result)
        drafted.append((path, Drafted(result, markdown, word)))
    return drafted
