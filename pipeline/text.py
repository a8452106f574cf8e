"""Text helpers every stage shares: character bigrams, whitespace squashed out, quoted terms.

Chinese has no spaces between words, so wording is compared by character bigrams (the units meaning is
carried by), and a text's characters are compared with its whitespace squashed out.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"“([^”]{2,40})”|「([^」]{2,40})」|《([^》]{2,40})》|‘([^’]{2,40})’|\"([^\"]{2,40})\"")


def quoted_terms(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")  # a run of Chinese characters


def bigrams(text: str) -> set[str]:
    runs = HAN_RUN.findall(text)
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}


def squash(text: str) -> str:
    """``text`` without whitespace."""
    return re.sub(r"\s+", "", text)


# A sentence ends at 。！？； (and their ASCII forms) or a line break; a clause at ，： inside one; an item
# at 、 inside a clause (「中央和省、市的规定」 is one clause of two items). The trace judges clauses by
# this split, and the reply fixes cut them by it.
_STOPS = "。！？；!?;"  # where the text is split into sentences
_LEAD_END = "：:"  # where a lead (「主要做了以下工作：」) ends
SENTENCE = re.compile(rf"[^{_STOPS}\n]+[{_STOPS}]?")
_SENTENCE_OR_LEAD = re.compile(rf"[^{_STOPS}{_LEAD_END}\n]+[{_STOPS}{_LEAD_END}]?")
SENTENCE_ENDS = _STOPS + "…"  # what ends a sentence at a paragraph's end (「……」 too: a reader takes it as said)
CLOSERS = "”’」』）)》】]"  # what may stand after a sentence's end: closing quotes and brackets
CLAUSE_BREAK = re.compile(r"[，,：:]")
_SENTENCE_MARKS = " " + _STOPS


def sentences(text: str, *, leads: bool = False) -> list[str]:
    """``text``'s sentences, each with its closing mark; with ``leads``, a lead that ends at 「：」
    (「主要做了以下工作：」) is one of its own."""
    return (_SENTENCE_OR_LEAD if leads else SENTENCE).findall(text)


def ends_sentence(text: str, *, leads: bool = False) -> bool:
    """Whether ``text`` ends a sentence (with ``leads``, a lead's 「：」 too): past its closing quotes and
    brackets, its last character is an end. 「…落实。」 and 「…“落实。”」 do, 「…树牢“四个意识”」 does not;
    an empty text leaves nothing unfinished. The reader's check and the reply fixes judge by this."""
    bare = text.rstrip(CLOSERS + " ")
    return not bare or bare[-1] in SENTENCE_ENDS + (_LEAD_END if leads else "")


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses, without their marks."""
    return [c for c in (part.strip(_SENTENCE_MARKS) for part in CLAUSE_BREAK.split(sentence)) if c]


def clause_pieces(sentence: str) -> list[str]:
    """A sentence's clauses, each with the mark after it: joined, they give the sentence back."""
    return [piece for piece in re.split(r"(?<=[，,：:])", sentence) if piece]


def fact_parts(fact: str) -> list[str]:
    """A fact that lists its parts with ；(「认识不深；问责不严」): each part."""
    return [part for part in (p.strip() for p in re.split(r"[；;]", fact)) if part]


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


# --- At the door: what the facts file and the example reports are read as ----------------------------

# Characters with no glyph: fingerprints web sites scatter through copies, word joiners, BOMs pasted in.
INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
# Full-width forms whose plain form means the same: digits, Latin letters, and the symbols with no
# Chinese use of their own. Chinese punctuation (，。：；？！（）“” …) is not here: it is the text's own,
# and NFKC would turn ， into , and （ into (.
_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULL_WIDTH |= {chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)}
_FULL_WIDTH |= {chr(0xFF41 + i): chr(ord("a") + i) for i in range(26)}
_FULL_WIDTH |= dict(zip("％＋＝＜＞＠＆＄", "%+=<>@&$", strict=True))
_PLAIN = str.maketrans(_FULL_WIDTH)
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[．／](?=\d)")  # 98．5, 1／3: a decimal point and a fraction bar
_SEPARATING_SPACE = re.compile(r"(?<=\S)\u3000+(?=\S)")


def normalise(text: str) -> str:
    """``text`` with invisible characters removed, full-width digits, letters and plain symbols in
    their ASCII forms, and an ideographic space between words made a plain one.

    Both the facts file and every example report are read through this, so 「１２次」 is 「12次」 to the
    fact lock, the index and the draft alike. Line breaks are kept, so line numbers still point right;
    a line's leading ideographic spaces (its indentation) are left for cleaning.
    """
    text = INVISIBLE.sub("", text).translate(_PLAIN)
    text = _BETWEEN_DIGITS.sub(lambda m: {"．": ".", "／": "/"}[m.group(0)], text)
    return _SEPARATING_SPACE.sub(lambda m: " " * len(m.group(0)), text)
