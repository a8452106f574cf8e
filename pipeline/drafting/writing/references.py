"""The style references a section prompt carries: example chunks made safe to show and worth learning from.

Example reports are untrusted input and other units' property, so what a prompt shows of them is chosen:

- ``patterns``, another unit's chunk: its sentences as they stand, with what is that unit's masked: its
  names, its numbers, the names it quotes, and every run of words the genre does not share (bigrams that
  fewer than three reports use) → ××. What is left is the genre's wording in a real report's sentence
  structure: 「一是建立××目标责任制。年初，召开党组会议X次，专题研究××。」. Nothing in it is a fact to copy.
- ``patterns``, the house's own chunk (the user's earlier report): its paragraph as written, with its numbers
  and the names it quotes masked: last year's figures and names are no facts of this year, while its
  wording is the user's own to reuse.
- ``raw``: the chunk as it is (to compare against, not to ship).
- Sized to the endpoint: a model on this machine (a loopback address) gets ``LOCAL`` references of
  ``LOCAL.chars`` characters at most (a 1.5B model echoes a long prompt and slows down on one, measured:
  ../shared/real-model/README.md); a model elsewhere, a capable API model, gets all of them, fuller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...corpus.retrieve import Hit
from ...genre import CN_DIGITS, UNIVERSAL_NAMES
from ...text import HAN_RUN
from ..outline.naming import unit_names

MASK = "××"
NUMBERISH = re.compile(
    r"[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿]{2,}(?=[个名次人项场期家户元篇份条所])")
_QUOTED = re.compile(r"“[^”]{1,30}”|《[^》]{1,60}》|「[^」]{1,30}」")
_NUMERALS = frozenset(CN_DIGITS)  # （一）、一是: the numbering is the structure


@dataclass(frozen=True)
class Size:
    count: int  # references a section prompt carries at most
    chars: int  # characters each, cut at a sentence's end


LOCAL = Size(2, 160)
FULL = Size(4, 700)


def size_for(local: bool) -> Size:
    return LOCAL if local else FULL


def is_house(hit: Hit) -> bool:
    return bool(hit.metadata.get("house"))


def reference_text(hit: Hit, mode: str, wording: frozenset[str], size: Size) -> str:
    """What a prompt shows of one example chunk (``mode``: patterns or raw)."""
    if mode == "raw":
        return cut(hit.text, size.chars)
    masked = _masked_names(hit.text, str(hit.metadata.get("unit", "")))
    return cut(masked if is_house(hit) else genre_only(masked, wording), size.chars)


def references(hits: Iterable[Hit], mode: str, wording: frozenset[str], size: Size) -> list[tuple[bool, str]]:
    """(whether it is the house's, its text): the house's chunks first, then other units', ``size.count`` at
    most."""
    ordered = sorted(hits, key=lambda h: not is_house(h))[:size.count]
    return [(is_house(h), text) for h in ordered if (text := reference_text(h, mode, wording, size))]


def _masked_names(text: str, unit: str) -> str:
    """The unit's names (本单位), its numbers (X) and the names it quotes (“××”)."""
    for name in unit_names([unit]) if unit else []:  # every name the leak guard would reject
        text = text.replace(name, "本单位")
    text = NUMBERISH.sub("X", text)
    return _QUOTED.sub(lambda m: m.group(0) if m.group(0)[1:-1] in UNIVERSAL_NAMES
                       else f"{m.group(0)[0]}{MASK}{m.group(0)[-1]}", text)


def genre_only(text: str, wording: frozenset[str]) -> str:
    """Each run of Chinese words kept where the genre shares it (a character in a bigram of ``wording``),
    masked where it does not: the sentence's structure and stock words stay, its specifics go."""
    def run(found: re.Match[str]) -> str:
        chars = found.group(0)
        after_x = found.start() > 0 and found.string[found.start() - 1] == "X"  # 「X次」: the measure word stays
        keep = [(i > 0 and chars[i - 1:i + 1] in wording) or chars[i:i + 2] in wording or chars[i] in _NUMERALS
                or (i == 0 and after_x) for i in range(len(chars))]
        out, masked = [], False
        for ch, kept in zip(chars, keep, strict=True):
            if kept:
                out.append(ch)
            elif not masked:
                out.append(MASK)
            masked = not kept
        return "".join(out)

    return re.sub(f"(?:{MASK})+", MASK, HAN_RUN.sub(run, text))


def cut(text: str, chars: int) -> str:
    """``text`` to its last whole sentence within ``chars`` characters (the first sentence, cut, if none)."""
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    head = text[:chars]
    end = max(head.rfind(c) for c in "。；！？")
    return head[:end + 1] if end > 0 else head.rstrip("，、；：") + "……"
