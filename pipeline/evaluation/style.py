"""The style measure (issue 24): how near a draft's style is to the real report it was held out from, in
what a reader hears. Five components, each in [0, 1], where 1 is the real report's own style, and
``style``, the mean of those the real report gives something to measure against. The ``real_vs_real``
system scores each other real report the same way, which gives the band real writers fall in.

- ``formula_reuse``: the real report's formulas, in the slots the house miner reads (house.py: the
  opening's last sentence, the problems' lead, the causes' words before their colon, the closing's first
  clause and last sentence; its subheading and transition templates where it has them), and how much
  of each the draft says in the same place. A sentence slot scores the Dice overlap of the two
  sentences' character bigrams; a template, the share of the draft's lines that fit it. Only the slots
  the real report fills with a formula (no number but its year) count. Not ``mine_house([reference,
  draft])``: its agreement is exact, so a slot scores all or nothing (one word changed, or another year's
  figure, and a reused sentence counts for none), and it mines templates from both texts' lines pooled,
  so a draft of one subheading is credited with the reference's pattern it does not follow. A real
  report with no formula (on the bundled five: 002, which names no year) gives no score.
- ``heading_match``: the share of the real report's 一、 headings the draft has word for word, averaged
  with the share of the draft's main-work subheadings in the real report's pattern: its template where
  it has one, else its form (two halves joined by ， or one phrase).
- ``marker_in_band``: 1 when the draft's genre_marker_rate is inside the band of the example reports
  (lowest to highest: for a draft, the reports it could draw on; for another real report, the rest),
  falling linearly to 0 one band-width outside.
- ``frame_repeats``: 1 ÷ (1 + n), n the clauses of 6 Han characters or more, not the facts' own
  wording, that the draft says twice or more (checks/reader.py finds them).
- ``profile``: the character profile (style_delta, cosine Burrows' Delta, 0 to 2) as a closeness,
  1 − delta ÷ 2. Not max(0, 1 − delta): on the bundled five reports every real pair is at delta 1.10 to
  1.40 (z-scores of five texts against their own mean are anti-correlated, −1 ÷ (n − 1) on average), so
  that mapping puts every real report at 0 and leaves no band; this one keeps the order and the band
  (about 0.3 to 0.45 for real reports there).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from ..corpus.split import SplitReport, split_or_none
from ..drafting.checks.reader import repeated_clauses
from ..drafting.writing.house import (
    formula_slots,
    part_headings,
    slots,
    subheadings,
    subsection_leads,
    template,
    years,
)
from ..genre import genre_marker_rate
from ..text import bigrams, sentences, squash
from .metric import STYLE_PARTS
from .metrics import Score, StyleSpace

COMPONENTS = STYLE_PARTS  # the metric table says which they are
STYLE = "style"
STYLE_METRICS = (STYLE, *COMPONENTS)
FRAME_MIN = 6  # Han characters: 「确保落地见效」, a rotating tail a reader hears said again
_HAN = re.compile(r"[\u4e00-\u9fff]")


def style_scores(candidate: str, reference: str, own_words: str, examples: Sequence[str],
                 space: StyleSpace) -> list[Score]:
    """The five components and their mean, for ``candidate`` against ``reference``; ``examples``: the
    reports whose marker rates make the band; ``own_words``: the facts, whose wording may be said twice."""
    ours, theirs = split_or_none(candidate), split_or_none(reference)
    scored = [formula_reuse(ours, theirs), heading_match(candidate, reference, ours, theirs),
              marker_in_band(candidate, examples), frame_repeats(candidate, own_words),
              profile(space.delta(candidate, reference))]
    scores = [s for s in scored if s is not None]
    return [Score(STYLE, statistics.fmean(s.value for s in scores)), *scores]


def dice(a: str, b: str) -> float:
    """The overlap of two texts' character bigrams: 2|A∩B| ÷ (|A| + |B|)."""
    first, second = bigrams(a), bigrams(b)
    return 2 * len(first & second) / (len(first) + len(second)) if first or second else 0.0


def _fitting(shape: tuple[str, ...], lines: Sequence[str]) -> float:
    return sum(bool(slots(shape, line)) for line in lines) / len(lines) if lines else 0.0


def formula_reuse(draft: SplitReport | None, real: SplitReport | None) -> Score | None:
    """Each of the real report's formulas against what the draft says in its slot; their mean. None where
    the real report has no formula (nothing to reuse is no score, not a 0 or a 1 for every system)."""
    if real is None:
        return None
    said = formula_slots(draft) if draft else {}
    found = {slot: dice(text, said.get(slot, "")) for slot, text in formula_slots(real).items()
             if years(text, real.year)}
    for name, lines in (("subheading", subheadings), ("transition", subsection_leads)):
        if shape := template(lines(real)):
            found[name] = _fitting(shape, lines(draft) if draft else [])
    if not found:
        return None
    return Score("formula_reuse", statistics.fmean(found.values()), {k: round(v, 3) for k, v in found.items()})


def _bare(heading: str) -> str:
    return squash(heading).rstrip("：:。")


def _two_halves(line: str) -> bool:
    return "，" in line or "," in line


def heading_match(draft_text: str, real_text: str, draft: SplitReport | None, real: SplitReport | None) -> Score:
    """The real report's 一、 headings the draft has, and the draft's subheadings in its pattern."""
    theirs, ours = part_headings(real_text), part_headings(draft_text)
    found: dict[str, float] = {}
    if theirs:
        found["parts"] = sum(_bare(ours.get(p, "")) == _bare(h) for p, h in theirs.items()) / len(theirs)
    real_subs, draft_subs = subheadings(real) if real else [], subheadings(draft) if draft else []
    if shape := template(real_subs):
        found["subheadings"] = _fitting(shape, draft_subs)
    elif real_subs:
        halves = sum(map(_two_halves, real_subs)) * 2 >= len(real_subs)
        found["subheadings"] = (sum(_two_halves(s) == halves for s in draft_subs) / len(draft_subs)
                                if draft_subs else 0.0)
    else:
        found["subheadings"] = float(not draft_subs)
    return Score("heading_match", statistics.fmean(found.values()), {k: round(v, 3) for k, v in found.items()})


def in_band(value: float, low: float, high: float) -> float:
    """1 inside [low, high], falling linearly to 0 one band-width outside (a band of one value: 1 on it)."""
    width = high - low
    outside = max(low - value, value - high, 0.0)
    if not outside:
        return 1.0
    return max(0.0, 1 - outside / width) if width else 0.0


def marker_in_band(text: str, examples: Sequence[str]) -> Score | None:
    rate = genre_marker_rate(text)
    rates = [genre_marker_rate(e) for e in examples]
    if not rates:
        return None
    low, high = min(rates), max(rates)
    return Score("marker_in_band", in_band(rate, low, high),
                 {"rate": round(rate, 2), "band": [round(low, 2), round(high, 2)]})


def frame_repeats(text: str, own_words: str = "") -> Score:
    """1 ÷ (1 + the clauses of FRAME_MIN Han characters or more said twice or more, the facts' aside)."""
    again = [c for c in repeated_clauses(sentences(text), own_words, least=FRAME_MIN)
             if len(_HAN.findall(c)) >= FRAME_MIN]
    return Score("frame_repeats", 1 / (1 + len(again)), again)


def profile(delta: float) -> Score:
    """style_delta (0 to 2) as a closeness: 1 − delta ÷ 2 (see the module's docstring for why)."""
    return Score("profile", min(1.0, max(0.0, 1 - delta / 2)), round(delta, 3))
