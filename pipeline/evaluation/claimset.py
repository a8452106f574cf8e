"""How well the claims trace finds what a reader strikes, on sentences a reader labelled.

A labelled row (tests/data/claims-*.jsonl) is one sentence a model wrote for a section of a facts file,
labelled by a reader, blind to the trace: ``fact``, ``genre`` or ``claim`` with its ``kind`` (claims.py's
kinds). The trace judges the sentence in its section as the writer does (the composer's own text for
the section as stock, the corpus's other reports as the other units). Counted per sentence:

- a claim is **found** when the trace gives the sentence a claim of any kind, rejected or shipped as
  unverified (an intention in the plans), or the fact lock finds a number the facts do not hold (a
  reader's "invented figure" is the fact lock's to catch); recall is per labelled kind;
- a flag is **right** when the reader labelled the sentence a claim; precision is per group: the
  specific kinds, and results;
- **unmarked**: a labelled claim the trace neither rejects nor marks 待核实 (what would reach the page
  with nothing said), and **marked**: a sentence the reader let stand that the trace marks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.clean import clean_text
from ..drafting.checks.claims import ClaimKind, OtherUnits
from ..drafting.checks.factlock import allowed_numbers, invented_number_violations
from ..drafting.checks.trace import Ledger, trace_section
from ..drafting.outline.facts import load_facts
from ..drafting.outline.plan import Plan, make_plan
from ..drafting.writing.compose import compose
from ..drafting.writing.phrases import mine
from ..paths import bundled_corpus_dir, bundled_evals_dir

RESULT = ClaimKind.RESULT.value


@dataclass
class Scores:
    rows: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # labelled claims of each kind
    found: Counter[str] = field(default_factory=Counter)  # of those, found
    flags: Counter[str] = field(default_factory=Counter)  # sentences flagged, by group (specific, result)
    right: Counter[str] = field(default_factory=Counter)  # of those, labelled claims
    unmarked: int = 0
    marked: int = 0
    passes: int = 0  # sentences the reader let stand

    def recall(self, kinds: Iterable[str]) -> float:
        chosen = list(kinds)
        total = sum(self.by_kind[k] for k in chosen)
        return sum(self.found[k] for k in chosen) / total if total else 1.0

    def precision(self, group: str) -> float:
        return self.right[group] / self.flags[group] if self.flags[group] else 1.0

    def summary(self) -> dict[str, Any]:
        specific = [k for k in self.by_kind if k != RESULT]
        return {"sentences": self.rows, "claims": sum(self.by_kind.values()),
                "recall": {k: round(self.recall([k]), 3) for k in sorted(self.by_kind)},
                "counts": dict(sorted(self.by_kind.items())),
                "specific": {"recall": round(self.recall(specific), 3),
                             "precision": round(self.precision("specific"), 3)},
                "result": {"recall": round(self.recall([RESULT]), 3), "precision": round(self.precision(RESULT), 3)},
                "claims_unmarked": self.unmarked, "others_marked": f"{self.marked}/{self.passes}"}


class _Cases:
    """Facts files and their plans, and the other units of each case (the corpus less its source)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.plans: dict[str, tuple[Plan, OtherUnits, frozenset[str], set[tuple[Any, bool]]]] = {}
        self.corpus = {p.name: clean_text(p.read_text(encoding="utf-8")).text
                       for p in sorted(bundled_corpus_dir().glob("*.txt"))}

    def of(self, row: dict[str, Any]) -> tuple[Plan, OtherUnits, frozenset[str], set[tuple[Any, bool]]]:
        path = self.root / row["facts"] if row.get("facts") else bundled_evals_dir() / f"{row['case']}.md"
        key = str(path)
        if key not in self.plans:
            facts = load_facts(path)
            texts = [text for name, text in self.corpus.items() if name != facts.source]
            plan = make_plan(facts)
            self.plans[key] = (plan, OtherUnits(texts), mine(texts).genre, allowed_numbers(facts, plan.title))
        return self.plans[key]


def score_rows(rows: Iterable[dict[str, Any]], root: Path) -> Scores:
    cases = _Cases(root)
    scores = Scores()
    for row in rows:
        plan, others, genre, allowed = cases.of(row)
        section = plan.section(row["section"])
        traced = trace_section(row["text"], section, plan, compose(plan, section), others, genre)
        kinds = {c.kind for t in traced for c in t.claims} | {u.kind for t in traced for u in t.unverified if u.kind}
        kinds |= {"number"} if invented_number_violations(row["text"], allowed) else set()
        claim = row["label"] == "claim"
        scores.rows += 1
        if claim:
            scores.by_kind[row["kind"]] += 1
            scores.found[row["kind"]] += bool(kinds)
        for group in {RESULT if k == RESULT else "specific" for k in kinds}:
            scores.flags[group] += 1
            scores.right[group] += claim
        shown = bool(kinds) or any(t.kind in (Ledger.CLAIM, Ledger.UNVERIFIED) for t in traced)
        scores.unmarked += claim and not shown
        scores.marked += not claim and shown
        scores.passes += not claim
    return scores


def score_file(path: Path, root: Path) -> Scores:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return score_rows(rows, root)
