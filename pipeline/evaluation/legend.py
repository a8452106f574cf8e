"""The words around the metrics, for report.html, the comparison with a baseline run and the terminal:
what each system is, what each ``better`` direction means, and whether a change is for the better.
What each metric means is its record's (metric.py)."""

from __future__ import annotations

from .metric import metric as record

BETTER_WORDS = {"higher": "higher is better", "lower": "lower is better",
                "band": "closer to real reports is better", "count": "counted"}

SYSTEM_MEANINGS: dict[str, str] = {
    "draft": "the draft this run made for each case, with the case's own report held out of retrieval",
    "real_vs_real": "each other real report, scored against the held-out one: the band human writers fall "
                    "in (its gates count another unit's facts as missing and its figures as invented)",
    "copy": "the nearest example report pasted in as it is: what copying scores",
    "composer": "the offline composer's draft of the same case (scored when a model drafted): what the model "
                "adds to it, or costs",
}
SYSTEM_NAMES = {"draft": "draft", "composer": "composer", "real_vs_real": "real vs real", "copy": "copy"}


def system_label(system: str, writer: str = "") -> str:
    """A system as a reader sees it: 「draft (qwen-1.5b, style refs patterns)」, 「real vs real」."""
    return SYSTEM_NAMES[system] + (f" ({writer})" if system == "draft" and writer else "")

def change(metric: str, old: float, new: float, band: float | None) -> str:
    """``better``, ``worse``, ``changed`` (a count) or ``same``: what a move from ``old`` to ``new`` means
    for ``metric`` (``band``: the real_vs_real mean, for metrics that are better closer to it)."""
    if abs(new - old) < 5e-4:
        return "same"
    better = record(metric).better
    if better == "higher":
        return "better" if new > old else "worse"
    if better == "lower":
        return "better" if new < old else "worse"
    if better == "band" and band is not None:
        return "better" if abs(new - band) < abs(old - band) else "worse"
    return "changed"
