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
import shutil
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from pipeline.evaluation.compare import compare, headline
from pipeline.evaluation.legend import change
from pipeline.evaluation.metric import METRICS, PASS_RULES
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
    fits(result.stdout)  # COLUMNS=80: the metric table, every name whole
    assert all(re.search(rf"^{m}\s", result.stdout, re.M) for m in json.loads(
        (out / "summary.json").read_text(encoding="utf-8")))
    page = (out / "report.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))

    # the verdict comes first, one line per system, the draft named by the model that wrote it
    verdict = page.index("id='verdict'")
    assert verdict < page.index("id='legend'") < page.index("id='cases'")
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    draft = [r for r in rows if r["system"] == "draft" and r["part"] == "all"]
    passing = {r["case"] for r in draft} - {r["case"] for r in draft if r["metric"] in PASS_RULES
                                            and not PASS_RULES[r["metric"]](r["value"])}
    assert f"<dt>draft (qwen-1.5b, style refs patterns)</dt><dd>{len(passing)} of 5 cases pass every gate" in page
    statuses = [s for case in ("00", "01", "02", "03", "04") for _, s in saved_statuses(case)]
    written = sum(s in ("model", "repaired") for s in statuses)
    said = " ".join(text.split())
    assert f"{written} of {len(statuses)} sections written by the model ({statuses.count('model')} at the first " \
           f"reply, {statuses.count('repaired')} asked again), {statuses.count('fallback')} replaced by the " \
           "composer's text" in said
    defects = sum(r["value"] for r in draft if r["metric"] == "form_defects")
    assert f"shipped {defects:.0f} form defect" in said
    length = sum(r["value"] for r in draft if r["metric"] == "length_ratio") / 5
    assert f"length {length:.2f} of the real report" in said
    assert "<dt>real vs real</dt>" in page and "<dt>copy</dt>" in page
    answer = json.loads(gongwen("eval", "--rescore", str(SAVED), "--out", str(tmp_path / "j"), "--json").stdout)
    assert answer["writer"] == "qwen-1.5b, style refs patterns" and set(answer["verdict"]) == {
        "draft", "composer", "real_vs_real", "copy"}  # a model drafted: the composer drafts the same cases
    assert "against the offline composer on the same cases" in answer["verdict"]["draft"]

    # the legend: every metric scored, in one sentence, with the way that is better
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    legend = page[page.index("id='legend'"):page.index("id='cases'")]
    for metric in summary:
        row = re.search(rf"<tr><td>{metric}</td><td>([^<]+)</td><td>([^<]+)</td>", legend)
        assert row, f"{metric} is not in the legend"
        assert row.group(1) == html.escape(METRICS[metric].says)
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
    offline = tmp_path / "offline [red]run[/]"  # a path is printed as it is, not read as markup
    assert cli("eval", "--out", str(offline), "--json").exit_code == 0
    out = tmp_path / "qwen-vs-offline"
    result = gongwen("eval", "--rescore", str(SAVED), "--baseline", str(offline), "--out", str(out))
    assert result.returncode == 0, result.stderr
    fits(result.stdout)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    lines = result.stdout.splitlines()
    # the table where it fits 80 columns, else a block per metric (five systems with the composer's): either
    # way each metric's name stands whole at the start of its row
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("metric")), None)
    if start is None:
        start = next(i for i, line in enumerate(lines) if line.startswith(next(iter(summary))))
    table = lines[start:]
    table = table[:next(i for i, line in enumerate(table) if line.startswith("each cell"))]
    names = [line.split()[0] for line in table if line[:1].isalpha()]
    assert names == list(summary), "each metric's name stands whole at the start of its row"
    assert f"against the baseline {offline}:" in " ".join(result.stdout.split())
    assert "against the baseline" in result.stdout and re.search(r"[+-]\d\.\d{3}$|Δ [+-]\d\.\d{3}", result.stdout,
                                                                 re.M)

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


def test_runs_are_found_through_a_rescore_and_their_absence_is_said(seeded: Path, tmp_path: Path) -> None:
    once, twice = tmp_path / "once", tmp_path / "twice"
    assert gongwen("eval", "--rescore", str(SAVED), "--out", str(once)).returncode == 0
    assert gongwen("eval", "--rescore", str(once), "--out", str(twice)).returncode == 0
    page = (twice / "report.html").read_text(encoding="utf-8")
    block = page[page.index("id='case-01'"):]
    shown = [b for b in re.findall(r'<span class="badge (\w+)">', block[:block.index("</table>")]) if b != "gap"]
    assert shown == [s for _, s in saved_statuses("01")] and "qwen-1.5b" in page

    # the same run against itself: the share of sections the model wrote is compared too, and unchanged
    again = gongwen("eval", "--rescore", str(SAVED), "--baseline", str(once), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    statuses = [s for case in ("00", "01", "02", "03", "04") for _, s in saved_statuses(case)]
    share = sum(s in ("model", "repaired") for s in statuses) / len(statuses)
    compared = (tmp_path / "again" / "report.html").read_text(encoding="utf-8")
    assert (f"<tr><td>model_written_share</td><td class='num'>{share:.3f}</td><td class='num'>{share:.3f}</td>"
            "<td class='num'>+0.000</td><td class='same'>same</td>") in compared

    bare = tmp_path / "bare"  # an evaluation saved with its drafts only
    shutil.copytree(SAVED / "drafts", bare / "drafts")
    result = gongwen("eval", "--rescore", str(bare), "--out", str(tmp_path / "bare-out"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "bare-out" / "report.html").read_text(encoding="utf-8")
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "who wrote each section is not known" in said
    shipped = ", ".join(g for g in PASS_RULES if METRICS[g].scored_by == "shipped")
    assert f"{shipped} not scored (no run folders to read)" in said
    opening = (SAVED / "runs" / "00" / "sections" / "01_opening.md").read_text(encoding="utf-8").strip()
    assert opening[:30] in html.unescape(re.sub(r"<[^>]+>", "", page)), "the draft's text stands in for sections"


def test_a_run_folder_cannot_write_markup_into_the_page(seeded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(SAVED, copy)
    section = copy / "runs" / "00" / "sections" / "01_opening.json"
    data = json.loads(section.read_text(encoding="utf-8"))
    data["status"] = 'x" onmouseover="alert(1)'
    section.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert gongwen("eval", "--rescore", str(copy), "--out", str(tmp_path / "out")).returncode == 0
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "onmouseover=" not in page and '<span class="badge other">other</span>' in page


def test_a_narrow_terminal_gets_a_block_per_metric(seeded: Path, tmp_path: Path) -> None:
    result = gongwen("eval", "--rescore", str(SAVED), "--out", str(tmp_path / "o"), columns=60)
    assert result.returncode == 0, result.stderr
    fits(result.stdout, 60)
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    heads = [line.split(" · ")[0] for line in result.stdout.splitlines() if line.split(" · ")[0] in summary]
    assert heads == list(summary)


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


def test_corpus_list_at_80_columns_shows_every_title_whole(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    # a file named as offices name them, longer than a line
    named = tmp_path / "2023年度某某市某某区环境卫生管理局党组书记抓基层党建工作述职报告（定稿，已报区委组织部）.txt"
    text = sorted((ROOT / "corpus").glob("*.txt"))[0].read_text(encoding="utf-8")
    named.write_text(text.replace("环卫局", "环境卫生管理局"), encoding="utf-8")
    assert cli("corpus", "add", str(named)).exit_code == 0
    result = gongwen("corpus", "list")
    assert result.returncode == 0, result.stderr
    fits(result.stdout)
    reports = json.loads(cli("corpus", "list", "--json").stdout)
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert all(r["title"] in lines for r in reports), result.stdout
    assert len(reports) == 6 and named.name in "".join(result.stdout.split()), "the long file name, wrapped"


def test_search_is_sorted_by_a_named_score_and_an_empty_query_is_refused(seeded: Path, cli: Cli,
                                                                         tmp_path: Path) -> None:
    result = gongwen("corpus", "search", "党员教育培训和发展党员", "-k", "6")
    assert result.returncode == 0, result.stderr
    scores = [float(s) for s in re.findall(r"^\d+\. relevance (\d\.\d{3})", result.stdout, re.M)]
    assert len(scores) == 6 and scores == sorted(scores, reverse=True)
    assert "cosine similarity" in result.stdout
    hits = json.loads(cli("corpus", "search", "党员教育培训和发展党员", "-k", "6", "--json").stdout)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for query in ("", "   ", "，。", "_"):
        refused = cli("corpus", "search", query)
        assert refused.exit_code == 1 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and "the query has no words" in refused.stderr


def test_the_saved_run_is_whole() -> None:
    """The fixture above is a real run: every case has its draft and its sections."""
    for case in ("00", "01", "02", "03", "04"):
        assert (SAVED / "drafts" / f"{case}.md").is_file()
        assert len(saved_statuses(case)) >= 7
