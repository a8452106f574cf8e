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

REPORT = """某县{unit}党组书记2022年抓基层党建工作述职报告
2022年，在县委的坚强领导下，我认真履行第一责任人职责。现将有关情况述职如下：
一、主要工作
（一）压实责任。全年召开党组会议14次，研究党建事项23项。
（二）建强堡垒。新建标准化党支部6个。
二、存在的主要问题及原因
（一）学习不够深入。
究其原因，主要是思想认识不够到位。
三、下步工作思路和主要措施
（一）加强理论武装。
"""


def gongwen(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "GONGWEN_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def one_try(folder: Path, search: bool) -> list[str]:
    """The faults of one try: each failed process's error line, or a wrong count of reports."""
    home = folder / "home"
    reports = []
    for unit in ("水务局", "林业局"):
        path = folder / f"{unit}.txt"
        path.write_text(REPORT.format(unit=unit), encoding="utf-8")
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
