"""Two `gongwen corpus add` processes started together on a fresh data folder, many times over.

    python benchmarks/concurrent_adds.py [--tries 20] [--search]

Each try makes an empty GONGWEN_HOME and starts two adds of different reports at the same moment (with
--search, a `corpus search` as well), as two people adding to a new shared folder would. Both must
exit 0, and the index must then hold the five bundled examples and both reports. Before the index
was opened under a lock, 1 try in 6 to 15 failed here with 「table collections already exists」 or
「database is locked」 from chromadb creating its tables twice at once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT


def gongwen(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "GONGWEN_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def one_try(folder: Path, search: bool) -> list[str]:
    """The faults of one try: each failed process's error line, or a wrong count of reports."""
    from tests.test_corpus_cli import REPORT  # the corpus tests' small report, of 某县农业农村局

    home = folder / "home"
    reports = []
    for unit in ("水务局", "林业局"):
        path = folder / f"{unit}.txt"
        path.write_text(REPORT.replace("农业农村局", unit), encoding="utf-8")
        reports.append(path)
    started = [gongwen(home, "corpus", "add", str(path)) for path in reports]
    if search:
        started.append(gongwen(home, "corpus", "search", "压实责任"))
    faults = []
    for process in started:
        _, stderr = process.communicate(timeout=300)
        if process.returncode != 0:
            faults.append(next((line for line in stderr.splitlines() if "error" in line), stderr.strip()[-200:]))
    stats = gongwen(home, "corpus", "stats", "--json")
    out, _ = stats.communicate(timeout=300)
    if not faults and (stats.returncode != 0 or json.loads(out)["reports"] != 7):
        faults.append(f"the index holds {out.strip()!r}, not the 5 bundled reports and the 2 added")
    return faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--search", action="store_true", help="a `corpus search` starts with the two adds")
    args = parser.parse_args()
    began = time.perf_counter()
    failed = 0
    for n in range(1, args.tries + 1):
        with tempfile.TemporaryDirectory(prefix="gongwen-race-") as folder:
            faults = one_try(Path(folder), args.search)
        failed += bool(faults)
        for fault in faults:
            print(f"try {n}: {fault}")
    what = "two adds and a search" if args.search else "two adds"
    print(f"{args.tries - failed} of {args.tries} tries succeeded ({what} at once on a fresh data folder; "
          f"{time.perf_counter() - began:.0f} s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
