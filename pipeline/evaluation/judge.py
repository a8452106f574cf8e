"""The LLM judge: pairwise, the draft against the real report, in both orders, ties allowed.

Running both orders cancels a judge's preference for whichever text it reads first: the draft wins a
case only if it wins in both orders, loses only if it loses in both, and ties otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..drafting.outline.facts import Facts
from ..llm.chat import ChatModel
from ..llm.prompts import load_prompt

_VERDICT = re.compile(r"胜者\s*[:：]\s*(A|B|平)")
_REASON = re.compile(r"理由\s*[:：]\s*(.+)")


@dataclass(frozen=True)
class Judgement:
    outcome: str  # win | tie | loss (for the draft)
    value: float  # 1, 0.5, 0
    orders: list[str]  # the judge's verdict in each order, from the draft's side: win | tie | loss
    reasons: list[str]
    prompt_sha256: str  # of prompts/judge.txt, so a verdict names the prompt that asked it


def parse_verdict(reply: str) -> tuple[str, str]:
    verdict = _VERDICT.search(reply)
    reason = _REASON.search(reply)
    return (verdict.group(1) if verdict else "平"), (reason.group(1).strip() if reason else reply.strip()[:100])


def judge(chat: ChatModel, facts: Facts, draft: str, real: str) -> Judgement:
    prompt = load_prompt("judge")
    bullets = "\n".join(f"- {b.text}" for b in facts.bullets_all())
    orders, reasons = [], []
    for draft_is_a in (True, False):
        a, b = (draft, real) if draft_is_a else (real, draft)
        messages = prompt.render(unit=facts.unit, role=facts.role, year=facts.year, facts=bullets,
                                 report_a=a, report_b=b)
        reply = chat.complete(messages)
        verdict, reason = parse_verdict(reply.text)
        draft_letter = "A" if draft_is_a else "B"
        orders.append("tie" if verdict == "平" else ("win" if verdict == draft_letter else "loss"))
        reasons.append(reason)
    if orders == ["win", "win"]:
        outcome, value = "win", 1.0
    elif orders == ["loss", "loss"]:
        outcome, value = "loss", 0.0
    else:
        outcome, value = "tie", 0.5
    return Judgement(outcome, value, orders, reasons, prompt.sha256)
