"""``gongwen eval --style-refs patterns,none,raw``: the cases drafted once per style-refs mode, each mode's
evaluation a folder of its own (``OUT/<mode>/``, as one ``gongwen eval`` writes it), and the modes compared
on the style measure (style.py): each mode's draft mean with its 95% CI, and each mode against the
reference mode (patterns where it is listed, else the first) by compare.py's rule: better or worse, or
within noise where each mean lies inside the other's CI. The comparison is written to ``OUT/modes.json``.

The offline composer shows no model any example, so with it every mode drafts the same text: the command
says so and scores one mode (cli/eval_command.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..corpus.index import CorpusIndex
from ..drafting.request import DraftOptions
from ..drafting.writing.writers import SectionWriter
from ..llm.chat import ChatModel
from ..writefile import write_atomic
from .casework import writer_of
from .compare import Change, compare
from .evaluate import check_free, evaluate, new_folder
from .results import Evaluation
from .style import STYLE_METRICS

MODES_FILE = "modes.json"
REFERENCE_MODE = "patterns"  # the default: the other modes are weighed against it


def style_modes(given: str) -> tuple[str, ...]:
    """「patterns,none,raw」 → the modes, in order, each once (each is checked where a writer is made)."""
    return tuple(dict.fromkeys(m.strip() for m in given.split(",") if m.strip())) or (given,)


def per_mode(folder: Path | None, mode: str) -> Path | None:
    """A folder given for every mode (--rescore, --baseline): its ``<mode>/`` where it has one, else itself."""
    return folder / mode if folder is not None and (folder / mode).is_dir() else folder


@dataclass(frozen=True)
class ModeComparison:
    folder: Path
    runs: dict[str, Evaluation]  # mode → its evaluation, in the order given

    @property
    def reference(self) -> str:
        return REFERENCE_MODE if REFERENCE_MODE in self.runs else next(iter(self.runs))

    @cached_property
    def against(self) -> dict[str, list[Change]]:
        """Each other mode → its change from the reference mode on each style metric."""
        before = self.runs[self.reference].summary
        return {mode: [c for c in compare(done.summary, before) if c.metric in STYLE_METRICS]
                for mode, done in self.runs.items() if mode != self.reference}

    def means(self, mode: str) -> dict[str, dict[str, float]]:
        """metric → the mode's draft entry (mean, low, high, n), for the style metrics it scored."""
        summary = self.runs[mode].summary
        return {m: summary[m]["draft"] for m in STYLE_METRICS if "draft" in summary.get(m, {})}

    def as_dict(self) -> dict[str, object]:
        return {"reference": self.reference,
                "modes": {mode: {"out": str(done.folder), "writer": writer_of(done.case_runs),
                                 "style": self.means(mode)} for mode, done in self.runs.items()},
                "against": {mode: {c.metric: {"old": c.old, "new": c.new, "verdict": c.verdict} for c in changes}
                            for mode, changes in self.against.items()}}


def evaluate_modes(modes: tuple[str, ...], writer_for: Callable[[DraftOptions], SectionWriter], cases: Path | None,
                   out: Path | None, index: CorpusIndex, baseline: Path | None = None, rescore: Path | None = None,
                   judge_with: ChatModel | None = None, force: bool = False,
                   progress: Callable[[str, str], None] | None = None) -> ModeComparison:
    """Evaluate the cases once per mode into ``out/<mode>/``, then compare the modes; ``progress(mode, case)``."""
    folder = out or new_folder()
    for mode in modes:  # every folder is checked before any mode drafts
        check_free(folder / mode, force, per_mode(rescore, mode))
    runs: dict[str, Evaluation] = {}
    for mode in modes:
        options = DraftOptions(style_refs=mode)
        said = (lambda case, mode=mode: progress(mode, case)) if progress else None
        runs[mode] = evaluate(cases, writer_for(options), folder / mode, index, per_mode(baseline, mode),
                              per_mode(rescore, mode), judge_with, force, progress=said, options=options)
    compared = ModeComparison(folder, runs)
    write_atomic(folder / MODES_FILE, json.dumps(compared.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return compared
