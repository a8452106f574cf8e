"""The verdict on each system, one line in plain words: the gates its cases pass, who wrote the
sections it shipped (the model, at the first reply or asked again; the composer in place of failed
replies) and the 【待补】 gaps, the form defects and unsupported claims shipped, and its length against
the real report beside the band real reports fall in. report.html opens with these lines and the
terminal prints them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .casework import OTHER, STATUSES, CaseRun, offline
from .legend import SYSTEM_NAMES
from .metric import BY_CONSTRUCTION, PASS_RULES
from .results import Row, Summary, per_case


def failed_gates(rows: list[Row], system: str) -> dict[str, list[str]]:
    """case → the gates it fails (a real_vs_real case by its mean over the other reports)."""
    failed: dict[str, list[str]] = {}
    for metric, rule in PASS_RULES.items():
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _gates(rows: list[Row], system: str, by_construction: bool) -> str:
    failed = failed_gates(rows, system)
    if not failed:
        return ""
    passed = sum(not gates for gates in failed.values())
    which: dict[str, list[str]] = {}
    for case, gates in sorted(failed.items()):
        for gate in gates:
            which.setdefault(gate, []).append(case)
    line = f"{passed} of {len(failed)} cases pass every gate"
    if which:
        line += " (" + "; ".join(f"{gate} fails in {', '.join(c) if len(c) <= 3 else _plural(len(c), 'case')}"
                                 for gate, c in which.items()) + ")"
    if by_construction:
        line += (f", {', '.join(BY_CONSTRUCTION)} by construction: the composer states each fact in the "
                 "user's words and writes no number of its own, so these gates test a model, not it")
    scored = {r.metric for r in rows if r.system == system}
    if unscored := [g for g in PASS_RULES if g not in scored]:
        line += f"; {', '.join(unscored)} not scored (no run folders to read)"
    return line


def _sections(runs: Mapping[str, CaseRun | None]) -> str:
    known = [r for r in runs.values() if r is not None]
    total = sum(len(r.sections) for r in known)
    if not total:
        return "who wrote each section is not known (no run folders with sections)"
    n = {s: sum(r.count(s) for r in known) for s in (*STATUSES, OTHER)}
    gaps = f"{sum(r.gaps for r in known)} 【待补】 gaps"
    if offline(runs):
        return f"all {total} sections written by the offline composer (no model); {gaps}"
    line = (f"{n['model'] + n['repaired']} of {total} sections written by the model ({n['model']} at the first "
            f"reply, {n['repaired']} asked again)")
    if n["fallback"]:
        line += f", {n['fallback']} replaced by the composer's text after the model's replies failed the checks"
    if n["composer"]:
        line += f", {n['composer']} left to the composer (nothing for a model to draft)"
    if n["kept"]:
        line += f", {n['kept']} kept as the user wrote them"
    if n[OTHER]:
        line += f", {n[OTHER]} of a status this version does not know"
    return f"{line}; {gaps}"


def _shipped(rows: list[Row], system: str = "draft") -> str:
    defects = per_case(rows, system, "form_defects")
    claims = per_case(rows, system, "unsupported_claims")
    if not defects or not claims:
        return ""
    rate = sum(claims.values()) / len(claims)
    faults = sum(sum(per_case(rows, system, name).values()) for name in (*READER_FAULTS, "repeated_clauses"))
    marked = per_case(rows, system, "unverified")
    unverified = f", and {sum(marked.values()) / len(marked):.2f} per 1,000 marked 待核实" if marked else ""
    return (f"shipped {_plural(round(sum(defects.values())), 'form defect')}, "
            f"{_plural(round(faults), 'fault')} a reader rejects on sight, unsupported claims at "
            f"{rate:.2f} per 1,000 characters{unverified}")


def _length(rows: list[Row], summary: Summary, system: str) -> str:
    mean = _mean(summary, "length_ratio", system)
    if mean is None:
        return ""
    real = band(rows, "length_ratio")
    return f"length {mean:.2f} of the real report" + (f" (real reports: {real[0]:.2f}–{real[1]:.2f})" if real else "")


def _real(rows: list[Row], summary: Summary) -> str:
    said = [f"length {b[0]:.2f}–{b[1]:.2f} of each other"] if (b := band(rows, "length_ratio")) else []
    for metric, shown in (("chrf", "shared phrasing (chrF) {:.2f}"), ("style_delta", "style distance {:.2f}"),
                          ("max_copied_span", "longest run shared with another report {:.0f} characters")):
        if (mean := _mean(summary, metric, "real_vs_real")) is not None:
            said.append(shown.format(mean))
    return ("the band people write in: " + ", ".join(said) + "; its gates say nothing, since each states "
            "another unit's facts")


def _copy(rows: list[Row], summary: Summary) -> str:
    failed = failed_gates(rows, "copy")
    copied = _mean(summary, "max_copied_span", "copy")
    recall = sum("fact_recall" in g for g in failed.values())
    return "; ".join(x for x in (
        _length(rows, summary, "copy"), f"longest copied run {copied:.0f} characters" if copied is not None else "",
        f"fails fact_recall in {recall} of {len(failed)} cases: copying states another unit's facts"
        if failed else "") if x)


# What a reader weighs, compared between a model's drafts and the composer's: (metric, what it is).
WEIGHED = (("unverified", "待核实 per 1,000 characters"), ("unsupported_claims", "unsupported claims per 1,000"),
           ("form_defects", "form defects"), ("reader_faults", "faults a reader rejects on sight"),
           ("repeated_clauses", "clauses said twice"))
READER_FAULTS = ("organ_twice", "fact_twice", "cut_paragraphs", "two_leads", "unfitting_leads")


def _weighed(rows: list[Row], system: str, metric: str) -> float | None:
    names = READER_FAULTS if metric == "reader_faults" else (metric,)
    cases = [per_case(rows, system, name) for name in names]
    if not all(cases):
        return None
    return sum(sum(c.values()) / len(c) for c in cases)


def _against_composer(rows: list[Row]) -> str:
    """The model's drafts against the composer's on what a reader weighs; where the model loses, said."""
    pairs = [(said, new, old) for metric, said in WEIGHED
             if (new := _weighed(rows, "draft", metric)) is not None
             and (old := _weighed(rows, "composer", metric)) is not None]
    if not pairs:
        return ""
    shown = ", ".join(f"{said} {new:.2f} against {old:.2f}" for said, new, old in pairs)
    worse = [said for said, new, old in pairs if new > old + 1e-9]
    verdict = (f"the model's drafts are worse than the composer's on {', '.join(worse)}" if worse
               else "the model's drafts are no worse than the composer's on any of these")
    return f"against the offline composer on the same cases (means per case): {shown}; {verdict}"


def _composer(rows: list[Row], summary: Summary) -> str:
    return "; ".join(x for x in (_shipped(rows, "composer"), _length(rows, summary, "composer")) if x)


def verdicts(rows: list[Row], summary: Summary, runs: Mapping[str, CaseRun | None]) -> dict[str, str]:
    """system → its verdict line, for the systems the rows score."""
    lines = {
        "draft": [_gates(rows, "draft", offline(runs)), _sections(runs), _shipped(rows),
                  _length(rows, summary, "draft"), _against_composer(rows)],
        "composer": [_composer(rows, summary)],
        "real_vs_real": [_real(rows, summary)],
        "copy": [_copy(rows, summary)],
    }
    systems = {r.system for r in rows}
    return {s: "; ".join(x for x in lines[s] if x) + "." for s in SYSTEM_NAMES if s in systems}
