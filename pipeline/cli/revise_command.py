"""``gongwen revise``: bring back a draft the user edited in Word or WPS, and write its next version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .common import (
    ApiKeyOpt,
    BackendOpt,
    BaseUrlOpt,
    ConcurrencyOpt,
    ForceOpt,
    JsonOpt,
    ModelOpt,
    RetriesOpt,
    StyleRefsOpt,
    TimeoutOpt,
    app,
    emit_json,
    err,
    friendly,
    open_corpus,
)
from .draft_commands import display, show_gaps

# What each status means to the user, in the order they are listed.
STATUS_WORDS = (("locked", "yours, kept as you wrote them"), ("kept", "unchanged"),
                ("cleared", "redrafted (you cleared them)"), ("marked", "redrafted (marked 重写)"),
                ("redo", "redrafted (--redo)"), ("removed", "left out (you deleted them; --redo brings one back)"))


@app.command("revise")
@friendly
def revise(
    edited: Annotated[Path, typer.Argument(help="The draft's .docx as you edited it in Word or WPS.")],
    facts: Annotated[Path | None, typer.Option(help="The facts file (default: the one of the run folder the "
                                                    "file names).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the new version here (default: "
                                                                       "NAME.v2.docx beside it, then v3 …).")] = None,
    redo: Annotated[list[str] | None, typer.Option(help="Draft this section again even if you edited it (an id "
                                                        "such as main_work.2).")] = None,
    mismatch_ok: Annotated[bool, typer.Option("--mismatch-ok", help="Use --facts even where its unit, role, year "
                                                                    "or name differ from the document's title "
                                                                    "and 落款.")] = False,
    learn: Annotated[bool, typer.Option("--learn", help="Add your finished text to the corpus as an example "
                                                        "report.")] = False,
    run_dir: Annotated[Path | None, typer.Option(help="The new run folder (default: under the data dir).")] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    api_key: ApiKeyOpt = None,
    timeout: TimeoutOpt = None,
    max_retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = None,
    style_refs: StyleRefsOpt = "patterns",
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Read back an edited draft: keep what you changed, redraft what you cleared, check the facts."""
    from ..drafting.request import DraftOptions
    from ..drafting.revise import ReviseRequest
    from ..drafting.revise import revise as run
    from ..drafting.writing.backend import Endpoint

    request = ReviseRequest(edited, facts, output, run_dir, tuple(redo or ()), learn, force,
                            DraftOptions(style_refs=style_refs),
                            Endpoint(backend, model, base_url, api_key, timeout, max_retries), concurrency,
                            mismatch_ok)
    with display(as_json) as shown:
        done = run(request, open_corpus, note=lambda text: err.print(f"note: {text}", soft_wrap=True),
                   progress=shown.report() if shown else None)
    _report(done, as_json)


def _report(done: Any, as_json: bool) -> None:
    from ..drafting.word.export import gaps

    todo = [gap.line() for gap in gaps(done.result)]
    if as_json:
        emit_json({"output": str(done.docx), "run_dir": str(done.result.run_dir), "sections": done.status,
                   "introduced": done.introduced, "removed": done.removed, "gaps": todo,
                   "not_carried": done.notes, "learned": done.learned, "backend": done.result.backend})
        return
    err.print(f"new version: {done.docx}   run: {done.result.run_dir}", soft_wrap=True)
    for status, words in STATUS_WORDS:
        if ids := done.sections(status):
            err.print(f"{words}: {', '.join(ids)}", soft_wrap=True)
    for line in done.introduced:
        err.print(f"[yellow]your edit, not in the facts file:[/] {line}", soft_wrap=True)
    for line in done.removed:
        err.print(f"[yellow]your edit took out:[/] {line}", soft_wrap=True)
    if done.notes:
        err.print(f"not carried into the new version (copy them across by hand): {'; '.join(done.notes)}",
                  soft_wrap=True)
    if done.learned:
        err.print(f"learned: your text is in the corpus as report {done.learned}", soft_wrap=True)
    show_gaps(todo)
