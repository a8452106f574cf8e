"""The verdict on each system, one line in plain words: the gates its cases pass, who wrote the
sections it shipped (the model, at the first reply or asked again; the composer in place of failed
replies) and the 【待补】 gaps, the form defects and unsupported claims shipped, and its length against
the real report beside the band real reports fall in. report.html opens with these lines and the
terminal prints them.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import N_, _, join, ngettext, sentence
from .casework import OTHER, STATUSES, CaseRun, offline
from .legend import SYSTEM_NAMES
from .metric import BY_CONSTRUCTION, METRICS, PASS_RULES, READER_FAULTS
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


def _gates(rows: list[Row], system: str, by_construction: bool) -> str:
    failed = failed_gates(rows, system)
    if not failed:
        return ""
    passed = sum(not gates for gates in failed.values())
    which: dict[str, list[str]] = {}
    for case, gates in sorted(failed.items()):
        for gate in gates:
            which.setdefault(gate, []).append(case)
    line = _("{passed} of {cases} cases pass every gate").format(passed=passed, cases=len(failed))
    if which:
        line += _(" ({failures})").format(failures=join([_("{gate} fails in {cases}").format(
            gate=gate, cases=join(c) if len(c) <= 3 else ngettext("{n} case", "{n} cases", len(c)).format(n=len(c)))
            for gate, c in which.items()], "clauses"))
    if by_construction:
        line += _(", {gates} by construction: the composer states each fact in the user's words and writes no "
                  "number of its own, so these gates test a model, not it").format(gates=join(BY_CONSTRUCTION))
    scored = {r.metric for r in rows if r.system == system}
    if unscored := [g for g in PASS_RULES if g not in scored]:
        line += _("; {gates} not scored (no run folders to read)").format(gates=join(unscored))
    return line


def _sections(runs: Mapping[str, CaseRun | None]) -> str:
    known = [r for r in runs.values() if r is not None]
    total = sum(len(r.sections) for r in known)
    if not total:
        return _("who wrote each section is not known (no run folders with sections)")
    n = {s: sum(r.count(s) for r in known) for s in (*STATUSES, OTHER)}
    gaps = _("{count} 【待补】 gaps").format(count=sum(r.gaps for r in known))
    if offline(runs):
        return _("all {total} sections written by the offline composer (no model); {gaps}").format(total=total,
                                                                                                  gaps=gaps)
    line = _("{written} of {total} sections written by the model ({first} at the first reply, {again} asked "
             "again)").format(written=n["model"] + n["repaired"], total=total, first=n["model"], again=n["repaired"])
    if n["fallback"]:
        line += _(", {count} replaced by the composer's text after the model's replies failed the checks").format(
            count=n["fallback"])
    if n["composer"]:
        line += _(", {count} left to the composer (nothing for a model to draft)").format(count=n["composer"])
    if n["kept"]:
        line += _(", {count} kept as the user wrote them").format(count=n["kept"])
    if n[OTHER]:
        line += _(", {count} of a status this version does not know").format(count=n[OTHER])
    return join([line, gaps], "clauses")


def _shipped(rows: list[Row], system: str = "draft") -> str:
    defects = per_case(rows, system, "form_defects")
    claims = per_case(rows, system, "unsupported_claims")
    if not defects or not claims:
        return ""
    rate = sum(claims.values()) / len(claims)
    faults = sum(sum(per_case(rows, system, name).values()) for name in (*READER_FAULTS, "repeated_clauses"))
    marked = per_case(rows, system, "unverified")
    unverified = (_(", and {rate:.2f} per 1,000 marked 待核实").format(rate=sum(marked.values()) / len(marked))
                  if marked else "")
    shipped = ngettext("{n} form defect", "{n} form defects", round(sum(defects.values())))
    rejected = ngettext("{n} fault", "{n} faults", round(faults))
    return _("shipped {defects}, {faults} a reader rejects on sight, unsupported claims at {rate:.2f} per 1,000 "
             "characters{unverified}").format(defects=shipped.format(n=round(sum(defects.values()))),
                                              faults=rejected.format(n=round(faults)), rate=rate,
                                              unverified=unverified)


def _length(rows: list[Row], summary: Summary, system: str) -> str:
    mean = _mean(summary, "length_ratio", system)
    if mean is None:
        return ""
    real = band(rows, "length_ratio")
    return _("length {ratio:.2f} of the real report").format(ratio=mean) + (
        _(" (real reports: {low:.2f}–{high:.2f})").format(low=real[0], high=real[1]) if real else "")


def _real(rows: list[Row], summary: Summary) -> str:
    said = ([_("length {low:.2f}–{high:.2f} of each other").format(low=b[0], high=b[1])]
            if (b := band(rows, "length_ratio")) else [])
    for metric, shown in (("chrf", N_("shared phrasing (chrF) {value:.2f}")),
                          ("style_delta", N_("style distance {value:.2f}")),
                          ("max_copied_span", N_("longest run shared with another report {value:.0f} characters"))):
        if (mean := _mean(summary, metric, "real_vs_real")) is not None:
            said.append(_(shown).format(value=mean))
    return _("the band people write in: {said}; its gates say nothing, since each states another unit's "
             "facts").format(said=join(said))


def _copy(rows: list[Row], summary: Summary) -> str:
    failed = failed_gates(rows, "copy")
    copied = _mean(summary, "max_copied_span", "copy")
    recall = sum("fact_recall" in g for g in failed.values())
    return join([x for x in (
        _length(rows, summary, "copy"),
        _("longest copied run {length:.0f} characters").format(length=copied) if copied is not None else "",
        _("fails fact_recall in {failing} of {cases} cases: copying states another unit's facts").format(
            failing=recall, cases=len(failed)) if failed else "") if x], "clauses")


# What a reader weighs, compared between a model's drafts and the composer's: (metric, what it is).
WEIGHED = (("unverified", N_("待核实 per 1,000 characters")),
           ("unsupported_claims", N_("unsupported claims per 1,000")), ("form_defects", N_("form defects")),
           ("reader_faults", N_("faults a reader rejects on sight")), ("repeated_clauses", N_("clauses said twice")))


def _weighed(rows: list[Row], system: str, metric: str) -> float | None:
    names = READER_FAULTS if metric == "reader_faults" else (metric,)
    cases = [per_case(rows, system, name) for name in names]
    if not all(cases):
        return None
    return sum(sum(c.values()) / len(c) for c in cases)


def _higher_better(name: str) -> bool:
    """Which way is better, as the metric table says (the reader's faults, together, are fewer better)."""
    return name in METRICS and METRICS[name].better == "higher"


def _against_composer(rows: list[Row]) -> str:
    """The model's drafts against the composer's on what a reader weighs; where the model loses, said."""
    pairs = [(said, new, old, _higher_better(name)) for name, said in WEIGHED
             if (new := _weighed(rows, "draft", name)) is not None
             and (old := _weighed(rows, "composer", name)) is not None]
    if not pairs:
        return ""
    shown = join([_("{what} {new:.2f} against {old:.2f}").format(what=_(said), new=new, old=old)
                  for said, new, old, _higher in pairs])
    worse = [_(said) for said, new, old, higher in pairs if (old - new if higher else new - old) > 1e-9]
    verdict = (_("the model's drafts are worse than the composer's on {what}").format(what=join(worse)) if worse
               else _("the model's drafts are no worse than the composer's on any of these"))
    return _("against the offline composer on the same cases (means per case): {shown}; {verdict}").format(
        shown=shown, verdict=verdict)


def _composer(rows: list[Row], summary: Summary) -> str:
    return join([x for x in (_shipped(rows, "composer"), _length(rows, summary, "composer")) if x], "clauses")


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
    return {s: sentence(join([x for x in lines[s] if x], "clauses")) for s in SYSTEM_NAMES if s in systems}
