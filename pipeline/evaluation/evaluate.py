"""Evaluation: draft each case with its source report held out, and score it against that report.

For each case (a facts file whose front matter names its ``source`` report) the source and its
near-duplicates (same unit, or character 5-gram Jaccard > 0.5) are kept out of retrieval; the draft
is made through the same pipeline users run and scored (metrics.py). Two baselines are scored on the
same rows, so a number means something: ``real_vs_real`` (each other real report against the held-out
one) and ``copy`` (the top retrieved example pasted in as it is).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..corpus.retrieve import search
from ..drafting.checks.claims import OtherUnits
from ..drafting.engine import run_draft
from ..drafting.ledger import TraceBasis, review_html
from ..drafting.outline.facts import Facts, load_facts
from ..drafting.request import DraftOptions
from ..drafting.runfolder import RunFolder
from ..drafting.word.export import to_markdown
from ..drafting.writing.phrases import phrasebook
from ..drafting.writing.writers import ComposerWriter, SectionWriter
from ..errors import GongwenError
from ..genre import Part
from ..i18n import _
from ..llm.chat import ChatModel
from ..writefile import make_private_dir, write_atomic
from .casework import EVAL_FILE, runs_dir
from .holdout import corpus_reports, held_out
from .metrics import StyleSpace, descriptives, gates, part_texts, plain_text
from .report import render
from .results import PARTS, Evaluation, Row, load_rows, summarise, write_results
from .shipped import shipped_scores
from .style import style_scores


def score(case: str, system: str, candidate: str, reference: str, facts: Facts, examples: list[str],
          style: StyleSpace) -> list[Row]:
    rows = [Row(case, system, "all", s.metric, s.value, s.detail) for s in gates(candidate, facts)]
    rows += [Row(case, system, "all", s.metric, s.value, s.detail)
             for s in descriptives(candidate, reference, examples, style)]
    own = "\n".join(b.text for b in facts.bullets_all())
    rows += [Row(case, system, "all", s.metric, s.value, s.detail)
             for s in style_scores(candidate, reference, own, examples, style)]
    cand_parts, ref_parts = part_texts(candidate), part_texts(reference)
    for part in PARTS:
        if part in cand_parts and part in ref_parts:
            rows += [Row(case, system, part, s.metric, s.value, None)
                     for s in descriptives(cand_parts[part], ref_parts[part], examples, style)]
    return rows


def evaluate(cases: Path | None, writer: SectionWriter, out: Path | None, index: CorpusIndex,
             baseline: Path | None = None, rescore: Path | None = None, judge_with: ChatModel | None = None,
             force: bool = False, progress: Callable[[str], None] | None = None,
             options: DraftOptions | None = None) -> Evaluation:
    """``gongwen eval``: draft and score every case, then write the results files and report.html."""
    from .. import paths
    case_dir = cases or paths.bundled_evals_dir()
    folder = out or new_folder()
    check_free(folder, force, rescore)
    baseline_rows = load_rows(baseline) if baseline else None
    rows = run_eval(case_dir, writer, folder, index, rescore=rescore, judge_with=judge_with, progress=progress,
                    options=options)
    runs = runs_dir(folder, rescore)
    done = Evaluation(folder, rows, summarise(rows), runs, baseline, baseline_rows)
    write_results(rows, done.summary, folder)
    write_atomic(folder / EVAL_FILE, json.dumps({"runs": str(runs.resolve())}, ensure_ascii=False) + "\n")
    write_atomic(folder / "report.html", render(done, case_dir, index))
    return done


def new_folder() -> Path:
    """Where an evaluation goes when no --out is given: a new folder under the data dir."""
    from .. import paths
    return paths.data_dir() / "evals" / time.strftime("%Y%m%d-%H%M%S")


def check_free(folder: Path, force: bool, rescore: Path | None = None) -> None:
    """An evaluation is not written over another's results without --force (re-scoring in place is)."""
    if (folder / "results.jsonl").exists() and not force and folder != rescore:
        raise GongwenError(_("{path}: holds results already; pass --force or choose another --out").format(
            path=folder))


def run_eval(cases: Path, writer: SectionWriter, out: Path, index: CorpusIndex, rescore: Path | None = None,
             progress: Callable[[str], None] | None = None, judge_with: ChatModel | None = None,
             options: DraftOptions | None = None) -> list[Row]:
    """``options`` (concurrency, style) apply to every case; each case holds its own report out."""
    paths = sorted(cases.glob("*.md")) if cases.is_dir() else []
    if not paths:
        raise GongwenError(_("{path}: no case files (*.md) found").format(path=cases))
    reports = corpus_reports(index)
    style = StyleSpace([r.text for r in reports])
    rows: list[Row] = []
    make_private_dir(out / "drafts")
    for path in paths:
        facts = load_facts(path)
        if not facts.source:
            raise GongwenError(_("{path}: a case needs 'source: <report file name>' in its front matter").format(
                path=path))
        target = next((r for r in reports if r.source == facts.source), None)
        if target is None:
            raise GongwenError(_("{path}: source report {source} is not in the corpus; add it with "
                                 "`gongwen corpus add`").format(path=path, source=facts.source))
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
        shown = OtherUnits(examples)
        rows += [Row(case, "draft", "all", s.metric, s.value, s.detail) for s in shipped_scores(run, book, shown)]
        page = review_html(run, TraceBasis(book, shown, _("as this evaluation traces it (its report held out)")))
        if page is not None:  # each sentence of the draft and what it is for the reader, beside report.html
            write_atomic(out / f"review-{case}.html", page)
        if _drafted_by_model(run):  # what the composer ships for the same case, to weigh the model against
            composed = RunFolder(out / "composer" / case)
            result = run_draft(composed, path, ComposerWriter(), index, replace(held, concurrency=1))
            rows += score(case, "composer", plain_text(to_markdown(result, signature=False)), target.text, facts,
                          examples, style)
            rows += [Row(case, "composer", "all", s.metric, s.value, s.detail)
                     for s in shipped_scores(composed.path, book, shown)]
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


def _drafted_by_model(run: Path) -> bool:
    return str(RunFolder(run).record.get("backend", "offline")) != "offline"


def _draft_for(path: Path, writer: SectionWriter, out: Path, index: CorpusIndex, options: DraftOptions,
               rescore: Path | None) -> str:
    if rescore is not None:
        saved = rescore / "drafts" / f"{path.stem}.md"
        if not saved.is_file():
            raise GongwenError(_("{path}: no saved draft to re-score").format(path=saved))
        return saved.read_text(encoding="utf-8")
    result = run_draft(RunFolder(out / "runs" / path.stem), path, writer, index, options)
    return to_markdown(result, signature=False)  # the real reports close without a 落款


