"""Text goes only where the user sent it, and nothing the user wrote is lost.

Every test here that drafts runs under a resolver stub: ``socket.getaddrinfo`` records every host the
process asks for and answers only for this machine, so a request for any host the user did not name
(api.openai.com above all) is seen before a byte could be sent, and can never leave.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes import faithful_responder
from tests.stub_openai import StubOpenAI
from tests.test_draft import FACTS, SECRET, faithful

SECTIONS = 7


class Resolver:
    """Records every (host, port) the process resolves; only loopback names resolve."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []
        self._real = socket.getaddrinfo

    def __call__(self, host: object, port: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.asked.append((name, int(port) if isinstance(port, int | str) and str(port).isdigit() else 0))
        if name not in ("127.0.0.1", "localhost", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, f"resolver stub: {name} is not this machine")
        return self._real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    def hosts(self) -> set[str]:
        return {host for host, _ in self.asked}


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Resolver]:
    stub = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", stub)
    yield stub


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.md"
    path.write_text(FACTS, encoding="utf-8")
    return path


def _chats(stub: StubOpenAI) -> list[dict]:
    return [r for r in stub.requests if r["path"].endswith("/chat/completions")]


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


# --- an endpoint is only ever one the user named --------------------------------------------------

def test_a_key_without_an_endpoint_is_refused_before_anything_is_sent(
        seeded: Path, cli: Cli, facts_file: Path, resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    for args in ([], ["--backend", "openai", "--model", "m"]):
        result = cli("draft", str(facts_file), *args)
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "no endpoint named" in lines[0] and "--base-url" in lines[0]
    assert resolver.asked == []


def test_resume_uses_the_recorded_endpoint_never_a_default(
        seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path, stub: StubOpenAI, resolver: Resolver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stub.chat = faithful
    stub.fail_when = lambda body: 500 if "小节“（二）" in body["messages"][1]["content"] else None
    run = tmp_path / "run"
    failed = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url,
                 "--max-retries", "0", "--run-dir", str(run))
    assert failed.exit_code == 1
    recorded = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert recorded["endpoint"] == stub.base_url and recorded["model"] == "m"
    assert SECRET not in json.dumps(recorded)

    stub.fail_when = lambda body: None
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)  # a key in the environment tempts a vendor default
    before = len(_chats(stub))
    resumed = cli("draft", "--resume", str(run), "--json")
    assert resumed.exit_code == 0, resumed.output
    assert len(_chats(stub)) > before  # the remaining sections went to the recorded endpoint
    assert resolver.asked and resolver.hosts() == {"127.0.0.1"}
    assert {port for _, port in resolver.asked} == {_port(stub.base_url)}


def test_naming_another_endpoint_on_resume_is_allowed_and_said(
        seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path, stub: StubOpenAI, resolver: Resolver) -> None:
    stub.chat = faithful
    run = tmp_path / "run"
    assert cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url,
               "--run-dir", str(run)).exit_code == 0
    other = StubOpenAI().start()
    try:
        other.chat = faithful
        redone = cli("draft", "--resume", str(run), "--redo", "main_work.1", "--base-url", other.base_url)
    finally:
        other.stop()
    assert redone.exit_code == 0, redone.output
    assert f"drafted with {stub.base_url}; resuming with {other.base_url}" in redone.stderr
    assert len(_chats(other)) == 1
    state = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert state["endpoint"] == other.base_url


def test_eval_judge_and_embedding_need_a_named_endpoint(seeded: Path, cli: Cli, tmp_path: Path,
                                                        resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("GONGWEN_MODEL", "m")
    for args in (["--backend", "openai"], ["--judge"]):
        result = cli("eval", "--out", str(tmp_path / "e"), *args)
        assert result.exit_code == 1 and "no endpoint named" in result.stderr, result.output
    monkeypatch.setenv("GONGWEN_EMBEDDING", "openai:embed-m")
    result = cli("corpus", "search", "党建")
    assert result.exit_code == 1 and "names no endpoint" in result.stderr, result.output
    assert resolver.asked == []


def test_eval_and_judge_send_only_to_the_named_endpoint(seeded: Path, cli: Cli, tmp_path: Path, stub: StubOpenAI,
                                                        resolver: Resolver) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    case = (Path(__file__).resolve().parents[1] / "evals" / "cases" / "00.md").read_text(encoding="utf-8")
    (cases / "00.md").write_text(case, encoding="utf-8")
    drafts = faithful_responder(case)
    stub.chat = lambda body: ("胜者：平\n理由：相当。" if "报告A" in body["messages"][1]["content"]
                              else drafts(body["messages"], body.get("max_tokens")))
    result = cli("eval", "--cases", str(cases), "--out", str(tmp_path / "e"), "--backend", "openai", "--model", "m",
                 "--base-url", stub.base_url, "--judge", "--json")
    assert result.exit_code == 0, result.output
    assert any("报告A" in r["body"]["messages"][1]["content"] for r in _chats(stub))  # the judge was asked
    assert resolver.hosts() == {"127.0.0.1"} and {p for _, p in resolver.asked} == {_port(stub.base_url)}


def test_an_embedding_endpoint_gets_only_what_it_was_named_for(home: Path, cli: Cli, stub: StubOpenAI,
                                                               resolver: Resolver,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_EMBEDDING", "openai:embed-m")
    monkeypatch.setenv("GONGWEN_EMBEDDING_BASE_URL", stub.base_url)
    result = cli("corpus", "search", "党建", "--json")
    assert result.exit_code == 0, result.output
    assert any(r["path"].endswith("/embeddings") for r in stub.requests)
    assert resolver.hosts() == {"127.0.0.1"}


# --- the allow-list --------------------------------------------------------------------------------

def test_the_allow_list_refuses_other_hosts_before_a_byte_is_sent(
        seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path, stub: StubOpenAI, resolver: Resolver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_ALLOWED_HOSTS", "llm.internal, 10.0.0.7")
    refused = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url)
    assert refused.exit_code == 1
    assert "'127.0.0.1' is not in GONGWEN_ALLOWED_HOSTS" in refused.stderr and "nothing was sent" in refused.stderr
    judge = cli("eval", "--judge", "--model", "m", "--base-url", stub.base_url, "--out", str(tmp_path / "e"))
    assert judge.exit_code == 1 and "GONGWEN_ALLOWED_HOSTS" in judge.stderr
    monkeypatch.setenv("GONGWEN_EMBEDDING", "openai:embed-m")
    monkeypatch.setenv("GONGWEN_EMBEDDING_BASE_URL", stub.base_url)
    embed = cli("corpus", "search", "党建")
    assert embed.exit_code == 1 and "GONGWEN_ALLOWED_HOSTS" in embed.stderr
    assert stub.requests == [] and resolver.asked == []

    monkeypatch.delenv("GONGWEN_EMBEDDING")
    monkeypatch.setenv("GONGWEN_ALLOWED_HOSTS", "127.0.0.1")
    stub.chat = faithful
    allowed = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url)
    assert allowed.exit_code == 0, allowed.output
    assert len(_chats(stub)) == SECTIONS


def test_a_proxy_off_the_allow_list_is_refused(seeded: Path, cli: Cli, facts_file: Path, resolver: Resolver,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_ALLOWED_HOSTS", "llm.internal")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    result = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url",
                 "http://llm.internal:8000/v1")
    assert result.exit_code == 1 and "the proxy for the drafting endpoint" in result.stderr, result.output
    assert resolver.asked == []


def test_a_redirect_to_another_host_is_not_followed(seeded: Path, cli: Cli, facts_file: Path, stub: StubOpenAI,
                                                    resolver: Resolver) -> None:
    stub.chat = faithful
    stub.redirect_to = "http://elsewhere.example/v1/chat/completions"
    result = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url,
                 "--max-retries", "0")
    assert result.exit_code == 1
    assert "elsewhere.example" not in resolver.hosts()


# --- an input is never an output -------------------------------------------------------------------

def test_the_facts_file_is_never_an_output_even_with_force(seeded: Path, cli: Cli, facts_file: Path,
                                                           tmp_path: Path) -> None:
    symlink, hardlink = tmp_path / "link.md", tmp_path / "hard.md"
    symlink.symlink_to(facts_file)
    os.link(facts_file, hardlink)
    for target in (facts_file, symlink, hardlink, tmp_path / "." / "facts.md"):
        for flag in ("-o", "--docx"):
            result = cli("draft", str(facts_file), flag, str(target), "--force")
            assert result.exit_code == 1, (target, flag)
            assert "is an input" in result.stderr and "Traceback" not in result.output
    assert facts_file.read_text(encoding="utf-8") == FACTS


def test_batch_drafts_never_land_on_their_facts_files(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "a.md").write_text(FACTS, encoding="utf-8")
    (folder / "b.md").write_text(FACTS.replace("某县水务局", "某县林业局"), encoding="utf-8")
    result = cli("draft", str(folder), "--out-dir", str(folder), "--force")
    assert result.exit_code == 1 and "is an input" in result.stderr
    assert (folder / "a.md").read_text(encoding="utf-8") == FACTS


# --- Ctrl-C, and an endpoint that is down ----------------------------------------------------------

def test_ctrl_c_stops_within_a_second_and_prints_the_resume_command(seeded: Path, facts_file: Path,
                                                                   tmp_path: Path, stub: StubOpenAI) -> None:
    stub.chat = faithful
    run = tmp_path / "my run"
    env = {**os.environ, "GONGWEN_HOME": str(seeded)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "draft", str(facts_file), "--run-dir", str(run),
                             "-o", str(tmp_path / "d.md"), "--backend", "openai", "--model", "m", "--base-url",
                             stub.base_url, "--concurrency", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (run / "sections").is_dir():
        time.sleep(0.05)
    stub.delay = 30.0  # every call from now on is in flight for 30 s
    while time.monotonic() < deadline and len(_chats(stub)) < 2:
        time.sleep(0.05)
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    took = time.monotonic() - sent
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert took <= 1.0, f"Ctrl-C took {took:.2f} s"
    assert f"gongwen draft --resume '{run}' -o {tmp_path / 'd.md'}" in " ".join(stderr.split())
    assert json.loads((run / "run.json").read_text(encoding="utf-8"))["status"] == "interrupted"


def _dead_endpoint() -> tuple[socket.socket, list[socket.socket], str]:
    """A port that listens but never accepts, its queue full: a connect there hangs, as to a dead host."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.1)
    return server, fillers, f"http://127.0.0.1:{port}/v1"


def test_a_refused_or_dead_endpoint_fails_within_15_s_by_default(seeded: Path, cli: Cli, facts_file: Path,
                                                                 tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{free.getsockname()[1]}/v1"
    server, fillers, dead = _dead_endpoint()
    try:
        for url in (refused, dead):
            start = time.monotonic()
            result = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", url,
                         "--concurrency", "1", "--run-dir", str(tmp_path / url.rsplit(":", 1)[1][:5]))
            took = time.monotonic() - start
            assert result.exit_code == 1 and url in result.stderr
            assert took <= 15, f"{url} took {took:.1f} s"
    finally:
        for sock in (server, *fillers):
            sock.close()


def test_help_shows_the_timeouts(cli: Cli) -> None:
    text = " ".join(cli("draft", "--help").output.split())
    assert "for an endpoint on this machine" in text and "4 generated tokens a second" in text
    assert "120 otherwise" in text and "2 s" in text


# --- marks that tell the truth ---------------------------------------------------------------------

def test_a_placeholder_section_is_marked_not_ticked(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    no_causes = tmp_path / "no-causes.md"
    no_causes.write_text(FACTS.replace("- 原因：学习制度执行不够严格\n", ""), encoding="utf-8")
    result = cli("draft", str(no_causes))
    assert result.exit_code == 0, result.output
    marks = {line.split()[2].rstrip(":"): line.split()[1] for line in result.stderr.splitlines()
             if len(line.split()) > 2 and line.split()[1] in ("✓", "!", "待补")}  # 「  0.4s ✓ main_work.1: ok …」
    assert marks["causes"] == "待补"  # the facts give no cause: the section is a placeholder
    assert marks["main_work.1"] == "✓"


def test_a_reply_that_is_no_closing_is_not_shipped_as_one(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path,
                                                          stub: StubOpenAI) -> None:
    stub.chat = lambda body: "测试回复。" if "结尾段" in body["messages"][1]["content"] else faithful(body)
    result = cli("draft", str(facts_file), "--backend", "openai", "--model", "m", "--base-url", stub.base_url,
                 "-o", str(tmp_path / "d.md"), "--json")
    assert result.exit_code == 0, result.output
    statuses = {s["section"]: s["status"] for s in json.loads(result.stdout)["checks"]["sections"]}
    assert statuses["closing"] == "fallback"
    assert "测试回复" not in (tmp_path / "d.md").read_text(encoding="utf-8")


# --- private run folders ---------------------------------------------------------------------------

def test_run_folders_are_private(seeded: Path, cli: Cli, facts_file: Path, home: Path) -> None:
    result = cli("draft", str(facts_file), "--json")
    assert result.exit_code == 0, result.output
    run = Path(json.loads(result.stdout)["run_dir"])
    assert stat.S_IMODE((home / "runs").stat().st_mode) == 0o700
    for path in [run, *run.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    for path in home.rglob("*"):
        assert not path.stat().st_mode & stat.S_IWOTH, path
