"""What a check finds: a violation, worded for the person and the model, and a section's list of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ...llm.prompts import Snippets, load_snippets


@dataclass(frozen=True)
class Violation:
    kind: str
    detail: str  # what to tell the person and the model (prompts/violations.txt), naming the text
    text: str = ""  # the offending or missing text


@lru_cache(maxsize=1)
def _messages() -> Snippets:
    return load_snippets("violations")


def violation(kind: str, text: str = "", key: str = "", **values: object) -> Violation:
    """A violation worded by prompts/violations.txt (``key`` defaults to ``kind``)."""
    messages = _messages()
    name = key or kind
    wanted = messages.variables(name)
    given = {"text": text, **values}
    return Violation(kind, messages.render(name, **{k: v for k, v in given.items() if k in wanted}), text)


@dataclass
class SectionCheck:
    section: str
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "ok": self.ok, "violations": [asdict(v) for v in self.violations]}
