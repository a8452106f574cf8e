"""Drafting wall time against the LLM's own time, with the stub OpenAI server at a fixed latency.

    python benchmarks/draft.py [--latency 0.5] [--runs 5]

The facts file is the drafting tests' (7 sections). Every section call is independent, so the
critical path is one call (L); drafting sequentially takes
the sum of the calls (sections × L). Also prints the pipeline's own overhead per report with zero
latency (plan, retrieval, checks, files) for the openai path over HTTP and for the offline backend.
Figures are medians of --runs runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    from tests.stub_openai import StubOpenAI
    from tests.test_draft import FACTS  # the hand-written facts file of the drafting tests

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GONGWEN_HOME"] = str(Path(tmp) / "home")
        from pipeline.backends import OfflineBackend, OpenAIBackend, OpenAISettings
        from pipeline.draft import DraftOptions, run_draft
        from pipeline.index import CorpusIndex
        from pipeline.ingest import ensure_seeded

        facts = Path(tmp) / "facts.md"
        facts.write_text(FACTS, encoding="utf-8")
        index = CorpusIndex()
        ensure_seeded(index)
        stub = StubOpenAI().start()
        stub.chat = lambda body: "按照要求认真抓好各项工作。"
        backend = OpenAIBackend(OpenAISettings(model="stub", base_url=stub.base_url, api_key="x"))
        options = DraftOptions(concurrency=args.concurrency, max_repairs=0)

        def timed(chosen: object, latency: float, n: int) -> tuple[float, int]:
            stub.delay = latency
            start = time.perf_counter()
            result = run_draft(facts, chosen, Path(tmp) / f"run{n}-{latency}", index, options)  # type: ignore[arg-type]
            return time.perf_counter() - start, len(result.sections)

        timed(backend, 0.0, -1)  # warm up: imports, index load
        walls, sections = [], 0
        for n in range(args.runs):
            wall, sections = timed(backend, args.latency, n)
            walls.append(wall)
        overhead_http = statistics.median(timed(backend, 0.0, 100 + n)[0] for n in range(args.runs))
        overhead_offline = statistics.median(timed(OfflineBackend(), 0.0, 200 + n)[0] for n in range(args.runs))
        stub.stop()

    wall = statistics.median(walls)
    sequential = sections * args.latency
    print(f"{'figure':50s} value")
    print(f"{'sections per report':50s} {sections}")
    print(f"{'stub latency L (s)':50s} {args.latency:.2f}")
    print(f"{'critical path (s) = L':50s} {args.latency:.2f}")
    print(f"{'sequential sum (s) = sections x L':50s} {sequential:.2f}")
    print(f"{'draft wall time, median (s)':50s} {wall:.2f}")
    print(f"{'wall / critical path':50s} {wall / args.latency:.2f}")
    print(f"{'wall / sequential sum':50s} {wall / sequential:.2f}")
    print(f"{'overhead per report, L=0, openai over HTTP (ms)':50s} {overhead_http * 1000:.0f}")
    print(f"{'overhead per report, offline backend (ms)':50s} {overhead_offline * 1000:.0f}")


if __name__ == "__main__":
    main()
