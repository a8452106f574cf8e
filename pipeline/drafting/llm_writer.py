"""The LLM writer: one section from a chat model, with its prompt, its normaliser and its repair loop.

Prompt (prompts/section.txt, filled from prompts/section_parts.txt): the genre's rules, the outline,
the section's facts and style references labelled as data. The reply is normalised (echoed labels,
fences and Markdown marks stripped; exactly one planned heading) and checked; a failing reply is asked
again with its violations listed (prompts/repair.txt), up to ``max_repairs`` times, and a reply cut off
at the endpoint's token limit is continued (prompts/continue.txt). When no reply passes, the section is
rejected and the engine ships the composer's text instead.
"""

from __future__ import annotations

import re
from typing import Any

from ..corpus.retrieve import Hit
from ..genre import Part
from ..llm.chat import ChatModel, LLMCallError, Message, Reply
from ..llm.prompts import load_prompt, load_snippets
from .check import SectionCheck, check_section
from .plan import Plan, Section
from .results import SectionResult
from .writers import SectionJob, SectionRejected

STYLE_MODES = ("patterns", "raw")
MAX_CONTINUATIONS = 2


class SectionPrompt:
    """The prompt files the LLM writer asks with, and how they are filled for one section."""

    def __init__(self, style_refs: str = "patterns") -> None:
        self.style_refs = style_refs
        self.section = load_prompt("section")
        self.parts = load_snippets("section_parts")
        self.repair = load_prompt("repair")
        self.continuation = load_prompt("continue")

    def hashes(self) -> dict[str, str]:
        return {p.name: p.sha256 for p in (self.section, self.parts, self.repair, self.continuation)}

    def messages(self, plan: Plan, section: Section, hits: list[Hit]) -> list[Message]:
        """The chat messages that ask for one section: genre rules, outline, its facts, style references."""
        return self.request(plan, section, self.references(hits))

    def request(self, plan: Plan, section: Section, references: str) -> list[Message]:
        return self.section.render(
            kind=plan.kind, unit=plan.unit, role=plan.role, year=plan.year, outline=plan.outline(),
            section_title=section_title(section, self.parts), budget=section.budget,
            bullets="\n".join(f"- {b.text}" for b in section.bullets) or self.parts.render("no_facts"),
            references=references)

    def references(self, hits: list[Hit]) -> str:
        if not hits:
            return self.parts.render("no_references")
        texts = [h.text if self.style_refs == "raw" else abstract_reference(h.text) for h in hits]
        return "\n\n".join(self.parts.render("reference", n=i, text=t) for i, t in enumerate(texts, start=1))


class LLMWriter:
    backend = "openai"

    def __init__(self, chat: ChatModel, style_refs: str = "patterns", max_repairs: int = 2) -> None:
        self.chat = chat
        self.max_repairs = max_repairs
        self.prompt = SectionPrompt(style_refs)

    @property
    def model(self) -> str:
        return self.chat.model

    @property
    def endpoint(self) -> str:
        return self.chat.endpoint

    def prompt_hashes(self) -> dict[str, str]:
        return self.prompt.hashes()

    def write(self, job: SectionJob) -> SectionResult:
        messages = self.prompt.messages(job.plan, job.section, job.hits)
        check = SectionCheck(job.section.id)
        for attempt in range(1, self.max_repairs + 2):
            reply = self._complete(messages, job, attempt)
            text = tidy(reply.text, job.section)
            check = check_section(text, job.section, job.guard, job.allowed)
            if check.ok:
                return SectionResult(job.section.id, text, "ok" if attempt == 1 else "repaired", attempt, check)
            problems = "\n".join(f"- {v.detail}" for v in check.violations)
            messages = [*messages, {"role": "assistant", "content": reply.text},
                        *self.prompt.repair.render(problems=problems)]
        raise SectionRejected(job.section.id, check, self.max_repairs + 1)

    def _complete(self, messages: list[Message], job: SectionJob, attempt: int) -> Reply:
        """One reply; a reply cut off at the endpoint's token limit is continued (up to twice)."""
        try:
            reply = self.chat.complete(messages)
            for _ in range(MAX_CONTINUATIONS):
                if reply.finish_reason != "length" or not reply.text:
                    break
                more = self.chat.complete([*messages, {"role": "assistant", "content": reply.text},
                                           *self.prompt.continuation.render()])
                reply = _joined(reply, more)
        except LLMCallError as exc:
            raise exc.for_section(job.section.id) from None
        job.log(call_record(job.section, attempt, self.prompt_hashes(), messages, reply))
        return reply


def _joined(first: Reply, more: Reply) -> Reply:
    usage = {k: first.usage.get(k, 0) + more.usage.get(k, 0) for k in first.usage.keys() | more.usage.keys()}
    return Reply(first.text + more.text, more.model, usage, first.seconds + more.seconds, more.finish_reason)


def section_title(section: Section, parts: Any) -> str:
    """How the prompt names the section being drafted."""
    if section.part == Part.MAIN_WORK:
        return str(parts.render("title.main_work", heading=section.heading))
    return str(parts.render(f"title.{section.id}"))


def call_record(section: Section, attempt: int, prompts: dict[str, str], messages: list[Message],
                reply: Reply) -> dict[str, Any]:
    return {"section": section.id, "attempt": attempt, "prompt_sha256": prompts, "model": reply.model,
            "messages": messages, "reply": reply.text, "finish_reason": reply.finish_reason,
            "usage": reply.usage, "seconds": round(reply.seconds, 3)}


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


_ECHO = re.compile(r"^\s*(<<<.*>>>|【参考\d+】|本节事实.*|风格参考.*|```\w*)\s*$")


def tidy(text: str, section: Section) -> str:
    """The normaliser: strip what a model echoes around the section (delimiters, labels, fences,
    Markdown marks) and keep exactly one heading line, the planned one."""
    lines = []
    for line in text.replace("\r", "").split("\n"):
        if _ECHO.match(line):
            continue
        line = re.sub(r"^\s*#+\s*", "", line).replace("**", "").strip()
        if line:
            lines.append(line)
    if section.part == Part.MAIN_WORK and section.heading:
        bare = section.heading.split("）", 1)[-1]
        lines = [ln for ln in lines if ln.rstrip("。") not in (section.heading, bare)]
        lines.insert(0, section.heading)
    return "\n".join(lines)
