"""What ``gongwen eval`` prints: the verdict on each system, then every metric, then what the columns
mean. The metrics are a table (each cell a mean over its 95% CI, two lines) where it fits the terminal,
and a block per metric where it does not, so no name or number is cut. With several style-refs modes:
the style measure, a column per mode, and each mode against the reference mode.
"""

from __future__ import annotations

from typing import Any

from ..evaluation.casework import writer_of
from ..evaluation.compare import changes_of, compare, headline, uncompared
from ..evaluation.legend import SYSTEM_NAMES, system_label
from ..evaluation.modes import MODES_FILE, ModeComparison
from ..evaluation.results import SYSTEMS, Evaluation, mean_and_ci
from ..evaluation.style import STYLE_METRICS
from ..evaluation.verdict import verdicts
from ..i18n import N_, _, sentence
from .common import err

COLUMNS_SAID = N_("each cell: the mean over cases, its 95% CI below · real vs real: the other real reports "
                  "scored against the held-out one, the band people fall in · copy: the nearest example pasted "
                  "as it is · pass: share of cases that pass the gate")
DELTA_SAID = N_(" · Δ: the draft's change against the baseline run, and whether it is better or worse; noise: "
                "each run's mean lies inside the other's 95% CI")
SHORT = {"within noise": N_("noise")}  # the Δ column is 6 wide
MORE = N_("What each metric measures, and which way is better: report.html, under 「What the numbers mean」.")


def verdict_lines(done: Evaluation) -> tuple[str, dict[str, str]]:
    """Who wrote the drafts, and system → its verdict line."""
    return writer_of(done.case_runs), verdicts(done.rows, done.summary, done.case_runs)


def shown_systems(done: Evaluation) -> tuple[str, ...]:
    """The systems the evaluation scored (the composer only where a model drafted), in order."""
    return tuple(s for s in SYSTEMS if any(s in systems for systems in done.summary.values()))


def metric_cells(done: Evaluation) -> dict[str, list[str]]:
    """metric → its cells: each system's mean and CI (two lines), the pass rate and, with a baseline, the
    change (two lines)."""
    changes = {c.metric: c for c in compare(done.summary, done.before)} if done.before is not None else None
    rows = {}
    for metric, systems in done.summary.items():
        cells = ["\n".join(mean_and_ci(v)) if (v := systems.get(s)) else "" for s in shown_systems(done)]
        rate = systems.get("draft", {}).get("pass_rate")
        cells.append("" if rate is None else f"{rate:.0%}")
        if changes is not None:
            c = changes.get(metric)
            cells.append(f"{c.delta:+.3f}\n{_(SHORT.get(c.verdict, c.verdict))}" if c else "")
        rows[metric] = cells
    return rows


def metrics_table(rows: dict[str, list[str]], systems: tuple[str, ...], with_baseline: bool) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("metric"), no_wrap=True, min_width=max(len(m) for m in rows))
    for system in systems:
        table.add_column(_(SYSTEM_NAMES[system]), justify="right", no_wrap=True)
    table.add_column(_("pass"), justify="right", no_wrap=True)
    if with_baseline:
        table.add_column("Δ", justify="right", no_wrap=True)
    for metric, cells in rows.items():
        table.add_row(metric, *cells)
    return table


def metric_blocks(rows: dict[str, list[str]], systems: tuple[str, ...]) -> list[str]:
    """For a narrow terminal: the metric with its pass rate and change, then a line per system."""
    width = max(len(_(n)) for n in SYSTEM_NAMES.values())
    blocks = []
    for metric, cells in rows.items():
        values, rate, delta = cells[:len(systems)], cells[len(systems)], cells[len(systems) + 1:]
        head = " · ".join([metric, *([_("pass {rate}").format(rate=rate)] if rate else []),
                           *(f"Δ {d.replace(chr(10), ' (')})" for d in delta if d)])
        lines = [f"  {_(SYSTEM_NAMES[s]).ljust(width)}  {cell.replace(chr(10), '  ')}"
                 for s, cell in zip(systems, values, strict=True) if cell]
        blocks.append("\n".join([head, *lines]))
    return blocks


def print_evaluation(done: Evaluation, out: Any) -> None:
    from rich.measure import Measurement
    from rich.text import Text

    writer, lines = verdict_lines(done)
    out.print(Text(_("verdict"), style="bold"))
    for system, line in lines.items():
        out.print(Text.assemble((system_label(system, writer), "bold"), _(": {line}").format(line=line)))
    if done.before is not None:
        said = headline(changes_of(done), uncompared(done.summary, done.before))
        out.print(Text.assemble((_("against the baseline"), "bold"),
                                " " + _("{baseline}: {said}").format(baseline=done.baseline, said=said)))
    rows = metric_cells(done)
    table = metrics_table(rows, shown_systems(done), done.before is not None)
    unbounded = out.options.update(max_width=10_000)
    if Measurement.get(out, unbounded, table).maximum <= out.width:  # else rich would cut cells
        out.print(table)
    else:
        for block in metric_blocks(rows, shown_systems(done)):
            out.print(Text(block))
    out.print(Text(sentence(_(COLUMNS_SAID) + (_(DELTA_SAID) if done.before is not None else "")), style="dim"))
    out.print(Text(_(MORE), style="dim"))


MODES_SAID = N_("the style measure for each style-refs mode: each cell the draft's mean over cases, its 95% CI "
                "below; noise: each mode's mean lies inside the other's 95% CI")


def modes_json(compared: ModeComparison) -> dict[str, Any]:
    """``--json`` for several modes: the comparison, and each mode's evaluation as one mode's ``--json`` gives it."""
    modes = {}
    for mode, done in compared.runs.items():
        drafted_by, verdict = verdict_lines(done)
        modes[mode] = {"out": str(done.folder), "report": str(done.folder / "report.html"), "writer": drafted_by,
                       "verdict": verdict, "summary": done.summary}
    return {"out": str(compared.folder), "comparison": str(compared.folder / MODES_FILE), **compared.as_dict(),
            "modes": modes}


def print_modes(compared: ModeComparison, out: Any) -> None:
    """The style measure, a column per mode; then each mode against the reference mode; then where each is."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column(_("metric"), no_wrap=True)
    for mode in compared.runs:
        table.add_column(mode, justify="right", no_wrap=True)
    means = {mode: compared.means(mode) for mode in compared.runs}
    for metric in STYLE_METRICS:
        table.add_row(metric, *("\n".join(mean_and_ci(v)) if (v := means[mode].get(metric)) else ""
                                for mode in compared.runs))
    out.print(table)
    for mode, changes in compared.against.items():
        said = headline(changes)
        out.print(Text.assemble((_("{mode} against {reference}").format(mode=mode, reference=compared.reference),
                                 "bold"), _(": {line}").format(line=said)))
    out.print(Text(sentence(_(MODES_SAID)), style="dim"))
    for mode, done in compared.runs.items():  # a path is printed as it is, never read as markup
        err.print(_("style refs {mode}: results: {folder}   report: {report}").format(
            mode=mode, folder=done.folder, report=done.folder / "report.html"), soft_wrap=True, markup=False)
    err.print(_("comparison: {path}").format(path=compared.folder / MODES_FILE), soft_wrap=True, markup=False)
