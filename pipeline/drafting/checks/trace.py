"""The claims trace: every sentence of a section traced to the facts it carries, or found to claim
something the facts do not hold; and the reader's ledger of what ships.

The fact lock catches an invented number; this catches the rest a reader checks (claims.py): a
political statement, an honour, a post or a person, another unit's specifics, a frequency, a document,
an event, an action, a result. Each sentence is split into clauses (text.clauses: at ，and ：), and
each clause is

- **stock** (套语): the composer's own prose for the section (``stock``), or a clause with nothing
  specific in it (only the genre's connective words);
- **fact** (事实): most of its specific wording is the facts' (item by item, where it lists with 、);
- a **claim** of some kind the facts do not hold; or
- **unverified** (待核实): something specific the checks could not trace to a fact and found no claim
  in. It ships, marked for the reader (the Word file's comments, the Markdown's list, trace.json).

Which claims a section rejects is the policy below: the sections that report what was done or what is
wrong (the opening, the main work, the problems) reject every kind. Plans, causes and the closing keep
their room for intentions and self-criticism: an action, an event or a document there is an intention,
shipped as unverified; every other kind is rejected there too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ...genre import CAUSES, CAUSES_START, CLOSING_START, OPENING_END, Part
from ...text import bigrams, clauses, items, sentences, share, squash
from ..outline.plan import Plan, Section
from .claims import ClaimKind, Context, OtherUnits, claim_of
from .standing import report_year
from .wording import Known, content

REPORTING = (Part.OPENING, Part.MAIN_WORK, Part.PROBLEMS)  # they say what was done or is wrong
DONE = (Part.OPENING, Part.MAIN_WORK)  # an effect a clause opens with there is a result claimed
CARRIES_SHARE = 0.5  # share of a fact's bigrams a sentence repeats to count as carrying that fact
SHORTEST = 4  # Chinese characters: an item this short and of no claim's kind is a formula, 套语
INTENTIONS = frozenset({ClaimKind.ACTION, ClaimKind.EVENT, ClaimKind.DOCUMENT})  # room in plans, causes, closing


class Ledger(StrEnum):
    """What a sentence is, as the reader's ledger shows it."""

    FACT = "fact"  # 事实: it states facts, shown with their lines
    STOCK = "stock"  # 套语: the genre's prose, claiming nothing
    UNVERIFIED = "unverified"  # 待核实: something the checks let through but could not trace
    CLAIM = "claim"  # a claim the section rejects: cut, or asked again; it never ships


@dataclass
class Found:
    """A clause the trace could not take as the facts': a claim (``kind``, made by ``words``), or a clause
    with something specific it could not trace (no kind)."""

    clause: str
    kind: str = ""  # a ClaimKind, or "" for something specific and untraced
    words: str = ""  # the words that make the claim (a post, an honour, a frequency …)
    key: str = ""  # what to tell the model: its message in prompts/violations.txt


@dataclass
class TracedSentence:
    section: str
    text: str
    kind: Ledger
    facts: list[int] = field(default_factory=list)  # the lines of the facts file it carries
    claims: list[Found] = field(default_factory=list)  # claims the section rejects: the sentence never ships so
    unverified: list[Found] = field(default_factory=list)  # what ships for the reader to check (待核实)


def rejects(section: Section, kind: ClaimKind) -> bool:
    """Whether ``section`` rejects a claim of ``kind`` (else it ships as unverified)."""
    reporting = section.part in REPORTING and section.id != CAUSES
    return reporting or kind not in INTENTIONS


def trace_section(text: str, section: Section, plan: Plan, stock: str = "", others: OtherUnits | None = None,
                  genre: frozenset[str] = frozenset()) -> list[TracedSentence]:
    """Each sentence of ``text``: the facts it carries, the claim it makes that the section rejects, and
    the clauses it ships unverified.

    ``stock`` is genre prose known to claim nothing: the composer's own text for the section, which
    adds no fact by construction. ``others``: the other units' reports the writer was shown. ``genre``:
    the wording three or more example reports use (phrases.Phrasebook.genre).
    """
    known = Known.of(plan)
    ctx = Context(known, reporting=section.part in DONE, admits=section.part == Part.PROBLEMS,
                  role=plan.role, year=report_year(plan.year), others=others, genre=genre)
    stocked = squash(stock)
    lines = [(b.line, bigrams(b.text)) for s in plan.sections for b in s.bullets]
    traced = []
    for sentence in (s.strip() for s in sentences(text)):
        if not sentence or sentence == section.heading:
            continue
        grams = bigrams(sentence)
        facts = sorted({line for line, wording in lines if share(wording, grams, empty=0.0) >= CARRIES_SHARE})
        found = TracedSentence(section.id, sentence, Ledger.FACT if facts else Ledger.STOCK, facts)
        for clause in clauses(sentence):
            if squash(clause) in stocked or _formula(clause):
                continue
            claim = claim_of(clause, ctx)
            if claim is None:
                found.unverified += [Found(item) for item in items(clause) if _unverified(item, known, genre)]
            else:
                (found.claims if rejects(section, claim[0]) else found.unverified).append(Found(clause, *claim))
        if found.claims:
            found.kind = Ledger.CLAIM
        elif found.unverified:
            found.kind = Ledger.UNVERIFIED
        traced.append(found)
    return traced


def _formula(clause: str) -> bool:
    """The genre's fixed formulas (「现将……述职如下：」, 「究其原因」, 「今后」): the genre's, whoever writes them."""
    bare = clause.strip()
    return bool(OPENING_END.search(bare + "：") or CAUSES_START.match(bare) or CLOSING_START.fullmatch(bare))


def _unverified(item: str, known: Known, genre: frozenset[str]) -> bool:
    """Something specific the facts do not say: not the facts' wording, not only the genre's, and long
    enough to say anything (「总之」, 「以身作则」 say nothing a reader could check)."""
    return len(re.findall(r"[\u4e00-\u9fff]", item)) > SHORTEST and not known.traced(item) \
        and not content(item) <= genre | known.all


def claims(traced: Iterable[TracedSentence]) -> list[Found]:
    """The claims the section rejects, in order."""
    return [claim for t in traced for claim in t.claims]


def unverified(traced: Iterable[TracedSentence]) -> list[str]:
    """The clauses that ship unverified (待核实), in order."""
    return [u.clause for t in traced if t.kind != Ledger.CLAIM for u in t.unverified]
