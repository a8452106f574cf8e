"""CLI start-up: `gongwen --help` and `gongwen facts template` against importing typer and rich.

    python benchmarks/startup.py [--runs 10]

Each run starts the three commands one after another in fresh processes (interleaved, so the same
machine load falls on all three); the ratios are of the medians.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import Figure, at_most, print_table, run_measured, temp_home

BASELINE = [sys.executable, "-c", "import typer, rich"]
# The floor any typer 0.29 CLI stands on: running a command imports pydantic (typer coerces
# parameters with it), which importing typer alone does not.
TYPER_FLOOR = [sys.executable, "-c", "import typer\napp = typer.Typer()\n@app.command()\ndef hello() -> None:\n"
               "    print('hi')\n@app.command()\ndef bye() -> None:\n    print('bye')\napp(['hello'])"]
COMMANDS = {"gongwen --help": ["--help"], "gongwen facts template": ["facts", "template"]}


def _gongwen() -> list[str]:
    script = Path(sys.executable).with_name("gongwen")  # the installed entry point, as a user runs it
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline"]


def measure(runs: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp, temp_home(Path(tmp)):
        walls: dict[str, list[float]] = {"import typer, rich": [], "a 2-command typer app": [],
                                         **{name: [] for name in COMMANDS}}
        for _ in range(runs + 1):  # the first round warms the file cache and is dropped
            walls["import typer, rich"].append(run_measured(BASELINE)[1])
            walls["a 2-command typer app"].append(run_measured(TYPER_FLOOR)[1])
            for name, args in COMMANDS.items():
                walls[name].append(run_measured([*_gongwen(), *args])[1])
        walls = {name: values[1:] for name, values in walls.items()}
    figures = [Figure(f"start-up: {name}", "ms", [v * 1000 for v in values]) for name, values in walls.items()]
    base = walls["import typer, rich"]
    figures.append(Figure("start-up: a 2-command typer app / import typer, rich", "×",
                          [v / b for v, b in zip(walls["a 2-command typer app"], base, strict=True)]))
    for name in COMMANDS:  # each run's ratio is to the baseline started just before it
        figures.append(Figure(f"start-up: {name} / import typer, rich", "×",
                              [v / b for v, b in zip(walls[name], base, strict=True)], "≤ 2.0", at_most(2.0)))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    print_table(measure(parser.parse_args().runs))
