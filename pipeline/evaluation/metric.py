"""Every metric of an evaluation, one record each: its name, what scores it, what passing it takes (for
a gate), what it means to the person choosing a model, which way is better, and whether the offline
composer passes it by construction. The gates, the legend, the verdict and the report all read this
table; nothing else says these things.

``better`` is ``higher``, ``lower``, ``band`` (closer to where real reports fall against each other,
the ``real_vs_real`` mean) or ``count`` (counted, not better either way). ``scored_by`` names the
scorer: ``gate`` (metrics.gates, on the draft's text), ``shipped`` (shipped.shipped_scores, on what the
run shipped section by section), ``descriptive`` (metrics.descriptives, and style.style_scores for the
style measure, against the real report),
``judge`` (judge.judge) or ``runs`` (read off the run folders, for comparing two runs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True)
class PassRule:
    """What passing a gate takes: ``at`` in words (report.html's legend shows them) and the test."""

    at: str
    test: Callable[[float], bool]

    def __call__(self, value: float) -> bool:
        return self.test(value)


@dataclass(frozen=True)
class Metric:
    name: str
    scored_by: str  # gate | shipped | descriptive | judge | runs
    says: str  # what it means, in one sentence
    better: str  # higher | lower | band | count
    passes: PassRule | None = None  # a gate's pass rule; None: not a gate, or counted rather than passed
    by_construction: bool = False  # the offline composer passes it whatever it drafts
    per_1000: bool = False  # counted per 1,000 characters of the shipped text, not in all
    group: str = ""  # reader: a fault a reader rejects on sight · style: a part of the style measure


ZERO = PassRule("0", lambda v: v == 0)
ONE = PassRule("1", lambda v: v == 1)
MOST = PassRule("≥ 0.95", lambda v: v >= 0.95)
MODEL_SHARE = "model_written_share"  # not a scored metric: read off the run folders, for comparing runs

_TABLE = (
    Metric("invented_numbers", "gate", N_("Numbers in the draft that the facts do not hold: each is a made-up figure."),
           "lower", ZERO, by_construction=True),
    Metric("fact_recall", "gate", N_("Share of the facts' bullets the draft states, with all their numbers and most "
           "of their wording, in one paragraph."), "higher", MOST, by_construction=True),
    Metric("quoted_term_recall", "gate", N_("Share of the names the facts quote (“…”《…》) that the draft carries "
           "word for word."), "higher", MOST, by_construction=True),
    Metric("parts_present", "gate", N_("1 when the title, the opening, 一、二、三、 and the closing are all there, "
           "in order."), "higher", ONE),
    Metric("heading_conformance", "gate", N_("1 when the headings step 一、→（一）→1.→（1） with no level skipped and "
           "no number out of sequence."), "higher", ONE),
    Metric("placeholders", "gate", N_("【待补】 gaps left for the user: the honest answer where the facts lack "
           "something, so counted, not failed."), "count"),
    Metric("form_defects", "shipped", N_("Faults of form in the shipped sections: echoed prompt labels, Markdown, "
           "talk about the task, salutations, a repeated heading."), "lower", ZERO),
    Metric("organ_twice", "shipped", N_("An organ's name said twice in a row (「县委县委书记」), title included."),
           "lower", ZERO, group="reader"),
    Metric("fact_twice", "shipped", N_("A fact stated twice in one section."), "lower", ZERO, group="reader"),
    Metric("cut_paragraphs", "shipped", N_("Paragraphs that stop mid-sentence (a closing quote or bracket does not "
           "hide it)."), "lower", ZERO, group="reader"),
    Metric("two_leads", "shipped", N_("A second lead sentence before a subsection's items."), "lower", ZERO,
           group="reader"),
    Metric("unfitting_leads", "shipped", N_("A subsection's lead whose general truth is about another topic than its "
           "facts."), "lower", ZERO, group="reader"),
    Metric("repeated_clauses", "shipped", N_("Clauses said in two sections of the draft (the facts' own words "
           "aside)."), "lower", ZERO),
    Metric("unsupported_claims", "shipped", N_("Claims no fact holds that their section rejects (an action, event, "
           "frequency, document, honour, post, result, another unit's specifics, a political statement), per "
           "1,000 characters."), "lower", ZERO, per_1000=True),
    Metric("unverified", "shipped", N_("Clauses shipped for the reader to check (待核实: the checks could not "
           "trace them to a fact), per 1,000 characters; each is marked in the Word file."), "lower", per_1000=True),
    Metric("length_ratio", "descriptive", N_("The draft's length over the real report's."), "band"),
    Metric("rouge_l", "descriptive", N_("Longest character sequence shared with the real report (F1): how much of "
           "its wording, in order, the draft has."), "higher"),
    Metric("chrf", "descriptive", N_("Character n-gram F-score against the real report: shared phrasing, in any "
           "order."), "higher"),
    Metric("style_delta", "descriptive", N_("Distance between the draft's and the real report's character-frequency "
           "profiles (cosine Burrows' Delta): 0 is the same style."), "lower"),
    Metric("genre_marker_rate", "descriptive", N_("Stock genre words (一是, 坚持, 扎实, 进一步 …) per 1,000 "
           "characters; far above real reports reads as boilerplate."), "band"),
    Metric("max_copied_span", "descriptive", N_("The longest run of characters found in another unit's example "
           "report: a long run is a copied sentence."), "lower"),
    Metric("style", "descriptive", N_("The style measure: the mean of the five below, each 1 where the draft "
           "reads as the real report does."), "higher"),
    Metric("formula_reuse", "descriptive", N_("How much of the real report's formulas the draft says in the same "
           "place: the opening's last sentence, the problems' lead, the causes' and the closing's words, the "
           "subheading and transition patterns."), "higher", group="style"),
    Metric("heading_match", "descriptive", N_("The real report's 一、 headings the draft has word for word, and its "
           "subheadings in the real report's pattern (two halves joined by ， or one phrase, where it has no "
           "template)."), "higher", group="style"),
    Metric("marker_in_band", "descriptive", N_("1 when genre_marker_rate is inside the example reports' band, "
           "falling to 0 one band-width outside it."), "higher", group="style"),
    Metric("frame_repeats", "descriptive", N_("1 ÷ (1 + clauses of 6 characters or more, the facts' own words "
           "aside, said twice in the draft)."), "higher", group="style"),
    Metric("profile", "descriptive", N_("style_delta as a closeness, 1 − delta ÷ 2: 1 the same character "
           "profile, 0.5 an unrelated one."), "higher", group="style"),
    Metric(MODEL_SHARE, "runs", N_("Share of the shipped sections the model wrote, at the first reply or asked "
           "again; the rest are the offline composer's."), "higher"),
    Metric("judge", "judge", N_("An LLM judge's preference for the draft over the real report, asked in both orders "
           "(1 win, 0.5 tie, 0 loss)."), "higher"),
)
METRICS: dict[str, Metric] = {m.name: m for m in _TABLE}
UNKNOWN = Metric("", "", "", "count")


def metric(name: str) -> Metric:
    return METRICS.get(name, UNKNOWN)


def scored_by(scorer: str) -> tuple[str, ...]:
    """The metrics one scorer produces, in the table's order."""
    return tuple(m.name for m in _TABLE if m.scored_by == scorer)


def in_group(group: str) -> tuple[str, ...]:
    """The metrics of one group, in the table's order."""
    return tuple(m.name for m in _TABLE if m.group == group)


GATES = scored_by("gate")
SHIPPED_GATES = scored_by("shipped")
DESCRIPTIVES = scored_by("descriptive")
PASS_RULES: dict[str, PassRule] = {m.name: m.passes for m in _TABLE if m.passes}
BY_CONSTRUCTION = tuple(m.name for m in _TABLE if m.by_construction)
READER_FAULTS = in_group("reader")
STYLE_PARTS = in_group("style")
