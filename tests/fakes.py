"""Fakes at the model boundary: an in-process chat model, and a well-behaved model's replies.

``FakeChatModel`` stands where ``OpenAIChatModel`` stands (like simonw/llm's ``MockModel``): replies are
queued with :meth:`enqueue` or made by a responder, and every call is kept in :attr:`history`. The HTTP
stub (stub_openai.py) stays for the fault suite, which needs a real client over a real socket.

A responder knows which section a request asks for by what the package itself renders into it (the
section's facts, or its instruction from prompts/section_parts.txt), never by parsing the prompt's wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.drafting.outline.facts import parse_facts
from pipeline.drafting.outline.plan import Section, make_plan
from pipeline.drafting.writing.model_writer import TOKENS_PER_CHAR, SectionPrompt, facts_of
from pipeline.genre import CAUSES, Part
from pipeline.llm.chat import Message, Reply

Responder = Callable[[Sequence[Message], int | None], str]


class FakeChatModel:
    model = "fake-model"
    endpoint = "fake://in-process"

    def __init__(self, respond: Responder | None = None) -> None:
        self.queue: list[str] = []
        self.respond = respond
        self.history: list[dict[str, Any]] = []

    def enqueue(self, *replies: str) -> FakeChatModel:
        self.queue.extend(replies)
        return self

    def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None,
                 temperature: float | None = None) -> Reply:
        self.history.append({"messages": list(messages), "max_tokens": max_tokens, "temperature": temperature})
        if self.queue:
            text = self.queue.pop(0)
        elif self.respond is not None:
            text = self.respond(messages, max_tokens)
        else:
            raise AssertionError("FakeChatModel: no reply queued")
        return Reply(text, self.model, {"prompt_tokens": 1, "completion_tokens": 1})

    def parallel_slots(self) -> int | None:
        return None  # an in-process fake says nothing of a server's slots


# Connective clauses a well-behaved model adds to reach the length asked: they claim nothing.
# Genre prose that claims nothing: no result, no act, no honour (what the claims trace rejects).
PADDING = ("始终把责任扛在肩上", "坚持高标准、严要求", "一以贯之、久久为功", "坚持问题导向",
           "以上率下、以身作则", "一级抓一级、层层抓落实", "坚持守正创新", "做到心中有数")


def faithful_text(section: Section, length: int = 0) -> str:
    """What a well-behaved model writes: the section's facts in the genre's shape, and connective
    prose up to ``length`` characters, and nothing else."""
    items = [b.text for b in section.bullets]
    padding = iter(PADDING)
    while items and sum(map(len, items)) + 3 * len(items) < length and (extra := next(padding, None)):
        shortest = min(range(len(items)), key=lambda i: len(items[i]))
        items[shortest] = f"{items[shortest]}，{extra}"
    text = "；".join(items) + "。" if items else "按照要求认真抓好各项工作。"
    if section.part == Part.OPENING:
        return "一年来，我认真履行党建工作第一责任人职责。现将有关情况述职如下："
    if section.part == Part.CLOSING:
        return "今后，我将进一步提高政治站位，推动各项工作落到实处。"
    if section.id == CAUSES:
        return "究其原因，" + text
    if section.part == Part.MAIN_WORK:
        return f"{section.heading}\n{text}"
    return text


def length_asked(max_tokens: int | None) -> int:
    """The length a request asks for, from its token cap (the writer caps at 1.6 × the length asked)."""
    return 0 if not max_tokens else round((max_tokens - 16) / TOKENS_PER_CHAR / 1.6 * 0.8)


def asked_section(facts_text: str, messages: Sequence[Message]) -> Section:
    """The section of this facts file's plan that a drafting request asks for: the one whose facts it
    lists (no prompt shows another section's facts), or, for a section without facts, whose
    instruction it gives, as the package renders them."""
    prompt = SectionPrompt()
    user = messages[1]["content"] if len(messages) > 1 else messages[0]["content"]
    plan = make_plan(parse_facts(facts_text, Path("facts.md")))
    for section in plan.sections:
        asked = (all(fact in user for fact in facts_of(section)) if section.bullets
                 else prompt.instruction(section, plan) in user)
        if asked:
            return section
    raise AssertionError("the request names no section of the plan")


def faithful_responder(facts_text: str) -> Callable[[Sequence[Message], int | None], str]:
    """A well-behaved model's replies to requests for this facts file's sections."""
    return lambda messages, max_tokens=None: faithful_text(asked_section(facts_text, messages),
                                                           length_asked(max_tokens))
