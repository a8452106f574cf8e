"""Every check a section must pass before it ships, in one place.

- the fact lock (factlock.py), the leak guard (leak.py) and the genre's shape (shape.py);
- the form guard (form.py);
- the claims trace (trace.py): no sentence claims an action or result the facts do not hold, and
  none misstates who reports or when (standing.py).

The LLM writer runs it on every reply, and the composer's text (offline, or as a fallback) passes it too.
"""

from __future__ import annotations

from typing import Any

from ..outline.plan import Plan, Section
from .claims import OtherUnits
from .factlock import invented_number_violations, missing_facts
from .form import form_violations
from .leak import LeakGuard
from .shape import genre_violations
from .trace import TracedSentence, claims, trace_section
from .violations import SectionCheck, Violation, violation


def check_section(text: str, section: Section, guard: LeakGuard, allowed: set[tuple[Any, bool]], plan: Plan,
                  budget: int | None = None, own_words: str = "", stock: str = "",
                  elsewhere: frozenset[str] = frozenset(), genre: frozenset[str] = frozenset()) -> SectionCheck:
    """``budget`` is the length the writer asked for (None: no length is checked); ``own_words`` are
    the user's facts, which may contain what a form rule forbids (a quoted 「参考」, an X placeholder);
    ``stock`` is genre prose known to claim nothing (the composer's own text for the section);
    ``elsewhere`` the clauses of the other sections' frames; ``genre`` the wording the corpus shares."""
    return SectionCheck(section.id, [
        *invented_number_violations(text, allowed), *missing_facts(text, section.bullets), *guard.find(text, stock),
        *genre_violations(text, section), *form_violations(text, section, plan, budget, own_words, elsewhere),
        *claim_violations(text, section, plan, stock, others=guard.others, genre=genre)])


def claim_violations(text: str, section: Section, plan: Plan, stock: str = "",
                     traced: list[TracedSentence] | None = None, others: OtherUnits | None = None,
                     genre: frozenset[str] = frozenset()) -> list[Violation]:
    """Claims the facts do not hold that the section rejects (trace.py): the one count of unsupported
    claims, for the writer, the run's source map and the eval's gate. ``traced``: the trace of ``text``
    with ``stock``, where the caller has it already."""
    if traced is None:
        traced = trace_section(text, section, plan, stock, others, genre)
    return [violation("claim", c.clause, key=c.key, what=c.words, role=plan.role, year=plan.year)
            for c in claims(traced)]
