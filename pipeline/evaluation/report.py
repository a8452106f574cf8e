"""``report.html``: one self-contained page (no server, no remote scripts, fonts or CDNs).

A summary table, an inline SVG chart per metric (draft, real_vs_real and copy with their 95% CI),
and per case the draft and the real report side by side, part by part, with a character diff,
invented numbers marked red and missing facts listed.
"""

from __future__ import annotations

import difflib
import html
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..drafting.facts import load_facts
from ..genre import PART_ORDER
from .evaluate import SYSTEMS, Row, Summary, corpus_reports, table_header, table_rows
from .metrics import DESCRIPTIVES, GATES, part_texts, plain_text
from .shipped import SHIPPED_GATES

COLOURS = {"draft": "#c0392b", "real_vs_real": "#2c3e50", "copy": "#7f8c8d"}
STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}.pair div{white-space:pre-wrap;font-size:13px;
line-height:1.6;border:1px solid #eee;padding:8px;background:#fafafa}ins{background:#d5f5e3;text-decoration:none}
del{background:#fadbd8}.bad{color:#fff;background:#c0392b;padding:0 2px}.missing{color:#c0392b}
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
                    f'<text x="{x + 20}" y="{height - 12}" font-size="9" text-anchor="middle">{system}</text>')
    return (f'<svg width="{width}" height="{height}" role="img" aria-label="{metric}">'
            f'<text x="4" y="14" font-size="12" font-weight="bold">{metric}</text>{"".join(bars)}</svg>')


def _diff(draft: str, real: str, invented: list[str]) -> tuple[str, str]:
    matcher = difflib.SequenceMatcher(None, draft, real, autojunk=False)
    left, right = [], []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        a, b = html.escape(draft[a0:a1]), html.escape(real[b0:b1])
        if op == "equal":
            left.append(a)
            right.append(b)
        else:
            left.append(f"<ins>{a}</ins>" if a else "")
            right.append(f"<del>{b}</del>" if b else "")
    marked = "".join(left)
    for number in sorted(set(invented), key=len, reverse=True):
        marked = marked.replace(html.escape(number), f'<span class="bad">{html.escape(number)}</span>')
    return marked, "".join(right)


def render(rows: list[Row], summary: Summary, out: Path, cases: Path, index: CorpusIndex,
           before: Summary | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table_header(before is not None))
    lines = ["<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
             for row in table_rows(summary, before)]
    charts = "".join(_chart(m, summary[m]) for m in (*GATES, *SHIPPED_GATES, *DESCRIPTIVES) if m in summary)

    reports = {r.source: r for r in corpus_reports(index)}
    sections = []
    for case in sorted({r.case for r in rows}):
        facts = load_facts(cases / f"{case}.md")
        draft_path = out / "drafts" / f"{case}.md"
        draft = plain_text(draft_path.read_text(encoding="utf-8")) if draft_path.exists() else ""
        real = reports[facts.source].text if facts.source in reports else ""
        detail = {r.metric: r.detail for r in rows if r.case == case and r.system == "draft" and r.part == "all"}
        missing = "".join(f"<li class='missing'>{html.escape(b)}</li>" for b in detail.get("fact_recall") or [])
        verdict = detail.get("judge")
        judged = (f"<p>LLM judge: <b>{html.escape(verdict['outcome'])}</b> — "
                  f"{html.escape(' / '.join(verdict['reasons']))}</p>") if verdict else ""
        parts_d, parts_r = part_texts(draft), part_texts(real)
        pairs = []
        for part in (p.value for p in PART_ORDER):
            left, right = _diff(parts_d.get(part, ""), parts_r.get(part, ""), detail.get("invented_numbers") or [])
            pairs.append(f"<h3>{part}</h3><div class='pair'><div>{left}</div><div>{right}</div></div>")
        sections.append(f"<h2>case {html.escape(case)} — {html.escape(facts.unit)} ({html.escape(facts.source)})</h2>"
                        f"<p>draft (left) · real report (right). Missing facts: "
                        f"{'<ul>' + missing + '</ul>' if missing else 'none'}</p>{judged}{''.join(pairs)}")
    return (f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>gongwen eval</title>"
            f"<style>{STYLE}</style></head><body><h1>gongwen evaluation — {len(sections)} cases</h1>"
            f"<table><tr>{head}</tr>{''.join(lines)}</table>"
            f"<h2>charts</h2><div class='charts'>{charts}</div>{''.join(sections)}</body></html>")
