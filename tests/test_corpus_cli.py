"""The corpus commands, end to end through the CLI, on a real chromadb in a temp dir."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.corpus.embedding import HashingEmbedder
from pipeline.corpus.textstore import FILE as TEXTS_FILE
from tests.conftest import EXAMPLES, ROOT, Cli
from tests.pdfgen import write_empty_pdf
from tests.stub_openai import StubOpenAI

AD_MARKERS = ("QQ", "会员", "倒卖", "酷乐文行", "仅供学习", "禁止外传", "订阅")
REPORT = """某县农业农村局党组书记2022年抓基层党建工作述职报告
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


def ok_json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_first_use_seeds_the_bundled_examples(cli: Cli) -> None:
    stats = ok_json(cli("corpus", "stats", "--json"))
    assert stats["reports"] == 5
    assert set(stats["parts"]) >= {"opening", "main_work", "problems", "plans"}
    assert "title" not in stats["parts"]  # the title lives on the report's record, not as a chunk
    assert stats["chunks"] == sum(stats["parts"].values())
    assert stats["embedding"].startswith("gongwen-hash-ngram")
    again = ok_json(cli("corpus", "stats", "--json"))
    assert again == stats  # seeding happens once


def test_list_show_and_no_advertising_in_any_chunk(seeded: Path, cli: Cli) -> None:
    rows = ok_json(cli("corpus", "list", "--json"))
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "title", "unit", "role", "year", "source", "parts", "kind", "flagged", "house"}
    assert all(r["flagged"] == [] for r in rows)  # no bundled report addresses its drafter or hides text
    units = {r["unit"] for r in rows}
    assert units == {"环卫局", "X区工信局", "民政局", "县委", "教体局"}
    for row in rows:
        shown = ok_json(cli("corpus", "show", row["id"], "--json"))
        assert shown["id"] == row["id"]
        assert shown["stripped"] and all({"line", "text", "reason"} <= set(s) for s in shown["stripped"])
        for chunk in shown["chunks"]:
            assert set(chunk) == {"part", "subheading", "order", "text"}
            assert not any(marker in chunk["text"] for marker in AD_MARKERS), chunk["text"][:40]


def test_search_filters_by_part_and_diversifies(seeded: Path, cli: Cli) -> None:
    hits = ok_json(cli("corpus", "search", "党员教育培训", "--part", "main_work", "-k", "4", "--json"))
    assert len(hits) == 4
    assert {h["part"] for h in hits} == {"main_work"}
    assert set(hits[0]) == {"id", "report_id", "part", "subheading", "text", "score"}
    assert len({h["id"] for h in hits}) == 4
    assert "教育培训" in hits[0]["text"]
    held_out = hits[0]["report_id"]
    without = ok_json(cli("corpus", "search", "党员教育培训", "--exclude", held_out, "--json"))
    assert held_out not in {h["report_id"] for h in without}


def test_search_rejects_an_unknown_part(seeded: Path, cli: Cli) -> None:
    result = cli("corpus", "search", "党建", "--part", "middle")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "'middle' is not a part" in result.stderr
    assert "internal error" not in result.output


def test_readding_unchanged_embeds_nothing_and_a_changed_file_replaces(seeded: Path, cli: Cli,
                                                                         tmp_path: Path) -> None:
    path = tmp_path / "nongye.txt"
    path.write_text(REPORT, encoding="gb18030")
    before = ok_json(cli("corpus", "stats", "--json"))
    first = ok_json(cli("corpus", "add", str(path), "--json"))
    assert first["added"] == 1
    old_id = first["files"][0]["report_id"]
    again = ok_json(cli("corpus", "add", str(path), "--json"))
    assert (again["added"], again["unchanged"]) == (0, 1)
    path.write_text(REPORT.replace("14次", "15次"), encoding="gb18030")
    changed = ok_json(cli("corpus", "add", str(path), "--json"))
    assert changed["replaced"] == 1
    rows = ok_json(cli("corpus", "list", "--json"))
    ids = {r["id"] for r in rows}
    assert old_id not in ids and changed["files"][0]["report_id"] in ids and len(rows) == 6
    stats = ok_json(cli("corpus", "stats", "--json"))
    shown = ok_json(cli("corpus", "show", "nongye.txt", "--json"))
    assert stats["chunks"] == before["chunks"] + len(shown["chunks"]) == before["chunks"] + 6
    assert (shown["unit"], shown["role"], shown["year"]) == ("某县农业农村局", "党组书记", "2022")


def _stored_texts(index: Path, report_id: str) -> list[str]:
    with sqlite3.connect(index / TEXTS_FILE) as db:
        return [row[0] for row in db.execute("SELECT body FROM texts WHERE report_id = ?", (report_id,))]


def test_remove(seeded: Path, cli: Cli) -> None:
    victim = ok_json(cli("corpus", "list", "--json"))[0]["id"]
    chunks = ok_json(cli("corpus", "show", victim, "--json"))["chunks"]
    assert len(_stored_texts(seeded / "index", victim)) == len(chunks) + 1  # its chunks and its whole text
    assert ok_json(cli("corpus", "remove", victim[:8], "--json")) == {"removed": victim}
    assert ok_json(cli("corpus", "stats", "--json"))["reports"] == 4
    assert _stored_texts(seeded / "index", victim) == []
    missing = cli("corpus", "remove", victim)
    assert missing.exit_code == 1 and "no report" in missing.stderr


def _chroma(index: Path) -> Any:
    import chromadb
    from chromadb.config import Settings

    return chromadb.PersistentClient(path=str(index), settings=Settings(anonymized_telemetry=False))


def test_an_embedded_index_keeps_texts_out_of_chromadb(seeded: Path, cli: Cli) -> None:
    client = _chroma(seeded / "index")
    for name in ("gongwen_chunks_main_work", "gongwen_chunks_plans", "gongwen_reports"):
        documents = client.get_collection(name).get(include=["documents"])["documents"]
        assert documents and all(d is None for d in documents)
    hits = ok_json(cli("corpus", "search", "党员教育", "--json"))
    assert hits and all(len(h["text"]) > 20 for h in hits)
    shown = ok_json(cli("corpus", "show", hits[0]["report_id"], "--json"))
    assert any(c["text"] == hits[0]["text"] for c in shown["chunks"])
    assert hits[0]["text"] in shown["text"]


def test_a_damaged_text_store_gets_a_rebuild_hint(seeded: Path, cli: Cli) -> None:
    (seeded / "index" / TEXTS_FILE).write_bytes(b"this is not a database" * 100)
    result = cli("corpus", "search", "党建")
    assert result.exit_code == 1
    assert "gongwen corpus rebuild" in result.stderr and "Traceback" not in result.output
    rebuilt = cli("corpus", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert len(ok_json(cli("corpus", "search", "党建", "--json"))) > 0


def test_an_index_from_an_older_version_is_refused_and_rebuilt_from_its_own_texts(home: Path, cli: Cli) -> None:
    """Format 1 kept the texts as chromadb documents; rebuild reads them back from there."""
    client = _chroma(home / "index")
    (home / "index" / "gongwen-index.json").write_text('{"format": 1}', encoding="utf-8")
    meta = {"embedding": HashingEmbedder().identity, "format": 1, "seeded": True}
    reports = client.create_collection("gongwen_reports", metadata=meta, embedding_function=None)
    reports.add(ids=["old"], documents=[REPORT], embeddings=[[1.0, 0.0]],
                metadatas=[{"source": "nongye.txt", "source_path": "/old/nongye.txt"}])
    client.create_collection("gongwen_chunks", metadata=meta, embedding_function=None)
    del client
    refused = cli("corpus", "search", "党建")
    assert refused.exit_code == 1 and "another version of gongwen" in refused.stderr
    assert "gongwen corpus rebuild" in refused.stderr
    assert cli("corpus", "rebuild").exit_code == 0
    rows = ok_json(cli("corpus", "list", "--json"))
    assert [r["unit"] for r in rows] == ["某县农业农村局"]


def _bad_inputs(folder: Path) -> dict[str, str]:
    """File name → the words its one-line error must contain."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "latin1.txt").write_bytes(bytes([0x81, 0x20, 0xFF, 0x30]) * 64)
    (folder / "prose.txt").write_text("今天天气很好。我们去公园散步。", encoding="utf-8")
    with zipfile.ZipFile(folder / "fake.docx", "w") as archive:
        archive.writestr("song.mp3", b"ID3")
    write_empty_pdf(folder / "scan.pdf")
    return {"empty.txt": "empty", "binary.txt": "binary", "legacy.doc": "unsupported",
            "latin1.txt": "decode", "prose.txt": "no report structure", "fake.docx": "not a valid .docx",
            "scan.pdf": "no text layer"}


def test_bad_files_do_not_stop_the_batch(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    expected = _bad_inputs(folder)
    good = folder / "good.md"
    good.write_text(REPORT, encoding="utf-8")
    paths = [str(folder / name) for name in expected] + [str(good), str(tmp_path / "missing.txt")]
    result = cli("corpus", "add", *paths)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("✗")]
    assert len(errors) == len(expected) + 1
    for name, words in expected.items():
        line = next(e for e in errors if name in e)
        assert words in line, line
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    assert "1 added" in result.stderr and f"{len(expected) + 1} skipped" in result.stderr
    assert ok_json(cli("corpus", "stats", "--json"))["reports"] == 6


def test_a_folder_with_no_reports_is_an_error(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    result = cli("corpus", "add", str(tmp_path / "nothing-here-dir-that-is-empty"))
    assert result.exit_code == 1
    (tmp_path / "emptydir").mkdir()
    result = cli("corpus", "add", str(tmp_path / "emptydir"))
    assert result.exit_code == 1 and "no report files" in result.stderr


def test_a_query_with_another_embedding_is_refused_until_rebuild(seeded: Path, cli: Cli, stub: StubOpenAI,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGWEN_EMBEDDING", "openai:stub-embed")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    refused = cli("corpus", "search", "党建")
    assert refused.exit_code == 1
    assert "gongwen-hash-ngram" in refused.stderr and "openai:stub-embed" in refused.stderr
    assert "gongwen corpus rebuild" in refused.stderr
    rebuilt = cli("corpus", "rebuild", "--json")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert ok_json(cli("corpus", "stats", "--json"))["embedding"] == "openai:stub-embed"
    assert ok_json(cli("corpus", "stats", "--json"))["reports"] == 5
    assert any(r["path"] == "/v1/embeddings" for r in stub.requests)


def test_installed_package_finds_the_bundled_examples_outside_the_checkout(tmp_path: Path) -> None:
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheel_dir.glob("gongwen-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "GONGWEN_HOME": str(tmp_path / "home")}
    where = subprocess.run([sys.executable, "-c", "import pipeline.paths as p; print(p.bundled_corpus_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(target))
    assert sorted(p.name for p in Path(where).glob("*.txt")) == [p.name for p in EXAMPLES]
    assert all((Path(where) / p.name).read_bytes() == p.read_bytes() for p in EXAMPLES)
    code = "import pipeline.paths as p; print(len(list(p.bundled_evals_dir().glob('*.md'))))"
    assert subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "5"
    code = "import pipeline.llm.prompts as p; print(p.load_prompt('section').name)"
    prompts = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                             check=True).stdout.strip()
    assert prompts == "section"
    stats = subprocess.run([sys.executable, "-m", "pipeline", "corpus", "stats", "--json"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True)
    assert json.loads(stats.stdout)["reports"] == 5


def test_importing_the_cli_creates_nothing_and_loads_no_heavy_library(tmp_path: Path) -> None:
    home = tmp_path / "never-made"
    heavy = ("chromadb", "langchain_core", "openai", "numpy", "rich.console")
    code = f"import sys, pipeline.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    env = {**os.environ, "GONGWEN_HOME": str(home)}
    loaded = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
    code = ("import sys; from pipeline.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    help_run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert help_run.returncode == 0 and "corpus" in help_run.stdout
    assert help_run.stdout.strip().splitlines()[-1] == "[]"  # --help renders without rich's console
    assert not home.exists()


def test_a_large_add_prepares_ahead_in_a_worker_and_indexes_the_same(cli: Cli, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.corpus import ingest

    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(6):
        text = REPORT.replace("某县农业农村局", f"第{n}农业农村局").replace("14次", f"{n}次")
        (folder / f"r{n}.txt").write_text(text, encoding="utf-8")
    (folder / "prose.txt").write_text("今天天气很好。我们去公园散步。", encoding="utf-8")
    workers: list[int] = []
    real_pool = ingest.ProcessPoolExecutor
    monkeypatch.setattr(ingest, "ProcessPoolExecutor", lambda *a, **k: workers.append(1) or real_pool(*a, **k))
    indexed = {}
    for ahead_from in (10_000, 1):  # in this process; then through the worker
        monkeypatch.setattr(ingest, "AHEAD_FROM", ahead_from)
        monkeypatch.setattr(ingest, "BATCH", 3)  # several batches, so one is prepared while one is written
        monkeypatch.setenv("GONGWEN_HOME", str(tmp_path / f"home-{ahead_from}"))
        result = cli("corpus", "add", str(folder), "--json")
        assert result.exit_code == 1  # the prose file is refused, the rest are added
        added = json.loads(result.stdout)
        assert added["added"] == 6 and added["skipped"] == 1
        assert "no report structure" in next(f["error"] for f in added["files"] if f["status"] == "skipped")
        hits = ok_json(cli("corpus", "search", "压实责任", "--part", "main_work", "-k", "8", "--json"))
        indexed[ahead_from] = (ok_json(cli("corpus", "stats", "--json")), [(h["id"], h["score"]) for h in hits])
    assert len(workers) == 2  # the second home's seeding and its add; the first home none
    assert indexed[1] == indexed[10_000]


def test_a_text_store_written_by_a_newer_gongwen_is_refused(seeded: Path, cli: Cli) -> None:
    with sqlite3.connect(seeded / "index" / TEXTS_FILE) as db:
        db.execute("PRAGMA user_version = 99")
    result = cli("corpus", "search", "党建")
    assert result.exit_code == 1 and "newer gongwen" in result.stderr and "Traceback" not in result.output
