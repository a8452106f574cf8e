"""While the model works, the terminal shows it: a line as each section starts and ends, and on a terminal a
live line of what waits on the model and the time left. Measured on a real process against the stub with
2 s a call, reading its stderr as it comes."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import Cli
from tests.stub_openai import StubOpenAI
from tests.test_draft import FACTS, faithful

LATENCY = 2.0
SECTIONS = 7


def _command(facts: Path, out: Path, stub: StubOpenAI, concurrency: int) -> list[str]:
    return [sys.executable, "-m", "pipeline", "draft", str(facts), "-o", str(out), "--backend", "openai", "--model",
            "m", "--base-url", stub.base_url, "--concurrency", str(concurrency)]


def _read(fd: int, proc: subprocess.Popen[bytes], began: float) -> list[tuple[float, bytes]]:
    """Every chunk the process writes to ``fd``, with the seconds since ``began`` it arrived at."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a pty's end reads as EIO once the process is gone
                break
            if not chunk:
                break
            chunks.append((time.monotonic() - began, chunk))
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    return chunks


def test_lines_come_within_a_second_and_then_at_least_every_five(seeded: Path, tmp_path: Path,
                                                                  stub: StubOpenAI) -> None:
    stub.chat, stub.delay = faithful, LATENCY
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    env = {**os.environ, "GONGWEN_HOME": str(seeded)}
    began = time.monotonic()
    proc = subprocess.Popen(_command(facts, tmp_path / "d.md", stub, 1), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, env=env)
    assert proc.stderr is not None
    lines: list[tuple[float, str]] = []
    for at, chunk in _read(proc.stderr.fileno(), proc, began):
        lines += [(at, line) for line in chunk.decode("utf-8").splitlines() if line.strip()]
    assert proc.returncode == 0, lines
    times = [at for at, _ in lines]
    assert times[0] <= 1.0, lines[:2]
    gaps = [b - a for a, b in zip([0.0, *times], times, strict=False)]
    assert max(gaps) <= 5.0, lines
    assert times[-1] >= SECTIONS * LATENCY  # the calls really took their time: what was measured is real
    texts = [text for _, text in lines]
    started = [t for t in texts if re.match(r"\s*\d+\.\ds → \S+: drafting$", t)]
    ended = [t for t in texts if re.match(r"\s*\d+\.\ds ✓ \S+: ok \(1 call\(s\), \d+\.\d s\)$", t)]
    assert len(started) == len(ended) == SECTIONS, texts
    assert not any("\x1b[" in t or "waiting on" in t for t in texts)  # no terminal: lines, no live line


def test_a_terminal_gets_a_live_line_with_what_waits_and_the_time_left(seeded: Path, tmp_path: Path,
                                                                       stub: StubOpenAI) -> None:
    stub.chat, stub.delay = faithful, LATENCY
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    env = {**os.environ, "GONGWEN_HOME": str(seeded), "TERM": "xterm", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    main, side = pty.openpty()
    began = time.monotonic()
    proc = subprocess.Popen(_command(facts, tmp_path / "d.md", stub, 3), stderr=side, stdout=subprocess.DEVNULL,
                            env=env)
    os.close(side)
    try:
        chunks = _read(main, proc, began)
    finally:
        os.close(main)
    assert proc.returncode == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(c for _, c in chunks).decode("utf-8", "replace"))
    assert re.search(r"waiting on m: [a-z_.0-9, ]+ · [0-6] of 7 done", shown), shown[-2000:]
    assert re.search(r"of 7 done · \d+ s · about \d+ s left", shown)
    first_estimate = next(at for at, c in chunks if b"left" in c)
    assert first_estimate >= LATENCY  # no estimate before the first section is back
    assert "→ main_work.1: drafting" in shown and "✓ closing: ok" in shown


def test_json_shows_no_progress(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    result = cli("draft", str(facts), "-o", str(tmp_path / "d.md"), "--json")
    assert result.exit_code == 0, result.output
    assert "drafting" not in result.stderr and "preparing" not in result.stderr


def test_the_progress_lines_mark_and_word_every_section_status() -> None:
    """The lines are keyed by the values a run folder records (the one enum), none missing, none extra."""
    from pipeline.cli.progress import STATUS_MARK, STATUS_WORDS
    from pipeline.drafting.results import SectionStatus

    recorded = set(SectionStatus) - {SectionStatus.UNKNOWN}
    assert set(STATUS_MARK) == set(STATUS_WORDS) == recorded
