"""Every performance figure of gongwen in one table: medians of ≥ 5 runs, the ratios and the targets.

    python benchmarks/run.py [--quick]

Full: start-up (10 runs), parallel drafting against the stub at L = 0.5 s (5 runs), prompt tokens
(5 cases), and scale at 1,000 and 10,000 generated reports (5 runs each): about 15 minutes here.
--quick: the same, at 1,000 reports only (and 30 searches a run instead of 50): about a minute.
Needs the dev extra for the token counts: pip install -e '.[dev]'.
"""

from __future__ import annotations

import argparse
import subprocess
import time

import draft
import scale
import startup
import tokens
from common import ROOT, machine, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale at 1,000 reports only: about a minute")
    quick = parser.parse_args().quick

    began = time.perf_counter()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(f"gongwen benchmarks{' (quick)' if quick else ''} — {time.strftime('%Y-%m-%d %H:%M')}, "
          f"commit {commit.strip() or '?'}")
    print(f"machine: {machine()}\n")
    figures = startup.measure(runs=10)
    figures += draft.measure(latency=0.5, runs=5, concurrency=8)
    figures += tokens.measure()
    figures += scale.measure(sizes=[1000] if quick else [1000, 10000], runs=5, queries=30 if quick else 50)
    print_table(figures)
    missed = [f.name for f in figures if f.verdict() == "MISSED"]
    print(f"\n{len(figures)} figures, {sum(1 for f in figures if f.meets)} with targets, {len(missed)} missed; "
          f"{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
