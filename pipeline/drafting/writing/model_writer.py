"""The LLM writer: one section from a chat model, with its prompt, its normaliser and its repair loop.

Built for a small local model, as measured (../shared/real-model):

- The prompt is short (prompts/section.txt): rules, the outline's headings (never other sections'
  facts), the section's own facts, and a note when asking again. Everything up to the section's own
  line is the same for every section, so a server's prompt cache reuses it.
- The model is asked for what it can write without inventing: about twice the length of the
  section's facts (``asked_length``), never more than the section's budget. Its sentences go into the
  composer's frame for the section (compose.frame: a main-work group's subheading and lead, the
  problems' and plans' lead and close), which gives the genre its shape and length and claims
  nothing. Every reply is capped with ``max_tokens`` at the top of the length band (checks/form.py); a reply
  cut there is trimmed to its last whole sentence, not continued.
- Each reply is normalised (reply_fixes.py) and checked (checks/section.py). A reply whose only faults are
  clauses the claims trace rejects, or facts it left out entirely, is salvaged without asking again:
  those clauses are cut and the missing facts added in the user's own words (recorded in checks.json).
- Otherwise a failing reply is asked again with
  the exact offending text named, at a higher temperature. A clean reply that is too short is asked
  to expand, naming the facts to elaborate, in the parts where elaborating invents nothing (plans are
  intentions, causes self-criticism); asked to expand work done, the model invented (measured), so a
  short account of the main work ships as it is. A reply that repeats an earlier one ends the loop.
- When no reply passes, the section is rejected: the engine ships the composer's text and flags it.
"""

from __future__ import annotations

import math
from typing import Any

from ...corpus.retrieve import Hit
from ...genre import CAUSES, Part, numeral
from ...llm.chat import ChatModel, LLMCallError, Message, Reply
from ...llm.endpoint import host_of, is_loopback
from ...llm.prompts import load_prompt, load_snippets
from ...text import bigrams, fact_parts, share, squash
from ..checks.form import band, too_long
from ..checks.section import check_section
from ..checks.violations import SectionCheck, violation
from ..outline.naming import post
from ..outline.plan import Plan, Section
from ..results import SectionResult, SectionStatus
from .compose import EMPTY_BOOK, Frame, compose, elsewhere, frame, numbered
from .phrases import Phrasebook
from .references import FULL, Size, references, size_for
from .reply_fixes import complete_items, finish_paragraphs, normalise_reply, strip_claims
from .writers import ComposerWriter, SectionJob, SectionRejected

TEMPERATURES = (0.3, 0.7, 1.0)  # one per attempt: a repair that asks the same way gets the same reply
# The cap in tokens of the band's top in characters: Qwen-family tokenizers take ~1.5-1.9 Chinese
# characters a token (measured); at 2 the cap never lets a reply run past the band.
TOKENS_PER_CHAR = 0.5
ELABORATION = 2.0  # the model's sentences may be about this many times as long as the facts they state
MIN_ASKED = 80
MAX_PROBLEMS_SHOWN = 5  # violations listed in one repair note



class SectionPrompt:
    """The prompt files the LLM writer asks with, and how they are filled for one section."""

    def __init__(self, style_refs: str = "patterns", size: Size = FULL) -> None:
        self.style_refs = style_refs
        self.size = size
        self.section = load_prompt("section")
        self.parts = load_snippets("section_parts")
        self.continuation = load_prompt("continue")

    def hashes(self) -> dict[str, str]:
        return {p.name: p.sha256 for p in (self.section, self.parts, self.continuation)}

    def messages(self, plan: Plan, section: Section, hits: list[Hit], budget: int | None = None,
                 notes: str = "", book: Phrasebook = EMPTY_BOOK) -> list[Message]:
        """The chat messages that ask for one section."""
        return self.request(plan, section, self.references(hits, book.wording), budget, notes, book.house.phrases,
                            plain=section.part == Part.MAIN_WORK and section.id not in numbered_by_model(plan, book))

    def request(self, plan: Plan, section: Section, references: str, budget: int | None = None,
                notes: str = "", phrases: tuple[str, ...] = (), plain: bool = False) -> list[Message]:
        listed = facts_of(section)
        facts = "\n".join(f"{i}. {fact}" for i, fact in enumerate(listed, start=1))
        house = "\n" + self.parts.render("house", phrases="、".join(f"「{p}」" for p in phrases)) if phrases else ""
        return self.section.render(
            kind=plan.kind, post=post(plan.unit, plan.role), role=plan.role, year=plan.year,
            outline=plan.outline(section.part in (Part.OPENING, Part.CLOSING)),
            section_title=section_title(section, self.parts), budget=budget or section.budget,
            instruction=self.instruction(section, plan, len(listed), plain),
            facts=facts or self.parts.render("no_facts"), house=house, references=references, notes=notes)

    def instruction(self, section: Section, plan: Plan, count: int = 0, plain: bool = False) -> str:
        """What the section must do; a list of facts is asked for as that many 一是……, in order, unless it is
        ``plain``: a main-work group the composer sets as sentences, to keep the draft's stock words in the
        corpus's band (compose.numbered)."""
        key = f"instruction.{'main_work' if section.part == Part.MAIN_WORK else section.id}"
        key = "instruction.main_work_plain" if plain and section.part == Part.MAIN_WORK else key
        if count == 1 and (section.part in (Part.MAIN_WORK, Part.PLANS) or section.id in (CAUSES, "problems")):
            key = "instruction.one"
        values = {"year": plan.year, "count": count, "last": numeral(max(count, 1))}
        return self.parts.render(key, **{k: v for k, v in values.items() if k in self.parts.variables(key)})

    def references(self, hits: list[Hit], wording: frozenset[str] = frozenset()) -> str:
        if self.style_refs == "none" or not hits:
            return ""
        texts = references(hits, self.style_refs, wording, self.size)
        items = "\n".join(self.parts.render("reference.house" if own else "reference", n=i, text=t)
                          for i, (own, t) in enumerate(texts, start=1))
        return "\n" + self.parts.render("references", items=items) if texts else ""

    def repair(self, check: SectionCheck) -> str:
        problems = list(dict.fromkeys(v.detail for v in check.violations))[:MAX_PROBLEMS_SHOWN]
        return "\n" + self.parts.render("repair", problems="\n".join(f"- {p}" for p in problems))

    def expand(self, chars: int, which: list[int]) -> str:
        facts = "、".join(f"第{n}条" for n in which) + "事实" if which else "每一句"
        return "\n" + self.parts.render("expand", chars=chars, which=facts)


class LLMWriter:
    backend = "openai"

    def __init__(self, chat: ChatModel, style_refs: str = "patterns", max_repairs: int = 2) -> None:
        self.chat = chat
        self.max_repairs = max_repairs
        self.prompt = SectionPrompt(style_refs, size_for(is_loopback(host_of(chat.endpoint))))
        self._composer = ComposerWriter()

    @property
    def model(self) -> str:
        return self.chat.model

    @property
    def endpoint(self) -> str:
        return self.chat.endpoint

    def prompt_hashes(self) -> dict[str, str]:
        return self.prompt.hashes()

    def parallel_slots(self) -> int | None:
        return self.chat.parallel_slots()

    def write(self, job: SectionJob) -> SectionResult:
        section = job.section
        if section.id == CAUSES and not section.bullets:
            composed = self._composer.write(job)  # nothing to elaborate: a visible gap, not a model's guess
            composed.status = SectionStatus.COMPOSED
            return composed
        asked = asked_length(section)
        low, high = band(asked)
        max_tokens = math.ceil(high * TOKENS_PER_CHAR) + 16
        notes, seen, best = "", [], None
        stock = compose(job.plan, section, job.phrases)  # genre prose that claims nothing
        around = frame(job.plan, section, job.phrases)
        check = SectionCheck(section.id)
        for attempt in range(1, self.max_repairs + 2):
            messages = self.prompt.messages(job.plan, section, job.hits, asked, notes, job.phrases)
            reply = self._complete(messages, job, attempt, max_tokens, low)
            if reply.text.strip() in seen:
                break  # the model answers this request the same way: asking again changes nothing
            seen.append(reply.text.strip())
            if not reply.text.strip():  # said as it is, not as the facts the reply left out
                check = SectionCheck(section.id, [violation("empty_reply")])
                notes = self.prompt.repair(check)
                continue
            fixed = normalise_reply(reply.text, section, job.plan.year, cut=reply.finish_reason == "length",
                                    house=job.phrases.house)
            check, text = self._checked(fixed.text, job, around, stock, asked)
            if not check.ok and all(v.kind in SALVAGEABLE for v in check.violations):
                salvaged = salvage(fixed.text, section, check, fixed.fixes)
                if salvaged != fixed.text:
                    fixed.text = salvaged
                    check, text = self._checked(fixed.text, job, around, stock, asked)
            status = SectionStatus.OK if attempt == 1 else SectionStatus.REPAIRED
            if not check.ok:
                notes = self.prompt.repair(check)
                continue
            result = SectionResult(section.id, text, status, attempt, check, fixes=fixed.fixes)
            chars = len(squash(fixed.text))
            if chars >= low or attempt > self.max_repairs or not _expandable(section):
                return result
            best = result
            notes = self.prompt.expand(chars, _thin_facts(section, fixed.text))
        if best is not None:
            best.attempts = len(seen)
            return best
        raise SectionRejected(section.id, check, len(seen))

    @staticmethod
    def _checked(body: str, job: SectionJob, around: Frame, stock: str, asked: int) -> tuple[SectionCheck, str]:
        """The section as it would ship (the model's sentences in the composer's frame), and its check."""
        text = f"{around.before}{body}{around.after}" if body else ""
        check = check_section(text, job.section, job.guard, job.allowed, job.plan, None, job.guard.own_words, stock,
                              elsewhere(job.plan, job.section, job.phrases), job.phrases.wording)
        check.violations += too_long(body, asked)  # the model's own sentences, against what it was asked
        return check, text

    def _complete(self, messages: list[Message], job: SectionJob, attempt: int, max_tokens: int,
                  low: int) -> Reply:
        """One reply. One cut off by the endpoint's own limit before the band's low end is continued
        once; one cut at our cap is not (the normaliser trims it to its last whole sentence)."""
        temperature = TEMPERATURES[min(attempt, len(TEMPERATURES)) - 1]
        try:
            reply = self.chat.complete(messages, max_tokens=max_tokens, temperature=temperature)
            if reply.finish_reason == "length" and reply.text and len(squash(reply.text)) < low:
                more = self.chat.complete([*messages, {"role": "assistant", "content": reply.text},
                                           *self.prompt.continuation.render()],
                                          max_tokens=max_tokens, temperature=temperature)
                reply = _joined(reply, more)
        except LLMCallError as exc:
            raise exc.for_section(job.section.id) from None
        job.log(call_record(job.section, attempt, self.prompt_hashes(), messages, reply, max_tokens, temperature))
        return reply


def _expandable(section: Section) -> bool:
    return section.part == Part.PLANS or section.id == CAUSES


# What a reply may be salvaged from without asking again: clauses claiming what the facts do not hold
# are cut, facts left out entirely are added in the user's words. Anything else goes back to the model.
SALVAGEABLE = ("claim", "said_twice", "two_leads", "cut", "missing_fact", "missing_number", "missing_term")
CUT = ("claim", "said_twice", "two_leads")  # what salvage cuts out


def salvage(body: str, section: Section, check: SectionCheck, fixes: list[str]) -> str:
    stripped = strip_claims(body, [v.text for v in check.violations if v.kind in CUT], fixes)
    if any(v.kind == "cut" for v in check.violations):
        stripped = finish_paragraphs(stripped, section, fixes)
    return complete_items(stripped, section, fixes)


def asked_length(section: Section) -> int:
    """What the model is asked to write: its facts' length elaborated, within the section's budget."""
    if not section.bullets:  # the opening and the closing: a sentence or two, whatever the examples' share
        return max(section.budget, MIN_ASKED)
    facts = sum(len(squash(b.text)) for b in section.bullets)
    return max(min(MIN_ASKED, section.budget), min(section.budget, round(ELABORATION * facts + 20)))


def _thin_facts(section: Section, text: str) -> list[int]:
    """The facts the draft says least about (by how much of their wording it repeats), to elaborate."""
    have = bigrams(text)
    scored = [(share(b.text, have, empty=0.0), n) for n, b in enumerate(section.bullets, start=1)]
    return sorted(n for _, n in sorted(scored)[:2])


def facts_of(section: Section) -> list[str]:
    """The facts as the prompt lists them: one a line; causes written in one bullet (「认识不深；问责不严」)
    are several, and listing them apart keeps each from being lost."""
    if section.id != CAUSES:
        return [b.text for b in section.bullets]
    return [part for b in section.bullets for part in fact_parts(b.text)]


def _joined(first: Reply, more: Reply) -> Reply:
    usage = {k: first.usage.get(k, 0) + more.usage.get(k, 0) for k in first.usage.keys() | more.usage.keys()}
    return Reply(first.text + more.text, more.model, usage, first.seconds + more.seconds, more.finish_reason)


def numbered_by_model(plan: Plan, book: Phrasebook = EMPTY_BOOK) -> set[str]:
    """The groups a model is asked to list 一是…二是…: as the composer chooses them (compose.numbered), for a
    draft as long as the model's elaboration makes it."""
    facts = sum(len(squash(b.text)) for s in plan.sections for b in s.bullets)
    return numbered(plan, book, extra_chars=round((ELABORATION - 1) * facts))


def section_title(section: Section, parts: Any) -> str:
    """How the prompt names the section being drafted."""
    if section.part == Part.MAIN_WORK:
        return str(parts.render("title.main_work", heading=section.heading))
    return str(parts.render(f"title.{section.id}"))


def call_record(section: Section, attempt: int, prompts: dict[str, str], messages: list[Message], reply: Reply,
                max_tokens: int | None = None, temperature: float | None = None) -> dict[str, Any]:
    return {"section": section.id, "attempt": attempt, "prompt_sha256": prompts, "model": reply.model,
            "max_tokens": max_tokens, "temperature": temperature, "messages": messages, "reply": reply.text,
            "finish_reason": reply.finish_reason, "usage": reply.usage, "seconds": round(reply.seconds, 3)}
