"""``gongwen corpus …``: the example reports used as style references."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import GongwenError
from ..genre import Part
from ..i18n import N_, _, ngettext, pgettext
from .common import JsonOpt, corpus_app, emit_json, err, fail, friendly, open_corpus, out

PART_NAMES = ", ".join(p.value for p in Part)
OUTCOMES = (N_("added"), N_("replaced"), N_("unchanged"))  # what `corpus add` did with a file, as it says it


@corpus_app.command("add", help=_("Add example reports to the corpus (re-adding an unchanged file does nothing)."))
@friendly
def corpus_add(
    paths: Annotated[list[Path], typer.Argument(help=_("Report files (.txt .md .docx .pdf) or folders."))],
    house: Annotated[bool, typer.Option("--house", help=_("These are your own office's reports (earlier years): "
                                                          "the drafts follow their wording; other units' "
                                                          "reports lend the genre's shape only."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add example reports to the corpus (re-adding an unchanged file does nothing)."""
    from ..corpus.house import mark
    from ..corpus.ingest import add_paths

    index = open_corpus()

    summary = add_paths(index, paths, progress=None if as_json else _show_outcome)
    if house:
        mark({o.report_id: Path(o.path).name for o in summary.outcomes if o.report_id})
    if as_json:
        emit_json(summary.as_dict())
    else:
        err.print(_("{added} added, {replaced} replaced, {unchanged} unchanged, {skipped} skipped").format(
            added=summary.count("added"), replaced=summary.count("replaced"), unchanged=summary.count("unchanged"),
            skipped=summary.count("skipped")))
        _list_skipped(summary.skipped)
        _say_flagged(sum(1 for o in summary.outcomes if o.flagged))
    if not summary.outcomes:
        fail(_("no report files found in the paths given (supported: .txt .md .docx .pdf)"))
    if summary.skipped:
        raise typer.Exit(1)


def _show_outcome(outcome: Any) -> None:
    from rich.markup import escape

    from ..corpus.screen import effect

    if outcome.status == "skipped":
        err.print(f"[red]✗[/] {escape(outcome.path)}: {escape(outcome.error)}", soft_wrap=True)
    else:
        err.print("[green]✓[/] " + escape(_("{path}: {status}, {chunks} chunks ({id})").format(
            path=outcome.path, status=_(outcome.status), chunks=outcome.chunks, id=outcome.report_id)), soft_wrap=True)
    for finding in outcome.flagged:
        err.print("  [yellow]![/] " + escape(_("{path}, paragraph {paragraph}, {kind} ({effect}): {text}").format(
            path=outcome.path, paragraph=finding["paragraph"], kind=_(finding["kind"]), effect=effect(finding["kind"]),
            text=finding["text"])), soft_wrap=True)


def _say_flagged(reports: int) -> None:
    if reports:
        err.print(ngettext("{count} report flagged: text that addresses the drafter or that a reader cannot see "
                           "is kept with the report but out of the index, the search and every prompt; "
                           "`gongwen corpus show ID` lists it",
                           "{count} reports flagged: text that addresses the drafter or that a reader cannot see "
                           "is kept with the report but out of the index, the search and every prompt; "
                           "`gongwen corpus show ID` lists it", reports).format(count=reports),
                  soft_wrap=True, markup=False)


def _list_skipped(skipped: list[Any]) -> None:
    """After the counts, the files left out and why, so a long batch's refusals are not lost above."""
    if skipped:
        err.print(_("skipped:"))
    for outcome in skipped:
        err.print("  " + _("{path}: {reason}").format(path=outcome.path, reason=outcome.error), soft_wrap=True,
                  markup=False)


@corpus_app.command("list", help=_("List the reports in the corpus."))
@friendly
def corpus_list(as_json: JsonOpt = False) -> None:
    """List the reports in the corpus."""
    from ..corpus.house import house_ids

    reports = open_corpus().list_reports()
    if as_json:
        emit_json([{**r.row(), "house": r.id in house_ids()} for r in reports])
        return
    from rich.padding import Padding
    from rich.text import Text

    # Two lines a report, wrapped where words break, so no title or file name is cut: id · year · unit ·
    # role · house or other (whose report) · source file, then the title.
    house = house_ids()
    for r in reports:
        marks = [_("flagged ({count})").format(count=len(r.flagged))] if r.flagged else []
        whose = pgettext("corpus list", "house") if r.id in house else pgettext("corpus list", "other")
        out.print(Text(" · ".join([r.id, r.year or "-", r.unit or "-", r.role or "-", whose, r.source, *marks])))
        out.print(Padding(Text(r.title), (0, 0, 0, 4)))
    out.print(ngettext("{count} report", "{count} reports", len(reports)).format(count=len(reports)))


@corpus_app.command("show", help=_("Show one report's chunks, the lines cleaning stripped from it and the text "
                                    "screening flagged."))
@friendly
def corpus_show(
    report: Annotated[str, typer.Argument(help=_("Report id (or a unique prefix, or the source file name)."))],
    as_json: JsonOpt = False,
) -> None:
    """Show one report's chunks, the lines cleaning stripped from it and the text screening flagged."""
    from rich.markup import escape

    from ..corpus.screen import effect

    index = open_corpus()
    stored, chunks = index.get_report(index.resolve(report))
    if as_json:
        emit_json({**stored.row(), "text": stored.text, "chunks": [asdict(c) for c in chunks],
                   "stripped": stored.stripped})
        return
    out.print(f"[bold]{stored.title}[/]  ({stored.id}, {stored.source})")
    out.print("   ".join([_("unit: {unit}").format(unit=stored.unit or "-"),
                            _("role: {role}").format(role=stored.role or "-"),
                            _("year: {year}").format(year=stored.year or "-")]))
    for chunk in chunks:
        head = f"[{chunk.order:02d}] {chunk.part}" + (f" · {chunk.subheading}" if chunk.subheading else "")
        out.print(f"\n[cyan]{head}[/]")
        out.print(chunk.text, markup=False)
    out.print("\n[bold]" + _("stripped ({count} lines)").format(count=len(stored.stripped)) + "[/]")
    for item in stored.stripped:
        out.print("  " + _("line {line}:").format(line=item["line"]) + f" [dim]{escape(_(item['reason']))}[/]  "
                  + escape(item["text"]), soft_wrap=True)
    if stored.flagged:
        out.print("\n[bold]" + _("flagged ({count})").format(count=len(stored.flagged)) + "[/]")
    for item in stored.flagged:
        out.print("  " + _("paragraph {paragraph}:").format(paragraph=item["paragraph"])
                  + f" [dim]{escape(_(item['kind']))} ({escape(effect(item['kind']))})[/]  {escape(item['text'])}",
                  soft_wrap=True)


@corpus_app.command("remove", help=_("Remove a report and its chunks from the corpus."))
@friendly
def corpus_remove(
    report: Annotated[str, typer.Argument(help=_("Report id (or a unique prefix, or the source file name)."))],
    as_json: JsonOpt = False,
) -> None:
    """Remove a report and its chunks from the corpus."""
    from ..corpus.house import mark

    index = open_corpus()
    report_id = index.resolve(report)
    with index.writing():
        index.remove([report_id])
    mark({report_id: ""}, house=False)
    if as_json:
        emit_json({"removed": report_id})
    else:
        err.print(_("removed {id}").format(id=report_id))


@corpus_app.command("stats", help=_("Count reports and chunks per part."))
@friendly
def corpus_stats(as_json: JsonOpt = False) -> None:
    """Count reports and chunks per part."""
    stats = open_corpus().stats()
    if as_json:
        emit_json(stats)
        return
    out.print(_("reports: {reports}   chunks: {chunks}   embedding: {embedding}").format(
        reports=stats["reports"], chunks=stats["chunks"], embedding=stats["embedding"]))
    for part in Part:
        out.print(f"  {part.value:10s} {stats['parts'].get(part.value, 0)}")


def _parse_part(value: str | None) -> Part | None:
    if value is None:
        return None
    try:
        return Part(value)
    except ValueError:
        raise GongwenError(_("'{value}' is not a part; use one of: {parts}").format(value=value,
                                                                                  parts=PART_NAMES)) from None


@corpus_app.command("search", help=_("Search the corpus by meaning (MMR, so the hits are not near-duplicates)."))
@friendly
def corpus_search(
    query: Annotated[str, typer.Argument(help=_("What to look for, in Chinese."))],
    part: Annotated[str | None, typer.Option("--part",
                                             help=_("Only this part: {parts}").format(parts=PART_NAMES))] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help=_("How many hits."))] = 5,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help=_("Leave out this report id."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search the corpus by meaning (MMR, so the hits are not near-duplicates)."""
    from ..corpus.retrieve import search

    if not re.search(r"[^\W_]", query):
        fail(_("the query has no words: say what to look for, e.g. 党员教育培训"))
    chosen = _parse_part(part)
    hits = sorted(search(open_corpus(), query, part=chosen, k=k, exclude_reports=exclude or []),
                  key=lambda h: h.score, reverse=True)
    if as_json:
        emit_json([h.as_dict() for h in hits])
        return
    if not hits:
        out.print(_("no hits"))
        return
    from rich.padding import Padding
    from rich.text import Text

    out.print(_("{count} passages, most relevant first. relevance: how close a passage's meaning is to the "
                "query (cosine similarity of their embeddings, 1 = the same).").format(count=len(hits)),
              style="dim", markup=False)
    for rank, h in enumerate(hits, start=1):
        where = " · ".join(x for x in (str(h.metadata.get("unit", "")), h.part, h.subheading) if x)
        text = h.text.replace("\n", " ")
        out.print(Text(_("{rank}. relevance {score:.3f} · {where} · report {id}").format(
            rank=rank, score=h.score, where=where, id=h.report_id)))
        out.print(Padding(Text(text[:160] + "…" if len(text) > 160 else text), (0, 0, 0, 3)))


@corpus_app.command("rebuild", help=_("Re-index every report with the configured embedding; recover from a "
                                       "damaged index."))
@friendly
def corpus_rebuild(as_json: JsonOpt = False) -> None:
    """Re-index every report with the configured embedding; recover from a damaged index."""
    from ..corpus.index import CorpusIndex
    from ..corpus.ingest import rebuild

    summary = rebuild(CorpusIndex())
    if as_json:
        emit_json(summary.as_dict())
    else:
        err.print(_("rebuilt: {indexed} reports indexed, {skipped} skipped").format(
            indexed=len(summary.outcomes) - summary.count("skipped"), skipped=summary.count("skipped")))
        _list_skipped(summary.skipped)
    if summary.skipped:
        raise typer.Exit(1)
