"""``gongwen review``: the review page of a draft, each sentence marked 事实, 套语 or 待核实."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, join
from .common import ForceOpt, JsonOpt, app, emit_json, err, friendly, note, open_corpus


@app.command("review", help=_("Write one HTML page that shows the draft sentence by sentence: what each states "
                              "(事实, with its fact lines), the genre's prose (套语), and what to check (待核实), "
                              "with the examples each section was styled on. Open it in any browser."))
@friendly
def review(
    run: Annotated[Path, typer.Argument(help=_("The draft's run folder (`gongwen draft` prints it)."))],
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Write the page here (default: "
                                                                         "review.html in the run folder, "
                                                                         "rewritten each time)."))] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write one HTML page that shows the draft sentence by sentence: what each states (事实, with its fact
    lines), the genre's prose (套语), and what to check (待核实), with the examples each section was
    styled on. Open it in any browser."""
    from ..drafting.ledger import write_review
    from ..drafting.word.review_page import kind_word

    done = write_review(run, output, force, open_corpus)
    if as_json:
        emit_json({"review": str(done.path), "sentences": done.counts, "unverified": done.unverified,
                   "unverified_per_1000": done.unverified_per_1000, "traced_now": done.said})
        return
    if done.said:
        note(done.said)
    kinds = join([f"{kind_word(kind)} {n}" for kind, n in done.counts.items()])
    err.print(_("review: {path}").format(path=done.path), soft_wrap=True)
    err.print(_("sentences: {kinds}   待核实: {unverified} ({rate:.1f} per 1,000 characters)").format(
        kinds=kinds, unverified=done.unverified, rate=done.unverified_per_1000), soft_wrap=True, markup=False)
