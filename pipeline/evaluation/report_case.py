"""One case in report.html: its verdict, each section's status, and the draft beside the real report.

The draft is shown section by section, each with who wrote it (casework.py), beside the same part of
the real report, as two readable columns (one on a phone). Differences are marked only when the reader
asks (the 「mark differences」 switch, no script): text only one side has is underlined or greyed, never
struck through. Invented numbers are always marked, since they are faults, not differences.
"""

from __future__ import annotations

import difflib
import html
import re
from typing import Any

from ..genre import PART_ORDER, Part
from ..i18n import N_, _, join
from .casework import OTHER, STATUSES, CaseRun, ShippedSection
from .metrics import part_texts


def esc(text: str) -> str:
    """Text for an element or an attribute of report.html."""
    return html.escape(text, quote=True)


def marked(text: str, other: str, invented: list[str]) -> str:
    """``text`` as HTML: what ``other`` lacks in a ``only`` span, invented numbers in a ``bad`` span."""
    classes = [""] * len(text)
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    for op, a0, a1, _b0, _b1 in matcher.get_opcodes():
        if op != "equal":
            classes[a0:a1] = ["only"] * (a1 - a0)
    for number in invented:
        for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text):
            classes[m.start():m.end()] = ["bad"] * (m.end() - m.start())
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or classes[i] != classes[start]:
            piece = esc(text[start:i])
            out.append(f'<span class="{classes[start]}">{piece}</span>' if classes[start] else piece)
            start = i
    return "".join(out)


# Who wrote a section, as its badge says it (the class keeps the English word).
STATUS_WORDS = {"model": N_("model"), "repaired": N_("repaired"), "fallback": N_("fallback"),
                "composer": N_("composer"), "kept": N_("kept"), "other": N_("other")}


def _badge(status: str, gaps: int = 0) -> str:
    status = status if status in STATUSES else OTHER
    badge = f'<span class="badge {status}">{esc(_(STATUS_WORDS.get(status, status)))}</span>'
    return badge + (f'<span class="badge gap">{esc(_("待补 ×{count}").format(count=gaps))}</span>' if gaps else "")


def _status_table(run: CaseRun) -> str:
    fell_back = any(s.status == "fallback" for s in run.sections)
    rows = []
    for s in run.sections:
        why = f"<td class='why'>{esc('；'.join(s.flagged[:3]))}</td>" if fell_back else ""
        rows.append(f"<tr><td>{esc(s.label or s.id)}</td><td>{_badge(s.status, s.gaps)}</td>"
                    f"<td>{s.attempts}</td>{why}</tr>")
    heads = [_("section"), _("status"), _("replies"), *([_("why it fell back")] if fell_back else [])]
    return ("<div class='scroll'><table class='statuses'><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads)
            + f"</tr>{''.join(rows)}</table></div>")


def _counts(run: CaseRun) -> str:
    counts = [_("{count} {status}").format(count=run.count(s), status=_(STATUS_WORDS.get(s, s)))
              for s in (*STATUSES, OTHER) if run.count(s)]
    return _("{count} sections: {statuses}; {gaps} 【待补】").format(count=len(run.sections), statuses=join(counts),
                                                                 gaps=run.gaps)


def case_verdict(run: CaseRun | None, failed: list[str], detail: dict[str, Any], length: float | None) -> str:
    """One line: gates, sections by status, gaps, length."""
    parts = [_("passes every gate") if not failed else _("fails {gates}").format(gates=join(failed))]
    if run is not None and run.sections:
        parts.append(_counts(run))
    if length is not None:
        parts.append(_("length {ratio:.2f} of the real report").format(ratio=length))
    invented = detail.get("invented_numbers") or []
    if invented:
        parts.append(_("invented numbers: {numbers}").format(numbers=join([str(n) for n in invented])))
    return join(parts, "clauses")


def _shipped(run: CaseRun | None, part: Part) -> list[ShippedSection]:
    """The part's sections as the run saved them; none for the title, or where the run saved none."""
    return [s for s in run.sections if s.part == part] if run is not None and part != Part.TITLE else []


def _left(part: Part, run: CaseRun | None, draft_parts: dict[str, str], real: str, invented: list[str]) -> str:
    sections = _shipped(run, part)
    if not sections:  # the title, or a run that saved no sections: the draft's own text
        return f"<div class='text'>{marked(draft_parts.get(part.value, ''), real, invented) or '—'}</div>"
    blocks = []
    for s in sections:
        label = "" if s.text.startswith(s.label) else esc(s.label)  # a （一） section opens with its heading
        blocks.append(f"<div class='sec'><div class='sechead'>{_badge(s.status, s.gaps)} {label}</div>"
                      f"<div class='text'>{marked(s.text, real, invented)}</div></div>")
    return "".join(blocks)


def _review_link(review: str | None) -> str:
    """The case's review page (review-NN.html beside report.html): each sentence, its facts and what to check."""
    if review is None:
        return ""
    said = esc(_("{link}: the draft sentence by sentence, each marked 事实, 套语 or 待核实, with the facts it "
                 "states and the examples each section was styled on."))
    link = f"<a href='{esc(review)}'>{esc(_('Review page'))}</a>"
    return f"<p>{said.format(link=link)}</p>"


def render_case(case: str, run: CaseRun | None, draft: str, real: str, source: str, unit: str, failed: list[str],
                detail: dict[str, Any], length: float | None, review: str | None = None) -> str:
    invented = [str(n) for n in detail.get("invented_numbers") or []]
    missing = "".join(f"<li>{esc(b)}</li>" for b in detail.get("fact_recall") or [])
    verdict = detail.get("judge")
    judged = (f"<p>{esc(_('LLM judge:'))} <b>{esc(verdict['outcome'])}</b> — {esc(' / '.join(verdict['reasons']))}</p>"
              if verdict else "")
    draft_parts, real_parts = part_texts(draft), part_texts(real)
    rows = []
    for part in PART_ORDER:
        sections = _shipped(run, part)
        other_draft = "\n".join(s.text for s in sections) if sections else draft_parts.get(part.value, "")
        right = marked(real_parts.get(part.value, ""), other_draft, [])
        rows.append(f"<div class='pair'><div class='col'><div class='parthead'>{part.value}</div>"
                    f"{_left(part, run, draft_parts, real_parts.get(part.value, ''), invented)}</div>"
                    f"<div class='col real'><div class='parthead'>{part.value}</div>"
                    f"<div class='text'>{right or '—'}</div></div></div>")
    status = (_status_table(run) if run is not None and run.sections
              else f"<p>{esc(_('Who wrote each section is not known: no run folder with sections.'))}</p>")
    return (f"<section class='case' id='case-{esc(case)}'><h3>{esc(_('case {case}').format(case=case))} — {esc(unit)} "
            f"<span class='src'>({esc(source)})</span></h3>"
            f"<p class='verdict'>{esc(case_verdict(run, failed, detail, length))}</p>"
            f"{_review_link(review)}{status}"
            f"<p>{esc(_('Missing facts:'))} "
            f"{'<ul class=missing>' + missing + '</ul>' if missing else esc(_('none'))}</p>{judged}"
            f"<div class='pair head'><div>{esc(_('draft'))}</div><div>{esc(_('real report'))}</div></div>"
            f"{''.join(rows)}</section>")
