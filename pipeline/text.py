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
