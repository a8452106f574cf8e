"""Fakes at the model boundary: an in-process chat model, and a well-behaved model's replies.

``FakeChatModel`` stands where ``OpenAIChatModel`` stands (like simonw/llm's ``MockModel``): replies are
queued with :meth:`enqueue` or made by a responder, and every call is kept in :attr:`history`. The HTTP
stub (stub_openai.py) stays for the fault suite, which needs a real client over a real socket.

A responder knows which section a request asks for by the section's title as the package itself
renders it (prompts/section_parts.txt), never by parsing the prompt's wording.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.drafting.facts import parse_facts
from pipeline.drafting.llm_writer import section_title
from pipeline.drafting.plan import Section, make_plan
from pipeline.genre import CAUSES, Part
from pipeline.llm.chat import Message, Reply
from pipeline.llm.prompts import load_snippets

Responder = Callable[[Sequence[Message]], str]


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
            text = self.respond(messages)
        else:
            raise AssertionError("FakeChatModel: no reply queued")
        return Reply(text, self.model, {"prompt_tokens": 1, "completion_tokens": 1})


def faithful_text(section: Section) -> str:
    """What a well-behaved model writes: the section's facts in the genre's shape, and nothing else."""
    text = "；".join(b.text for b in section.bullets) + "。" if section.bullets else "按照要求认真抓好各项工作。"
    if section.part == Part.OPENING:
        return "一年来，我认真履行党建工作第一责任人职责。现将有关情况述职如下："
    if section.part == Part.CLOSING:
        return "今后，我将进一步提高政治站位，推动各项工作落到实处。"
    if section.id == CAUSES:
        return "究其原因，" + text
    if section.part == Part.MAIN_WORK:
        return f"{section.heading}\n{text}"
    return text


def asked_section(facts_text: str, messages: Sequence[Message]) -> Section:
    """The section of this facts file's plan that a drafting request asks for."""
    parts = load_snippets("section_parts")
    user = messages[1]["content"] if len(messages) > 1 else messages[0]["content"]
    for section in make_plan(parse_facts(facts_text, Path("facts.md"))).sections:
        if section_title(section, parts) in user:
            return section
    raise AssertionError("the request names no section of the plan")


def faithful_responder(facts_text: str) -> Responder:
    return lambda messages: faithful_text(asked_section(facts_text, messages))
