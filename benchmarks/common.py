"""What the benchmarks share: a figure with its runs and target, a temp data dir, the table printer."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Figure:
    """One measured figure: its value in every run, and the target it is held to (if any)."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: str = ""  # as printed, e.g. "≤ 2.0"
    meets: Callable[[float], bool] | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def verdict(self) -> str:
        if self.meets is None:
            return ""
        return "met" if self.meets(self.median) else "MISSED"


def at_most(limit: float) -> Callable[[float], bool]:
    return lambda value: value <= limit


def at_least(limit: float) -> Callable[[float], bool]:
    return lambda value: value >= limit


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextmanager
def temp_home(folder: Path) -> Iterator[Path]:
    """Point GONGWEN_HOME at a fresh folder for the duration."""
    before = os.environ.get("GONGWEN_HOME")
    os.environ["GONGWEN_HOME"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop("GONGWEN_HOME", None)
        else:
            os.environ["GONGWEN_HOME"] = before


def seeded_index() -> object:
    """The index in the current GONGWEN_HOME, holding the bundled examples."""
    from pipeline.corpus.index import CorpusIndex
    from pipeline.corpus.ingest import ensure_seeded

    index = CorpusIndex()
    ensure_seeded(index)
    return index


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[str, float]:
    """Run a command; return its stdout and wall seconds. A failure ends the benchmark."""
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} … failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return proc.stdout, wall


# Runs a script or ``-m module`` and reports its peak RSS (VmHWM) at exit. Measured inside the child
# because ru_maxrss of a forked child starts at its parent's size, which here is hundreds of MB.
_PEAK_WRAPPER = """
import atexit, os, runpy, sys
def _peak():
    with open('/proc/self/status') as status:
        kb = next(line.split()[1] for line in status if line.startswith('VmHWM:'))
    sys.stderr.write('\\n@@peak_rss_kb ' + kb + '\\n')
atexit.register(_peak)
args = sys.argv[1:]
if args[0] == '-m':
    sys.argv = args[1:]
    runpy.run_module(args[1], run_name='__main__', alter_sys=True)
else:
    sys.argv = args
    sys.path.insert(0, os.path.dirname(os.path.abspath(args[0])))
    runpy.run_path(args[0], run_name='__main__')
"""


def run_python_peak(argv: list[str], env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Run ``python ARGV`` (a script or ``-m module`` and its arguments); return its stdout, wall
    seconds and peak RSS in MB: the larger of its own high-water mark and the most its process tree
    (it and any worker it starts) held at once, sampled every 20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _PEAK_WRAPPER, *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            tree_peak[0] = max(tree_peak[0], _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    marks = [line for line in stderr.splitlines() if line.startswith("@@peak_rss_kb ")]
    if proc.returncode != 0 or not marks:
        raise SystemExit(f"python {' '.join(argv[:4])} … failed ({proc.returncode}): {stderr.strip()[-300:]}")
    return stdout, wall, max(int(marks[-1].split()[1]), tree_peak[0]) / 1024


def _tree_rss_kb(pid: int) -> int:
    """VmRSS of a process and all its descendants, in kB (0 for any that has gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="utf-8") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="utf-8") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    if names:
        cpu = names[0]
    memory = ""
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}, {platform.system()}"


def print_table(figures: list[Figure]) -> None:
    rows = [("figure", "median", "runs", "min – max", "target", "")]
    for f in figures:
        spread = f"{_fmt(min(f.values))} – {_fmt(max(f.values))}" if len(f.values) > 1 else ""
        rows.append((f"{f.name} ({f.unit})" if f.unit else f.name, _fmt(f.median), str(len(f.values)), spread,
                     f.target, f.verdict()))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                          strict=True))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
