"""``gongwen eval``: draft the evaluation cases with their reports held out, and score them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import N_, _
from .common import (
    STYLE_HELP,
    BaseUrlOpt,
    ConcurrencyOpt,
    JsonOpt,
    ModelOpt,
    app,
    emit_json,
    err,
    friendly,
    note,
    open_corpus,
    out,
)

MODES_HELP = _("{style} A comma list (patterns,none,raw) drafts the cases once per mode, each into its own "
               "folder, and compares the modes on the style measure.").format(style=STYLE_HELP)
SAME_DRAFTS = N_("the offline composer shows no model an example, so every style-refs mode drafts the same text: "
                 "scored once")


@app.command("eval", help=_("Draft every case with its source report held out, score it, and compare with "
                            "baselines."))
@friendly
def evaluate(
    cases: Annotated[Path | None, typer.Option(help=_("Folder of case facts files "
                                                      "(default: the bundled evals/cases)."))] = None,
    backend: Annotated[str, typer.Option(help=_("offline or openai."))] = "offline",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help=_("Where results go "
                                                               "(default: a new folder under the data dir)."))] = None,
    baseline: Annotated[Path | None, typer.Option(help=_("An earlier eval folder: show deltas against it."))] = None,
    rescore: Annotated[Path | None, typer.Option(help=_("Re-score the drafts saved in this eval folder."))] = None,
    judge: Annotated[bool, typer.Option("--judge", help=_("Also ask an LLM judge (the openai settings): draft "
                                                          "against real report, both orders."))] = False,
    api_key: Annotated[str | None, typer.Option(help=_("API key for the judge / openai backend."))] = None,
    style_refs: Annotated[str, typer.Option(help=MODES_HELP)] = "patterns",
    concurrency: ConcurrencyOpt = None,
    force: Annotated[bool, typer.Option("--force", help=_("Write into an --out folder that has results."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Draft every case with its source report held out, score it, and compare with baselines."""
    from ..drafting.request import DraftOptions
    from ..drafting.writing.backend import Endpoint, check_choice, prepare_writer
    from ..evaluation.modes import evaluate_modes, style_modes
    from ..llm.chat import openai_chat_model

    endpoint = Endpoint(backend, model, base_url, api_key)
    modes = style_modes(style_refs)
    for mode in modes:
        check_choice(endpoint, mode)
    if len(modes) > 1 and rescore is None and endpoint.chosen_backend() == "offline":
        note(_(SAME_DRAFTS))
        modes = modes[:1]
    judge_with = openai_chat_model(model=model, base_url=base_url, api_key=api_key) if judge else None
    if len(modes) > 1:
        from .eval_output import modes_json, print_modes

        compared = evaluate_modes(
            modes, lambda options: prepare_writer(endpoint, options, concurrency), cases, out_dir, open_corpus(),
            baseline, rescore, judge_with, force,
            progress=None if as_json else lambda mode, case: err.print(
                _("scored case {case}, style refs {mode}").format(case=case, mode=mode)))
        if as_json:
            emit_json(modes_json(compared))
        else:
            print_modes(compared, out)
        return
    from ..evaluation.evaluate import evaluate as run

    options = DraftOptions(style_refs=modes[0])
    writer = prepare_writer(endpoint, options, concurrency)
    done = run(cases, writer, out_dir, open_corpus(), baseline, rescore, judge_with, force,
               progress=None if as_json else lambda case: err.print(_("scored case {case}").format(case=case)),
               options=options)
    report = done.folder / "report.html"
    from .eval_output import print_evaluation, verdict_lines

    if as_json:
        drafted_by, verdict = verdict_lines(done)
        emit_json({"out": str(done.folder), "report": str(report), "writer": drafted_by, "verdict": verdict,
                   "summary": done.summary})
        return
    print_evaluation(done, out)
    for row in (r for r in done.rows if r.metric == "judge"):
        out.print(_("judge · case {case}: {outcome} ({reasons})").format(
            case=row.case, outcome=row.detail["outcome"], reasons=" / ".join(row.detail["reasons"])), markup=False)
    err.print(_("results: {folder}   report: {report}").format(folder=done.folder, report=report), soft_wrap=True)
