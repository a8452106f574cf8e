"""What a draft's reader should be told beyond its 【待补】 gaps: the draft is short, and why; and
which topics the example reports usually cover that the facts leave empty (F13).

The notes go to the terminal after ``gongwen draft`` and into the draft's closing checklist;
``facts check`` shows the same topic coverage before anything is drafted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import GongwenError
from ..genre import Part
from ..text import squash
from .outline.facts import Facts
from .outline.topics import BY_KEY, TOPICS, report_topics, topics_in
from .results import DraftResult
from .writing.phrases import Phrasebook

if TYPE_CHECKING:
    from ..corpus.index import CorpusIndex

SHORT_SHARE = 0.6  # a draft below this share of the length asked for says so


@dataclass(frozen=True)
class Coverage:
    """The usual topics, learned from ``reports`` example reports, and which the facts touch."""

    reports: int
    usual: dict[str, int]  # topic key → how many reports cover it
    covered: set[str]

    @property
    def missing(self) -> list[str]:
        return [key for key in self.usual if key not in self.covered]

    def as_dict(self) -> dict[str, Any]:
        return {"reports": self.reports, "usual": {BY_KEY[k].name: n for k, n in self.usual.items()},
                "missing": [BY_KEY[k].name for k in self.missing]}

    def rows(self) -> list[tuple[str, int, bool]]:
        """(topic name, reports covering it, whether the facts touch it), in the topics' order."""
        return [(BY_KEY[key].name, self.usual[key], key in self.covered) for key in (t.key for t in TOPICS)
                if key in self.usual]


def coverage(facts: Facts, book: Phrasebook) -> Coverage:
    """A topic is touched when a main-work bullet or group names it in its own words."""
    texts = [b.text for b in facts.main_work] + list(dict.fromkeys(b.group for b in facts.main_work if b.group))
    covered = set().union(*(topics_in(text) for text in texts)) if texts else set()
    return Coverage(book.reports, dict(book.usual), covered)


def draft_coverage(result: DraftResult, facts: Facts, book: Phrasebook) -> Coverage:
    """After drafting, what the reader sees: the topics the facts touch, the draft's main-work headings
    name (「（三）坚持党建引领，服务中心工作」, given to bullets no other topic claims), and its main-work
    items are about, judged as the example reports' items are (topics.report_topics)."""
    given = coverage(facts, book)
    main = [s for s in result.plan.sections if s.part == Part.MAIN_WORK]
    texts = {s.id: s.text for s in result.sections}
    headed = set().union(*(topics_in(s.heading) for s in main)) if main else set()
    items = report_topics((Part.MAIN_WORK, texts.get(s.id, "")) for s in main)
    return Coverage(given.reports, given.usual, given.covered | headed | items)


def facts_coverage(facts: Facts, open_index: Callable[[], CorpusIndex]) -> tuple[Coverage | None, str]:
    """``facts check``'s coverage, from the indexed examples; an index that cannot be read leaves the
    facts check standing, with the reason (the coverage is advice, the check of the file is not)."""
    from .writing.phrases import phrasebook

    try:
        return coverage(facts, phrasebook(open_index())), ""
    except GongwenError as exc:
        return None, str(exc)


def coverage_note(cover: Coverage) -> str:
    if not cover.missing:
        return ""
    named = "、".join(f"「{BY_KEY[key].name}」（{cover.usual[key]}/{cover.reports} 份）" for key in cover.missing)
    return f"主题覆盖：示例报告多数写到{named}，本稿未涉及；可补充相关事实，或确认不写"


def length_note(result: DraftResult, facts: Facts) -> str:
    """A draft under SHORT_SHARE of the length asked for: how short, why, and what would help."""
    chars = sum(len(squash(s.text)) for s in result.sections)
    asked = result.plan.length
    if chars >= SHORT_SHARE * asked:
        return ""
    fact_chars = sum(len(squash(b.text)) for b in facts.bullets_all())
    if result.fallbacks:
        why = (f"{'、'.join(result.fallbacks)} 节的模型稿未通过核查，改用了只陈述事实的离线模板稿；"
               f"可用 gongwen draft --resume {result.run_dir} --redo <节> 重写，或补充事实")
    elif result.backend == "offline":
        why = (f"离线模板稿只陈述事实、不扩写，而事实共 {len(facts.bullets_all())} 条、约 {fact_chars} 字；"
               "可补充事实（具体做法、数字、成效），改用模型起草（--backend openai），或调低 length")
    else:
        why = f"事实共 {len(facts.bullets_all())} 条、约 {fact_chars} 字，不足以支撑目标篇幅；可补充事实，或调低 length"
    return f"篇幅：本稿约 {chars} 字，不到目标 {asked} 字的 {SHORT_SHARE:.0%}。原因：{why}"


def draft_notes(result: DraftResult, facts: Facts, book: Phrasebook) -> list[str]:
    return [note for note in (length_note(result, facts), coverage_note(draft_coverage(result, facts, book))) if note]
