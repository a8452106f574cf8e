"""The review page (``review.html``): the draft as its reader checks it, sentence by sentence.

It is a rendering of the draft, like export.py, and lays the draft out by export's blocks (the title,
the 一、 and （一） headings as the draft has them, the paragraphs, the 落款), so it sits beside export
in word/. What it shows of each sentence is the reader's ledger (checks/trace.py): 事实 (it states
facts: their lines of facts.md are shown), 套语 (the genre's prose), 待核实 (a clause the checks let
through but could not trace to a fact, underlined), and a claim where one ships in a section that was
not checked as it stands (kept from an earlier draft, or saved from elsewhere). Each sentence also
shows the example chunks its section was styled on, marked as other units' text.

Gathering what it shows from a run folder (reading ``trace.json``, or tracing the draft when it is
missing, which needs the engine) is drafting/ledger.py's work: a room of drafting uses nothing above it.

One self-contained page: no script, nothing fetched, no fonts. A sentence shows its details on hover,
or on a click or tap (it takes the focus), in a panel beside the draft on a wide screen and at the
bottom on a phone; each section's examples are also in a <details> under it. Every text from the run
folder is escaped: a run folder is data and cannot write markup into the page. The page's own words are
the interface's (English, or Chinese where the locale is: pipeline/i18n.py); the draft is Chinese in both.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from ...genre import PLACEHOLDER_PATTERN
from ...i18n import N_, _, join, sentence
from ...text import SENTENCE
from ..checks.trace import Found, Ledger, TracedSentence
from ..results import DraftResult, SectionStatus
from .export import Block, blocks, section_label

EXCERPT = 120  # characters of an example chunk a sentence's details show
LEGEND = N_("事实: states what the facts file says; click it to see the lines. 套语: the genre's usual wording, "
            "stating no specific fact. 待核实: specific words that match no fact (underlined); check each one.")
# What a sentence is: its label on the page, and what that means. 事实, 套语 and 待核实 are the ledger's own
# words, said in both languages (as 待补 is); the rest go through _() where they are shown.
KINDS = {
    Ledger.FACT: ("事实", N_("fact: it states what the facts file says; the lines are below")),
    Ledger.STOCK: ("套语", N_("stock: the genre's prose; it states no fact")),
    Ledger.UNVERIFIED: ("待核实", N_("unverified: the underlined words are specific, and no fact holds them; "
                                     "check them, keep them if true, else cut them")),
    Ledger.CLAIM: (N_("claim"), N_("claim: it says something the facts do not hold, of a kind this section "
                                   "rejects; it ships only because the section was not checked as it stands")),
}
YOURS = (N_("yours"), N_("your own text (a section you changed after the draft): kept as you wrote it, not traced"))
UNTRACED = (N_("not traced"), N_("not traced: the run has no trace of this section"))
ORDER = (*(k.value for k in KINDS), "yours", "not traced")
# The kinds as ``gongwen review`` counts them in the terminal (its --json keeps the ORDER names).
KIND_WORDS = {"fact": N_("fact"), "stock": N_("stock"), "unverified": N_("unverified"), "claim": N_("claim"),
              "yours": N_("yours"), "not traced": N_("not traced")}
# A claim's kind (checks/claims.py's ClaimKind), as a reader of its details is told it.
CLAIM_WORDS = {"political": N_("political"), "honour": N_("honour"), "post": N_("post"),
               "other_unit": N_("another unit's specifics"), "frequency": N_("frequency"),
               "document": N_("document"), "event": N_("event"), "action": N_("action"), "result": N_("result")}
WRITERS = {SectionStatus.OK: N_("model"), SectionStatus.REPAIRED: N_("model, asked again"),
           SectionStatus.FALLBACK: N_("composer (the model's replies failed)"), SectionStatus.COMPOSED: N_("composer"),
           SectionStatus.KEPT: N_("the draft, as you left it"), SectionStatus.LOCKED: N_("you (edited)")}


def kind_word(kind: str) -> str:
    """A sentence's kind (an ORDER name) as the terminal says it."""
    return _(KIND_WORDS.get(kind, kind))


def who_wrote(status: SectionStatus, backend: str) -> str:
    """Who wrote what ships in a section, in the user's words."""
    if backend == "offline" and status in (SectionStatus.OK, SectionStatus.COMPOSED):
        return _("composer")
    return _(WRITERS.get(status, N_("not known")))


@dataclass(frozen=True)
class Example:
    """A chunk of another unit's report that a section was styled on (``sources.json``)."""

    unit: str
    text: str


@dataclass
class Review:
    """What the page shows of one run folder (gathered by drafting/ledger.py)."""

    result: DraftResult  # the plan (only the sections drafted) and each section as it shipped
    traced: dict[str, list[TracedSentence]]  # by section; a section not here was not traced
    facts: list[str]  # the lines of the run's facts.md: a sentence's ``facts`` are numbers into it
    examples: dict[str, list[Example]] | None  # by section; None: the run has no sources.json
    said: str = ""  # where the trace came from when it is not the run's trace.json

    @property
    def counts(self) -> dict[str, int]:
        """Sentences by kind (ORDER): those of the trace, and those of sections it does not cover."""
        counts = {kind: 0 for kind in ORDER}
        for ts in self.traced.values():
            for t in ts:
                counts[t.kind.value] += 1
        for section in self.result.sections:
            if section.id not in self.traced:
                said = sum(1 for line in section.text.split("\n") for s in SENTENCE.findall(line) if s.strip())
                counts["yours" if section.status == SectionStatus.LOCKED else "not traced"] += said
        return {kind: n for kind, n in counts.items() if n or kind in ("fact", "stock", "unverified")}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class _Page:
    """Renders the draft's blocks, taking each section's traced sentences in order as it meets them."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.taken: dict[str, int] = {}  # by section: how many of its traced sentences are behind
        self.shown = 0  # traced sentences found in the draft

    def sentence(self, section: str, text: str) -> TracedSentence | None:
        """The next traced sentence of ``section`` with this text (the trace skips the section's heading)."""
        traced = self.review.traced.get(section, [])
        for i in range(self.taken.get(section, 0), len(traced)):
            if traced[i].text == text:
                self.taken[section] = i + 1
                self.shown += 1
                return traced[i]
        return None

    def line(self, block: Block) -> str:
        """A line of the draft, each sentence in a span of its kind, with its details."""
        out, at = [], 0
        for match in SENTENCE.finditer(block.text):
            raw, text = match.group(0), match.group(0).strip()
            out.append(esc(block.text[at:match.start()]))
            if text:
                lead = raw.index(text)
                traced = self.sentence(block.section, text)
                raw = esc(raw[:lead]) + self.span(block.section, text, traced) + esc(raw[lead + len(text):])
            else:
                raw = esc(raw)
            out.append(raw)
            at = match.end()
        return "".join(out) + esc(block.text[at:])

    def span(self, section: str, text: str, traced: TracedSentence | None) -> str:
        if traced is not None:
            kind, (label, means) = traced.kind.value, KINDS[traced.kind]
        elif section not in self.review.traced:
            status = next((s.status for s in self.review.result.sections if s.id == section), None)
            kind, (label, means) = ("yours", YOURS) if status == SectionStatus.LOCKED else ("not-traced", UNTRACED)
        else:
            return _marked(text, [], [])  # the section's own heading, which the trace passes over
        claims = [c.clause for c in traced.claims] if traced else []
        # A claim sentence's other untraced words are listed in its details, not counted as 待核实 (the ledger's count)
        checks = [u.clause for u in traced.unverified] if traced and traced.kind != Ledger.CLAIM else []
        tip = (f"<span class='tip' role='note'><span class='tk {kind}'>{esc(_(label))}</span> "
               f"<span class='means'>{esc(_(means))}</span>{self.details(section, traced)}</span>")
        return f"<span class='s {kind}' tabindex='0'>{_marked(text, checks, claims)}{tip}</span>"

    def details(self, section: str, traced: TracedSentence | None) -> str:
        parts = []
        if traced is not None and traced.facts:
            rows = "".join(f"<span class='fl'><b>{n}</b> {esc(self.fact_line(n))}</span>" for n in traced.facts)
            parts.append(f"<span class='h'>{esc(_('Its facts (facts.md, by line):'))}</span>{rows}")
        if traced is not None and traced.unverified:
            rows = "".join(f"<span class='uv'>「{esc(u.clause)}」</span>" for u in traced.unverified)
            head = (_("待核实: no fact holds these words") if traced.kind != Ledger.CLAIM
                    else _("Also not traced to a fact:"))
            parts.append(f"<span class='h'>{esc(head)}</span>{rows}")
        if traced is not None and traced.claims:
            rows = "".join(f"<span class='cl'>{esc(_claim(c))}</span>" for c in traced.claims)
            parts.append(f"<span class='h'>{esc(_('Claims the facts do not hold:'))}</span>{rows}")
        parts.append(self.examples(section, EXCERPT, "span"))
        return "".join(parts)

    def fact_line(self, n: int) -> str:
        lines = self.review.facts
        return lines[n - 1].strip() if 0 < n <= len(lines) else _("(facts.md has no such line)")

    def examples(self, section: str, cut: int | None, tag: str) -> str:
        """The example chunks ``section`` was styled on, each marked as another unit's text."""
        found = self.review.examples
        if found is None:
            return f"<{tag} class='h'>{esc(_('Examples: not known (the run folder has no sources.json).'))}</{tag}>"
        chunks = found.get(section, [])
        if not chunks:
            return f"<{tag} class='h'>{esc(_('Examples: none was retrieved for this section.'))}</{tag}>"
        rows = "".join(f"<{tag} class='ex'><span class='unit'>{esc(c.unit or _('unit not known'))}</span> "
                       f"{esc(_excerpt(c.text, cut))}</{tag}>" for c in chunks)
        head = _("Styled on (other units' reports: their wording, not your facts):")
        return f"<{tag} class='h'>{esc(head)}</{tag}>{rows}"

    def body(self) -> str:
        result = self.review.result
        out, current = [], ""
        statuses = {s.id: s.status for s in result.sections}
        for block in blocks(result):
            if block.kind == "title":
                out.append(f"<h1 class='doc'>{'<br>'.join(esc(t) for t in block.text.split(chr(10)))}</h1>")
                continue
            if block.kind == "h1":
                out.append(self.close(current))
                current = ""
                out.append(f"<h2 class='part'>{esc(block.text)}</h2>")
                continue
            if block.section != current:
                out.append(self.close(current))
                current = block.section
                if block.kind != "sign":
                    status = statuses.get(current, SectionStatus.UNKNOWN)
                    who = who_wrote(status, result.backend)
                    label = "" if current.startswith("main_work.") else section_label(result.plan, current)
                    out.append(f"<section class='sec' id='sec-{esc(current)}'><div class='sechead'>"
                               f"<span class='badge {esc(status.value)}'>{esc(who)}</span> "
                               f"{esc(label)} <small>{esc(_('({section})').format(section=current))}</small></div>")
                else:
                    out.append("<section class='sign'>")
            if block.kind == "h2":
                out.append(f"<h3>{self.line(block)}</h3>")
            elif block.kind == "sign":
                out.append(f"<p class='signline'>{_marked(block.text, [], [])}</p>")
            else:
                out.append(f"<p>{self.line(block)}</p>")
        out.append(self.close(current))
        return "".join(out)

    def close(self, section: str) -> str:
        if not section:
            return ""
        if section not in {s.id for s in self.review.result.sections}:
            return "</section>"
        found = self.review.examples
        n = str(len(found.get(section, []))) if found is not None else _("not known")
        said = _("Examples this section was styled on ({count})").format(count=n)
        return (f"<details class='examples'><summary>{esc(said)}</summary>"
                f"{self.examples(section, None, 'p')}</details></section>")


def _claim(found: Found) -> str:
    """A claim in a sentence's details: its kind, the words that make it, and its clause."""
    kind = _(CLAIM_WORDS.get(found.kind, found.kind)) if found.kind else _("claim")
    if found.words:
        kind = _("{kind} (「{words}」)").format(kind=kind, words=found.words)
    return _("{kind}: 「{clause}」").format(kind=kind, clause=found.clause)


def _excerpt(text: str, cut: int | None) -> str:
    flat = " ".join(text.split())
    return flat if cut is None or len(flat) <= cut else flat[:cut] + "…"


def _marked(text: str, checks: list[str], claims: list[str]) -> str:
    """``text`` escaped, each 【待补】 gap, unverified clause and claimed clause in a mark of its class."""
    found = [(m.start(), m.end(), "gap") for m in PLACEHOLDER_PATTERN.finditer(text)]
    for clauses, kind in ((claims, "claimed"), (checks, "check")):
        for clause in dict.fromkeys(c for c in clauses if c):
            at = text.find(clause)
            while at >= 0:
                found.append((at, at + len(clause), kind))
                at = text.find(clause, at + len(clause))
    out, at = [], 0
    for start, end, kind in sorted(found):
        if start < at:
            continue  # overlaps a mark already made
        out.append(f"{esc(text[at:start])}<mark class='{kind}'>{esc(text[start:end])}</mark>")
        at = end
    return "".join(out) + esc(text[at:])


def summary(review: Review, unmatched: int) -> str:
    result = review.result
    labels = {**{k.value: _(label) for k, (label, _means) in KINDS.items()}, "yours": _(YOURS[0]),
              "not traced": _(UNTRACED[0])}
    kinds = " · ".join(f"<span class='k {kind.replace(' ', '-')}'>{esc(labels[kind])}</span> {n}"
                       for kind, n in review.counts.items())
    who: dict[str, list[str]] = {}
    for section in result.sections:
        who.setdefault(who_wrote(section.status, result.backend), []).append(section.id)
    rows = "".join(f"<tr><td>{esc(name)}</td><td>{len(ids)}</td><td>{esc(join(ids))}</td></tr>"
                   for name, ids in who.items())
    notes = [review.said] if review.said else []
    if unmatched:
        notes.append(_("{count} traced sentence(s) were not found in the sections as they stand (the sections "
                       "changed after trace.json was written)").format(count=unmatched))
    unverified = _("{count} clause(s), {rate:.1f} per 1,000 characters.").format(
        count=result.unverified_count, rate=result.unverified_rate)
    heads = "".join(f"<th>{esc(head)}</th>" for head in (_("who wrote it"), _("how many"), _("sections")))
    drafted = _("{count} section(s) drafted. Hover over a sentence, or click or tap it, to see the facts it states "
                "and the examples its section was styled on.").format(count=len(review.result.plan.sections))
    return (f"<p class='legend'>{esc(_(LEGEND))}</p>"
            f"<p><b>{esc(_('Sentences:'))}</b> {sentence(kinds)} <b>{esc(_('待核实:'))}</b> {esc(unverified)}</p>"
            f"<table class='who'><tr>{heads}</tr>{rows}</table><p class='sub'>{esc(drafted)}</p>"
            + "".join(f"<p class='note'>{esc(note)}</p>" for note in notes))


def render_review(review: Review, run_dir: Path | None = None) -> str:
    """The review page of one draft: a summary, then the draft section by section."""
    page = _Page(review)
    body = page.body()
    unmatched = sum(len(ts) for ts in review.traced.values()) - page.shown
    result = review.result
    title = _("review · {title}").format(title="".join(blocks(result)[0].text.split("\n")))
    by = (_("{backend} ({model})").format(backend=result.backend, model=result.model) if result.model
          else result.backend or _("not known"))
    sub = _("gongwen review of the draft in {folder} · drafted by {writer}").format(
        folder=run_dir or result.run_dir, writer=by)
    hint = _("Hover over a sentence, or click it: the facts it states and the examples its section was styled on "
             "show here.")
    return (f"<!doctype html><html lang='zh'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(title)}</title>"
            f"<style>{STYLE}</style></head><body><header><p class='sub'>{esc(sub)}</p>"
            f"{summary(review, unmatched)}</header>"
            f"<aside class='hint'>{esc(hint)}</aside><main>{body}</main></body></html>")


STYLE = """
*{box-sizing:border-box}
body{margin:0;color:#1d1d1d;background:#fff;font:16px/1.9 "Noto Serif CJK SC","Source Han Serif SC","Songti SC",
"SimSun",serif}
header,main{max-width:860px;margin:0 auto;padding:8px 16px}
header{font:14px/1.55 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;border-bottom:1px solid #ddd}
.sub{color:#666;font-size:13px}.note{color:#8a4b00;font-size:13px}.legend{background:#f6f6f6;padding:6px 8px}
table.who{border-collapse:collapse;font-size:13px}table.who td,table.who th{border:1px solid #ddd;
padding:2px 8px;text-align:left;vertical-align:top}table.who td:nth-child(-n+2),table.who th{white-space:nowrap}
h1.doc{font-size:22px;text-align:center;line-height:1.6;margin:20px 0}
h2.part{font-size:18px;margin:24px 0 4px}h3{font-size:16px;margin:12px 0 2px}
main p{margin:4px 0;text-indent:2em}p.signline{text-align:right;text-indent:0}
.sechead{font:12px/1.4 sans-serif;color:#777;margin-top:14px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;background:#777;color:#fff}
.badge.ok,.badge.repaired{background:#1e6f3c}.badge.fallback{background:#b35c00}.badge.locked{background:#1a5fb4}
.k{padding:0 4px;border-radius:3px}
.s{cursor:pointer;border-radius:2px}
.fact{background:#dcefe0}.stock{color:#5c5c5c}.unverified{background:#fff0c2}.claim{background:#fbd9d4}
.yours{background:#e3ecf8}.not-traced{background:#eee}
mark{background:none;color:inherit}
mark.check{text-decoration:underline wavy #b35c00;text-underline-offset:4px}
mark.claimed{text-decoration:underline double #b3261e;text-underline-offset:4px}
mark.gap{background:#ffe45c}
.s:focus{outline:2px solid #1a5fb4;outline-offset:1px}
.tip{display:none}
.s:hover>.tip,.s:focus>.tip,.hint{position:fixed;z-index:2;overflow:auto;background:#fbfbfb;border:1px solid #bbb;
padding:8px 12px;color:#1d1d1d;text-indent:0;font:13px/1.55 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;
cursor:auto;box-shadow:0 2px 8px rgba(0,0,0,.15)}
.s:hover>.tip{z-index:3}.s:hover>.tip,.s:focus>.tip{display:block}
.tip>span{display:block}.tip .tk{display:inline-block;font-weight:bold;padding:0 4px}
.tip .means{display:inline}.tip .h{margin-top:6px;color:#555;font-weight:bold}
.fl b{display:inline-block;min-width:2.2em;color:#1e6f3c}.uv{color:#8a4b00}.cl{color:#b3261e}
.ex .unit,details .unit{font-weight:bold;color:#555;margin-right:4px}.ex .unit::before{content:"↳ "}
details.examples{font:13px/1.6 sans-serif;color:#555;margin:4px 0 8px 2em}details.examples p{text-indent:0}
.hint{display:none}
@media (min-width:1100px){body{padding-right:380px}
.s:hover>.tip,.s:focus>.tip,.hint{top:12px;right:12px;width:356px;max-height:calc(100vh - 24px);border-radius:6px}
.hint{display:block;z-index:1;color:#777}}
@media (max-width:1099px){.s:hover>.tip,.s:focus>.tip{left:0;right:0;bottom:0;max-height:55vh;border-width:2px 0 0}
header,main{padding:6px 10px}}
@media print{.tip,.hint{display:none!important}body{padding:0}}
"""
