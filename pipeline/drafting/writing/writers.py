"""Section writers: the one place drafting varies.

- ``LLMWriter`` (model_writer.py) asks a chat model, and owns its prompt, the normaliser of replies and
  the repair loop. When no reply passes the checks it raises :class:`SectionRejected`.
- ``ComposerWriter`` wraps the offline composer (compose.py): deterministic, adds no fact. It is the
  writer of the offline backend, and the fallback for a section the LLM writer could not draft cleanly.

The engine joins them with langchain's ``with_fallbacks`` (see :func:`section_chain`): a rejected
section goes to the composer, with the rejection, so the violations that forced it are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from ...corpus.retrieve import Hit
from ..checks.leak import LeakGuard
from ..checks.section import check_section
from ..checks.violations import SectionCheck
from ..outline.plan import Plan, Section
from ..results import SectionResult, SectionStatus
from .compose import compose, elsewhere
from .phrases import Phrasebook


@dataclass(frozen=True)
class SectionJob:
    """Everything a writer needs for one section."""

    plan: Plan
    section: Section
    hits: list[Hit]  # the style references retrieved for it
    guard: LeakGuard
    allowed: set[tuple[Any, bool]]  # the numbers the facts allow
    log: Callable[[dict[str, Any]], None]  # records one model call in the run folder
    phrases: Phrasebook = field(default_factory=Phrasebook)  # the examples' shared wording, for the composer


class SectionRejected(Exception):
    """No reply passed the checks; the last check says why."""

    def __init__(self, section: str, check: SectionCheck, attempts: int) -> None:
        super().__init__(f"section {section} failed its checks after {attempts} attempt(s)")
        self.check = check
        self.attempts = attempts


class SectionWriter(Protocol):
    @property
    def backend(self) -> str: ...  # offline | openai, as run.json records it

    @property
    def model(self) -> str: ...

    @property
    def endpoint(self) -> str: ...  # "" for the composer

    def prompt_hashes(self) -> dict[str, str]: ...

    def parallel_slots(self) -> int | None: ...  # how many sections its endpoint drafts at once, if it says

    def write(self, job: SectionJob) -> SectionResult: ...


class ComposerWriter:
    backend = "offline"
    model = "offline-composer"
    endpoint = ""

    def prompt_hashes(self) -> dict[str, str]:
        return {}

    def parallel_slots(self) -> int | None:
        return None

    def write(self, job: SectionJob) -> SectionResult:
        text = compose(job.plan, job.section, job.phrases)
        return SectionResult(job.section.id, text, SectionStatus.OK, 1, self._check(text, job))

    def fallback(self, job: SectionJob, rejected: SectionRejected) -> SectionResult:
        """The composer's text for a section the model could not write, with what the model got wrong."""
        text = compose(job.plan, job.section, job.phrases)
        return SectionResult(job.section.id, text, SectionStatus.FALLBACK, rejected.attempts, self._check(text, job),
                             [asdict(v) for v in rejected.check.violations])

    @staticmethod
    def _check(text: str, job: SectionJob) -> SectionCheck:
        # The composer's own prose claims nothing by construction: it is its own stock.
        return check_section(text, job.section, job.guard, job.allowed, job.plan, own_words=job.guard.own_words,
                             elsewhere=elsewhere(job.plan, job.section, job.phrases), genre=job.phrases.wording,
                             stock=text)


def section_chain(writer: SectionWriter) -> Callable[[SectionJob], SectionResult]:
    """The writer, with the composer as its fallback branch for a section it rejects.

    langchain is imported here, where drafting starts, and never at the CLI's start-up.
    """
    from langchain_core.runnables import Runnable, RunnableLambda

    composer = ComposerWriter()

    def draft(given: dict[str, Any]) -> SectionResult:
        return writer.write(given["job"])

    def fall_back(given: dict[str, Any]) -> SectionResult:
        return composer.fallback(given["job"], given["rejected"])

    chain: Runnable[dict[str, Any], SectionResult] = RunnableLambda(draft).with_fallbacks(
        [RunnableLambda(fall_back)], exceptions_to_handle=(SectionRejected,), exception_key="rejected")

    def run(job: SectionJob) -> SectionResult:
        result: SectionResult = chain.invoke({"job": job})
        return result

    return run
