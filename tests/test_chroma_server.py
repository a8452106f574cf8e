"""Server mode: with GONGWEN_CHROMA_URL every command uses a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_draft import FACTS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_search_and_draft_against_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    env = {**os.environ, "GONGWEN_CHROMA_URL": chroma_server, "GONGWEN_HOME": str(tmp_path / "home")}

    def gongwen(*args: str) -> dict:
        done = subprocess.run([sys.executable, "-m", "pipeline", *args, "--json"], env=env, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert gongwen("corpus", "stats")["reports"] == 5  # seeded into the server
    assert not (tmp_path / "home" / "index").exists()  # nothing went to the embedded store
    hits = gongwen("corpus", "search", "党员教育培训", "--part", "main_work")
    assert hits and {h["part"] for h in hits} == {"main_work"}
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    drafted = gongwen("draft", str(facts), "-o", str(tmp_path / "d.md"))
    assert drafted["checks"]["ok"]
    sources = json.loads((Path(drafted["run_dir"]) / "sources.json").read_text(encoding="utf-8"))
    assert any(sources.values())
