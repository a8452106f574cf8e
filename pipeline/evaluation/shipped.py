"""Gates on what a run shipped, section by section: the form guard's defects and unsupported claims.

They read the run folder (``runs/<case>/``: facts.md and sections/), so a re-score applies today's
guard to the saved sections. Gates of the draft only: a real report has no sections to read.

- ``form_defects``: form-guard violations in the shipped sections (must be 0);
- ``unsupported_claims``: clauses claiming what the facts do not hold (guard.claim_violations: an
  action or result, a post, a congress not yet held), per 1,000 characters of body (must be 0).
"""

from __future__ import annotations

from pathlib import Path

from ..drafting.checks.form import form_violations
from ..drafting.checks.section import claim_violations
from ..drafting.writing.compose import compose
from ..drafting.writing.phrases import Phrasebook
from ..text import squash
from .casework import read_case_run
from .metrics import Score


def shipped_scores(run: Path, book: Phrasebook) -> list[Score]:
    """The shipped-text gates of one run folder; none if it has no sections to read. ``book`` is the
    phrasebook the draft was composed with, so the composer's prose is known for what it is."""
    case = read_case_run(run, run.name)
    if case is None or not case.sections:
        return []
    plan = case.plan
    own = "\n".join(b.text for b in case.facts.bullets_all())
    texts = {s.id: s.text for s in case.sections}
    defects: list[str] = []
    found: list[str] = []
    for section in plan.sections:
        text = texts.get(section.id, "")
        defects += [f"[{section.id}] {v.detail}" for v in form_violations(text, section, plan, own_words=own)]
        stock = compose(plan, section, book)
        found += [f"[{section.id}] {v.text}" for v in claim_violations(text, section, plan, stock)]
    chars = sum(len(squash(t)) for t in texts.values()) or 1
    return [Score("form_defects", float(len(defects)), defects),
            Score("unsupported_claims", 1000 * len(found) / chars, found)]
