"""Drafting wall time against the LLM's own time, with the stub OpenAI server at a fixed latency.

    python benchmarks/draft.py [--latency 0.5] [--runs 5] [--concurrency 8]

The facts file is the drafting tests' (7 sections). Every section call is independent, so the
critical path is one call (L); drafting sequentially takes the sum of the calls (sections × L).
Also the pipeline's own overhead per report with zero latency (plan, retrieval, checks, files), for
the openai path over HTTP and for the offline backend.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import Figure, at_most, print_table, seeded_index, temp_home


def measure(latency: float, runs: int, concurrency: int) -> list[Figure]:
    from pipeline.drafting.engine import run_draft
    from pipeline.drafting.request import DraftOptions
    from pipeline.drafting.runfolder import RunFolder
    from pipeline.drafting.writing.model_writer import LLMWriter
    from pipeline.drafting.writing.writers import ComposerWriter
    from pipeline.llm.chat import OpenAIChatModel, OpenAISettings
    from tests.stub_openai import StubOpenAI
    from tests.test_draft import FACTS  # the drafting tests' hand-written facts file

    with tempfile.TemporaryDirectory() as tmp, temp_home(Path(tmp) / "home"):
        facts = Path(tmp) / "facts.md"
        facts.write_text(FACTS, encoding="utf-8")
        index = seeded_index()
        stub = StubOpenAI().start()
        stub.chat = lambda body: "按照要求认真抓好各项工作。"
        backend = LLMWriter(OpenAIChatModel(OpenAISettings(model="stub", base_url=stub.base_url, api_key="x")),
                            max_repairs=0)
        options = DraftOptions(concurrency=concurrency)
        count = iter(range(1_000_000))

        def timed(chosen: object, delay: float) -> tuple[float, int]:
            stub.delay = delay
            start = time.perf_counter()
            folder = RunFolder(Path(tmp) / f"run{next(count)}")
            result = run_draft(folder, facts, chosen, index, options)  # type: ignore[arg-type]
            return time.perf_counter() - start, len(result.sections)

        try:
            timed(backend, 0.0)  # warm up: imports, index load
            walls, sections = [], 0
            for _ in range(runs):
                wall, sections = timed(backend, latency)
                walls.append(wall)
            http = [timed(backend, 0.0)[0] * 1000 for _ in range(runs)]
            offline = [timed(ComposerWriter(), 0.0)[0] * 1000 for _ in range(runs)]
        finally:
            stub.stop()
    return [
        Figure(f"draft, {sections} sections, stub L = {latency} s, wall", "s", walls),
        Figure("draft wall / critical path (L)", "×", [w / latency for w in walls], "≤ 1.3", at_most(1.3)),
        Figure("draft wall / sequential sum (sections × L)", "×", [w / (sections * latency) for w in walls]),
        Figure("pipeline overhead per report, L = 0, over HTTP", "ms", http, "≤ 150", at_most(150)),
        Figure("pipeline overhead per report, offline backend", "ms", offline),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print_table(measure(args.latency, args.runs, args.concurrency))
