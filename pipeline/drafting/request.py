"""What a draft is asked for, and who watches it: the options every command passes to the engine, and
the progress events a display is told (drafting/engine.py sends them; cli/progress.py shows them).

Kept apart from the engine so a command can check its inputs and say so before it imports the engine
and what the engine needs (the index, the checks, the writers: ~0.4 s of a cold start).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..i18n import N_

if TYPE_CHECKING:
    from .results import SectionResult


@dataclass
class DraftOptions:
    concurrency: int = 4  # sections (and, in a batch, reports) drafted at once; see writing.backend.fit_concurrency
    concurrency_why: str = N_("the default")
    k: int = 3  # style references per section
    style_refs: str = "patterns"  # patterns: sentence shapes with facts masked; raw: the example text
    exclude_reports: tuple[str, ...] = ()


class DraftProgress(Protocol):
    """What a display is told while a draft is written; the engine knows nothing of how it is shown.

    ``preparing`` comes from the command (session, revise, batch) once its inputs are checked, as it makes
    ready ``what`` (the example reports, the endpoint: seconds each on a cold start); ``begin`` names the
    sections to be drafted, and the model they wait on, before the first starts; ``started`` comes as a section
    goes to its writer (for a model, as it waits on the model) and ``finished`` when it is done. A
    section kept from an earlier run (resume, revise) is only ``finished``. Calls come from the
    drafting threads, several at once.
    """

    def preparing(self, what: str) -> None: ...

    def begin(self, sections: list[str], model: str) -> None: ...

    def started(self, section_id: str) -> None: ...

    def finished(self, result: SectionResult) -> None: ...
