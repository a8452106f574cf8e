"""The fact lock: every number in a draft comes from the facts, and every fact shows up in it.

- **invented_number**: every number in the draft must come from the facts (normalised, so 十二次
  matches 12次 and 1.2万 matches 12000); fixed terms and ordinals are not numbers (see numbers.py).
- **missing_number** / **missing_term** / **missing_fact**: every bullet of the section must show up:
  all its numbers, every quoted term (“…”「…」《…》) verbatim, and most of its wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ...text import bigrams, quoted_terms, share
from ..outline.facts import Bullet, Facts
from .numbers import Number, find_numbers
from .violations import Violation, violation

WORDING_SHARE = 0.7  # share of a bullet's character bigrams the section must contain


def number_keys(texts: Iterable[str]) -> set[tuple[Any, bool]]:
    return {n.key for text in texts for n in find_numbers(text)}


def allowed_numbers(facts: Facts, title: str) -> set[tuple[Any, bool]]:
    """The numbers a draft may use: those in the facts, the unit, role, superior and title, the year and the
    next (「展望2025年」, 「2025年，我将…」: a plan's year, no fact)."""
    following = [f"{int(facts.year) + 1}年"] if facts.year.isdigit() else []
    return number_keys([*(b.text for b in facts.bullets_all()), facts.unit, facts.role, facts.superior, title,
                        f"{facts.year}年", *following])


def invented_number_violations(draft: str, allowed: set[tuple[Any, bool]]) -> list[Violation]:
    return [violation("invented_number", n.text)
            for n in find_numbers(draft) if n.key not in allowed]


def covers_wording(fact: str, text: str | set[str]) -> bool:
    """Whether a text (or its character bigrams) states a fact: holds most of its wording (Chinese has no
    spaces, so wording is its character bigrams). The fact lock, the reader's checks and the reply fixes
    all judge "this states the fact" by this."""
    return share(fact, text) >= WORDING_SHARE


def missing_facts(draft: str, bullets: Sequence[Bullet]) -> list[Violation]:
    """Bullets whose numbers, quoted terms or wording the draft lacks."""
    have = {n.key for n in find_numbers(draft)}
    draft_bigrams = bigrams(draft)
    found: list[Violation] = []
    for bullet in bullets:
        numbers: list[Number] = find_numbers(bullet.text)
        for n in numbers:
            if n.key not in have:
                found.append(violation("missing_number", n.text, fact=bullet.text))
        for term in quoted_terms(bullet.text):
            if term not in draft:
                found.append(violation("missing_term", term, fact=bullet.text))
        if not covers_wording(bullet.text, draft_bigrams):
            found.append(violation("missing_fact", bullet.text, fact=bullet.text))
    return found
