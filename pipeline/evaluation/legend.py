"""What each metric and each system means, in one sentence for the person choosing a model, and which
way is better: the one home of these words, for report.html, the comparison with a baseline run and
the terminal.

``better`` is ``higher``, ``lower``, ``band`` (closer to where real reports fall against each other,
the ``real_vs_real`` mean) or ``count`` (counted, not better either way).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Meaning:
    says: str
    better: str  # higher | lower | band | count


MODEL_SHARE = "model_written_share"  # not a scored metric: read off the run folders, for comparing runs

METRICS: dict[str, Meaning] = {
    "invented_numbers": Meaning("Numbers in the draft that the facts do not hold: each is a made-up figure.", "lower"),
    "fact_recall": Meaning("Share of the facts' bullets the draft states, with all their numbers and most of "
                           "their wording, in one paragraph.", "higher"),
    "quoted_term_recall": Meaning("Share of the names the facts quote (“…”《…》) that the draft carries word "
                                  "for word.", "higher"),
    "parts_present": Meaning("1 when the title, the opening, 一、二、三、 and the closing are all there, "
                             "in order.", "higher"),
    "heading_conformance": Meaning("1 when the headings step 一、→（一）→1.→（1） with no level skipped and "
                                   "no number out of sequence.", "higher"),
    "placeholders": Meaning("【待补】 gaps left for the user: the honest answer where the facts lack "
                            "something, so counted, not failed.", "count"),
    "form_defects": Meaning("Faults of form in the shipped sections: echoed prompt labels, Markdown, talk "
                            "about the task, salutations, a repeated heading.", "lower"),
    "unsupported_claims": Meaning("Clauses claiming an action, a result, a post or a congress the facts do "
                                  "not hold, per 1,000 characters; the checks find about half of them.", "lower"),
    "length_ratio": Meaning("The draft's length over the real report's.", "band"),
    "rouge_l": Meaning("Longest character sequence shared with the real report (F1): how much of its "
                       "wording, in order, the draft has.", "higher"),
    "chrf": Meaning("Character n-gram F-score against the real report: shared phrasing, in any order.",
                    "higher"),
    "style_delta": Meaning("Distance between the draft's and the real report's character-frequency "
                           "profiles (cosine Burrows' Delta): 0 is the same style.", "lower"),
    "genre_marker_rate": Meaning("Stock genre words (一是, 坚持, 扎实, 进一步 …) per 1,000 characters; "
                                 "far above real reports reads as boilerplate.", "band"),
    "max_copied_span": Meaning("The longest run of characters found in another unit's example report: a "
                               "long run is a copied sentence.", "lower"),
    MODEL_SHARE: Meaning("Share of the shipped sections the model wrote, at the first reply or asked again; "
                         "the rest are the offline composer's.", "higher"),
    "judge": Meaning("An LLM judge's preference for the draft over the real report, asked in both orders "
                     "(1 win, 0.5 tie, 0 loss).", "higher"),
}

BETTER_WORDS = {"higher": "higher is better", "lower": "lower is better",
                "band": "closer to real reports is better", "count": "counted"}

SYSTEM_MEANINGS: dict[str, str] = {
    "draft": "the draft this run made for each case, with the case's own report held out of retrieval",
    "real_vs_real": "each other real report, scored against the held-out one: the band human writers fall "
                    "in (its gates count another unit's facts as missing and its figures as invented)",
    "copy": "the nearest example report pasted in as it is: what copying scores",
}
SYSTEM_NAMES = {"draft": "draft", "real_vs_real": "real vs real", "copy": "copy"}


def system_label(system: str, writer: str = "") -> str:
    """A system as a reader sees it: 「draft (qwen-1.5b, style refs patterns)」, 「real vs real」."""
    return SYSTEM_NAMES[system] + (f" ({writer})" if system == "draft" and writer else "")

# What the offline composer passes by construction: it states each fact in the user's words and writes
# no number of its own, so these gates test a model, not it.
BY_CONSTRUCTION = ("invented_numbers", "fact_recall", "quoted_term_recall")


def meaning(metric: str) -> Meaning:
    return METRICS.get(metric, Meaning("", "count"))


def change(metric: str, old: float, new: float, band: float | None) -> str:
    """``better``, ``worse``, ``changed`` (a count) or ``same``: what a move from ``old`` to ``new`` means
    for ``metric`` (``band``: the real_vs_real mean, for metrics that are better closer to it)."""
    if abs(new - old) < 5e-4:
        return "same"
    better = meaning(metric).better
    if better == "higher":
        return "better" if new > old else "worse"
    if better == "lower":
        return "better" if new < old else "worse"
    if better == "band" and band is not None:
        return "better" if abs(new - band) < abs(old - band) else "worse"
    return "changed"
