"""`gongwen eval`: leave-one-out drafting of the bundled cases, gates, baselines, files and report."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.evaluation.holdout import Report, held_out
from pipeline.evaluation.results import bootstrap_ci
from tests.conftest import Cli

GATE_NAMES = {"invented_numbers", "fact_recall", "quoted_term_recall", "parts_present", "heading_conformance",
              "placeholders"}


def test_eval_offline_on_the_bundled_cases(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "eval"
    result = cli("eval", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert set(summary) >= GATE_NAMES
    assert summary["invented_numbers"]["draft"]["mean"] == 0
    assert summary["fact_recall"]["draft"]["mean"] >= 0.95
    for metric in ("rouge_l", "chrf", "style_delta", "length_ratio", "style", "formula_reuse", "heading_match",
                   "marker_in_band", "frame_repeats", "profile"):
        assert set(summary[metric]) == {"draft", "real_vs_real", "copy"}, metric
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["system"] for r in rows} == {"draft", "real_vs_real", "copy"}
    assert set(rows[0]) == {"case", "system", "part", "metric", "value", "detail"}
    assert {r["case"] for r in rows} == {"00", "01", "02", "03", "04"}
    assert {r["part"] for r in rows} >= {"all", "main_work", "problems", "plans"}
    assert (out / "results.csv").read_text(encoding="utf-8").startswith("case,system,part,metric,value,detail")
    assert len(list((out / "drafts").glob("*.md"))) == 5

    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= len(GATE_NAMES) and "case 00" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the report must be self-contained"

    # the held-out report was not retrieved for its own case
    sources = json.loads((out / "runs" / "00" / "sources.json").read_text(encoding="utf-8"))
    cases = json.loads(cli("corpus", "list", "--json").stdout)
    held = next(r["id"] for r in cases if r["source"].startswith("000_"))
    assert held not in {h["report_id"] for hits in sources.values() for h in hits}

    rescored = cli("eval", "--rescore", str(out), "--out", str(tmp_path / "again"), "--baseline", str(out))
    assert rescored.exit_code == 0, rescored.output
    assert "against the baseline" in rescored.stdout and "+0.000" in rescored.stdout
    said = " ".join(rescored.stdout.split())
    unchanged = len(json.loads((out / "summary.json").read_text(encoding="utf-8")))
    assert re.search(rf"against the baseline \S+: {unchanged} unchanged metric ", said), said  # and no more


def test_near_duplicates_are_held_out_too() -> None:
    text = "一是加强党员教育培训，二是压实管党治党责任，三是推进支部标准化建设。" * 5
    target = Report("a", "甲局", "a.txt", text)
    reports = [target, Report("b", "乙局", "b.txt", text + "另加一句。"),
               Report("c", "甲局", "c.txt", "完全不同的内容。"),
               Report("d", "丙局", "d.txt", "完全不同的另一份报告，讲的是别的事情。")]
    assert held_out(target, reports) == {"a", "b", "c"}


def test_bootstrap_interval_contains_the_mean() -> None:
    low, high = bootstrap_ci([0.1, 0.2, 0.3, 0.4, 0.5])
    assert low <= 0.3 <= high and low >= 0.1 and high <= 0.5


def test_a_case_without_source_or_with_an_unknown_source_is_refused(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "x.md").write_text("---\nunit: 某局\nrole: 局长\nyear: 2023\n---\n- 事实\n", encoding="utf-8")
    result = cli("eval", "--cases", str(cases), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "needs 'source:" in result.stderr
    (cases / "x.md").write_text("---\nsource: nope.txt\nunit: 某局\nrole: 局长\nyear: 2023\n---\n- 事实\n",
                                encoding="utf-8")
    result = cli("eval", "--cases", str(cases), "--out", str(tmp_path / "o2"))
    assert result.exit_code == 1 and "nope.txt is not in the corpus" in result.stderr


def test_llm_judge_runs_both_orders(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    from tests.stub_openai import StubOpenAI

    def prefers_the_shorter(body: dict) -> str:
        user = body["messages"][1]["content"]
        a = user.split("<<<报告A>>>")[1].split("<<<报告A结束>>>")[0]
        b = user.split("<<<报告B>>>")[1].split("<<<报告B结束>>>")[0]
        return f"胜者：{'A' if len(a) < len(b) else 'B'}\n理由：更简洁。"

    stub = StubOpenAI().start()
    try:
        stub.chat = prefers_the_shorter
        out = tmp_path / "judged"
        result = cli("eval", "--out", str(out), "--judge", "--model", "judge-m", "--base-url", stub.base_url,
                     "--api-key", "k", "--json")
    finally:
        stub.stop()
    assert result.exit_code == 0, result.output
    judged = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
              if '"judge"' in line]
    assert len(judged) == 5
    assert all(r["detail"]["outcome"] == "win" and r["detail"]["orders"] == ["win", "win"] for r in judged)
    assert json.loads(result.stdout)["summary"]["judge"]["draft"]["mean"] == 1.0
    assert len([r for r in stub.requests if r["path"].endswith("/chat/completions")]) == 10  # 5 cases × 2 orders
    assert "LLM judge: <b>win</b>" in (out / "report.html").read_text(encoding="utf-8")


def test_judge_verdicts_are_parsed() -> None:
    from pipeline.evaluation.judge import parse_verdict

    assert parse_verdict("胜者：B\n理由：事实更完整。") == ("B", "事实更完整。")
    assert parse_verdict("胜者: 平\n理由: 各有长短") == ("平", "各有长短")
    assert parse_verdict("无法判断")[0] == "平"
