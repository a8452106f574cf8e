"""``gongwen revise``: bring back a draft the user edited in Word or WPS, and write its next version."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..i18n import N_, _, join
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
    note,
    open_corpus,
)
from .draft_commands import display, show_gaps

# What each status means to the user, in the order they are listed.
STATUS_WORDS = (("locked", N_("yours, kept as you wrote them: {ids}")), ("kept", N_("unchanged: {ids}")),
                ("cleared", N_("redrafted (you cleared them): {ids}")),
                ("marked", N_("redrafted (marked 重写): {ids}")),
                ("redo", N_("redrafted (--redo): {ids}")),
                ("removed", N_("left out (you deleted them; --redo brings one back): {ids}")))


@app.command("revise", help=_("Read back an edited draft: keep what you changed, redraft what you cleared, "
                              "check the facts."))
@friendly
def revise(
    edited: Annotated[Path, typer.Argument(help=_("The draft's .docx as you edited it in Word or WPS."))],
    facts: Annotated[Path | None, typer.Option(help=_("The facts file (default: the one of the run folder the "
                                                      "file names)."))] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Write the new version here (default: "
                                                                         "NAME.v2.docx beside it, then v3 …)."))
                      ] = None,
    redo: Annotated[list[str] | None, typer.Option(help=_("Draft this section again even if you edited it (an id "
                                                          "such as main_work.2)."))] = None,
    mismatch_ok: Annotated[bool, typer.Option("--mismatch-ok", help=_("Use --facts even where its unit, role, year "
                                                                      "or name differ from the document's title "
                                                                      "and 落款."))] = False,
    learn: Annotated[bool, typer.Option("--learn", help=_("Add your finished text to the corpus as an example "
                                                          "report."))] = False,
    run_dir: Annotated[Path | None, typer.Option(help=_("The new run folder (default: under the data dir)."))] = None,
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
        done = run(request, open_corpus, note=note, progress=shown.report() if shown else None)
    _report(done, as_json)


def _report(done: Any, as_json: bool) -> None:
    from ..drafting.word.export import gaps

    todo = [gap.line() for gap in gaps(done.result)]
    if as_json:
        emit_json({"output": str(done.docx), "run_dir": str(done.result.run_dir), "sections": done.status,
                   "introduced": done.introduced, "removed": done.removed, "gaps": todo,
                   "not_carried": done.notes, "learned": done.learned, "backend": done.result.backend,
                   "review": str(done.review) if done.review else None})
        return
    err.print(_("new version: {path}   run: {run_dir}").format(path=done.docx, run_dir=done.result.run_dir)
              + ("   " + _("review: {path}").format(path=done.review) if done.review else ""), soft_wrap=True)
    for status, words in STATUS_WORDS:
        if ids := done.sections(status):
            err.print(_(words).format(ids=join(ids)), soft_wrap=True)
    for line in done.introduced:
        err.print("[yellow]" + _("your edit, not in the facts file:") + f"[/] {line}", soft_wrap=True)
    for line in done.removed:
        err.print("[yellow]" + _("your edit took out:") + f"[/] {line}", soft_wrap=True)
    if done.notes:
        err.print(_("not carried into the new version (copy them across by hand): {items}").format(
            items=join(done.notes, "clauses")), soft_wrap=True)
    if done.learned:
        err.print(_("learned: your text is in the corpus as report {id}").format(id=done.learned), soft_wrap=True)
    show_gaps(todo)
