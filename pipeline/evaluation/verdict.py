"""The verdict on each system, one line in plain words: the gates its cases pass, what it shipped
(form defects, unsupported claims, who wrote the sections, the 【待补】 gaps) and its length against the
real report, beside the band real reports fall in. report.html opens with these lines and the
terminal prints them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .casework import CaseRun
from .evaluate import Row, Summary, per_case
from .legend import BY_CONSTRUCTION, SYSTEM_NAMES
from .metrics import GATE_PASSES
from .shipped import SHIPPED_GATES

RULES = {m: rule for m, rule in {**GATE_PASSES, **SHIPPED_GATES}.items() if rule is not None}


def failed_gates(rows: list[Row], system: str) -> dict[str, list[str]]:
    """case → the gates it fails (a real_vs_real case by its mean over the other reports)."""
    failed: dict[str, list[str]] = {}
    for metric, rule in RULES.items():
        for case, value in per_case(rows, system, metric).items():
            failed.setdefault(case, [])
            if not rule(value):
                failed[case].append(metric)
    return failed


def band(rows: list[Row], metric: str) -> tuple[float, float] | None:
    """The lowest and highest case mean of real reports scored against each other."""
    values = list(per_case(rows, "real_vs_real", metric).values())
    return (min(values), max(values)) if values else None


def _mean(summary: Summary, metric: str, system: str) -> float | None:
    return summary.get(metric, {}).get(system, {}).get("mean")


def _gates_line(rows: list[Row], system: str) -> str:
    failed = failed_gates(rows, system)
    if not failed:
        return ""
    passed = sum(not gates for gates in failed.values())
    which: dict[str, list[str]] = {}
    for case, gates in sorted(failed.items()):
        for gate in gates:
            which.setdefault(gate, []).append(case)
    detail = "; ".join(f"{gate} fails in {', '.join(cases) if len(cases) <= 3 else f'{len(cases)} cases'}"
                       for gate, cases in which.items())
    return f"{passed} of {len(failed)} cases pass every gate" + (f" ({detail})" if detail else "")


def _length(rows: list[Row], summary: Summary, system: str) -> str:
    mean = _mean(summary, "length_ratio", system)
    real = band(rows, "length_ratio")
    if mean is None:
        return ""
    return f"length {mean:.2f} of the real report" + (
        f" (real reports: {real[0]:.2f}–{real[1]:.2f})" if real and system != "real_vs_real" else "")


def _sections(runs: Mapping[str, CaseRun | None]) -> str:
    known = [r for r in runs.values() if r is not None]
    if not known:
        return "section statuses not saved"
    total = sum(len(r.sections) for r in known)
    count = {s: sum(r.count(s) for r in known) for s in ("model", "repaired", "fallback", "composer")}
    gaps = sum(r.gaps for r in known)
    if count["composer"] == total:
        who = f"all {total} sections written by the offline composer, no model"
    else:
        who = (f"{count['model'] + count['repaired']} of {total} sections written by the model "
               f"({count['model']} at the first reply, {count['repaired']} repaired), "
               f"{count['fallback']} fell back to the composer")
        if count["composer"]:
            who += f", {count['composer']} composed (nothing for a model to draft)"
    return f"{who}; {gaps} 【待补】 gap{'s' if gaps != 1 else ''}"


def _shipped(rows: list[Row]) -> str:
    defects = per_case(rows, "draft", "form_defects")
    claims = per_case(rows, "draft", "unsupported_claims")
    if not defects or not claims:
        return ""
    rate = sum(claims.values()) / len(claims)
    return f"{sum(defects.values()):.0f} form defects and {rate:.2f} unsupported claims per 1,000 characters shipped"


def verdicts(rows: list[Row], summary: Summary, runs: Mapping[str, CaseRun | None]) -> dict[str, str]:
    """system → its verdict line."""
    lines: dict[str, str] = {}
    offline = bool(runs) and all(r is not None and r.backend == "offline" for r in runs.values())
    gates = _gates_line(rows, "draft")
    if offline and gates:
        gates += f", by construction for {', '.join(BY_CONSTRUCTION)}: the composer states each fact in the " \
                 "user's words and writes no number of its own, so these gates test a model"
    lines["draft"] = "; ".join(x for x in (gates, _shipped(rows), _sections(runs), _length(rows, summary, "draft"))
                               if x) + "."
    real = [f"length {b[0]:.2f}–{b[1]:.2f} of each other"] if (b := band(rows, "length_ratio")) else []
    for metric, shown in (("chrf", "chrF {:.2f}"), ("style_delta", "style_delta {:.2f}"),
                          ("max_copied_span", "longest run shared with another report {:.0f} characters")):
        if (mean := _mean(summary, metric, "real_vs_real")) is not None:
            real.append(shown.format(mean))
    lines["real_vs_real"] = "the band people write in: " + ", ".join(x for x in real if x) + "."
    copy_fails = failed_gates(rows, "copy")
    copied = _mean(summary, "max_copied_span", "copy")
    recall = sum("fact_recall" in g for g in copy_fails.values())
    lines["copy"] = "; ".join(x for x in (
        _length(rows, summary, "copy"),
        f"longest copied run {copied:.0f} characters" if copied is not None else "",
        f"fails fact_recall in {recall} of {len(copy_fails)} cases: copying states another unit's facts"
        if copy_fails else "") if x) + "."
    return {s: lines[s] for s in SYSTEM_NAMES if s in lines}
