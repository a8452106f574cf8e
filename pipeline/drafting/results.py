"""What drafting produces: one result per section, and the draft as a whole.

A section's ``status`` (:class:`SectionStatus`) says who wrote what ships.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..genre import placeholders
from ..text import squash
from .checks.violations import SectionCheck, Violation
from .outline.plan import Plan


class SectionStatus(StrEnum):
    """Who wrote what ships in a section; run folders record the value."""

    OK = "ok"  # the writer's first reply passed every check
    REPAIRED = "repaired"  # a later reply did
    FALLBACK = "fallback"  # no reply did: the composer's text ships, with the violations that forced it
    COMPOSED = "composed"  # the facts give the section nothing to draft: the composer's 【待补】 gap ships
    KEPT = "kept"  # gongwen revise: the user left the draft's text as it was
    LOCKED = "locked"  # gongwen revise: the user changed the text, kept byte for byte
    UNKNOWN = "unknown"  # read from a run folder of another version: a status this one does not know

    @classmethod
    def _missing_(cls, value: object) -> SectionStatus:
        return cls.UNKNOWN


@dataclass
class SectionResult:
    id: str
    text: str
    status: SectionStatus
    attempts: int
    check: SectionCheck
    flagged: list[dict[str, Any]] = field(default_factory=list)  # violations that forced a fallback
    fixes: list[str] = field(default_factory=list)  # what the normaliser changed in the reply

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "status": self.status, "attempts": self.attempts,
                "check": self.check.as_dict(), "flagged": self.flagged, "fixes": self.fixes}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SectionResult:
        check = SectionCheck(data["id"], [Violation(**v) for v in data["check"]["violations"]])
        return cls(data["id"], data["text"], SectionStatus(data["status"]), data["attempts"], check,
                   data.get("flagged", []),
                   data.get("fixes", []))


@dataclass
class DraftResult:
    run_dir: Path
    plan: Plan
    sections: list[SectionResult]
    backend: str
    model: str
    seconds: float
    notes: list[str] = field(default_factory=list)  # what the draft's reader should know: length, topics left empty
    # What the user wrote around the sections (gongwen revise): the 落款 and the 一、 headings as they left
    # them; else the 落款 comes from the facts and the headings from the house's reports or the genre.
    signature: list[str] | None = None
    headings: dict[str, str] | None = None
    # What ships unverified (待核实), by section: the clauses the checks let through but could not trace
    # to a fact. The Word file marks each; the Markdown lists them after the draft.
    unverified: dict[str, list[str]] = field(default_factory=dict)

    @property
    def unverified_count(self) -> int:
        return sum(len(clauses) for clauses in self.unverified.values())

    @property
    def unverified_rate(self) -> float:
        """待核实 per 1,000 characters of the draft's sections."""
        chars = sum(len(squash(s.text)) for s in self.sections)
        return round(1000 * self.unverified_count / chars, 2) if chars else 0.0

    @property
    def placeholders(self) -> int:
        """How many 【待补】 gaps the draft has."""
        return sum(len(placeholders(s.text)) for s in self.sections)

    @property
    def fallbacks(self) -> list[str]:
        return [s.id for s in self.sections if s.status == SectionStatus.FALLBACK]

    @property
    def checks(self) -> dict[str, Any]:
        """What ``checks.json`` holds: every section's violations, status and repair attempts."""
        return {"ok": all(r.check.ok for r in self.sections), "fallbacks": self.fallbacks,
                "sections": [{**r.check.as_dict(), "status": r.status, "attempts": r.attempts,
                              "flagged": r.flagged, "fixes": r.fixes} for r in self.sections]}
