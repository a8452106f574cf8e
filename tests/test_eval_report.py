"""What a person choosing a model reads: report.html for a saved run, the comparison of two runs, and
the terminal at 80 columns (eval, corpus list, corpus search).

The saved run (tests/data/eval-qwen) is a real one: Qwen2.5-Coder-1.5B drafting the 5 bundled cases
on 2026-11-29, kept without its model calls. Its sections' statuses are read here from its own files,
not through the code under test.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from pipeline.evaluation.compare import compare, headline
from pipeline.evaluation.legend import METRICS, change
from pipeline.evaluation.report_case import marked
from tests.conftest import ROOT, Cli

SAVED = ROOT / "tests" / "data" / "eval-qwen"
STATUS = {"ok": "model", "repaired": "repaired", "fallback": "fallback", "composed": "composer"}


def gongwen(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    """The command as a user's terminal runs it: its own process, COLUMNS set, rich reading it."""
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)


def saved_statuses(case: str) -> list[tuple[str, str]]:
    """(section id, status a reader sees) for each section file the saved run holds, in order."""
    found = []
    for path in sorted((SAVED / "runs" / case / "sections").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append((data["id"], STATUS[data["status"]]))
    return found


def saved_texts(case: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((SAVED / "runs" / case / "sections").glob("*.md"))]


def fits(text: str, width: int = 80) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"wider than {width} columns: {line!r}"
    assert "…" not in text, "something was cut short"


def test_the_report_of_a_saved_run_opens_with_a_verdict_and_a_legend_and_shows_each_sections_status(
        seeded: Path, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rescored"
    result = gongwen("eval", "--rescore", str(SAVED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = (out / "report.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))

    # the verdict comes first, one line per system, the draft named by the model that wrote it
    verdict = page.index("id='verdict'")
    assert verdict < page.index("id='legend'") < page.index("id='cases'")
    assert re.search(r"<dt>draft \(qwen-1\.5b, style refs patterns\)</dt><dd>\d of 5 cases pass every gate", page)
    statuses = [s for case in ("00", "01", "02", "03", "04") for _, s in saved_statuses(case)]
    written = sum(s in ("model", "repaired") for s in statuses)
    assert f"{written} of {len(statuses)} sections written by the model" in text
    assert f"{statuses.count('fallback')} fell back to the composer" in text
    assert "<dt>real vs real</dt>" in page and "<dt>copy</dt>" in page

    # the legend: every metric scored, in one sentence, with the way that is better
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    legend = page[page.index("id='legend'"):page.index("id='cases'")]
    for metric in summary:
        row = re.search(rf"<tr><td>{metric}</td><td>([^<]+)</td><td>([^<]+)</td>", legend)
        assert row, f"{metric} is not in the legend"
        assert row.group(1) == html.escape(METRICS[metric].says, quote=False)
        assert row.group(2) in ("higher is better", "lower is better", "closer to real reports is better", "counted")

    # each case lists its sections with the status its run recorded
    for case in ("00", "01", "02", "03", "04"):
        block = page[page.index(f"id='case-{case}'"):]
        block = block[:block.index("</table>")]
        shown = [b for b in re.findall(r'<span class="badge (\w+)">', block) if b != "gap"]
        assert shown == [s for _, s in saved_statuses(case)], case
        gaps = sum(int(n) for n in re.findall(r"待补 ×(\d+)", block))
        assert gaps == sum(t.count("【待补") for t in saved_texts(case)), case


def test_two_runs_compared_and_the_terminal_fits_80_columns(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    offline = tmp_path / "offline"
    assert cli("eval", "--out", str(offline), "--json").exit_code == 0
    out = tmp_path / "qwen-vs-offline"
    result = gongwen("eval", "--rescore", str(SAVED), "--baseline", str(offline), "--out", str(out))
    assert result.returncode == 0, result.stderr
    fits(result.stdout)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    lines = result.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("metric")) + 1:]
    table = table[:next(i for i, line in enumerate(table) if line.startswith("each cell"))]
    names = [line.split()[0] for line in table if line[:1].isalpha()]
    assert names == list(summary), "each metric's name stands whole at the start of its row"
    assert "against the baseline" in result.stdout and re.search(r"[+-]\d\.\d{3}$", result.stdout, re.M)

    page = (out / "report.html").read_text(encoding="utf-8")
    compared = page[page.index("id='compare'"):page.index("id='legend'")]
    assert "offline composer" in compared and "qwen-1.5b" in compared
    # both drafts are shorter than real reports, so the longer one is the better
    length = re.search(r"<tr><td>length_ratio</td><td class='num'>([\d.]+)</td><td class='num'>([\d.]+)</td>"
                       r"<td class='num'>[^<]+</td><td class='([\w-]+)'>", compared)
    assert length, compared
    old, new, verdict = float(length.group(1)), float(length.group(2)), length.group(3)
    before = json.loads((offline / "summary.json").read_text(encoding="utf-8"))["length_ratio"]["draft"]
    after = summary["length_ratio"]["draft"]
    noise = before["low"] <= new <= before["high"] and after["low"] <= old <= after["high"]
    assert verdict == ("within-noise" if noise else "better" if new > old else "worse")


def test_which_way_is_better() -> None:
    assert change("invented_numbers", 2, 0, None) == "better"
    assert change("fact_recall", 1.0, 0.9, None) == "worse"
    assert change("length_ratio", 0.5, 0.8, band=1.0) == "better"
    assert change("length_ratio", 1.0, 1.4, band=1.05) == "worse"
    assert change("placeholders", 3, 1, None) == "changed"
    assert change("chrf", 0.2, 0.2, None) == "same"
    before = {"chrf": {"draft": {"mean": 0.2}}, "max_copied_span": {"draft": {"mean": 19.0}}}
    after = {"chrf": {"draft": {"mean": 0.25}}, "max_copied_span": {"draft": {"mean": 25.0}},
             "judge": {"draft": {"mean": 1.0}}}
    changes = compare(after, before)
    assert [(c.metric, c.verdict) for c in changes] == [("chrf", "better"), ("max_copied_span", "worse")]
    assert headline(changes) == "better: chrf; worse: max_copied_span"
    wide = {"low": 0.1, "high": 0.4}
    noisy = compare({"chrf": {"draft": {"mean": 0.25, **wide}}}, {"chrf": {"draft": {"mean": 0.2, **wide}}})
    assert noisy[0].verdict == "within noise" and headline(noisy) == "within noise: chrf"


def test_differences_are_marked_without_striking_text_and_invented_numbers_always() -> None:
    shown = marked("共发展党员27名，2027年<完成>", "共发展党员名，年完成", ["27"])
    assert '<span class="bad">27</span>' in shown and "2027" in re.sub(r"<[^>]+>", "", shown)
    assert "<del>" not in shown and "&lt;" in shown and "<完成>" not in shown
    assert shown.count('class="bad"') == 1, "the 27 inside 2027 is not the invented number"


def test_corpus_list_at_80_columns_shows_every_title_whole(seeded: Path, cli: Cli) -> None:
    result = gongwen("corpus", "list")
    assert result.returncode == 0, result.stderr
    fits(result.stdout)
    titles = [r["title"] for r in json.loads(cli("corpus", "list", "--json").stdout)]
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert all(title in lines for title in titles), result.stdout


def test_search_is_sorted_by_a_named_score_and_an_empty_query_is_refused(seeded: Path, cli: Cli,
                                                                         tmp_path: Path) -> None:
    result = gongwen("corpus", "search", "党员教育培训和发展党员", "-k", "6")
    assert result.returncode == 0, result.stderr
    scores = [float(s) for s in re.findall(r"^\d+\. relevance (\d\.\d{3})", result.stdout, re.M)]
    assert len(scores) == 6 and scores == sorted(scores, reverse=True)
    assert "cosine similarity" in result.stdout
    hits = json.loads(cli("corpus", "search", "党员教育培训和发展党员", "-k", "6", "--json").stdout)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for query in ("", "   ", "，。"):
        refused = cli("corpus", "search", query)
        assert refused.exit_code == 1 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "no words to search by" in refused.stderr


def test_the_saved_run_is_whole() -> None:
    """The fixture above is a real run: every case has its draft and its sections."""
    for case in ("00", "01", "02", "03", "04"):
        assert (SAVED / "drafts" / f"{case}.md").is_file()
        assert len(saved_statuses(case)) >= 7
