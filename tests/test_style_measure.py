"""The style measure (evaluation/style.py) on texts made for it, and `gongwen eval` comparing style-refs modes.

The house set (tests/data/house: one office's reports of 2021–2023, written for the tests) gives the
reports whose formulas are known; a copy of the 2022 report with those formulas and headings put in the
genre's common words instead is the draft that does not reuse them, its facts unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.evaluation.metrics import StyleSpace
from pipeline.evaluation.style import COMPONENTS, STYLE, frame_repeats, in_band, marker_in_band, style_scores
from pipeline.genre import genre_marker_rate
from tests.conftest import EXAMPLES, ROOT, Cli
from tests.fakes import faithful_responder
from tests.stub_openai import StubOpenAI

HOUSE = ROOT / "tests" / "data" / "house"
COMMON = (  # the house's wording → the genre's common wording
    ("一、履职尽责的主要做法", "一、主要工作"), ("二、检视出的短板及根源", "二、存在的主要问题及原因"),
    ("三、改进提升的努力方向", "三、下步工作思路和主要措施"),
    ("对照年初向县委立下的党建“军令状”，现将本人履行抓基层党建第一责任人职责情况述职如下：", "现将有关情况述职如下："),
    ("拿着年初的党建“军令状”逐项对账，我感到自身还存在以下短板：", "我在工作中还存在一些不足："),
    ("产生上述问题的原因，根子还在我自身：", "究其原因，主要有以下几点："),
    ("以上述职，恳请各位领导、同志们批评指正。", "以上述职，请予评议。"),
)


def house(year: int) -> str:
    return (HOUSE / f"{year}.txt").read_text(encoding="utf-8")


def in_common_words(text: str) -> str:
    for house_words, common in COMMON:
        assert house_words in text
        text = text.replace(house_words, common)
    text = re.sub(r"（([一二三四五])）以“[\u4e00-\u9fff]{2}”为要，", r"（\1）", text)  # 「（一）强化政治引领」
    text = re.sub(r"紧扣“[\u4e00-\u9fff]{2}”二字，我重点抓了.件事：", "主要做了以下工作：", text)
    return re.sub(r"回顾\d{4}年、展望\d{4}年，", "今后，", text)


def scores(candidate: str, reference: str, own_words: str = "") -> dict[str, float]:
    examples = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    space = StyleSpace([reference, *examples])
    return {s.metric: s.value for s in style_scores(candidate, reference, own_words, examples, space)}


def test_a_draft_that_keeps_the_real_reports_formulas_and_headings_scores_higher_on_them() -> None:
    real, kept = house(2023), house(2022)
    common = in_common_words(kept)
    keeps, does_not = scores(kept, real), scores(common, real)
    assert keeps["formula_reuse"] == 1.0 and keeps["heading_match"] == 1.0
    assert does_not["formula_reuse"] < 0.5 and does_not["heading_match"] < 0.5
    assert keeps[STYLE] > does_not[STYLE]
    assert set(keeps) == {STYLE, *COMPONENTS}
    assert keeps[STYLE] == sum(keeps[c] for c in COMPONENTS) / len(COMPONENTS)


def test_the_subheadings_form_counts_where_the_real_report_has_no_template() -> None:
    real = next(p for p in EXAMPLES if p.name.startswith("000_")).read_text(encoding="utf-8")
    halves = [line for line in real.split("\n") if line.startswith("（")]  # 「（一）高度重视，认真履行……。一是…」
    one_phrase = real
    for line in halves:
        one_phrase = one_phrase.replace(line, re.sub(r"）[^，。]+，", "）", line, count=1))
    assert one_phrase != real
    assert scores(real, real)["heading_match"] == 1.0
    assert scores(one_phrase, real)["heading_match"] == 0.5  # the part headings kept, no subheading in form


def test_a_frame_clause_said_twice_lowers_frame_repeats_and_the_facts_own_words_do_not() -> None:
    once = "我始终把责任扛在肩上，推动工作落实。一是召开党组会议12次。二是开展主题党日活动。"
    twice = once + "我始终把责任扛在肩上，做好各项工作。"
    assert frame_repeats(once).value == 1.0
    repeated = frame_repeats(twice)
    assert repeated.value == 0.5 and repeated.detail == ["我始终把责任扛在肩上"]
    fact = "开展主题党日活动，推动工作落实。开展主题党日活动，做到全覆盖。"
    assert frame_repeats(fact).value == 0.5
    assert frame_repeats(fact, own_words="- 开展主题党日活动").value == 1.0
    assert frame_repeats("加强学习。加强学习。").value == 1.0  # under six characters: not a frame clause


def test_a_marker_rate_outside_the_real_band_lowers_marker_in_band() -> None:
    assert in_band(5.0, 4.0, 6.0) == 1.0 and in_band(7.0, 4.0, 6.0) == 0.5 and in_band(9.0, 4.0, 6.0) == 0.0
    examples = [house(2021), house(2022)]
    low, high = sorted(genre_marker_rate(e) for e in examples)
    assert high > low
    inside = marker_in_band(house(2023), examples)
    stock = house(2023).replace("。", "。坚持扎实深入，切实持续推进。")
    outside = marker_in_band(stock, examples)
    assert inside is not None and outside is not None
    assert genre_marker_rate(stock) > high
    assert outside.value < inside.value
    assert inside.detail["band"] == [round(low, 2), round(high, 2)]


def test_eval_compares_the_style_refs_modes_a_folder_each(seeded: Path, cli: Cli, tmp_path: Path,
                                                          stub: StubOpenAI) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    case = (ROOT / "evals" / "cases" / "00.md").read_text(encoding="utf-8")
    (cases / "00.md").write_text(case, encoding="utf-8")
    drafts = faithful_responder(case)
    stub.chat = lambda body: drafts(body["messages"], body.get("max_tokens"))
    out = tmp_path / "modes"
    result = cli("eval", "--cases", str(cases), "--out", str(out), "--backend", "openai", "--model", "m",
                 "--base-url", stub.base_url, "--style-refs", "patterns,none,raw")
    assert result.exit_code == 0, result.output
    for mode in ("patterns", "none", "raw"):
        assert (out / mode / "results.jsonl").is_file() and (out / mode / "report.html").is_file()
        run = json.loads((out / mode / "runs" / "00" / "run.json").read_text(encoding="utf-8"))
        assert run["style_refs"] == mode and run["backend"] == "openai"
    compared = json.loads((out / "modes.json").read_text(encoding="utf-8"))
    assert compared["reference"] == "patterns" and list(compared["modes"]) == ["patterns", "none", "raw"]
    assert set(compared["against"]) == {"none", "raw"}
    for mode, entry in compared["modes"].items():
        summary = json.loads((out / mode / "summary.json").read_text(encoding="utf-8"))
        assert entry["style"]["style"] == summary["style"]["draft"]
        assert {"style", *COMPONENTS} <= set(summary) and "real_vs_real" in summary["style"]
    assert re.search(r"^metric +patterns +none +raw$.*?^style +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}$", result.stdout,
                     re.M | re.S), result.stdout
    said = " ".join(result.stdout.split())
    assert "none against patterns:" in said and "raw against patterns:" in said

    again = cli("eval", "--cases", str(cases), "--rescore", str(out), "--out", str(tmp_path / "again"), "--style-refs",
                "patterns,none,raw", "--json")  # mode by mode, whatever the backend: nothing is drafted
    assert again.exit_code == 0, again.output
    rescored = json.loads(again.stdout)
    assert list(rescored["modes"]) == ["patterns", "none", "raw"]
    for mode, entry in rescored["modes"].items():
        assert entry["summary"]["style"]["draft"] == compared["modes"][mode]["style"]["style"]
        assert entry["writer"] == f"m, style refs {mode}"


def test_offline_the_modes_are_one_draft_scored_once(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "00.md").write_text((ROOT / "evals" / "cases" / "00.md").read_text(encoding="utf-8"), encoding="utf-8")
    refused = cli("eval", "--cases", str(cases), "--out", str(tmp_path / "bad"), "--style-refs", "patterns,nope")
    assert refused.exit_code == 1 and "'nope': use none, patterns or raw" in refused.stderr
    assert not (tmp_path / "bad").exists()
    out = tmp_path / "once"
    result = cli("eval", "--cases", str(cases), "--out", str(out), "--style-refs", "patterns,none,raw", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("every style-refs mode drafts the same text: scored once") == 1
    assert (out / "results.jsonl").is_file() and not (out / "modes.json").exists()
    assert not any((out / mode).exists() for mode in ("patterns", "none", "raw"))
    assert "style" in json.loads(result.stdout)["summary"]
