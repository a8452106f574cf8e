"""Two runs side by side (``gongwen eval --baseline RUN``): each metric's draft mean in the baseline and
in this run, the change, and whether that change is for the better (legend.py says which way is), or
within noise: each run's mean inside the other's 95% CI, which with five cases is most changes. For the
person choosing between two models or two settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _, join
from .casework import CaseRun, model_share
from .legend import change
from .metric import MODEL_SHARE
from .results import Evaluation, Summary


@dataclass(frozen=True)
class Change:
    metric: str
    old: float
    new: float
    old_pass: float | None  # the gate's pass rate, for gates
    new_pass: float | None
    verdict: str  # better | worse | changed | within noise | same

    @property
    def delta(self) -> float:
        return self.new - self.old


def compare(summary: Summary, before: Summary) -> list[Change]:
    """The draft's change on every metric both runs scored, in this run's order."""
    changes = []
    for metric, systems in summary.items():
        new, old = systems.get("draft"), before.get(metric, {}).get("draft")
        if new is None or old is None:
            continue
        band = systems.get("real_vs_real", {}).get("mean")
        verdict = change(metric, old["mean"], new["mean"], band)
        if verdict in ("better", "worse") and _inside(old["mean"], new) and _inside(new["mean"], old):
            verdict = N_("within noise")
        changes.append(Change(metric, old["mean"], new["mean"], old.get("pass_rate"), new.get("pass_rate"),
                              verdict))
    return changes


def changes_of(done: Evaluation) -> list[Change]:
    """Everything the comparison with the baseline run shows: the share of sections the model wrote (where
    both runs' folders say), then every metric both runs scored."""
    if done.before is None or done.baseline is None or done.baseline_rows is None:
        return []
    share = _share_change(done.case_runs, done.baseline_runs)
    return [*([share] if share else []), *compare(done.summary, done.before)]


def _share_change(new_runs: dict[str, CaseRun | None], old_runs: dict[str, CaseRun | None]) -> Change | None:
    new, old = model_share(new_runs), model_share(old_runs)
    if new is None or old is None:
        return None
    return Change(MODEL_SHARE, old, new, None, None, change(MODEL_SHARE, old, new, None))


def _inside(value: float, entry: dict[str, float]) -> bool:
    return "low" in entry and entry["low"] <= value <= entry["high"]


def uncompared(summary: Summary, before: Summary) -> list[str]:
    """The metrics only one of the two runs scored for its draft."""
    def scored(s: Summary) -> set[str]:
        return {m for m, systems in s.items() if "draft" in systems}

    return sorted(scored(summary) ^ scored(before))


def headline(changes: list[Change], missing: list[str] | None = None) -> str:
    """「better: chrf; worse: fact_recall; within noise: length_ratio; changed: placeholders; 9 unchanged;
    scored by one run only: form_defects」"""
    named = [_("{change}: {metrics}").format(change=_(verdict), metrics=join(found))
             for verdict in ("better", "worse", "within noise", "changed")
             if (found := [c.metric for c in changes if c.verdict == verdict])]
    same = sum(c.verdict == "same" for c in changes)
    said = [*named, *([_("{count} unchanged").format(count=same)] if same else []),
            *([_("scored by one run only: {metrics}").format(metrics=join(missing))] if missing else [])]
    return join(said, "clauses") or _("nothing to compare")
