"""Drafting with a real model: the 5 evaluation cases against any OpenAI-compatible endpoint.

    python benchmarks/real_model.py --base-url http://127.0.0.1:8089/v1 --model qwen-1.5b \
        [--style-refs none patterns raw] [--out DIR]

Each case is drafted as `gongwen eval` drafts it (its source report held out, concurrency fitted to the
endpoint) and printed per case and in total:

- sections ok / repaired / fallback, and composed (a section with nothing to draft: a visible gap);
- form defects and unsupported claims in the shipped text (the eval's gates), invented numbers and
  fact numbers dropped;
- the body's length against the requested length;
- calls per section;
- wall time against the model work: prompt tokens ÷ prompt rate + completion tokens ÷ generation
  rate, both rates measured on the same server at the start of the run (a prompt of random
  characters, so no cache helps it; then a short prompt and a fixed generation).

A development tool for a real server: never run by the tests or CI.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from common import Figure, print_table, seeded_index, temp_home

CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"  # noqa: E501


def calibrate(chat: Any) -> tuple[float, float]:
    """(prompt tokens a second, generated tokens a second) of this server, now."""
    rng = random.Random(time.time_ns())
    noise = "".join(rng.choice(CJK) for _ in range(900))
    reply = chat.complete([{"role": "user", "content": noise + "\n只回答一个字：好"}], max_tokens=1, temperature=0)
    prompt_rate = reply.usage.get("prompt_tokens", 0) / max(reply.seconds, 1e-3)
    reply = chat.complete([{"role": "user", "content": "写一段两百字的话，介绍春天。"}], max_tokens=96, temperature=0.7)
    prompt_seconds = reply.usage.get("prompt_tokens", 0) / prompt_rate
    generation_rate = reply.usage.get("completion_tokens", 0) / max(reply.seconds - prompt_seconds, 1e-3)
    return prompt_rate, generation_rate


def case_figures(run: Path, draft: str, requested: int, rates: tuple[float, float],
                 gates: dict[str, Any]) -> dict[str, Any]:
    """``gates`` are the eval's rows for this case: its form defects and unsupported claims."""
    from pipeline.drafting.checks.numbers import find_numbers
    from pipeline.drafting.outline.facts import load_facts
    from pipeline.evaluation.metrics import invented_numbers, plain_text

    facts = load_facts(run / "facts.md")
    checks = json.loads((run / "checks.json").read_text(encoding="utf-8"))
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    calls = [json.loads(line) for line in (run / "llm_calls.jsonl").read_text(encoding="utf-8").splitlines() if line]
    statuses = [s["status"] for s in checks["sections"]]
    composed = statuses.count("composed")
    body = plain_text(draft)
    have = {n.key for n in find_numbers(body)}
    dropped = [n.text for b in facts.bullets_all() for n in find_numbers(b.text) if n.key not in have]
    prompt_tokens = sum(c["usage"].get("prompt_tokens", 0) for c in calls)
    completion_tokens = sum(c["usage"].get("completion_tokens", 0) for c in calls)
    model_work = prompt_tokens / rates[0] + completion_tokens / rates[1]
    return {
        "sections": len(statuses), "ok": statuses.count("ok"), "repaired": statuses.count("repaired"),
        "fallback": statuses.count("fallback"), "composed": composed,
        "form_defects": gates["form_defects"].value, "unsupported_claims": len(gates["unsupported_claims"].detail),
        "invented_numbers": invented_numbers(body, facts).value, "dropped_numbers": len(dropped),
        "length": len("".join(body.split())) / requested, "calls": len(calls),
        "calls_per_section": len(calls) / max(1, len(statuses) - composed),
        "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
        "wall": float(record["seconds"]), "model_work": model_work,
        "defects": gates["form_defects"].detail + gates["unsupported_claims"].detail,
    }


def run_mode(base_url: str, model: str, style: str, out: Path) -> tuple[list[dict[str, Any]], tuple[float, float]]:
    from pipeline.drafting.outline.facts import load_facts
    from pipeline.drafting.request import DraftOptions
    from pipeline.drafting.writing.backend import Endpoint, prepare_writer
    from pipeline.evaluation.evaluate import run_eval
    from pipeline.paths import bundled_evals_dir

    options = DraftOptions(style_refs=style)
    writer = prepare_writer(Endpoint("openai", model, base_url), options, None)
    rates = calibrate(writer.chat)  # type: ignore[attr-defined]
    folder = out / style
    rows = run_eval(bundled_evals_dir(), writer, folder, seeded_index(), options=options)  # type: ignore[arg-type]
    results = []
    for case in sorted(bundled_evals_dir().glob("*.md")):
        draft = (folder / "drafts" / f"{case.stem}.md").read_text(encoding="utf-8")
        gates = {r.metric: r for r in rows if r.case == case.stem and r.system == "draft"}
        figures = case_figures(folder / "runs" / case.stem, draft, load_facts(case).length, rates, gates)
        results.append({"case": case.stem, **figures})
    return results, rates


def report(style: str, results: list[dict[str, Any]], rates: tuple[float, float]) -> list[Figure]:
    print(f"\n== style refs: {style}; server: {rates[0]:.1f} prompt tokens/s, {rates[1]:.1f} generated tokens/s")
    print("case  ok rep fb comp  defects claims inv drop  length  calls/sec  wall(s) model(s) wall/model")
    for r in results:
        print(f"{r['case']:>4} {r['ok']:>3} {r['repaired']:>3} {r['fallback']:>2} {r['composed']:>4}  "
              f"{r['form_defects']:>7.0f} {r['unsupported_claims']:>6} {r['invented_numbers']:>3.0f} "
              f"{r['dropped_numbers']:>4}  {r['length']:>6.2f}  {r['calls_per_section']:>9.2f}  {r['wall']:>7.0f} "
              f"{r['model_work']:>8.0f} {r['wall'] / r['model_work']:>10.2f}")
        for defect in r["defects"]:
            print(f"       {defect}")
    drafted = sum(r["sections"] - r["composed"] for r in results)
    written = sum(r["ok"] + r["repaired"] for r in results)
    return [
        Figure(f"{style}: share of sections the model wrote (ok or repaired)", "×", [written / drafted], "≥ 0.70",
               lambda v: v >= 0.7),
        Figure(f"{style}: form defects + unsupported claims shipped", "n",
               [sum(r["form_defects"] + r["unsupported_claims"] for r in results)], "= 0", lambda v: v == 0),
        Figure(f"{style}: invented + dropped fact numbers", "n",
               [sum(r["invented_numbers"] + r["dropped_numbers"] for r in results)], "= 0", lambda v: v == 0),
        Figure(f"{style}: calls per section", "×", [sum(r["calls"] for r in results) / drafted], "≤ 1.6",
               lambda v: v <= 1.6),
        Figure(f"{style}: body / requested length, per case", "×", [r["length"] for r in results], "≥ 0.5",
               lambda v: v >= 0.5),
        Figure(f"{style}: wall / model work, per case", "×", [r["wall"] / r["model_work"] for r in results], "≤ 1.3",
               lambda v: v <= 1.3),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--style-refs", nargs="+", default=["none"])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp, temp_home(Path(tmp) / "home"):
        out = args.out or Path(tmp) / "runs"
        all_results = {}
        for style in args.style_refs:
            results, rates = run_mode(args.base_url, args.model, style, out)
            all_results[style] = {"rates": rates, "cases": results}
            figures += report(style, results, rates)
        if args.out:
            (args.out / "real_model.json").write_text(json.dumps(all_results, ensure_ascii=False, indent=2),
                                                     encoding="utf-8")
    print()
    print_table(figures)
    print(f"\nmedian wall / model work: "
          f"{statistics.median(f.median for f in figures if 'wall / model' in f.name):.2f}")
