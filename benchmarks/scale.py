"""Scale: ingest rate, retrieval latency, index size and peak memory on a generated corpus.

    python benchmarks/scale.py [--sizes 1000 10000] [--runs 5] [--queries 50]

The corpus is synthetic, for scale only (never a style reference): each report recombines the
bundled examples' parts under a new unit name. Every run ingests it into a fresh index in a child
process through the same code path as ``gongwen corpus add`` (timed after the imports), then times
searches as the drafter makes them (one part, MMR over 20 candidates), the first one cold. The last
run's index is then drafted against with the offline backend, in child processes, for the draft's
peak memory. Peak RSS is each child's process tree's (with the ingest's worker process).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from common import ROOT, Figure, at_least, at_most, percentile, print_table, run_python_peak

UNITS = ["水务局", "林业局", "统计局", "审计局", "商务局", "司法局", "文旅局", "科技局", "人社局", "应急局"]
QUERIES = ["加强党员教育培训", "压实党建工作责任", "疫情防控", "理论学习不够深入", "选优配强基层党组织书记",
           "巩固深化主题教育成果", "作风建设", "党风廉政建设", "发展党员", "组织生活制度"]


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    from pipeline.corpus.clean import clean_text
    from pipeline.corpus.split import split_report
    from pipeline.genre import Part

    examples = sorted((ROOT / "corpus").glob("*.txt"))
    reports = [split_report(clean_text(p.read_text(encoding="utf-8")).text) for p in examples]
    rng = random.Random(seed)
    headings = {Part.MAIN_WORK: "一、主要工作", Part.PROBLEMS: "二、存在的主要问题及原因",
                Part.PLANS: "三、下步工作思路和主要措施"}
    files = []
    for n in range(count):
        unit = f"第{n}号{rng.choice(UNITS)}"
        lines = [f"{unit}党组书记{2015 + n % 10}年抓基层党建工作述职报告",
                 f"{2015 + n % 10}年，我认真履行{unit}党建工作第一责任人职责。现将有关情况述职如下："]
        for part, heading in headings.items():
            lines.append(heading)
            source = rng.choice(reports)
            lines.extend(c.text for c in source.chunks if c.part == part)
        path = folder / f"r{n:05d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(path)
    return files


def child_ingest(files_list: Path, queries: int) -> None:
    """In a child process (GONGWEN_HOME set by the parent): ingest, then time searches; print JSON."""
    import chromadb  # noqa: F401  (imported before the timer: a one-off cost of the process)

    from pipeline.corpus.index import CorpusIndex
    from pipeline.corpus.ingest import add_paths, ensure_seeded
    from pipeline.corpus.retrieve import search
    from pipeline.genre import Part

    files = [Path(line) for line in files_list.read_text(encoding="utf-8").splitlines()]
    index = CorpusIndex()
    ensure_seeded(index)  # as a user's first command does, so the drafts after this run do not write
    start = time.perf_counter()
    summary = add_paths(index, files)
    seconds = time.perf_counter() - start
    if summary.failed:
        raise SystemExit(f"{len(summary.failed)} reports failed: {summary.failed[0].error}")
    parts = [Part.MAIN_WORK, Part.PROBLEMS, Part.PLANS]
    start = time.perf_counter()
    search(index, QUERIES[0], part=Part.MAIN_WORK, k=4)
    cold = time.perf_counter() - start
    for part in parts[1:]:
        search(index, QUERIES[0], part=part, k=4)  # load every part's vectors before the timed queries
    latencies = []
    for i in range(queries):
        start = time.perf_counter()
        search(index, QUERIES[i % len(QUERIES)], part=parts[i % 3], k=4)
        latencies.append(time.perf_counter() - start)
    size = sum(f.stat().st_size for f in index.location.rglob("*") if f.is_file())
    print(json.dumps({"seconds": seconds, "chunks": sum(o.chunks for o in summary.outcomes), "cold": cold,
                      "latencies": latencies, "bytes": size}))


def measure(sizes: list[int], runs: int, queries: int) -> list[Figure]:
    from tests.test_draft import FACTS  # the drafting tests' hand-written facts file

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        files = generate(folder, max(sizes))
        facts = Path(tmp) / "facts.md"
        facts.write_text(FACTS, encoding="utf-8")
        for size in sizes:
            listing = Path(tmp) / f"files-{size}.txt"
            listing.write_text("\n".join(str(f) for f in files[:size]), encoding="utf-8")
            rate, chunk_rate, rss, p50, p95, cold, disk = (Figure(name, unit) for name, unit in (
                (f"ingest {size:,} reports", "reports/s"), (f"ingest {size:,} reports", "chunks/s"),
                (f"ingest {size:,} reports, peak RSS", "MB"), (f"search at {size:,}, p50", "ms"),
                (f"search at {size:,}, p95", "ms"), (f"search at {size:,}, first (cold)", "ms"),
                (f"index on disk at {size:,}", "MB")))
            rate.target, rate.meets = "≥ 100", at_least(100)
            if size >= 10_000:
                p50.target, p50.meets = "≤ 20", at_most(20)
            for run in range(runs):
                home = Path(tmp) / f"home-{size}-{run}"
                out, _, peak = run_python_peak([__file__, "--child", str(listing), "--queries", str(queries)],
                                               env={"GONGWEN_HOME": str(home)})
                got = json.loads(out)
                rate.values.append(size / got["seconds"])
                chunk_rate.values.append(got["chunks"] / got["seconds"])
                rss.values.append(peak)
                p50.values.append(percentile(got["latencies"], 0.5) * 1000)
                p95.values.append(percentile(got["latencies"], 0.95) * 1000)
                cold.values.append(got["cold"] * 1000)
                disk.values.append(got["bytes"] / 1e6)
            draft_rss = Figure(f"draft against {size:,} reports, peak RSS", "MB", target="≤ 500", meets=at_most(500))
            draft_wall = Figure(f"draft against {size:,} reports, offline, wall", "s")
            for _ in range(runs):
                _, wall, peak = run_python_peak(["-m", "pipeline", "draft", str(facts), "-o",
                                                 str(Path(tmp) / "draft.md"), "--force"],
                                                env={"GONGWEN_HOME": str(home)})
                draft_rss.values.append(peak)
                draft_wall.values.append(wall)
            figures += [rate, chunk_rate, rss, p50, p95, cold, disk, draft_rss, draft_wall]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_ingest(args.child, args.queries)
    else:
        print_table(measure(args.sizes, args.runs, args.queries))


if __name__ == "__main__":
    main()
