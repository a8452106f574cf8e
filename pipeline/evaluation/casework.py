"""What one case's run shipped, section by section: who wrote each section, and the gaps it left.

It reads the run folder (``runs/<case>/``) as the draft left it, so a re-scored evaluation shows the
statuses of the run it re-scores, and a baseline run shows its own. The status a reader sees:

- ``model``: the model's first reply passed every check and ships;
- ``repaired``: a later reply passed and ships (the model was asked again: its faults named, or for
  the length the section needs);
- ``fallback``: no reply passed, so the offline composer's text ships (the faults are kept);
- ``composer``: the offline composer wrote it (the offline backend, or nothing for a model to draft);
- ``kept``: the user's own text, as they left it (a run of ``gongwen revise``).

A section's 【待补】 gaps are counted beside its status. An evaluation folder says where its cases' runs
are in ``eval.json`` (a re-scored evaluation drafted nothing: its runs are those of the folder it
re-scored), so a re-score of a re-score, or either as a baseline, still finds them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..drafting.outline.facts import Facts, load_facts
from ..drafting.outline.plan import Plan, make_plan
from ..drafting.results import SectionStatus
from ..drafting.runfolder import RunFolder
from ..drafting.word.export import section_label
from ..genre import Part, placeholders
from ..i18n import _

STATUSES = ("model", "repaired", "fallback", "composer", "kept")
_STATUS = {SectionStatus.OK: "model", SectionStatus.REPAIRED: "repaired", SectionStatus.FALLBACK: "fallback",
           SectionStatus.COMPOSED: "composer", SectionStatus.KEPT: "kept", SectionStatus.LOCKED: "kept"}
OTHER = "other"  # a status this version does not know (a run folder from another version)
EVAL_FILE = "eval.json"


@dataclass(frozen=True)
class ShippedSection:
    id: str
    part: Part
    label: str  # 「（二）加强党员队伍建设」, 「究其原因」
    text: str
    status: str  # one of STATUSES
    attempts: int
    gaps: int  # its 【待补】
    flagged: tuple[str, ...]  # the faults that made it fall back


@dataclass(frozen=True)
class CaseRun:
    case: str
    backend: str  # offline | openai
    model: str
    style_refs: str
    facts: Facts
    plan: Plan
    sections: tuple[ShippedSection, ...]  # those the run finished, in the plan's order

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.sections)

    @property
    def gaps(self) -> int:
        return sum(s.gaps for s in self.sections)


def read_case_run(run: Path, case: str) -> CaseRun | None:
    """The case's run as it shipped; None where the folder holds no run (an evaluation saved before
    run folders were kept)."""
    folder = RunFolder(run)
    if not folder.facts_file.is_file():
        return None
    record = folder.record
    backend = str(record.get("backend", ""))
    facts = load_facts(folder.facts_file)
    plan = make_plan(facts)
    sections = []
    for n, section in enumerate(plan.sections, start=1):
        result = folder.load_section(n, section)
        if result is None:
            continue
        status = "composer" if backend == "offline" else _STATUS.get(result.status, OTHER)
        sections.append(ShippedSection(
            section.id, section.part, section_label(plan, section.id), result.text.strip(), status,
            result.attempts, len(placeholders(result.text)), tuple(str(v.get("detail", "")) for v in result.flagged)))
    return CaseRun(case, backend, str(record.get("model", "")), str(record.get("style_refs", "")), facts, plan,
                   tuple(sections))


def read_case_runs(runs: Path, cases: Iterable[str]) -> dict[str, CaseRun | None]:
    """Each case's run under ``runs/`` (``runs/<case>/``), by case."""
    return {case: read_case_run(runs / case, case) for case in sorted(set(cases))}


def model_share(runs: Mapping[str, CaseRun | None]) -> float | None:
    """The share of shipped sections the model wrote (at the first reply or asked again); None where no
    run says, or the offline composer drafted."""
    known = [r for r in runs.values() if r is not None]
    total = sum(len(r.sections) for r in known)
    if not total or offline(runs):
        return None
    return sum(r.count("model") + r.count("repaired") for r in known) / total


def offline(runs: Mapping[str, CaseRun | None]) -> bool:
    """Whether the offline composer drafted every case a run folder says anything of."""
    known = [r for r in runs.values() if r is not None]
    return bool(known) and all(r.backend == "offline" for r in known)


def writer_of(runs: Mapping[str, CaseRun | None]) -> str:
    """Who drafted: 「offline composer」 or 「qwen-1.5b, style refs patterns」 ('' if no run says)."""
    known = [r for r in runs.values() if r is not None]
    if not known:
        return ""
    if offline(runs):
        return _("offline composer")
    first = known[0]
    return (_("{model}, style refs {style}").format(model=first.model, style=first.style_refs) if first.style_refs
            else first.model)


def runs_dir(folder: Path, rescore: Path | None) -> Path:
    """Where the evaluation written to ``folder`` finds its case runs: those of the folder it re-scores,
    or its own ``runs/``."""
    return runs_of(rescore) if rescore else folder / "runs"


def runs_of(folder: Path) -> Path:
    """Where an evaluation folder's case runs are: as its eval.json says, else its own ``runs/``."""
    try:
        said = json.loads((folder / EVAL_FILE).read_text(encoding="utf-8")).get("runs")
    except (OSError, ValueError, AttributeError):
        said = None
    return Path(said) if isinstance(said, str) and Path(said).is_dir() else folder / "runs"
