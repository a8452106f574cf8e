"""Gates on what a run shipped, section by section: what a reader rejects, and what was not checked.

They read the run folder (``runs/<case>/``: facts.md and sections/), so a re-score applies today's
checks to the saved sections. Gates of the draft only: a real report has no sections to read.

- ``form_defects``: the form guard's slips in the shipped sections (echoed labels, Markdown, talk
  about the task, letter forms, another part's heading, …), the reader's rules below apart;
- the reader's rules (checks/reader.py), each its own gate: ``organ_twice`` (title included),
  ``fact_twice``, ``cut_paragraphs``, ``two_leads``, ``unfitting_leads``, and ``repeated_clauses``
  (a clause said in two sections of the draft);
- ``unsupported_claims``: claims the facts do not hold that their section rejects, of every kind
  (checks/claims.py), per 1,000 characters of body;
- ``unverified``: what ships for the reader to check (待核实), per 1,000 characters: counted, not
  failed, and compared between a model and the composer.
"""

from __future__ import annotations

from pathlib import Path

from ..drafting.checks.claims import OtherUnits
from ..drafting.checks.form import form_violations
from ..drafting.checks.reader import (
    cut_paragraphs,
    fact_twice,
    organ_twice,
    repeated_clauses,
    two_leads,
    unfitting_lead,
)
from ..drafting.checks.trace import claims, trace_section, unverified
from ..drafting.writing.compose import compose
from ..drafting.writing.phrases import Phrasebook
from ..text import squash
from .casework import read_case_run
from .metric import SHIPPED_GATES, metric
from .metrics import Score


def shipped_scores(run: Path, book: Phrasebook, others: OtherUnits | None = None) -> list[Score]:
    """The shipped-text gates of one run folder; none if it has no sections to read. ``book`` is the
    phrasebook the draft was composed with, so the composer's prose is known for what it is;
    ``others``: the other units' reports of the corpus it was drafted from."""
    case = read_case_run(run, run.name)
    if case is None or not case.sections:
        return []
    plan = case.plan
    own = "\n".join([*(b.text for b in case.facts.bullets_all()), book.house.wording()])
    texts = {s.id: s.text for s in case.sections}
    found: dict[str, list[str]] = {name: [] for name in SHIPPED_GATES}
    found["organ_twice"] = [v.text for v in organ_twice(plan.title)]
    for section in plan.sections:
        text = texts.get(section.id, "")
        said = f"[{section.id}] "
        found["form_defects"] += [said + v.detail for v in form_violations(text, section, plan, own_words=own,
                                                                            reader=False)]
        for name, faults in (("organ_twice", organ_twice(text)), ("fact_twice", fact_twice(text, section)),
                             ("cut_paragraphs", cut_paragraphs(text)), ("two_leads", two_leads(text, section)),
                             ("unfitting_leads", unfitting_lead(text, section))):
            found[name] += [said + v.text for v in faults]
        traced = trace_section(text, section, plan, compose(plan, section, book), others, book.wording)
        found["unsupported_claims"] += [f"{said}{c.kind}: {c.clause}" for c in claims(traced)]
        found["unverified"] += [said + clause for clause in unverified(traced)]
    found["repeated_clauses"] = repeated_clauses(texts.values(), own)
    chars = sum(len(squash(t)) for t in texts.values()) or 1
    return [Score(name, 1000 * len(items) / chars if metric(name).per_1000 else float(len(items)), items)
            for name, items in found.items()]
