"""The ``gongwen`` command line. Thin: parse arguments, call one pipeline function, print.

Heavy libraries (chromadb, langchain, openai) are imported inside the commands that need them, so
``gongwen --help`` starts instantly. Every user-fixable problem ends as a one-line error on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from . import __version__
from .errors import GongwenError
from .genre import Part

# Plain help (rich_markup_mode=None): typer's rich-rendered help imports half of rich, which made
# `gongwen --help` take 150 ms here instead of ~95.
app = typer.Typer(
    help="gongwen: draft 述职报告 from bullet-point facts, in the style of your own example reports.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None,
)
corpus_app = typer.Typer(help="The example reports used as style references.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(corpus_app, name="corpus")
facts_app = typer.Typer(help="The facts file: this year's facts as bullet points.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(facts_app, name="facts")


class _Console:
    """rich's Console, made on first use: importing rich.console would add 20 ms to every start."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


out = _Console(highlight=False)
err = _Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

STATUS_MARK = {"ok": "[green]✓[/]", "repaired": "[yellow]✓[/]", "fallback": "[red]![/]"}  # per drafted section
PART_NAMES = ", ".join(p.value for p in Part)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def friendly(fn: Callable[P, R]) -> Callable[P, R]:
    """Report a GongwenError as one line and exit 1; never show a traceback for bad input."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):  # typer ships its own click
                raise
            if isinstance(exc, GongwenError):
                fail(str(exc))
            elif os.environ.get("GONGWEN_DEBUG"):
                raise
            else:
                fail(f"internal error ({type(exc).__name__}: {exc}); set GONGWEN_DEBUG=1 to see the traceback")
        except KeyboardInterrupt:
            fail("interrupted", code=130)

    return wrapper


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True, markup=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"gongwen {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """gongwen: draft 述职报告 from bullet-point facts, in the style of your own example reports."""


# --- corpus ----------------------------------------------------------------------------------------


def _open_corpus() -> Any:
    from .corpus.index import CorpusIndex
    from .corpus.ingest import ensure_seeded

    index = CorpusIndex()
    seeded = ensure_seeded(index)
    if seeded is not None:
        err.print(f"Indexed {seeded.count('added')} bundled example reports on first use.")
    return index


@corpus_app.command("add")
@friendly
def corpus_add(
    paths: Annotated[list[Path], typer.Argument(help="Report files (.txt .md .docx .pdf) or folders.")],
    as_json: JsonOpt = False,
) -> None:
    """Add example reports to the corpus (re-adding an unchanged file does nothing)."""
    from .corpus.ingest import add_paths

    index = _open_corpus()

    def show(outcome: Any) -> None:
        if as_json:
            return
        if outcome.status == "failed":
            err.print(f"[red]✗[/] {outcome.path}: {outcome.error}", soft_wrap=True)
        else:
            err.print(f"[green]✓[/] {outcome.path}: {outcome.status}, {outcome.chunks} chunks "
                      f"({outcome.report_id})", soft_wrap=True)

    summary = add_paths(index, paths, progress=show)
    if as_json:
        emit_json(summary.as_dict())
    else:
        err.print(f"{summary.count('added')} added, {summary.count('replaced')} replaced, "
                  f"{summary.count('unchanged')} unchanged, {summary.count('failed')} failed")
    if not summary.outcomes:
        fail("no report files found in the paths given (supported: .txt .md .docx .pdf)")
    if summary.failed:
        raise typer.Exit(1)


@corpus_app.command("list")
@friendly
def corpus_list(as_json: JsonOpt = False) -> None:
    """List the reports in the corpus."""
    rows = _open_corpus().list_reports()
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    table = Table("id", "year", "unit", "role", "title", "source")
    for r in rows:
        table.add_row(r["id"], r["year"] or "-", r["unit"] or "-", r["role"] or "-", r["title"], r["source"])
    out.print(table)
    out.print(f"{len(rows)} reports")


@corpus_app.command("show")
@friendly
def corpus_show(
    report: Annotated[str, typer.Argument(help="Report id (or a unique prefix, or the source file name).")],
    as_json: JsonOpt = False,
) -> None:
    """Show one report's chunks and the lines cleaning stripped from it."""
    index = _open_corpus()
    data = index.get_report(index.resolve(report))
    if as_json:
        emit_json(data)
        return
    out.print(f"[bold]{data['title']}[/]  ({data['id']}, {data['source']})")
    out.print(f"unit: {data['unit'] or '-'}   role: {data['role'] or '-'}   year: {data['year'] or '-'}")
    for chunk in data["chunks"]:
        head = f"[{chunk['order']:02d}] {chunk['part']}" + (f" · {chunk['subheading']}" if chunk["subheading"] else "")
        out.print(f"\n[cyan]{head}[/]")
        out.print(chunk["text"], markup=False)
    out.print(f"\n[bold]stripped ({len(data['stripped'])} lines)[/]")
    for item in data["stripped"]:
        out.print(f"  line {item['line']}: [dim]{item['reason']}[/]  {item['text']}", soft_wrap=True)


@corpus_app.command("remove")
@friendly
def corpus_remove(
    report: Annotated[str, typer.Argument(help="Report id (or a unique prefix, or the source file name).")],
    as_json: JsonOpt = False,
) -> None:
    """Remove a report and its chunks from the corpus."""
    index = _open_corpus()
    report_id = index.resolve(report)
    with index.writing():
        index.remove([report_id])
    if as_json:
        emit_json({"removed": report_id})
    else:
        err.print(f"removed {report_id}")


@corpus_app.command("stats")
@friendly
def corpus_stats(as_json: JsonOpt = False) -> None:
    """Count reports and chunks per part."""
    stats = _open_corpus().stats()
    if as_json:
        emit_json(stats)
        return
    out.print(f"reports: {stats['reports']}   chunks: {stats['chunks']}   embedding: {stats['embedding']}")
    for part in Part:
        out.print(f"  {part.value:10s} {stats['parts'].get(part.value, 0)}")


def _parse_part(value: str | None) -> Part | None:
    if value is None:
        return None
    try:
        return Part(value)
    except ValueError:
        raise GongwenError(f"'{value}' is not a part; use one of: {PART_NAMES}") from None


@corpus_app.command("search")
@friendly
def corpus_search(
    query: Annotated[str, typer.Argument(help="What to look for, in Chinese.")],
    part: Annotated[str | None, typer.Option("--part", help="Only this part: " + PART_NAMES)] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many hits.")] = 5,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Leave out this report id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search the corpus by meaning (MMR, so the hits are not near-duplicates)."""
    from .corpus.retrieve import search

    chosen = _parse_part(part)
    hits = search(_open_corpus(), query, part=chosen, k=k, exclude_reports=exclude or [])
    if as_json:
        emit_json([h.as_dict() for h in hits])
        return
    if not hits:
        out.print("no hits")
    for rank, h in enumerate(hits, start=1):
        where = " · ".join(x for x in (str(h.metadata.get("unit", "")), h.part, h.subheading) if x)
        text = h.text.replace("\n", " ")
        out.print(f"[bold]{rank}.[/] [cyan]{h.score:.3f}[/]  {where}  [dim]({h.report_id})[/]")
        out.print("   " + (text[:160] + "…" if len(text) > 160 else text), markup=False)


@corpus_app.command("rebuild")
@friendly
def corpus_rebuild(as_json: JsonOpt = False) -> None:
    """Re-index every report with the configured embedding; recover from a damaged index."""
    from .corpus.index import CorpusIndex
    from .corpus.ingest import rebuild

    summary = rebuild(CorpusIndex())
    if as_json:
        emit_json(summary.as_dict())
    else:
        err.print(f"rebuilt: {len(summary.outcomes) - summary.count('failed')} reports indexed, "
                  f"{summary.count('failed')} failed")
    if summary.failed:
        raise typer.Exit(1)


# --- facts -----------------------------------------------------------------------------------------


@facts_app.command("template")
def facts_template() -> None:
    """Print a commented starter facts file (redirect it into a file and edit)."""
    from .drafting.facts import TEMPLATE

    sys.stdout.write(TEMPLATE)


@facts_app.command("check")
@friendly
def facts_check(
    path: Annotated[Path, typer.Argument(help="The facts file.")],
    as_json: JsonOpt = False,
) -> None:
    """Read a facts file and show how it was understood: settings, parts, groups."""
    from .drafting.facts import load_facts

    facts = load_facts(path)
    if as_json:
        emit_json(facts.as_dict())
        return
    out.print(f"unit: {facts.unit}   role: {facts.role}   year: {facts.year}   length: {facts.length}")
    for part in (Part.MAIN_WORK, Part.PROBLEMS, Part.PLANS):
        bullets = facts.bullets(part)
        out.print(f"\n[bold]{part.value}[/] ({len(bullets)})")
        for bullet in bullets:
            group = f"[dim]{bullet.group} ·[/] " if bullet.group else ""
            out.print(f"  {bullet.line:>3}: {group}", end="")
            out.print(bullet.text, markup=False)


# --- draft -----------------------------------------------------------------------------------------


TIMEOUT_HELP = ("Seconds to wait for one reply (default: 600 for an endpoint on this machine, whose CPU "
                "generation is slow; 120 otherwise). Connecting gives up after 2 s, so a refused or dead "
                "endpoint fails in under 15 s with the default retries.")


@app.command("draft")
@friendly
def draft(
    facts: Annotated[list[Path] | None, typer.Argument(help="The facts file (see `gongwen facts template`); "
                                                      "several files or a folder draft them all.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the draft as Markdown here.")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="With several facts files: write "
                                                                   "<name>.md and <name>.docx here.")] = None,
    docx_path: Annotated[Path | None, typer.Option("--docx", help="Also write a GB/T 9704 Word file.")] = None,
    backend: Annotated[str | None, typer.Option(help="offline or openai (default: openai if a key or "
                                                     "endpoint is set, else offline).")] = None,
    model: Annotated[str | None, typer.Option(help="Model name (else $GONGWEN_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (else $OPENAI_BASE_URL). "
                                                      "There is no default: text goes only where you say.")] = None,
    api_key: Annotated[str | None, typer.Option(help="API key (else $OPENAI_API_KEY).")] = None,
    timeout: Annotated[float | None, typer.Option(help=TIMEOUT_HELP)] = None,
    max_retries: Annotated[int | None, typer.Option(help="Retries per LLM call on 429/5xx/timeouts "
                                                         "(default: 3).")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Sections drafted at once.")] = 4,
    style_refs: Annotated[str, typer.Option(help="patterns (example sentence shapes, facts masked; for small "
                                                 "models) or raw (example text).")] = "patterns",
    run_dir: Annotated[Path | None, typer.Option(help="The run folder (default: under the data dir).")] = None,
    resume: Annotated[Path | None, typer.Option(help="Finish an interrupted run in this folder; sections "
                                                     "already drafted are kept, not paid for again. The "
                                                     "run's endpoint and model are used unless you name "
                                                     "others.")] = None,
    redo: Annotated[list[str] | None, typer.Option(help="With --resume: draft this section again "
                                                        "(an id from plan.json, e.g. main_work.2).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files (never an input).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Draft a report from a facts file: plan, retrieve, draft, check, export."""
    from .drafting.engine import STYLE_MODES, DraftOptions

    if style_refs not in STYLE_MODES:
        raise GongwenError(f"'{style_refs}': use patterns or raw")
    if redo and resume is None:
        raise GongwenError("--redo needs --resume RUN_DIR")
    options = DraftOptions(concurrency=concurrency, style_refs=style_refs)
    endpoint = {"backend": backend, "model": model, "base_url": base_url, "api_key": api_key, "timeout": timeout,
                "max_retries": max_retries}
    given = facts or []
    if len(given) == 1 and given[0].is_dir() and out_dir is None:
        raise GongwenError(f"{given[0]}: is a directory, not a facts file; "
                           "to draft every facts file in it, add --out-dir DIR")
    if len(given) > 1 or (given and given[0].is_dir()):
        if output or docx_path or resume:
            raise GongwenError("with several facts files use --out-dir (not -o, --docx or --resume)")
        _draft_batch(given, endpoint, out_dir, run_dir, options, force, as_json)
        return
    if out_dir is not None:
        raise GongwenError("--out-dir is for several facts files; use -o and --docx for one")
    _draft_one(given[0] if given else None, endpoint, output, docx_path, run_dir, resume, tuple(redo or ()),
               options, force, as_json)


def _draft_one(single: Path | None, endpoint: dict[str, Any], output: Path | None, docx_path: Path | None,
               run_dir: Path | None, resume: Path | None, redo: tuple[str, ...], options: Any, force: bool,
               as_json: bool) -> None:
    import shlex
    import time

    from . import paths
    from .drafting.engine import run_draft
    from .drafting.export import placeholders, to_docx, to_markdown
    from .drafting.facts import load_facts
    from .llm.chat import make_backend
    from .writefile import refuse_overwrite, same_file, write_atomic, write_private

    if resume is not None:
        folder, single, recorded = _resumable(resume)
        endpoint = _resume_endpoint(endpoint, recorded, folder)
    elif single is None:
        raise GongwenError("give a facts file, or --resume RUN_DIR")
    else:
        load_facts(single)  # a bad facts file is refused before anything is set up
        folder = run_dir or paths.data_dir() / "runs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{single.stem}"
        if (folder / "run.json").exists() and not force:
            raise GongwenError(f"{folder}: holds a run already; use --resume {folder}, or --force to start over")
    if output is not None and docx_path is not None and same_file(output, docx_path):
        raise GongwenError(f"{output}: given for both -o and --docx")
    for target in (output, docx_path):
        if target is not None:
            refuse_overwrite(target, force, inputs=[single])
    chosen = make_backend(endpoint.pop("backend"), **endpoint)

    def show(section: Any) -> None:
        if not as_json:
            err.print(f"{_mark(section)} {section.id}: {section.status} ({section.attempts} call(s))")

    again = " ".join(["gongwen draft --resume", shlex.quote(str(folder)),
                      *(["-o", shlex.quote(str(output))] if output else []),
                      *(["--docx", shlex.quote(str(docx_path))] if docx_path else [])])
    try:
        result = run_draft(single, chosen, folder, _open_corpus(), options, progress=show,
                           resume=resume is not None, redo=redo)
    except KeyboardInterrupt:
        fail(f"interrupted; {_kept(folder)}; finish with: {again}", code=130)
    except GongwenError as exc:
        if (folder / "run.json").exists():
            raise GongwenError(f"{exc}; {_kept(folder)}; finish with: {again}") from None
        raise
    markdown_path = output or folder / "draft.md"
    (write_atomic if output else write_private)(markdown_path, to_markdown(result))
    if docx_path is not None:
        write_atomic(docx_path, to_docx(result))
    summary = {"output": str(markdown_path), "docx": str(docx_path) if docx_path else None, "run_dir": str(folder),
               "backend": result.backend, "placeholders": placeholders(result), "checks": result.checks}
    if as_json:
        emit_json(summary)
        return
    err.print(f"backend: {result.backend} ({result.model})   run: {folder}", soft_wrap=True)
    err.print(f"draft: {markdown_path}" + (f"   docx: {docx_path}" if docx_path else ""), soft_wrap=True)
    fallbacks = ", ".join(result.fallbacks) or "none"
    err.print(f"待补 placeholders: {summary['placeholders']}   fallback sections: {fallbacks}", soft_wrap=True)


def _kept(folder: Path) -> str:
    recorded = _resumable(folder)[2]
    done, total = len(recorded.get("sections_done", [])), len(recorded.get("sections", []))
    return f"{done} of {total} sections are drafted and kept in {folder}"


def _mark(section: Any) -> str:
    """✓ for a section a model wrote cleanly, ! for a fallback, 待补 for one that still has a gap."""
    from .drafting.export import PLACEHOLDER

    if PLACEHOLDER.search(section.text):
        return "[yellow]待补[/]"
    return STATUS_MARK[section.status]


def _resume_endpoint(given: dict[str, Any], recorded: dict[str, Any], folder: Path) -> dict[str, Any]:
    """The run's recorded backend, endpoint and model, unless the user names others (which is said)."""
    chosen = dict(given)
    chosen["backend"] = given["backend"] or recorded.get("backend")
    if chosen["backend"] != "openai":
        return chosen
    before = str(recorded.get("endpoint") or "")
    if given["base_url"] and before and given["base_url"] != before:
        err.print(f"note: {folder} was drafted with {before}; resuming with {given['base_url']} as you asked",
                  soft_wrap=True)
    chosen["base_url"] = given["base_url"] or before or None
    if not chosen["base_url"]:
        raise GongwenError(f"{folder}: run.json records no endpoint; name one with --base-url")
    chosen["model"] = given["model"] or recorded.get("model")
    return chosen


def _draft_batch(given: list[Path], endpoint: dict[str, Any], out_dir: Path | None, runs: Path | None,
                 options: Any, force: bool, as_json: bool) -> None:
    """Several facts files: check them all, then draft them all under one concurrency bound."""
    from . import paths
    from .drafting.batch import draft_many, facts_files
    from .drafting.export import placeholders, to_docx, to_markdown
    from .drafting.facts import load_facts
    from .llm.chat import make_backend
    from .writefile import refuse_overwrite, write_atomic

    if out_dir is None:
        raise GongwenError("with several facts files, name a folder for the drafts with --out-dir")
    files = facts_files(given)
    if not files:
        raise GongwenError(f"{given[0]}: no facts files (.md, .txt) in it")
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise GongwenError("two facts files share a name; their drafts would overwrite each other")
    for path in files:
        load_facts(path)  # every file is checked before any is drafted
        for suffix in (".md", ".docx"):
            refuse_overwrite(out_dir / f"{path.stem}{suffix}", force, inputs=files)
    backend = make_backend(endpoint.pop("backend"), **endpoint)

    def show(path: Path, section: Any) -> None:
        if not as_json:
            err.print(f"{_mark(section)} {path.stem} · {section.id}: {section.status}")

    results = draft_many(files, backend, runs or paths.data_dir() / "runs", _open_corpus(), options, show)
    summaries = []
    for path, result in zip(files, results, strict=True):
        markdown, word = out_dir / f"{path.stem}.md", out_dir / f"{path.stem}.docx"
        write_atomic(markdown, to_markdown(result))
        write_atomic(word, to_docx(result))
        summaries.append({"facts": str(path), "output": str(markdown), "docx": str(word),
                          "run_dir": str(result.run_dir), "backend": result.backend,
                          "placeholders": placeholders(result), "fallbacks": result.fallbacks})
    if as_json:
        emit_json(summaries)
        return
    err.print(f"{len(results)} reports drafted into {out_dir} (backend: {backend.name})", soft_wrap=True)


def _resumable(folder: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The run folder to resume, its facts file and what its run.json recorded."""
    if not folder.is_dir():
        raise GongwenError(f"{folder}: no such run folder")
    facts = folder / "facts.md"
    if not facts.is_file():
        raise GongwenError(f"{folder}: not a gongwen run folder (no facts.md)")
    try:
        recorded = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    return folder, facts, recorded if isinstance(recorded, dict) else {}


# --- eval ------------------------------------------------------------------------------------------


@app.command("eval")
@friendly
def evaluate(
    cases: Annotated[Path | None, typer.Option(help="Folder of case facts files "
                                                    "(default: the bundled evals/cases).")] = None,
    backend: Annotated[str, typer.Option(help="offline or openai.")] = "offline",
    model: Annotated[str | None, typer.Option(help="Model name (else $GONGWEN_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (else $OPENAI_BASE_URL).")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Where results go "
                                                      "(default: a new folder under the data dir).")] = None,
    baseline: Annotated[Path | None, typer.Option(help="An earlier eval folder: show deltas against it.")] = None,
    rescore: Annotated[Path | None, typer.Option(help="Re-score the drafts saved in this eval folder.")] = None,
    judge: Annotated[bool, typer.Option("--judge", help="Also ask an LLM judge (the openai settings): draft "
                                                        "against real report, both orders.")] = False,
    api_key: Annotated[str | None, typer.Option(help="API key for the judge / openai backend.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into an --out folder that has results.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Draft every case with its source report held out, score it, and compare with baselines."""
    import time

    from . import paths
    from .evaluation.evaluate import load_rows, run_eval, summarise, table_header, table_rows, write_results
    from .evaluation.report import render
    from .llm.chat import make_backend
    from .writefile import write_atomic

    case_dir = cases or paths.bundled_evals_dir()
    folder = out_dir or paths.data_dir() / "evals" / time.strftime("%Y%m%d-%H%M%S")
    if (folder / "results.jsonl").exists() and not force and folder != rescore:
        raise GongwenError(f"{folder}: holds results already; pass --force or choose another --out")
    before = load_rows(baseline) if baseline else None
    chosen = make_backend(backend, model=model, base_url=base_url, api_key=api_key)
    judge_with = make_backend("openai", model=model, base_url=base_url, api_key=api_key) if judge else None
    index = _open_corpus()
    rows = run_eval(case_dir, chosen, folder, index, rescore=rescore, judge_with=judge_with,
                    progress=None if as_json else lambda case: err.print(f"scored case {case}"))
    summary = summarise(rows)
    write_results(rows, summary, folder)
    before_summary = summarise(before) if before else None
    write_atomic(folder / "report.html", render(rows, summary, folder, case_dir, index, before_summary))
    if as_json:
        emit_json({"out": str(folder), "report": str(folder / "report.html"), "summary": summary})
        return
    from rich.table import Table

    table = Table(*table_header(before_summary is not None))
    for cells in table_rows(summary, before_summary):
        table.add_row(*cells)
    out.print(table)
    for row in (r for r in rows if r.metric == "judge"):
        out.print(f"judge · case {row.case}: {row.detail['outcome']} ({' / '.join(row.detail['reasons'])})",
                  markup=False)
    err.print(f"results: {folder}   report: {folder / 'report.html'}")
