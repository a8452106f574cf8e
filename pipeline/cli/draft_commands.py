"""``gongwen facts …`` and ``gongwen draft``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import GongwenError
from ..i18n import _, join
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
    facts_app,
    friendly,
    note,
    open_corpus,
    out,
)


@facts_app.command("template", help=_("Print a commented starter facts file (redirect it into a file and edit)."))
def facts_template() -> None:
    """Print a commented starter facts file (redirect it into a file and edit)."""
    from ..drafting.outline.facts import TEMPLATE

    sys.stdout.write(TEMPLATE)


@facts_app.command("check", help=_("Read a facts file and show how it was understood: settings, parts, groups, causes, "
                                    "and which topics the example reports usually cover that the facts leave empty."))
@friendly
def facts_check(
    path: Annotated[Path, typer.Argument(help=_("The facts file."))],
    as_json: JsonOpt = False,
) -> None:
    """Read a facts file and show how it was understood: settings, parts, groups, causes, and which
    topics the example reports usually cover that the facts leave empty."""
    from ..drafting.outline.facts import load_facts
    from ..drafting.review import facts_coverage

    facts = load_facts(path)
    cover, why_not = facts_coverage(facts, open_corpus)
    if as_json:
        emit_json({**facts.as_dict(), "coverage": cover.as_dict() if cover else None})
        return
    settings = [_("unit: {unit}").format(unit=facts.unit), _("role: {role}").format(role=facts.role),
                _("year: {year}").format(year=facts.year), _("length: {length}").format(length=facts.length),
                *([_("name: {name}").format(name=facts.name)] if facts.name else []),
                *([_("date: {date}").format(date=facts.date)] if facts.date else [])]
    out.print("   ".join(settings), markup=False)
    for title, bullets in ((_("main_work"), facts.main_work), (_("problems"), facts.problems),
                           (_("causes"), facts.causes), (_("plans"), facts.plans)):
        out.print(f"\n[bold]{title}[/] ({len(bullets)})")
        for bullet in bullets:
            group = f"[dim]{bullet.group} ·[/] " if bullet.group else ""
            out.print(f"  {bullet.line:>3}: {group}", end="")
            out.print(bullet.text, markup=False)
    if cover is None:
        out.print("\n" + _("topic coverage: unavailable ({reason})").format(reason=why_not), markup=False)
        return
    out.print("\n" + _("[bold]topic coverage[/] (topics at least half of the {reports} example reports cover)")
              .format(reports=cover.reports))
    for name, reports, touched in cover.rows():
        gap = _("✗ no facts yet: add some, or leave it out knowingly")
        mark = "[green]✓[/]" if touched else f"[yellow]{gap}[/]"
        out.print(f"  {name} ({reports}/{cover.reports}) {mark}")


@app.command("draft", help=_("Draft a report from a facts file: plan, retrieve, draft, check, export."))
@friendly
def draft(
    facts: Annotated[list[Path] | None, typer.Argument(help=_("The facts file (see `gongwen facts template`); "
                                                        "several files or a folder draft them all."))] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("Write the draft as Markdown here."))] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help=_("With several facts files: write "
                                                                     "<name>.md and <name>.docx here."))] = None,
    docx_path: Annotated[Path | None, typer.Option("--docx", help=_("Also write a GB/T 9704 Word file."))] = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    api_key: ApiKeyOpt = None,
    timeout: TimeoutOpt = None,
    max_retries: RetriesOpt = None,
    concurrency: ConcurrencyOpt = None,
    style_refs: StyleRefsOpt = "patterns",
    run_dir: Annotated[Path | None, typer.Option(help=_("The run folder (default: under the data dir)."))] = None,
    resume: Annotated[Path | None, typer.Option(help=_("Finish an interrupted run in this folder; sections "
                                                       "already drafted are kept, not paid for again. The "
                                                       "run's endpoint and model are used unless you name "
                                                       "others."))] = None,
    redo: Annotated[list[str] | None, typer.Option(help=_("With --resume: draft this section again "
                                                          "(an id from plan.json, e.g. main_work.2)."))] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Draft a report from a facts file: plan, retrieve, draft, check, export."""
    with display(as_json) as shown:  # first, so that its clock starts with the command
        from ..drafting.request import DraftOptions
        from ..drafting.session import DraftRequest, draft_one
        from ..drafting.writing.backend import Endpoint

        options = DraftOptions(style_refs=style_refs)
        endpoint = Endpoint(backend, model, base_url, api_key, timeout, max_retries)
        given = facts or []
        if len(given) == 1 and given[0].is_dir() and out_dir is None:
            raise GongwenError(_("{path}: is a directory, not a facts file; to draft every facts file in it, "
                                 "add --out-dir DIR").format(path=given[0]))
        if len(given) > 1 or (given and given[0].is_dir()):
            if output or docx_path or resume:
                raise GongwenError(_("with several facts files use --out-dir (not -o, --docx or --resume)"))
            _draft_files(given, out_dir, run_dir, endpoint, options, force, as_json, concurrency, shown)
            return
        if out_dir is not None:
            raise GongwenError(_("--out-dir is for several facts files; use -o and --docx for one"))
        request = DraftRequest(given[0] if given else None, output, docx_path, run_dir, resume, tuple(redo or ()),
                               force, options, endpoint, concurrency)
        done = draft_one(request, open_corpus, note=note, progress=shown.report() if shown else None)
    from ..drafting.word.export import gaps

    result = done.result
    todo = [gap.line() for gap in gaps(result)]
    summary = {"output": str(done.markdown), "docx": str(done.docx) if done.docx else None,
               "review": str(done.review) if done.review else None, "run_dir": str(result.run_dir),
               "backend": result.backend, "placeholders": result.placeholders,
               "checks": result.checks, "gaps": todo, "notes": result.notes,
               "unverified": result.unverified, "unverified_per_1000": result.unverified_rate}
    if as_json:
        emit_json(summary)
        return
    err.print(_("backend: {backend} ({model}), {sections} section(s) at a time ({why})   run: {run_dir}").format(
        backend=result.backend, model=result.model, sections=options.concurrency, why=_(options.concurrency_why),
        run_dir=result.run_dir), soft_wrap=True)
    err.print(_("draft: {path}").format(path=done.markdown)
              + ("   " + _("docx: {path}").format(path=done.docx) if done.docx else "")
              + ("   " + _("review: {path}").format(path=done.review) if done.review else ""), soft_wrap=True)
    fallbacks = join(result.fallbacks) or _("none")
    err.print(_("待补 placeholders: {placeholders}   fallback sections: {fallbacks}   "
                "待核实: {unverified} ({rate:.1f} per 1,000 characters)").format(
        placeholders=result.placeholders, fallbacks=fallbacks, unverified=result.unverified_count,
        rate=result.unverified_rate), soft_wrap=True)
    show_gaps(todo)
    show_unverified(result)
    for text in result.notes:  # the draft is short, or leaves usual topics empty: also in its checklist
        note(text)


def show_unverified(result: Any) -> None:
    """What ships unverified (待核实): the clauses the checks could not trace to a fact, marked in the Word
    file and listed after the Markdown draft."""
    if result.unverified_count:
        err.print(_("待核实 ({count}): not in the facts; check them").format(count=result.unverified_count),
                  soft_wrap=True)
        for sid, clauses in result.unverified.items():
            for clause in clauses:
                err.print(f"  - {sid}: 「{clause}」", markup=False, soft_wrap=True)


def show_gaps(todo: list[str]) -> None:
    """The list of gaps goes to the terminal (and the run folder, and the Markdown), never the Word file."""
    if todo:
        err.print(_("待补清单 ({count}):").format(count=len(todo)), soft_wrap=True)
        for line in todo:
            err.print(f"  - {line}", markup=False, soft_wrap=True)


@contextmanager
def display(as_json: bool) -> Iterator[Any]:
    """The progress display on stderr (cli/progress.py), or None with --json."""
    if as_json:
        yield None
        return
    from .progress import Display

    with Display(err) as shown:
        yield shown


def _draft_files(given: list[Path], out_dir: Path | None, runs: Path | None, endpoint: Any, options: Any,
                 force: bool, as_json: bool, concurrency: int | None, shown: Any) -> None:
    """Several facts files: check them all, then draft them all under one concurrency bound."""
    from ..drafting.batch import draft_files
    from ..drafting.word.export import gaps

    report = (lambda path: shown.report(path.stem)) if shown else None
    drafted = draft_files(given, out_dir, runs, endpoint, options, force, open_corpus, report, concurrency, note)
    if as_json:
        emit_json([{"facts": str(path), "output": str(d.markdown), "docx": str(d.docx),
                    "review": str(d.review) if d.review else None, "run_dir": str(d.result.run_dir),
                    "backend": d.result.backend,
                    "placeholders": d.result.placeholders, "fallbacks": d.result.fallbacks,
                    "gaps": [gap.line() for gap in gaps(d.result)], "notes": d.result.notes} for path, d in drafted])
        return
    backend = drafted[0][1].result.backend if drafted else "-"
    err.print(_("{count} reports drafted into {folder} (backend: {backend})").format(
        count=len(drafted), folder=out_dir, backend=backend), soft_wrap=True)
