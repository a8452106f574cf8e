"""The leak guard: no example unit's name and no run copied from an example report in a draft.

- **leaked_name**: no unit name from an example report.
- **copied_span**: no run of ≥ 20 characters copied from one example, unless it is a stock phrase
  that at least three examples share, or the user's own facts contain it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...genre import UNIVERSAL_NAMES
from ...text import clauses, items, quoted_terms, sentences, squash
from ..outline.facts import Facts
from ..outline.naming import unit_names
from .claims import OtherUnits
from .violations import Violation, violation

COPY_WINDOW = 20
STOCK_MIN_EXAMPLES = 3


class LeakGuard:
    """Finds example units' names and runs copied from example reports in a draft."""

    def __init__(self, examples: Sequence[str], names: Iterable[str], own_words: str = "") -> None:
        texts = [squash(t) for t in examples]
        windows = [{t[i:i + COPY_WINDOW] for i in range(len(t) - COPY_WINDOW + 1)} for t in texts]
        counts: dict[str, int] = {}
        for per_example in windows:
            for w in per_example:
                counts[w] = counts.get(w, 0) + 1
        self._copyable = {w for w, c in counts.items() if c < STOCK_MIN_EXAMPLES}
        self.others = OtherUnits(examples)  # their specifics, for the claims trace
        # Text the user wrote in the facts (a document title, a quoted slogan, their own subheading) is
        # theirs to use, even where an example report has it too (often their own earlier report).
        self.own_words = own_words
        self._own_phrases = _phrases(own_words)
        self.names = [name for name in unit_names(names) if name not in own_words]

    def find(self, draft: str, stock: str = "") -> list[Violation]:
        """``stock``: the tool's own prose for the section (the composer's frame), which is nobody else's
        sentence even where a report learned from a finished draft carries it (revise --learn)."""
        found = [violation("leaked_name", name)
                 for name in self.names if name in draft]
        masked = squash(draft)
        for phrase in [*self._own_phrases, *_phrases(stock)]:
            masked = masked.replace(phrase, "|")  # no copied run can pass through the user's or the tool's words
        return found + [violation("copied_span", span)
                        for span in self._copied_spans(masked)]

    def _copied_spans(self, text: str) -> list[str]:
        spans: list[str] = []
        start = end = -1
        for i in range(len(text) - COPY_WINDOW + 1):
            if text[i:i + COPY_WINDOW] in self._copyable:
                if i > end:  # a new span
                    if start >= 0:
                        spans.append(text[start:end])
                    start = i
                end = i + COPY_WINDOW
        if start >= 0:
            spans.append(text[start:end])
        return spans


def _phrases(text: str, shortest: int = 4) -> list[str]:
    """The user's phrases: quoted terms whole, and the clauses between punctuation; longest first."""
    found = set(quoted_terms(text)) | {f"“{t}”" for t in quoted_terms(text)} | {f"《{t}》" for t in quoted_terms(text)}
    for line in text.split("\n"):
        found.update(item for s in sentences(squash(line)) for c in clauses(s) for item in items(c))
        found.add(squash(line))
    return sorted((p for p in found if len(p) >= shortest), key=len, reverse=True)


def leak_guard(shown: Sequence[tuple[str, str]], facts: Facts, house: str = "") -> LeakGuard:
    """The leak guard for a draft whose model was shown these example reports (unit, text); ``house``: the
    user's own office's formulas, one a line, theirs to say (and to say in every subsection)."""
    bullets = facts.bullets_all()
    # One fact per line, so a window never spans two facts and allows what neither contains.
    own = "\n".join([facts.unit, facts.role, facts.superior, facts.title, *(b.text for b in bullets),
                     *{b.group for b in bullets if b.group}, *UNIVERSAL_NAMES, house])
    return LeakGuard([text for _, text in shown], [unit for unit, _ in shown], own_words=own)
