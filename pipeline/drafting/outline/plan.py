"""The outline, the first stage of drafting: facts → the outline (``plan.json``).

The outline fixes what each section says before any is drafted, so sections drafted in parallel do not
repeat one another: the title, the opening, one （一）… section per group of main-work bullets, the
problems, their causes (究其原因), the measures, and the closing. Each section gets a character budget;
the budgets add up to the requested length, split in the proportions the example reports show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ...errors import GongwenError
from ...genre import CAUSES, CAUSES_HEADING, PART_HEADINGS, Part, numeral
from ...i18n import _, join
from .facts import Bullet, Facts
from .naming import post
from .title import manual_lines
from .topics import CATCH_ALL, topic_of


@dataclass
class Section:
    id: str  # main_work.1, problems, causes, plans, opening, closing
    part: Part
    heading: str  # 「（一）压实主体责任……」 for main work; the part heading or "" otherwise
    bullets: list[Bullet] = field(default_factory=list)
    budget: int = 0

    @property
    def query(self) -> str:
        """What retrieval looks for: the heading and the facts of this section."""
        return " ".join([self.heading, *(b.text for b in self.bullets)]).strip()


@dataclass
class Plan:
    title: str
    unit: str
    role: str
    year: str
    kind: str
    superior: str
    length: int
    sections: list[Section]
    name: str = ""  # the 落款: who reports, and the date
    date: str = ""
    title_lines: list[str] = field(default_factory=list)  # the title's line breaks, when the user gave them

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def check_redo(self, redo: Iterable[str]) -> None:
        """Refuse a section id to draft again that the outline does not have."""
        unknown = sorted(set(redo) - {s.id for s in self.sections})
        if unknown:
            raise GongwenError(_("no section {ids} in the outline; sections are: {sections}").format(
                ids=join(unknown), sections=join([s.id for s in self.sections])))

    def outline(self, subheadings_shown: bool = True) -> str:
        """The outline as a section prompt shows it: the headings in order, and no section's facts.

        Given every section's facts, a small model wrote the whole report into its opening; shown the
        main work's subheadings while drafting a group or the causes, it wrote one item for each of them.
        """
        subheadings = "、".join(s.heading for s in self.sections if s.part == Part.MAIN_WORK and subheadings_shown)
        parts = [f"{PART_HEADINGS[Part.MAIN_WORK]}（{subheadings}）" if subheadings else PART_HEADINGS[Part.MAIN_WORK],
                 PART_HEADINGS[Part.PROBLEMS], PART_HEADINGS[Part.PLANS]]
        return f"开头段；{'；'.join(parts)}；结尾段"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for section, raw in zip(self.sections, data["sections"], strict=True):
            raw["part"] = section.part.value
        return data


def make_plan(facts: Facts, shares: dict[str, float] | None = None) -> Plan:
    shares = shares or example_shares()
    # A 「|」 in the facts file's title marks where the user wants its line broken.
    lines = manual_lines(facts.title)
    title = "".join(lines) or f"{post(facts.unit, facts.role)}{facts.year}年度抓基层党建工作{facts.kind}"
    sections = [Section("opening", Part.OPENING, "")]
    for n, (name, bullets) in enumerate(_groups(facts.main_work), start=1):
        sections.append(Section(f"main_work.{n}", Part.MAIN_WORK, f"（{numeral(n)}）{name}", bullets))
    sections.append(Section("problems", Part.PROBLEMS, "", facts.problems))
    sections.append(Section(CAUSES, Part.PROBLEMS, CAUSES_HEADING, facts.causes))
    sections.append(Section("plans", Part.PLANS, "", facts.plans))
    sections.append(Section("closing", Part.CLOSING, ""))
    plan = Plan(title, facts.unit, facts.role, facts.year, facts.kind, facts.superior, facts.length, sections,
                facts.name, facts.date, lines if len(lines) > 1 else [])
    _budget(plan, shares)
    return plan


def _groups(bullets: list[Bullet]) -> list[tuple[str, list[Bullet]]]:
    """The user's ## groups in order; bullets without one are grouped by topic (topics.py), each
    group under its topic's subheading; a bullet no topic claims joins central work."""
    groups: dict[str, list[Bullet]] = {}
    for bullet in bullets:
        name = bullet.group or (topic_of(bullet.text) or CATCH_ALL).heading
        groups.setdefault(name, []).append(bullet)
    return list(groups.items())


def _budget(plan: Plan, shares: dict[str, float]) -> None:
    """Split ``plan.length`` over sections: by part in the examples' proportions, then by facts."""
    by_part: dict[str, list[Section]] = {}
    for s in plan.sections:
        key = CAUSES if s.id == CAUSES else s.part.value
        by_part.setdefault(key, []).append(s)
    total = sum(shares.get(k, 0.0) for k in by_part) or 1.0
    for key, sections in by_part.items():
        part_budget = plan.length * shares.get(key, 0.0) / total
        weights = [max(1, len(s.bullets)) for s in sections]
        for s, w in zip(sections, weights, strict=True):
            s.budget = round(part_budget * w / sum(weights))
    plan.sections[-1].budget += plan.length - sum(s.budget for s in plan.sections)  # rounding remainder


@lru_cache(maxsize=1)
def example_shares() -> dict[str, float]:
    """The share of characters each part takes in the bundled example reports."""
    from ... import paths
    from ...corpus.clean import clean_text
    from ...corpus.split import split_report

    counts: dict[str, int] = {}
    for path in sorted(paths.bundled_corpus_dir().glob("*.txt")):
        for chunk in split_report(clean_text(path.read_text(encoding="utf-8")).text).chunks:
            key = CAUSES if chunk.subheading == CAUSES_HEADING else chunk.part.value
            counts[key] = counts.get(key, 0) + len(chunk.text)
    counts.pop("title", None)
    counts.setdefault("closing", max(1, sum(counts.values()) // 100))
    total = sum(counts.values())
    return {key: count / total for key, count in counts.items()}
