"""Stages 2–5 of drafting: retrieve → draft → check → repair, writing every artifact to the run folder.

Each section is drafted by one backend call, all sections at once under a concurrency bound. Every
draft passes the fact lock and the leak guard (check.py); a failing section is re-asked with its
violations listed, and if it still fails, the offline composer's text for that section is used
instead and the section is flagged. Copied or invented text is never shipped.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..corpus.index import CorpusIndex
from ..corpus.retrieve import Hit, search
from ..errors import GongwenError
from ..genre import (
    CAUSES_START,
    CLOSING_MIN_CHARS,
    CLOSING_RESOLVE,
    CLOSING_START,
    OPENING_END,
    OPENING_MIN_LEAD,
    Part,
)
from ..llm.chat import Backend, OfflineBackend, Reply
from ..llm.prompts import load_prompt
from ..parallel import map_bounded
from ..writefile import make_private_dir, open_private, same_file, write_private
from .check import LeakGuard, SectionCheck, Violation, allowed_numbers, invented_numbers, missing_facts
from .compose import compose
from .facts import Facts, load_facts
from .plan import Plan, Section, make_plan

STYLE_MODES = ("patterns", "raw")
NO_FACTS = "（本节没有具体事实，只写概括性的过渡语，不写数字）"


@dataclass
class DraftOptions:
    concurrency: int = 4
    k: int = 3  # style references per section
    style_refs: str = "patterns"  # patterns: sentence shapes with facts masked; raw: the example text
    max_repairs: int = 2
    exclude_reports: tuple[str, ...] = ()


@dataclass
class SectionResult:
    id: str
    text: str
    status: str  # ok | repaired | fallback
    attempts: int
    check: SectionCheck
    flagged: list[dict[str, Any]] = field(default_factory=list)  # violations that forced a fallback

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "status": self.status, "attempts": self.attempts,
                "check": self.check.as_dict(), "flagged": self.flagged}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SectionResult:
        check = SectionCheck(data["id"], [Violation(**v) for v in data["check"]["violations"]])
        return cls(data["id"], data["text"], data["status"], data["attempts"], check, data.get("flagged", []))


@dataclass
class DraftResult:
    run_dir: Path
    plan: Plan
    sections: list[SectionResult]
    backend: str
    model: str
    seconds: float

    @property
    def fallbacks(self) -> list[str]:
        return [s.id for s in self.sections if s.status == "fallback"]

    @property
    def checks(self) -> dict[str, Any]:
        """What ``checks.json`` holds: every section's violations, status and repair attempts."""
        return {"ok": all(r.check.ok for r in self.sections), "fallbacks": self.fallbacks,
                "sections": [{**r.check.as_dict(), "status": r.status, "attempts": r.attempts,
                              "flagged": r.flagged} for r in self.sections]}


class RunState:
    """The run folder's record of progress: ``run.json`` rewritten after every section, atomically.

    A run stopped by an error or Ctrl-C leaves every finished section on disk and ``run.json``
    naming them, so ``gongwen draft --resume`` finishes it without paying for them twice. Once the
    run has stopped (:meth:`stop`), a section that finishes late is not written: the folder stays as
    ``run.json`` describes it.
    """

    def __init__(self, run_dir: Path, info: dict[str, Any]) -> None:
        self.run_dir = run_dir
        self.info = info
        self._lock = threading.Lock()
        self._stopped = False

    def update(self, **changes: Any) -> None:
        with self._lock:
            self.info.update(changes)
            write_private(self.run_dir / "run.json", _json(self.info))

    def save_section(self, n: int, result: SectionResult) -> None:
        with self._lock:
            if self._stopped:
                return
            write_private(section_file(self.run_dir, n, result.id, "json"), _json(result.as_dict()))
            write_private(section_file(self.run_dir, n, result.id, "md"), result.text + "\n")
            done = self.info.setdefault("sections_done", [])
            if result.id not in done:
                done.append(result.id)
            write_private(self.run_dir / "run.json", _json(self.info))

    def stop(self, status: str, error: str) -> None:
        with self._lock:
            self._stopped = True
            self.info.update(status=status, error=error)
            write_private(self.run_dir / "run.json", _json(self.info))

    def log_call(self, record: dict[str, Any]) -> None:
        with self._lock:
            if self._stopped:
                return
            path = self.run_dir / "llm_calls.jsonl"
            with open_private(path) as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_draft(facts_path: Path, backend: Backend, run_dir: Path, index: CorpusIndex,
              options: DraftOptions | None = None,
              progress: Callable[[SectionResult], None] | None = None,
              resume: bool = False, redo: tuple[str, ...] = ()) -> DraftResult:
    """Draft a report into ``run_dir``; with ``resume``, keep the sections already drafted there."""
    options = options or DraftOptions()
    start = time.perf_counter()
    make_private_dir(run_dir / "sections")
    if not resume:
        # Starting over: no section of an earlier run in this folder may be taken up by a later resume.
        for stale in [*(run_dir / "sections").glob("*.md"), *(run_dir / "sections").glob("*.json")]:
            stale.unlink()
        if not same_file(facts_path, run_dir / "facts.md"):
            write_private(run_dir / "facts.md", facts_path.read_bytes())
        (run_dir / "llm_calls.jsonl").unlink(missing_ok=True)
    facts = load_facts(run_dir / "facts.md")

    timings: dict[str, float] = {}
    mark = time.perf_counter()
    plan = make_plan(facts)
    unknown = set(redo) - {s.id for s in plan.sections}
    if unknown:
        raise GongwenError(f"no section {', '.join(sorted(unknown))} in {run_dir / 'plan.json'}; "
                           f"sections are: {', '.join(s.id for s in plan.sections)}")
    write_private(run_dir / "plan.json", _json(plan.as_dict()))
    timings["plan"], mark = time.perf_counter() - mark, time.perf_counter()

    sources = _load_sources(run_dir) if resume else None
    if sources is None or set(sources) != {s.id for s in plan.sections}:
        sources = {s.id: _retrieve(index, s, options) for s in plan.sections}
        write_private(run_dir / "sources.json",
                     _json({sid: [h.as_dict() for h in hits] for sid, hits in sources.items()}))
    guard = _leak_guard(index, sources, facts)
    allowed = allowed_numbers(facts, plan.title)
    timings["retrieve"], mark = time.perf_counter() - mark, time.perf_counter()
    prompt = load_prompt("section")

    numbered = list(enumerate(plan.sections, start=1))
    kept = {} if not resume else {
        section.id: result for n, section in numbered
        if section.id not in redo and (result := _load_section(run_dir, n, section)) is not None}
    previous = _read_json(run_dir / "run.json") if resume else {}
    state = RunState(run_dir, {
        "status": "running", "backend": backend.name, "model": backend.model, "endpoint": backend.endpoint,
        "versions": _versions(),
        "prompts": {"section": prompt.sha256}, "style_refs": options.style_refs, "facts": str(facts_path),
        "sections": [s.id for s in plan.sections], "sections_done": sorted(kept),
        "resumed": resume, "usage": previous.get("usage", {})})
    state.update()

    def step(item: tuple[int, Section]) -> SectionResult:
        n, section = item
        if section.id in kept:
            result = kept[section.id]
        else:
            result = _draft_section(backend, prompt, plan, section, sources[section.id], options, guard, allowed,
                                    state)
            state.save_section(n, result)
        if progress:
            progress(result)
        return result

    try:
        results = map_bounded(step, numbered, options.concurrency)
    except BaseException as exc:
        state.stop("failed" if isinstance(exc, Exception) else "interrupted",
                   str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise

    timings["draft_and_check"] = time.perf_counter() - mark
    elapsed = time.perf_counter() - start
    report = DraftResult(run_dir, plan, results, backend.name, backend.model, elapsed)
    write_private(run_dir / "checks.json", _json(report.checks))
    calls = _call_lines(run_dir / "llm_calls.jsonl")
    state.update(status="done", seconds=round(elapsed, 3), timings={k: round(v, 3) for k, v in timings.items()},
                 usage=_usage(calls), calls=len(calls))
    return report


def _call_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _usage(calls: list[dict[str, Any]]) -> dict[str, int]:
    usage: dict[str, int] = {}
    for call in calls:
        for key, value in call["usage"].items():
            usage[key] = usage.get(key, 0) + value
    return usage


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _load_sources(run_dir: Path) -> dict[str, list[Hit]] | None:
    data = _read_json(run_dir / "sources.json")
    if not data:
        return None
    return {sid: [Hit(h["id"], h["report_id"], h["part"], h["subheading"], h["text"], h["score"], {})
                  for h in hits] for sid, hits in data.items()}


def section_file(run_dir: Path, n: int, section_id: str, ext: str) -> Path:
    # Built by hand: Path.with_suffix would take the 「.1」 of 「main_work.1」 for a suffix.
    return run_dir / "sections" / f"{n:02d}_{section_id}.{ext}"


def _load_section(run_dir: Path, n: int, section: Section) -> SectionResult | None:
    """A section finished by an earlier attempt at this run, if both its files are whole."""
    data = _read_json(section_file(run_dir, n, section.id, "json"))
    if not data or not section_file(run_dir, n, section.id, "md").exists():
        return None
    return SectionResult.from_dict(data)


def _draft_section(backend: Backend, prompt: Any, plan: Plan, section: Section, hits: list[Hit],
                   options: DraftOptions, guard: LeakGuard, allowed: set[Any], state: RunState) -> SectionResult:
    messages = section_messages(prompt, plan, section, references_text(hits, options.style_refs))
    attempts = 0
    check = SectionCheck(section.id)
    text = ""
    while attempts <= (0 if isinstance(backend, OfflineBackend) else options.max_repairs):
        attempts += 1
        reply = backend.complete(messages, plan, section)
        state.log_call(_call_record(section, attempts, prompt.sha256, messages, reply))
        text = tidy(reply.text, section)
        check = check_section(text, section, guard, allowed)
        if check.ok:
            return SectionResult(section.id, text, "ok" if attempts == 1 else "repaired", attempts, check)
        messages = [*messages, {"role": "assistant", "content": reply.text},
                    {"role": "user", "content": _repair_request(check)}]
    if isinstance(backend, OfflineBackend):
        return SectionResult(section.id, text, "ok", attempts, check)
    fallback = compose(plan, section)
    flagged = [asdict(v) for v in check.violations]
    return SectionResult(section.id, fallback, "fallback", attempts, check_section(fallback, section, guard, allowed),
                         flagged)


def section_messages(prompt: Any, plan: Plan, section: Section, references: str) -> list[dict[str, str]]:
    """The chat messages that ask for one section: genre rules, outline, its facts, style references."""
    return list(prompt.render(
        kind=plan.kind, unit=plan.unit, role=plan.role, year=plan.year, outline=plan.outline(),
        section_title=_section_title(section), budget=section.budget,
        bullets="\n".join(f"- {b.text}" for b in section.bullets) or NO_FACTS, references=references))


def check_section(text: str, section: Section, guard: LeakGuard, allowed: set[Any]) -> SectionCheck:
    return SectionCheck(section.id, invented_numbers(text, allowed) + missing_facts(text, section.bullets)
                        + guard.find(text) + genre_violations(text, section))


def genre_violations(text: str, section: Section) -> list[Violation]:
    """What the genre requires of a section's shape."""
    body = text.strip()
    if not body:
        return [Violation("genre", "the section is empty")]
    if section.part == Part.OPENING:
        end = OPENING_END.search(body)
        lead = body[:end.start()].rsplit("。", 1)[0] if end else body
        if not end:
            return [Violation("genre", "the opening must end with 「现将……述职如下：」")]
        if len(re.sub(r"\W", "", lead)) < OPENING_MIN_LEAD:
            return [Violation("genre", "the opening must say how the year's duties were carried out before "
                                       "「现将……述职如下：」")]
    if section.part == Part.CLOSING and (len(re.sub(r"\W", "", body)) < CLOSING_MIN_CHARS
                                         or not (CLOSING_START.match(body) or CLOSING_RESOLVE.search(body))):
        return [Violation("genre", "the closing must state a resolve for the year ahead, e.g. 「今后，我将……」")]
    if section.id == "causes" and not CAUSES_START.match(body):
        return [Violation("genre", "the causes paragraph must begin with 「究其原因，」")]
    return []


def _repair_request(check: SectionCheck) -> str:
    problems = "\n".join(f"- {v.detail}" for v in check.violations)
    return ("上一稿有以下问题，必须改正：\n" + problems +
            "\n请重写本节：只用本节事实中的数字和名称，每条事实都要写到，不照抄风格参考，只输出本节正文。")


def _call_record(section: Section, attempt: int, prompt_hash: str, messages: list[dict[str, str]],
                 reply: Reply) -> dict[str, Any]:
    return {"section": section.id, "attempt": attempt, "prompt_sha256": prompt_hash, "model": reply.model,
            "messages": messages, "reply": reply.text, "finish_reason": reply.finish_reason,
            "usage": reply.usage, "seconds": round(reply.seconds, 3)}


def _section_title(section: Section) -> str:
    names = {"opening": "开头段（以“述职如下：”结尾）", "closing": "结尾段",
             "problems": "二、存在的主要问题（逐条写（一）（二）……）", "causes": "问题原因分析（以“究其原因，”开头）",
             "plans": "三、下步工作思路和主要措施（逐条写（一）（二）……）"}
    return names.get(section.id, f"一、主要工作中的小节“{section.heading}”（第一行照写小标题）")


def _retrieve(index: CorpusIndex, section: Section, options: DraftOptions) -> list[Hit]:
    part = Part.PROBLEMS if section.id == "causes" else section.part
    query = section.query or {"opening": "现将述职如下", "closing": "今后我将进一步"}.get(section.id, section.id)
    return search(index, query, part=part, k=options.k, exclude_reports=options.exclude_reports)


_NUMBERISH = re.compile(
    r"[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿]{2,}(?=[个名次人项场期家户元篇份条所])")


def abstract_reference(text: str) -> str:
    """An example paragraph reduced to its shape: each clause's opening words, facts masked.

    「（一）高度重视，认真履行党建工作职责。一是建立党建目标责任制。年初，召开党组会议……」 →
    「（一）高度重视，……。一是建立党建目……。年初，……」. Small models copy raw examples word for
    word; from this they can learn the pattern but have nothing to copy.
    """
    text = _NUMBERISH.sub("X", text)
    shaped = []
    for sentence in re.split(r"(?<=[。；])", text):
        if not sentence.strip():
            continue
        end = sentence[-1] if sentence[-1] in "。；" else ""
        head = re.split(r"[，：、]", sentence.rstrip("。；"), maxsplit=1)[0]
        lead = head[:8] if len(head) > 8 else head
        shaped.append(f"{lead}……{end}" if lead != sentence.rstrip("。；") or len(head) > 8 else f"{lead}{end}")
    return "".join(shaped)


def references_text(hits: list[Hit], mode: str) -> str:
    if not hits:
        return "（无）"
    texts = [h.text if mode == "raw" else abstract_reference(h.text) for h in hits]
    return "\n\n".join(f"【参考{i}】\n{t}" for i, t in enumerate(texts, start=1))


def _leak_guard(index: CorpusIndex, sources: dict[str, list[Hit]], facts: Facts) -> LeakGuard:
    report_ids = sorted({h.report_id for hits in sources.values() for h in hits})
    # The units of the reports the model was shown are the names it could copy; reading every
    # report's record instead would cost a 10k-report corpus a second and 200 MB per draft.
    shown = index.reports_by_id(report_ids)
    texts = [text for _, text in shown]
    units = [str(meta.get("unit", "")) for meta, _ in shown]
    bullets = facts.bullets_all()
    # One fact per line, so a window never spans two facts and allows what neither contains.
    own = "\n".join([facts.unit, facts.role, facts.superior, facts.title, *(b.text for b in bullets),
                     *{b.group for b in bullets if b.group}])
    return LeakGuard(texts, units, own_words=own)


_ECHO = re.compile(r"^\s*(<<<.*>>>|【参考\d+】|本节事实.*|风格参考.*|```\w*)\s*$")


def tidy(text: str, section: Section) -> str:
    """Strip what a model echoes around the section: delimiters, labels, fences, Markdown marks."""
    lines = []
    for line in text.replace("\r", "").split("\n"):
        if _ECHO.match(line):
            continue
        line = re.sub(r"^\s*#+\s*", "", line).replace("**", "").strip()
        if line:
            lines.append(line)
    if section.part == Part.MAIN_WORK and section.heading:
        # Keep exactly one heading line, the planned one.
        bare = section.heading.split("）", 1)[-1]
        lines = [ln for ln in lines if ln.rstrip("。") not in (section.heading, bare)]
        lines.insert(0, section.heading)
    return "\n".join(lines)


def _versions() -> dict[str, str]:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    found = {"gongwen": __version__, "python": platform.python_version()}
    for package in ("chromadb", "openai", "langchain-core", "python-docx"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


