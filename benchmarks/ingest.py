"""Ingest and query throughput on a generated corpus.

The corpus is synthetic, for scale only: each report recombines the bundled examples' parts under a
new unit name. It is written to a temp dir, ingested through the same code path as
``gongwen corpus add`` into a fresh index, and then queried with the drafter's retrieval.

    python benchmarks/ingest.py [--reports 1000] [--queries 50]

Prints reports/s, chunks/s and query latency (median and p95 of the runs), and the index size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNITS = ["水务局", "林业局", "统计局", "审计局", "商务局", "司法局", "文旅局", "科技局", "人社局", "应急局"]
QUERIES = ["加强党员教育培训", "压实党建工作责任", "疫情防控", "理论学习不够深入", "选优配强基层党组织书记",
           "巩固深化主题教育成果", "作风建设", "党风廉政建设", "发展党员", "组织生活制度"]


def generate(folder: Path, count: int, seed: int = 7) -> None:
    from pipeline.clean import clean_text
    from pipeline.genre import Part
    from pipeline.split import split_report

    examples = sorted((ROOT / "corpus").glob("*.txt"))
    reports = [split_report(clean_text(p.read_text(encoding="utf-8")).text) for p in examples]
    rng = random.Random(seed)
    headings = {Part.MAIN_WORK: "一、主要工作", Part.PROBLEMS: "二、存在的主要问题及原因",
                Part.PLANS: "三、下步工作思路和主要措施"}
    for n in range(count):
        unit = f"第{n}号{rng.choice(UNITS)}"
        lines = [f"{unit}党组书记{2015 + n % 10}年抓基层党建工作述职报告",
                 f"{2015 + n % 10}年，我认真履行{unit}党建工作第一责任人职责。现将有关情况述职如下："]
        for part, heading in headings.items():
            lines.append(heading)
            source = rng.choice(reports)
            lines.extend(c.text for c in source.chunks if c.part == part)
        (folder / f"r{n:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GONGWEN_HOME"] = str(Path(tmp) / "home")
        from pipeline.genre import Part
        from pipeline.index import CorpusIndex
        from pipeline.ingest import add_paths
        from pipeline.retrieve import search

        folder = Path(tmp) / "reports"
        folder.mkdir()
        generate(folder, args.reports)
        index = CorpusIndex()
        start = time.perf_counter()
        summary = add_paths(index, [folder])
        elapsed = time.perf_counter() - start
        chunks = sum(o.chunks for o in summary.outcomes)
        assert not summary.failed, summary.failed[:3]

        latencies = []
        parts = [Part.MAIN_WORK, Part.PROBLEMS, Part.PLANS]
        search(index, QUERIES[0], part=Part.MAIN_WORK, k=4)  # warm the HNSW index into memory
        for i in range(args.queries):
            t0 = time.perf_counter()
            search(index, QUERIES[i % len(QUERIES)], part=parts[i % 3], k=4)
            latencies.append((time.perf_counter() - t0) * 1000)
        latencies.sort()
        size = sum(f.stat().st_size for f in index.location.rglob("*") if f.is_file())

    print(f"{'figure':34s} value")
    print(f"{'reports ingested':34s} {args.reports}")
    print(f"{'chunks ingested':34s} {chunks}")
    print(f"{'ingest wall time (s)':34s} {elapsed:.1f}")
    print(f"{'reports/s':34s} {args.reports / elapsed:.1f}")
    print(f"{'chunks/s':34s} {chunks / elapsed:.1f}")
    print(f"{'query latency median (ms)':34s} {statistics.median(latencies):.1f}")
    print(f"{'query latency p95 (ms)':34s} {latencies[int(0.95 * (len(latencies) - 1))]:.1f}")
    print(f"{'index size on disk (MB)':34s} {size / 1e6:.1f}")


if __name__ == "__main__":
    main()
