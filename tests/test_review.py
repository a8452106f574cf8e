"""The review page (issue 22, item 3): the draft sentence by sentence as its reader checks it.

Each page is read back with an HTML parser, as a browser would read it: the sentences it shows (their
kind, their text, the clauses marked in them, the details they show on hover or click), every tag and
attribute in it. What the page should show is read from the run folder's own files (trace.json,
facts.md, sources.json), or for a saved run without trace.json, traced here with the engine.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pipeline.corpus.index import CorpusIndex
from pipeline.drafting.checks.trace import Ledger
from pipeline.drafting.engine import trace_draft
from pipeline.drafting.outline.facts import load_facts
from pipeline.drafting.outline.plan import make_plan
from pipeline.drafting.runfolder import RunFolder
from pipeline.drafting.writing.phrases import phrasebook
from pipeline.text import sentences
from tests.conftest import ROOT, Cli

SAVED = ROOT / "tests" / "data" / "eval-review"
VOID = {"br", "meta"}
TAGS = {"html", "head", "meta", "title", "style", "body", "header", "aside", "main", "section", "h1", "h2", "h3",
        "p", "span", "mark", "b", "br", "small", "div", "table", "tr", "th", "td", "details", "summary"}
ATTRIBUTES = {"lang", "charset", "name", "content", "class", "id", "tabindex", "role"}


class Page(HTMLParser):
    """The page as parsed: its sentences (kind, text, marks, details), every tag, and its plain text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sentences: list[dict[str, Any]] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.data: list[str] = []  # each piece of text as the parser gives it
        self.stack: list[tuple[str, list[str]]] = []
        self.feed(page)
        self.close()

    def _in(self, cls: str) -> bool:
        return any(tag == "span" and cls in classes for tag, classes in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, classes))
        if tag == "span" and classes[:1] == ["s"]:
            self.sentences.append({"kind": classes[1], "text": "", "marks": [], "tip": ""})
        elif tag == "mark" and self._in("s") and not self._in("tip"):
            self.sentences[-1]["marks"].append([classes[0], ""])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.data.append(data)
        if not any(tag == "style" for tag, _ in self.stack):
            self.text.append(data)
        if not self._in("s"):
            return
        now = self.sentences[-1]
        if self._in("tip"):
            now["tip"] += data
            return
        now["text"] += data
        if self.stack[-1][0] == "mark":
            now["marks"][-1][1] += data

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())

    @property
    def spaced(self) -> str:
        """The text with a space between elements' texts (a table's cells)."""
        return " ".join(" ".join(self.text).split())


def self_contained(page: str, parsed: Page) -> None:
    """Nothing fetched: no script, no link, no source, no URL in the style; only the page's own tags."""
    assert {tag for tag, _ in parsed.tags} <= TAGS, {tag for tag, _ in parsed.tags} - TAGS
    assert {name for _, attrs in parsed.tags for name, _ in attrs} <= ATTRIBUTES
    assert not re.search(r"<(?:script|link|img|iframe|object|embed)", page, re.I)  # text from the run is escaped
    style = page[page.index("<style>"):page.index("</style>")]
    assert not re.search(r"@import|url\(|https?:|//", style), "the style fetches nothing"


def _draft(cli: Cli, tmp_path: Path) -> tuple[Path, Any]:
    run = tmp_path / "run"
    result = cli("draft", str(ROOT / "evals" / "cases" / "02.md"), "-o", str(tmp_path / "d.md"), "--run-dir", str(run))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return run, result


def _traced(run: Path) -> list[dict[str, Any]]:
    """trace.json's sentences, in the plan's order."""
    trace = json.loads((run / "trace.json").read_text(encoding="utf-8"))
    plan = json.loads((run / "plan.json").read_text(encoding="utf-8"))
    return [t for s in plan["sections"] for t in trace["sections"].get(s["id"], [])]


def test_drafting_writes_the_review_page_and_it_shows_every_sentence_with_its_kind_facts_and_examples(
        seeded: Path, cli: Cli, tmp_path: Path) -> None:
    run, result = _draft(cli, tmp_path)
    page_path = run / "review.html"
    assert f"review: {page_path}" in result.stderr  # on the summary line
    page = page_path.read_text(encoding="utf-8")
    parsed = Page(page)
    self_contained(page, parsed)

    traced = _traced(run)
    assert [(s["kind"], s["text"]) for s in parsed.sentences] == [(t["kind"], t["text"]) for t in traced]
    shown = [s["text"] for s in parsed.sentences]
    for section in sorted((run / "sections").glob("*.md")):  # every sentence of the draft is on the page
        for sentence in (s.strip() for s in sentences(section.read_text(encoding="utf-8"))):
            assert sentence in shown or sentence in parsed.plain, sentence

    facts = (run / "facts.md").read_text(encoding="utf-8").split("\n")
    with_facts = [(s, t) for s, t in zip(parsed.sentences, traced, strict=True) if t["facts"]]
    assert with_facts
    for shown_sentence, t in with_facts:  # a fact sentence shows its lines of facts.md, by number
        for n in t["facts"]:
            assert f"{n} {facts[n - 1].strip()}" in shown_sentence["tip"]

    sources = json.loads((run / "sources.json").read_text(encoding="utf-8"))
    chunk = sources["main_work.1"][0]
    excerpt = " ".join(chunk["text"].split())[:100]
    in_section = [s for s, t in zip(parsed.sentences, traced, strict=True) if t["section"] == "main_work.1"]
    assert all(chunk["unit"] in s["tip"] and excerpt in s["tip"] and "other units' reports" in s["tip"]
               for s in in_section)

    counts = {kind: sum(t["kind"] == kind for t in traced) for kind in ("fact", "stock", "unverified")}
    assert f"事实 {counts['fact']} · 套语 {counts['stock']} · 待核实 {counts['unverified']}" in parsed.plain
    # the legend, in the interface's language (English here; tests/test_i18n.py reads it in Chinese)
    assert all(said in parsed.plain for said in ("事实: states what the facts file says", "套语: the genre's usual "
                                                 "wording", "待核实: specific words that match no fact"))
    assert "composer 10 opening, main_work.1" in parsed.spaced  # who wrote the sections


def test_a_saved_model_run_without_trace_json_is_traced_and_each_unverified_clause_marked(
        seeded: Path, cli: Cli, tmp_path: Path) -> None:
    run = tmp_path / "01"
    shutil.copytree(SAVED / "runs" / "01", run)
    before = sorted(p.relative_to(run) for p in run.rglob("*"))
    result = cli("review", str(run), "-o", str(tmp_path / "page.html"))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert sorted(p.relative_to(run) for p in run.rglob("*")) == before  # nothing written into the run
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    parsed = Page(page)
    self_contained(page, parsed)
    assert "has no trace.json: it was traced now" in parsed.plain
    assert "no sources.json" in parsed.plain

    folder = RunFolder(run)
    plan = make_plan(load_facts(folder.facts_file))
    done = [r for n, s in enumerate(plan.sections, start=1) if (r := folder.load_section(n, s)) is not None]
    expected = [t for ts in trace_draft(plan, done, phrasebook(CorpusIndex())).values() for t in ts]
    assert [(s["kind"], s["text"]) for s in parsed.sentences] == [(t.kind.value, t.text) for t in expected]
    unverified = [(s, t) for s, t in zip(parsed.sentences, expected, strict=True) if t.kind == Ledger.UNVERIFIED]
    claimed = [(s, t) for s, t in zip(parsed.sentences, expected, strict=True) if t.kind == Ledger.CLAIM]
    assert unverified and claimed  # a model's draft: the page has both to show
    for shown, t in unverified:  # every 待核实 clause underlined in its sentence, and named in its details
        assert [text for kind, text in shown["marks"] if kind == "check"] == [u.clause for u in t.unverified]
        assert all(f"「{u.clause}」" in shown["tip"] for u in t.unverified)
    for shown, t in claimed:
        assert {text for kind, text in shown["marks"] if kind == "claimed"} == {c.clause for c in t.claims}
    marked = sum(len(t.unverified) for _, t in unverified)
    assert f"待核实: {marked} clause(s)" in parsed.plain


def test_markup_in_a_run_folder_is_shown_as_text(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    run, _ = _draft(cli, tmp_path)
    trace = json.loads((run / "trace.json").read_text(encoding="utf-8"))
    target = next(t for t in trace["sections"]["main_work.1"] if t["facts"])
    line = target["facts"][0]
    facts = (run / "facts.md").read_text(encoding="utf-8").split("\n")
    facts[line - 1] += "<script>alert(1)</script>"
    (run / "facts.md").write_text("\n".join(facts), encoding="utf-8")

    injected = "<img src=x onerror=alert(2)>"
    section_file = next((run / "sections").glob("*_main_work.1.json"))
    section = json.loads(section_file.read_text(encoding="utf-8"))
    new = target["text"][:-1] + f"，{injected}。"
    section["text"] = section["text"].replace(target["text"], new)
    section_file.write_text(json.dumps(section, ensure_ascii=False), encoding="utf-8")
    target.update(text=new, kind="unverified", unverified=[{"clause": injected, "kind": "", "words": "", "key": ""}])
    (run / "trace.json").write_text(json.dumps(trace, ensure_ascii=False), encoding="utf-8")

    sources = json.loads((run / "sources.json").read_text(encoding="utf-8"))
    sources["main_work.1"][0].update(unit="</span><script>alert(3)</script>",
                                     text="<style>body{display:none}</style>" + sources["main_work.1"][0]["text"])
    (run / "sources.json").write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    record["model"] = "<b onmouseover=alert(4)>m</b>"
    (run / "run.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    result = cli("review", str(run))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    page = (run / "review.html").read_text(encoding="utf-8")
    parsed = Page(page)
    self_contained(page, parsed)  # no script, img, style or attribute got in
    assert sum(tag == "style" for tag, _ in parsed.tags) == 1
    shown = next(s for s in parsed.sentences if s["text"] == new)
    assert shown["kind"] == "unverified" and shown["marks"] == [["check", injected]]
    assert "<script>alert(1)</script>" in shown["tip"] and "</span><script>alert(3)</script>" in shown["tip"]
    assert "<b onmouseover=alert(4)>m</b>" in parsed.plain


def test_a_section_the_user_changed_is_shown_as_theirs_and_a_trace_that_no_longer_fits_says_so(
        seeded: Path, cli: Cli, tmp_path: Path) -> None:
    run, _ = _draft(cli, tmp_path)
    assert "not found in the sections" not in Page((run / "review.html").read_text(encoding="utf-8")).plain
    closing = next((run / "sections").glob("*_closing.json"))
    data = json.loads(closing.read_text(encoding="utf-8"))
    data["text"] = data["text"].replace("以上述职，请予评议。", "以上述职，请审阅。")
    closing.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    section_file = next((run / "sections").glob("*_problems.json"))
    section = json.loads(section_file.read_text(encoding="utf-8"))
    section["status"] = "locked"
    section_file.write_text(json.dumps(section, ensure_ascii=False), encoding="utf-8")
    trace = json.loads((run / "trace.json").read_text(encoding="utf-8"))
    theirs = trace["sections"].pop("problems")  # revise traces no section the user changed
    (run / "trace.json").write_text(json.dumps(trace, ensure_ascii=False), encoding="utf-8")
    assert cli("review", str(run)).exit_code == 0  # type: ignore[attr-defined]
    parsed = Page((run / "review.html").read_text(encoding="utf-8"))
    assert [s["text"] for s in parsed.sentences if s["kind"] == "yours"] == [t["text"] for t in theirs]
    assert "you (edited) 1 problems" in parsed.spaced
    assert "1 traced sentence(s) were not found in the sections as they stand" in parsed.plain
    assert "以上述职，请审阅。" in parsed.plain and "以上述职，请审阅。" not in [s["text"] for s in parsed.sentences]


def test_eval_writes_a_review_page_per_case_and_the_report_links_it(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rescored"
    result = cli("eval", "--rescore", str(SAVED), "--out", str(out))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    report = (out / "report.html").read_text(encoding="utf-8")
    for case in ("00", "01", "02", "03", "04"):
        page = (out / f"review-{case}.html").read_text(encoding="utf-8")
        parsed = Page(page)
        self_contained(page, parsed)
        drafted = "".join(p.read_text(encoding="utf-8") for p in (SAVED / "runs" / case / "sections").glob("*.md"))
        assert parsed.sentences and all(s["text"] in drafted for s in parsed.sentences)
        assert "as this evaluation traces it" in parsed.plain
        own = report[report.index(f"id='case-{case}'"):]
        own = own[:own.index("</section>")]
        assert f"<a href='review-{case}.html'>" in own
    assert not list((SAVED / "runs").rglob("trace.json")) and not list(SAVED.rglob("review*.html"))


def test_review_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    def refused(*args: str) -> str:
        result = cli("review", *args)
        assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
        assert "Traceback" not in result.output  # type: ignore[attr-defined]
        lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
        return str(lines[0])

    assert refused(str(tmp_path / "nowhere")) == f"error: {tmp_path / 'nowhere'}: no such run folder"
    assert "not a gongwen run folder" in refused(str(tmp_path))
    run = tmp_path / "01"
    shutil.copytree(SAVED / "runs" / "01", run)
    page = tmp_path / "page.html"
    page.write_text("mine", encoding="utf-8")
    assert refused(str(run), "-o", str(page)) == f"error: {page}: already exists; pass --force to overwrite it"
    assert page.read_text(encoding="utf-8") == "mine"
    facts = run / "facts.md"
    before = facts.read_bytes()
    assert "is an input" in refused(str(run), "-o", str(facts), "--force")
    assert "is an input" in refused(str(run), "-o", str(next((run / "sections").glob("*.json"))), "--force")
    assert facts.read_bytes() == before


def test_two_drafts_of_one_file_in_one_second_get_folders_of_their_own(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Run folders are named to the second: a second draft in the same second took the first's name and
    was refused (「holds a run already」), which a test of learning saw once."""
    from pipeline.drafting import runfolder
    from pipeline.drafting.runfolder import RunFolder
    from pipeline.errors import GongwenError

    monkeypatch.setattr(runfolder, "runs_dir", lambda: tmp_path)
    monkeypatch.setattr(runfolder.time, "strftime", lambda _format: "20261207-070753")
    first = RunFolder.unused(None, "2024", False, "")
    first.path.mkdir()
    (first.path / runfolder.RUN).write_text("{}", encoding="utf-8")
    second = RunFolder.unused(None, "2024", False, "")
    assert first.path.name == "20261207-070753-2024" and second.path.name == "20261207-070753-2024-2"
    named = tmp_path / "mine"
    named.mkdir()
    (named / runfolder.RUN).write_text("{}", encoding="utf-8")
    with pytest.raises(GongwenError, match="holds a run already"):  # a folder the user names is never renamed
        RunFolder.unused(named, "2024", False, "use --force")
