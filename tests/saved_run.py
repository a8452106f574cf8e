"""Make a re-scorable evaluation folder from drafts saved as Markdown (e.g. the drafts a blind reader read,
../shared/reader-review/drafts/NN-model-1.5b.md): each draft is split into its plan's sections the way
`gongwen revise` reads a draft back, and saved as a run folder whose sections have an unknown status
(who wrote each section, model or composer, is not known from the Markdown).

  python tests/saved_run.py OUT DRAFT_GLOB
  e.g. tests/data/eval-review '../shared/reader-review/drafts/*-model-1.5b.md'
"""

from __future__ import annotations

import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.drafting.checks.violations import SectionCheck  # noqa: E402
from pipeline.drafting.outline.facts import load_facts  # noqa: E402
from pipeline.drafting.outline.plan import make_plan  # noqa: E402
from pipeline.drafting.results import SectionResult, SectionStatus  # noqa: E402
from pipeline.drafting.runfolder import RunFolder  # noqa: E402
from pipeline.drafting.word.readback import Edited, _walk  # noqa: E402


def convert(out: Path, drafts: list[Path]) -> None:
    for draft in drafts:
        case = draft.name[:2]
        facts_path = ROOT / "evals" / "cases" / f"{case}.md"
        plan = make_plan(load_facts(facts_path))
        lines = [re.sub(r"^#+\s*", "", line).strip() for line in draft.read_text(encoding="utf-8").split("\n")]
        body = "\n".join(lines).split("\n---\n")[0]
        paragraphs = [(line, "title" if n == 0 else None) for n, line in enumerate(x for x in body.split("\n") if x)]
        edited = Edited(draft, {})
        _walk(paragraphs, edited)
        folder = RunFolder(out / "runs" / case)
        folder.begin(facts_path, resume=False)
        folder.update(status="done", backend="openai", model=f"{draft.stem} (saved Markdown)", style_refs="patterns",
                      facts=str(facts_path))
        for n, section in enumerate(plan.sections, start=1):
            text = edited.text(section.id)
            folder.save_section(n, SectionResult(section.id, text, SectionStatus.UNKNOWN, 0, SectionCheck(section.id)))
        (out / "drafts").mkdir(parents=True, exist_ok=True)
        (out / "drafts" / f"{case}.md").write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
        (folder.path / "llm_calls.jsonl").write_text("", encoding="utf-8")
    print(json.dumps({"out": str(out), "drafts": [d.name for d in drafts]}, ensure_ascii=False))


if __name__ == "__main__":
    convert(Path(sys.argv[1]), sorted(Path(p) for p in glob.glob(sys.argv[2])))
