"""Text helpers every stage shares: character bigrams, whitespace squashed out, quoted terms.

Chinese has no spaces between words, so wording is compared by character bigrams (the units meaning is
carried by), and a text's characters are compared with its whitespace squashed out.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"“([^”]{2,40})”|「([^」]{2,40})」|《([^》]{2,40})》|‘([^’]{2,40})’|\"([^\"]{2,40})\"")


def quoted_terms(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def bigrams(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}


def squash(text: str) -> str:
    """``text`` without whitespace."""
    return re.sub(r"\s+", "", text)


# A sentence ends at 。！？； (and their ASCII forms) or a line break; a clause at ，： inside one; an item
# at 、 inside a clause (「中央和省、市的规定」 is one clause of two items). The trace judges clauses by
# this split, and the reply fixes cut them by it.
SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
CLAUSE_BREAK = re.compile(r"[，,：:]")
_SENTENCE_MARKS = " 。！？；!?;"


def sentences(text: str) -> list[str]:
    """``text``'s sentences, each with its closing mark."""
    return SENTENCE.findall(text)


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses, without their marks."""
    return [c for c in (part.strip(_SENTENCE_MARKS) for part in CLAUSE_BREAK.split(sentence)) if c]


def clause_pieces(sentence: str) -> list[str]:
    """A sentence's clauses, each with the mark after it: joined, they give the sentence back."""
    return [piece for piece in re.split(r"(?<=[，,：:])", sentence) if piece]


def items(clause: str) -> list[str]:
    """A clause's items, listed with 、."""
    return [item for item in (part.strip() for part in clause.split("、")) if item]


def share(part: str | set[str], whole: str | set[str], *, empty: float = 1.0) -> float:
    """The share of ``part``'s character bigrams found in ``whole``: how much of a fact's wording a text
    states. ``empty`` is the share of a part with no bigrams (nothing to find). Each caller names the
    share it needs."""
    wanted = part if isinstance(part, set) else bigrams(part)
    if not wanted:
        return empty
    have = whole if isinstance(whole, set) else bigrams(whole)
    return len(wanted & have) / len(wanted)
