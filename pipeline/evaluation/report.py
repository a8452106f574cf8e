"""``report.html``: one self-contained page (no server, no script, no remote fonts or CDNs) for the person
deciding whether a model is good enough for their office.

It opens with a verdict for each system in plain words (verdict.py), then what each metric means and
which way is better, with the band real reports fall in (legend.py); with ``--baseline``, the two runs
compared (compare.py); then every metric with its 95% CI, a chart per metric, and each case section
by section (report_case.py).
"""

from __future__ import annotations

from pathlib import Path

from ..corpus.index import CorpusIndex
from ..drafting.outline.facts import load_facts
from ..i18n import _
from .casework import CaseRun, model_share, offline, writer_of
from .compare import changes_of, headline, uncompared
from .holdout import corpus_reports
from .legend import BETTER_WORDS, SYSTEM_MEANINGS, SYSTEM_NAMES, system_label
from .metric import DESCRIPTIVES, GATES, MODEL_SHARE, SHIPPED_GATES
from .metric import metric as record
from .metrics import plain_text
from .report_case import esc, render_case
from .results import SYSTEMS, Evaluation, Summary, mean_and_ci, per_case
from .verdict import band, failed_gates, verdicts

COLOURS = {"draft": "#c0392b", "composer": "#d68910", "real_vs_real": "#2c3e50", "copy": "#7f8c8d"}
STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;padding:16px;color:#222;
max-width:1200px;line-height:1.5}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
h3{font-size:16px;margin-top:28px}.sub,.src{color:#666;font-size:13px;font-weight:normal}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right;
vertical-align:top}td.num,td.same,td.better,td.worse,td.within-noise,td.changed{white-space:nowrap}th:first-child,td:first-child{text-align:left}.scroll{overflow-x:auto}
table.legend td,table.statuses td,table.legend th,table.statuses th{text-align:left}
dl.verdict dt{font-weight:bold;margin-top:8px}
dl.verdict dd{margin:2px 0 0 16px}.charts{display:flex;flex-wrap:wrap;gap:12px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-bottom:8px}.pair.head div{font-weight:bold}
.text{white-space:pre-wrap;font-size:14px;line-height:1.7;border:1px solid #eee;padding:8px;background:#fafafa}
.real .text{background:#f5f7fa}.parthead{font-size:12px;color:#888}.sechead{font-size:13px;margin:6px 0 2px}
.badge{display:inline-block;font-size:12px;padding:0 6px;border-radius:8px;margin-right:4px;color:#fff}
.badge.model{background:#1e8449}.badge.repaired{background:#2471a3}.badge.fallback{background:#ca6f1e}
.badge.composer{background:#7f8c8d}.badge.other{background:#555}.badge.gap{background:#f4d03f;color:#222}.bad{color:#fff;background:#c0392b}
.better{color:#1e8449}.worse{color:#c0392b}.within-noise{color:#888}
.why{font-size:12px;color:#555}ul.missing li{color:#c0392b}

.toggle label{cursor:pointer;border:1px solid #888;border-radius:4px;padding:2px 8px}
#marks:checked~main .toggle label{background:#1e8449;color:#fff}
.toggle{position:sticky;top:0;background:#fff;padding:6px 0;font-size:14px}
#marks:checked~main .only{background:#e8f6ee;text-decoration:underline dotted #1e8449}
#marks:checked~main .real .only{background:none;color:#999;text-decoration:none}
@media (max-width:700px){.pair{grid-template-columns:1fr}table.legend th{display:none}
table.legend tr{display:block;border:1px solid #ddd;margin-bottom:6px}table.legend td{display:block;border:none}
table.legend td:first-child{font-weight:bold}table.legend td[data-label]:not(:empty)::before{
content:attr(data-label) ": ";color:#888}.pair.head{display:none}.real .parthead::after{
content:" · real report"}.col:not(.real) .parthead::after{content:" · draft"}body{padding:8px}}
"""


def _chart(metric: str, summary: dict[str, dict[str, float]]) -> str:
    width, height, pad = 260, 150, 30
    top = max(max(v["high"], v["mean"]) for v in summary.values()) or 1.0
    bars = []
    for i, system in enumerate(s for s in SYSTEMS if s in summary):
        v = summary[system]
        x = pad + i * 75
        h = (height - 2 * pad) * v["mean"] / top
        y = height - pad - h
        lo = height - pad - (height - 2 * pad) * v["low"] / top
        hi = height - pad - (height - 2 * pad) * v["high"] / top
        bars.append(f'<rect x="{x}" y="{y:.1f}" width="40" height="{h:.1f}" fill="{COLOURS[system]}"/>'
                    f'<line x1="{x + 20}" x2="{x + 20}" y1="{lo:.1f}" y2="{hi:.1f}" stroke="#000"/>'
                    f'<text x="{x + 20}" y="{y - 4:.1f}" font-size="10" text-anchor="middle">{v["mean"]:.2f}</text>'
                    f'<text x="{x + 20}" y="{height - 12}" font-size="9" text-anchor="middle">'
                    f'{esc(_(SYSTEM_NAMES[system]))}</text>')
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="{metric}">'
            f'<text x="4" y="14" font-size="12" font-weight="bold">{metric}</text>{"".join(bars)}</svg>')


def _metrics_table(summary: Summary) -> str:
    """Each metric's mean over cases, its 95% CI under it, for each system; the draft's gate pass rate."""
    def cell(entry: dict[str, float] | None) -> str:
        if entry is None:
            return "<td></td>"
        mean, ci = mean_and_ci(entry)
        return f"<td class='num'>{mean}<br><small>{ci}</small></td>"

    shown = [s for s in SYSTEMS if any(s in systems for systems in summary.values())]
    rows = []
    for metric, systems in summary.items():
        rate = systems.get("draft", {}).get("pass_rate")
        rows.append(f"<tr><td>{esc(metric)}</td>{''.join(cell(systems.get(s)) for s in shown)}"
                    f"<td class='num'>{'' if rate is None else f'{rate:.0%}'}</td></tr>")
    head = "".join(f"<th>{esc(_(SYSTEM_NAMES[s]))}</th>" for s in shown)
    said = _("Each cell: the mean over cases, its 95% bootstrap CI under it. pass: the share of cases whose draft "
             "passes the gate.")
    return (f"<p>{esc(said)}</p><div class='scroll'><table><tr><th>{esc(_('metric'))}</th>{head}"
            f"<th>{esc(_('pass'))}</th></tr>{''.join(rows)}</table></div>")


def _verdict_list(lines: dict[str, str], who: str) -> str:
    return "<dl class='verdict'>" + "".join(f"<dt>{esc(system_label(s, who))}</dt><dd>{esc(line)}</dd>"
                                            for s, line in lines.items()) + "</dl>"


def _legend(done: Evaluation, runs: dict[str, CaseRun | None]) -> str:
    by_composer = offline(runs)
    rows = []
    for name in [*done.summary, *([MODEL_SHARE] if model_share(runs) is not None else [])]:
        m = record(name)
        real = band(done.rows, name) if name in DESCRIPTIVES else None  # a real report fails the gates
        note = (" " + _("The offline composer passes it by construction.")
                if by_composer and m.by_construction else "")
        rows.append(f"<tr><td>{esc(name)}</td><td>{esc(_(m.says) + note)}</td><td>{esc(_(BETTER_WORDS[m.better]))}</td>"
                    f"<td data-label='{esc(_('a gate passes at'))}'>{esc(m.passes.at if m.passes else '')}</td>"
                    f"<td data-label='{esc(_('real reports'))}'>"
                    f"{f'{real[0]:.3f} – {real[1]:.3f}' if real else ''}</td></tr>")
    systems = "".join(f"<li><b>{esc(_(SYSTEM_NAMES[s]))}</b>: {esc(_(text))}</li>"
                      for s, text in SYSTEM_MEANINGS.items())
    heads = [_("metric"), _("what it measures"), _("better"), _("a gate passes at"),
             _("real reports against each other (lowest – highest case)")]
    return ("<div class='scroll'><table class='legend'><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads)
            + f"</tr>{''.join(rows)}</table></div><p>{esc(_('The columns:'))}</p><ul>{systems}</ul>")


def _comparison(done: Evaluation, who: str) -> str:
    if done.before is None or done.baseline is None or done.baseline_rows is None:
        return ""
    changes = changes_of(done)
    base_runs = done.baseline_runs
    base_who = writer_of(base_runs)
    lines = []
    for c in changes:
        rates = (f"{c.old_pass:.0%} → {c.new_pass:.0%}" if c.old_pass is not None and c.new_pass is not None else "")
        lines.append(f"<tr><td>{esc(c.metric)}</td><td class='num'>{c.old:.3f}</td><td class='num'>{c.new:.3f}</td>"
                     f"<td class='num'>{c.delta:+.3f}</td>"
                     f"<td class='{c.verdict.replace(' ', '-')}'>{esc(_(c.verdict))}</td>"
                     f"<td class='num'>{rates}</td></tr>")
    baseline = verdicts(done.baseline_rows, done.before, base_runs)
    runs_said = _("Baseline: {baseline}{who}. This run: {this}.").format(
        baseline=done.baseline, who=f" ({base_who})" if base_who else "", this=who)
    heads = [_("metric (draft mean)"), _("baseline"), _("this run"), "Δ", _("change"), _("gate pass rate")]
    return (f"<h2 id='compare'>{esc(_('Against the baseline run'))}</h2><p>{esc(runs_said)}</p>"
            f"<p><b>{esc(headline(changes, uncompared(done.summary, done.before)))}</b></p>"
            f"<dl class='verdict'><dt>{esc(_('baseline draft'))}</dt><dd>{esc(baseline.get('draft', ''))}</dd></dl>"
            "<div class='scroll'><table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads)
            + f"</tr>{''.join(lines)}</table></div>")


def render(done: Evaluation, cases: Path, index: CorpusIndex) -> str:
    runs = done.case_runs
    who = writer_of(runs)
    summary = done.summary
    charts = "".join(_chart(m, summary[m]) for m in (*GATES, *SHIPPED_GATES, *DESCRIPTIVES) if m in summary)
    reports = {r.source: r for r in corpus_reports(index)}
    failed = failed_gates(done.rows, "draft")
    lengths = per_case(done.rows, "draft", "length_ratio")
    sections = []
    for case, run in runs.items():
        facts = load_facts(cases / f"{case}.md")
        draft_path = done.folder / "drafts" / f"{case}.md"
        draft = plain_text(draft_path.read_text(encoding="utf-8")) if draft_path.exists() else ""
        real = reports[facts.source].text if facts.source in reports else ""
        detail = {r.metric: r.detail for r in done.rows if r.case == case and r.system == "draft" and r.part == "all"}
        review = f"review-{case}.html" if (done.folder / f"review-{case}.html").is_file() else None
        sections.append(render_case(case, run, draft, real, facts.source, facts.unit, failed.get(case, []), detail,
                                    lengths.get(case), review))
    title = _("gongwen evaluation — {count} cases").format(count=len(sections))
    return (f"<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{esc(_('gongwen eval'))}</title>"
            f"<style>{STYLE.replace('real report', _('real report')).replace(' · draft', ' · ' + _('draft'))}</style>"
            f"</head><body><input type='checkbox' id='marks' hidden>"
            f"<main><h1>{esc(title)}</h1>"
            f"<p class='sub'>{esc(who)} · {esc(str(done.folder))}</p>"
            f"<h2 id='verdict'>{esc(_('Verdict'))}</h2>{_verdict_list(verdicts(done.rows, summary, runs), who)}"
            f"{_comparison(done, who)}"
            f"<h2 id='legend'>{esc(_('What the numbers mean'))}</h2>{_legend(done, runs)}"
            f"<h2>{esc(_('Every metric'))}</h2>{_metrics_table(summary)}<h2>{esc(_('Charts'))}</h2>"
            f"<div class='charts'>{charts}</div>"
            f"<h2 id='cases'>{esc(_('Cases'))}</h2><p class='toggle'><label for='marks'><b>"
            f"{esc(_('mark differences'))}</b></label> "
            f"{esc(_('(click: text only the draft has is underlined, text only the real report has is greyed)'))}</p>"
            f"{''.join(sections)}</main></body></html>")
