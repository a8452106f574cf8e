"""What ``gongwen eval`` prints: the verdict on each system, then every metric in a table that fits 80
columns without cutting a name (each cell a mean over its 95% CI, two lines), then what the columns mean.
"""

from __future__ import annotations

from typing import Any

from ..evaluation.casework import read_case_runs, writer_of
from ..evaluation.compare import compare, headline
from ..evaluation.evaluate import SYSTEMS, Evaluation, mean_and_ci
from ..evaluation.legend import SYSTEM_NAMES
from ..evaluation.verdict import verdicts

COLUMNS_SAID = ("each cell: the mean over cases, its 95% CI below · real vs real: the other real reports "
                "scored against the held-out one, the band people fall in · copy: the nearest example pasted "
                "as it is · pass: share of cases that pass the gate")
DELTA_SAID = (" · Δ: the draft's change against the baseline run, and whether it is better or worse; noise: "
              "each run's mean lies inside the other's 95% CI")
SHORT = {"within noise": "noise"}  # the Δ column is 6 wide
MORE = "What each metric measures, and which way is better: report.html, under 「What the numbers mean」."


def verdict_lines(done: Evaluation) -> dict[str, str]:
    """system name as shown → its verdict (the draft's named by who wrote it)."""
    runs = read_case_runs(done.runs, (r.case for r in done.rows))
    who = writer_of(runs)
    lines = verdicts(done.rows, done.summary, runs)
    return {SYSTEM_NAMES[s] + (f" ({who})" if s == "draft" and who else ""): line for s, line in lines.items()}


def metrics_table(done: Evaluation) -> Any:
    from rich import box
    from rich.table import Table

    with_baseline = done.before is not None
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("metric", no_wrap=True, min_width=max(len(m) for m in done.summary))
    for system in SYSTEMS:
        table.add_column(SYSTEM_NAMES[system], justify="right", no_wrap=True)
    table.add_column("pass", justify="right", no_wrap=True)
    changes = {c.metric: c for c in compare(done.summary, done.before)} if done.before is not None else {}
    if with_baseline:
        table.add_column("Δ", justify="right", no_wrap=True)
    for metric, systems in done.summary.items():
        cells = [metric]
        for system in SYSTEMS:
            v = systems.get(system)
            cells.append("\n".join(mean_and_ci(v)) if v else "")
        rate = systems.get("draft", {}).get("pass_rate")
        cells.append("" if rate is None else f"{rate:.0%}")
        if with_baseline:
            c = changes.get(metric)
            cells.append(f"{c.delta:+.3f}\n{SHORT.get(c.verdict, c.verdict)}" if c else "")
        table.add_row(*cells)
    return table


def print_evaluation(done: Evaluation, out: Any) -> None:
    out.print("[bold]verdict[/]")
    for name, line in verdict_lines(done).items():
        out.print(f"[bold]{name}[/]: {line}", highlight=False)
    if done.before is not None:
        out.print(f"[bold]against the baseline[/] {done.baseline}: {headline(compare(done.summary, done.before))}",
                  markup=True)
    out.print(metrics_table(done))
    out.print(COLUMNS_SAID + (DELTA_SAID if done.before is not None else "") + ".", style="dim", markup=False)
    out.print(MORE, style="dim", markup=False)
