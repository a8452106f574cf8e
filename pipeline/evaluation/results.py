"""What an evaluation holds: its rows (one per case × system × part × metric), their summary with 95%
bootstrap CIs, and the evaluation as a whole, with the case runs it read. Below the runner (evaluate.py),
the verdict, the comparison and the report, which all read these types.
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import GongwenError
from ..i18n import _
from ..writefile import write_atomic
from .casework import CaseRun, read_case_runs, runs_of
from .metric import PASS_RULES

SYSTEMS = ("draft", "composer", "real_vs_real", "copy")
PARTS = ("main_work", "problems", "plans")
Summary = dict[str, dict[str, dict[str, float]]]  # metric → system → {mean, low, high, n, pass_rate?}


@dataclass(frozen=True)
class Row:
    case: str
    system: str
    part: str  # "all" or a part name
    metric: str
    value: float
    detail: Any = None


@dataclass
class Evaluation:
    folder: Path
    rows: list[Row]
    summary: Summary
    runs: Path  # where each case's run folder is (the re-scored run's, on --rescore)
    baseline: Path | None = None
    baseline_rows: list[Row] | None = None

    @cached_property
    def before(self) -> Summary | None:
        """The baseline run's summary, for deltas."""
        return summarise(self.baseline_rows) if self.baseline_rows is not None else None

    @cached_property
    def case_runs(self) -> dict[str, CaseRun | None]:
        """What each case's run shipped, read once for the verdict, the report and the comparison."""
        return read_case_runs(self.runs, (r.case for r in self.rows))

    @cached_property
    def baseline_runs(self) -> dict[str, CaseRun | None]:
        """The same for the baseline run (empty without one)."""
        if self.baseline is None or self.baseline_rows is None:
            return {}
        return read_case_runs(runs_of(self.baseline), (r.case for r in self.baseline_rows))


# --- summaries --------------------------------------------------------------------------------------


def bootstrap_ci(values: list[float], rounds: int = 1000, seed: int = 0) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def per_case(rows: list[Row], system: str, metric: str, part: str = "all") -> dict[str, float]:
    """One value per case (real_vs_real has one per other report: their mean)."""
    values: dict[str, list[float]] = {}
    for row in rows:
        if row.system == system and row.metric == metric and row.part == part:
            values.setdefault(row.case, []).append(row.value)
    return {case: statistics.fmean(v) for case, v in values.items()}


def summarise(rows: list[Row]) -> dict[str, dict[str, dict[str, float]]]:
    """metric → system → {mean, low, high, n, pass_rate?}, metrics in the order the rows name them."""
    metrics = list(dict.fromkeys(r.metric for r in rows))
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for metric in metrics:
        summary[metric] = {}
        for system in SYSTEMS:
            values = list(per_case(rows, system, metric).values())
            if not values:
                continue
            low, high = bootstrap_ci(values)
            entry = {"mean": statistics.fmean(values), "low": low, "high": high, "n": float(len(values))}
            rule = PASS_RULES.get(metric)
            if rule is not None:
                passes = [rule(r.value) for r in rows
                          if r.system == system and r.metric == metric and r.part == "all"]
                entry["pass_rate"] = sum(passes) / len(passes)
            summary[metric][system] = entry
    return summary


def shown(value: float) -> str:
    """A metric's value as the terminal and report.html show it: 0.548, 21.9."""
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


def mean_and_ci(entry: dict[str, float]) -> tuple[str, str]:
    """A summary entry as two short lines: the mean, and its 95% CI."""
    return shown(entry["mean"]), f"{shown(entry['low'])}–{shown(entry['high'])}"


def write_results(rows: list[Row], summary: Summary, out: Path) -> None:
    write_atomic(out / "results.jsonl",
                 "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["case", "system", "part", "metric", "value", "detail"])
    for r in rows:
        writer.writerow([r.case, r.system, r.part, r.metric, r.value,
                         "" if r.detail is None else json.dumps(r.detail, ensure_ascii=False)])
    write_atomic(out / "results.csv", buffer.getvalue())
    write_atomic(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")


def load_rows(run: Path) -> list[Row]:
    path = run / "results.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise GongwenError(_("{path}: no results to compare with").format(path=path)) from None
    return [Row(**json.loads(line)) for line in lines if line.strip()]
