"""Evaluation: draft each case with its source report held out, and score it against that report.

For each case (a facts file whose front matter names its ``source`` report) the source and its
near-duplicates (same unit, or character 5-gram Jaccard > 0.5) are kept out of retrieval; the draft
is made through the same pipeline users run and scored (metrics.py). Two baselines are scored on the
same rows, so a number means something: ``real_vs_real`` (each other real report against the held-out
one) and ``copy`` (the top retrieved example pasted in as it is).
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..corpus.index import CorpusIndex
from ..corpus.retrieve import search
from ..drafting.check import normalise
from ..drafting.engine import DraftOptions, run_draft
from ..drafting.export import to_markdown
from ..drafting.facts import Facts, load_facts
from ..drafting.phrases import phrasebook
from ..drafting.runfolder import RunFolder
from ..drafting.writers import SectionWriter
from ..errors import GongwenError
from ..genre import Part
from ..llm.chat import ChatModel
from ..writefile import make_private_dir, write_atomic
from .casework import EVAL_FILE, CaseRun, read_case_runs, runs_dir, runs_of
from .metrics import GATE_PASSES, PassRule, StyleSpace, descriptives, gates, part_texts, plain_text
from .shipped import SHIPPED_GATES, shipped_scores

SYSTEMS = ("draft", "real_vs_real", "copy")
PARTS = ("main_work", "problems", "plans")
NEAR_DUPLICATE_JACCARD = 0.5
# Every gate with a pass rule: the draft's own (metrics.py) and those on what its run shipped (shipped.py).
PASS_RULES: dict[str, PassRule] = {m: rule for m, rule in {**GATE_PASSES, **SHIPPED_GATES}.items() if rule}
Summary = dict[str, dict[str, dict[str, float]]]  # metric → system → {mean, low, high, n, pass_rate?}


@dataclass(frozen=True)
class Row:
    case: str
    system: str
    part: str  # "all" or a part name
    metric: str
    value: float
    detail: Any = None


@dataclass(frozen=True)
class Report:
    id: str
    unit: str
    source: str
    text: str


def jaccard_5grams(a: str, b: str) -> float:
    ga = {a[i:i + 5] for i in range(len(a) - 4)}
    gb = {b[i:i + 5] for i in range(len(b) - 4)}
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def held_out(target: Report, reports: list[Report]) -> set[str]:
    """The target and its near-duplicates: same unit, or character 5-gram Jaccard above 0.5."""
    a = normalise(target.text)
    return {r.id for r in reports
            if r.id == target.id or (r.unit and r.unit == target.unit)
            or jaccard_5grams(a, normalise(r.text)) > NEAR_DUPLICATE_JACCARD}


def corpus_reports(index: CorpusIndex) -> list[Report]:
    return [Report(r.id, r.unit, r.source, r.text) for r in index.reports_with_text()]


def score(case: str, system: str, candidate: str, reference: str, facts: Facts, examples: list[str],
          style: StyleSpace) -> list[Row]:
    rows = [Row(case, system, "all", s.metric, s.value, s.detail) for s in gates(candidate, facts)]
    rows += [Row(case, system, "all", s.metric, s.value, s.detail)
             for s in descriptives(candidate, reference, examples, style)]
    cand_parts, ref_parts = part_texts(candidate), part_texts(reference)
    for part in PARTS:
        if part in cand_parts and part in ref_parts:
            rows += [Row(case, system, part, s.metric, s.value, None)
                     for s in descriptives(cand_parts[part], ref_parts[part], examples, style)]
    return rows


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


def evaluate(cases: Path | None, writer: SectionWriter, out: Path | None, index: CorpusIndex,
             baseline: Path | None = None, rescore: Path | None = None, judge_with: ChatModel | None = None,
             force: bool = False, progress: Callable[[str], None] | None = None,
             options: DraftOptions | None = None) -> Evaluation:
    """``gongwen eval``: draft and score every case, then write the results files and report.html."""
    from .. import paths
    from .report import render

    case_dir = cases or paths.bundled_evals_dir()
    folder = out or paths.data_dir() / "evals" / time.strftime("%Y%m%d-%H%M%S")
    if (folder / "results.jsonl").exists() and not force and folder != rescore:
        raise GongwenError(f"{folder}: holds results already; pass --force or choose another --out")
    baseline_rows = load_rows(baseline) if baseline else None
    rows = run_eval(case_dir, writer, folder, index, rescore=rescore, judge_with=judge_with, progress=progress,
                    options=options)
    runs = runs_dir(folder, rescore)
    done = Evaluation(folder, rows, summarise(rows), runs, baseline, baseline_rows)
    write_results(rows, done.summary, folder)
    write_atomic(folder / EVAL_FILE, json.dumps({"runs": str(runs.resolve())}, ensure_ascii=False) + "\n")
    write_atomic(folder / "report.html", render(done, case_dir, index))
    return done


def run_eval(cases: Path, writer: SectionWriter, out: Path, index: CorpusIndex, rescore: Path | None = None,
             progress: Callable[[str], None] | None = None, judge_with: ChatModel | None = None,
             options: DraftOptions | None = None) -> list[Row]:
    """``options`` (concurrency, style) apply to every case; each case holds its own report out."""
    paths = sorted(cases.glob("*.md")) if cases.is_dir() else []
    if not paths:
        raise GongwenError(f"{cases}: no case files (*.md) found")
    reports = corpus_reports(index)
    style = StyleSpace([r.text for r in reports])
    rows: list[Row] = []
    make_private_dir(out / "drafts")
    for path in paths:
        facts = load_facts(path)
        if not facts.source:
            raise GongwenError(f"{path}: a case needs 'source: <report file name>' in its front matter")
        target = next((r for r in reports if r.source == facts.source), None)
        if target is None:
            raise GongwenError(f"{path}: source report {facts.source} is not in the corpus; "
                               "add it with `gongwen corpus add`")
        excluded = held_out(target, reports)
        others = [r for r in reports if r.id not in excluded]
        examples = [r.text for r in others]
        held = replace(options or DraftOptions(), exclude_reports=tuple(sorted(excluded)))
        markdown = _draft_for(path, writer, out, index, held, rescore)
        write_atomic(out / "drafts" / f"{path.stem}.md", markdown)
        case = path.stem
        rows += score(case, "draft", plain_text(markdown), target.text, facts, examples, style)
        run = runs_dir(out, rescore) / case
        book = phrasebook(index, exclude=excluded)
        rows += [Row(case, "draft", "all", s.metric, s.value, s.detail) for s in shipped_scores(run, book)]
        if judge_with is not None:
            from .judge import judge

            verdict = judge(judge_with, facts, plain_text(markdown), target.text)
            rows.append(Row(case, "draft", "all", "judge", verdict.value,
                            {"outcome": verdict.outcome, "orders": verdict.orders, "reasons": verdict.reasons,
                             "prompt_sha256": verdict.prompt_sha256}))
        for other in (r for r in reports if r.id != target.id):
            rows += score(case, "real_vs_real", other.text, target.text, facts,
                          [e.text for e in others if e.id != other.id], style)
        query = " ".join(b.text for b in facts.bullets(Part.MAIN_WORK))
        top = search(index, query, part=Part.MAIN_WORK, k=1, exclude_reports=sorted(excluded))
        if top:
            pasted = next(r.text for r in reports if r.id == top[0].report_id)
            rows += score(case, "copy", pasted, target.text, facts,
                          [e.text for e in others if e.id != top[0].report_id], style)
        if progress:
            progress(case)
    return rows


def _draft_for(path: Path, writer: SectionWriter, out: Path, index: CorpusIndex, options: DraftOptions,
               rescore: Path | None) -> str:
    if rescore is not None:
        saved = rescore / "drafts" / f"{path.stem}.md"
        if not saved.is_file():
            raise GongwenError(f"{saved}: no saved draft to re-score")
        return saved.read_text(encoding="utf-8")
    result = run_draft(RunFolder(out / "runs" / path.stem), path, writer, index, options)
    return to_markdown(result, signature=False)  # the real reports close without a 落款


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
        raise GongwenError(f"{path}: no results to compare with") from None
    return [Row(**json.loads(line)) for line in lines if line.strip()]
