"""The words around the metrics, for report.html, the comparison with a baseline run and the terminal:
what each system is, what each ``better`` direction means, and whether a change is for the better.
What each metric means is its record's (metric.py)."""

from __future__ import annotations

from ..i18n import N_, _
from .metric import metric as record

BETTER_WORDS = {"higher": N_("higher is better"), "lower": N_("lower is better"),
                "band": N_("closer to real reports is better"), "count": N_("counted")}

SYSTEM_MEANINGS: dict[str, str] = {
    "draft": N_("the draft this run made for each case, with the case's own report held out of retrieval"),
    "real_vs_real": N_("each other real report, scored against the held-out one: the band human writers fall "
                       "in (its gates count another unit's facts as missing and its figures as invented)"),
    "copy": N_("the nearest example report pasted in as it is: what copying scores"),
    "composer": N_("the offline composer's draft of the same case (scored when a model drafted): what the model "
                   "adds to it, or costs"),
}
SYSTEM_NAMES = {"draft": N_("draft"), "composer": N_("composer"), "real_vs_real": N_("real vs real"),
                "copy": N_("copy")}


def system_label(system: str, writer: str = "") -> str:
    """A system as a reader sees it: 「draft (qwen-1.5b, style refs patterns)」, 「real vs real」."""
    return _(SYSTEM_NAMES[system]) + (_(" ({writer})").format(writer=writer) if system == "draft" and writer else "")

def change(metric: str, old: float, new: float, band: float | None) -> str:
    """``better``, ``worse``, ``changed`` (a count) or ``same``: what a move from ``old`` to ``new`` means
    for ``metric`` (``band``: the real_vs_real mean, for metrics that are better closer to it)."""
    if abs(new - old) < 5e-4:
        return N_("same")
    better = record(metric).better
    if better == "higher":
        return N_("better") if new > old else N_("worse")
    if better == "lower":
        return N_("better") if new < old else N_("worse")
    if better == "band" and band is not None:
        return N_("better") if abs(new - band) < abs(old - band) else N_("worse")
    return N_("changed")
