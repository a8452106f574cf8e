"""The run folder: every artifact of one draft, so a run can be resumed, inspected and re-scored.

::

    facts.md          the facts file, copied at the start (a resume reads this copy)
    plan.json         the outline and each section's character budget
    sources.json      the example chunks retrieved for each section
    sections/NN_ID.md and .json   each section as drafted, written the moment it is done
    llm_calls.jsonl   every model call: messages, reply, prompt hashes, usage (never the key)
    checks.json       every section's violations, status and attempts
    run.json          status (running | done | failed | interrupted), backend, endpoint, model,
                      prompt hashes, timings, usage, and which sections are done (and for
                      ``gongwen revise``, what became of each section and what the fact lock found)
    gaps.json         every 【待补】 and every section that fell back to the composer
    export-ID.json    what the Word file exported as draft ID says, by section (``revise`` compares
                      the user's edits with it)
    review.html       the review page: each sentence, what it is for the reader, its facts (ledger.py)

The CLI, batch drafting and evaluation all make, name and read run folders here. A run folder is
private (0700, files 0600): it holds the user's facts, every prompt and every reply. Every file is
written atomically, and once a run has stopped (:meth:`RunFolder.stop`) nothing more is written, so the
folder stays as ``run.json`` describes it.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import GongwenError
from ..i18n import _
from ..writefile import make_private_dir, open_private, same_file, write_private
from .outline.plan import Section
from .results import SectionResult

FACTS = "facts.md"
RUN = "run.json"
CALLS = "llm_calls.jsonl"


def run_name(stem: str, number: int | None = None, stamp: str | None = None) -> str:
    """``20261125-102501-facts``, or ``20261125-102501-003-facts`` for the third report of a batch."""
    stamp = stamp or time.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{number:03d}-{stem}" if number is not None else f"{stamp}-{stem}"


def runs_dir() -> Path:
    """Where run folders go unless the user names one: ``runs/`` in the data dir."""
    return paths.data_dir() / "runs"


class RunFolder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stopped = False
        self.info: dict[str, Any] = {}

    @classmethod
    def new(cls, stem: str, parent: Path | None = None, number: int | None = None,
            stamp: str | None = None) -> RunFolder:
        return cls((parent or runs_dir()) / run_name(stem, number, stamp))

    @classmethod
    def unused(cls, path: Path | None, stem: str, force: bool, instead: str) -> RunFolder:
        """The folder for a new run: ``path``, or a new one named after ``stem``. A folder that holds a run
        already is refused unless ``force``; ``instead`` says what to do (``{path}``: the folder)."""
        folder = cls(path) if path else cls.new(stem)
        if path is None:  # a name of its own: two drafts of one file in one second get -2, -3 …
            base, n = folder.path, 2
            while folder.holds_run():
                folder, n = cls(base.with_name(f"{base.name}-{n}")), n + 1
        if folder.holds_run() and not force:
            raise GongwenError(_("{path}: holds a run already; {instead}").format(
                path=folder.path, instead=_(instead).format(path=folder.path)))
        return folder

    @classmethod
    def existing(cls, path: Path) -> RunFolder:
        """A run folder to resume; a one-line error if it is not one."""
        if not path.is_dir():
            raise GongwenError(_("{path}: no such run folder").format(path=path))
        if not (path / FACTS).is_file():
            raise GongwenError(_("{path}: not a gongwen run folder (no {file})").format(path=path, file=FACTS))
        return cls(path)

    # --- reading -------------------------------------------------------------------------------------

    @property
    def facts_file(self) -> Path:
        return self.path / FACTS

    def holds_run(self) -> bool:
        return (self.path / RUN).exists()

    def read_json(self, name: str) -> dict[str, Any]:
        """A JSON file of the run, or {} if it is missing or damaged."""
        return _read_json(self.path / name)

    @property
    def record(self) -> dict[str, Any]:
        """What ``run.json`` says."""
        return self.read_json(RUN)

    def section_file(self, n: int, section_id: str, ext: str) -> Path:
        # Built by hand: Path.with_suffix would take the 「.1」 of 「main_work.1」 for a suffix.
        return self.path / "sections" / f"{n:02d}_{section_id}.{ext}"

    def load_section(self, n: int, section: Section) -> SectionResult | None:
        """A section finished by an earlier attempt at this run, if both its files are whole."""
        data = _read_json(self.section_file(n, section.id, "json"))
        if not data or not self.section_file(n, section.id, "md").exists():
            return None
        return SectionResult.from_dict(data)

    def calls(self) -> list[dict[str, Any]]:
        path = self.path / CALLS
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    # --- writing -------------------------------------------------------------------------------------

    def begin(self, facts_path: Path | None, resume: bool) -> None:
        """Make the folder; unless resuming, clear an earlier run's sections and copy the facts in."""
        make_private_dir(self.path / "sections")
        if resume:
            return
        # Starting over: no section of an earlier run in this folder may be taken up by a later resume.
        for stale in [*(self.path / "sections").glob("*.md"), *(self.path / "sections").glob("*.json")]:
            stale.unlink()
        if facts_path is not None and not same_file(facts_path, self.facts_file):
            write_private(self.facts_file, facts_path.read_bytes())
        write_private(self.path / CALLS, "")

    def write_json(self, name: str, data: Any) -> None:
        write_private(self.path / name, _json(data))

    def write_text(self, name: str, text: str) -> None:
        write_private(self.path / name, text)

    def update(self, **changes: Any) -> None:
        """Record progress in ``run.json`` (rewritten whole, atomically)."""
        with self._lock:
            self.info.update(changes)
            write_private(self.path / RUN, _json(self.info))

    def save_section(self, n: int, result: SectionResult) -> None:
        with self._lock:
            if self._stopped:
                return
            write_private(self.section_file(n, result.id, "json"), _json(result.as_dict()))
            write_private(self.section_file(n, result.id, "md"), result.text + "\n")
            done = self.info.setdefault("sections_done", [])
            if result.id not in done:
                done.append(result.id)
            write_private(self.path / RUN, _json(self.info))

    def log_call(self, record: dict[str, Any]) -> None:
        with self._lock:
            if self._stopped:
                return
            with open_private(self.path / CALLS) as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def stop(self, status: str, error: str) -> None:
        """The run ended early (failed or interrupted): say so, and write nothing after."""
        with self._lock:
            self._stopped = True
            self.info.update(status=status, error=error)
            write_private(self.path / RUN, _json(self.info))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
