"""What the terminal shows while sections are drafted. The engine only reports (drafting/engine.py:
``DraftProgress``); this is the one place that decides how it looks.

- A line as each section starts and as it ends, with the seconds since the command began (and, at its
  end, the section's own seconds and calls): a model on an office PC takes minutes a report, and a
  blank terminal for that long looks like a hang.
- On a terminal, a live line under them: what waits on the model, how many sections are done, and once
  the first is back, the time left (the pace so far times what remains).
- When stderr is no terminal (a log, a pipe): the lines, no live line. With ``--json``: nothing (the
  commands pass no display).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from ..genre import placeholders
from ..i18n import N_, _, join

if TYPE_CHECKING:
    from rich.text import Text

# How each section was written, as the lines show it: drafted cleanly, repaired, fallen back to the
# composer, composed (nothing to draft: a visible gap), or kept as the user wrote it (revise).
STATUS_MARK = {"ok": "[green]✓[/]", "repaired": "[yellow]✓[/]", "fallback": "[red]![/]", "composed": "·",
               "kept": "[dim]=[/]", "locked": "[dim]=[/]"}


def mark(section: Any) -> str:
    """✓ for a section a model wrote cleanly, ! for a fallback, 待补 for one that still has a gap."""
    return "[yellow]" + _("待补") + "[/]" if placeholders(section.text) else STATUS_MARK.get(section.status, "?")


# A section's status as the lines say it (the run folder keeps the English word).
STATUS_WORDS = {"ok": N_("ok"), "repaired": N_("repaired"), "fallback": N_("fallback"), "composed": N_("composed"),
                "kept": N_("kept"), "locked": N_("locked")}


def seconds(value: float) -> str:
    if value < 90:
        return _("{seconds:.0f} s").format(seconds=value)
    return _("{minutes:.0f} min").format(minutes=value / 60)


class Display:
    """The lines and the live line for one command; several reports (a batch) share it, by label."""

    def __init__(self, console: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.console = console
        self.clock = clock
        self.began = clock()
        self._lock = threading.Lock()
        self._waiting: dict[str, float] = {}  # section (with its report's label) → when it started
        self._first: float | None = None  # when the first section started
        self.total = self.done = 0
        self.model = ""
        self._prepared: set[str] = set()  # what was said to be in preparation
        self._status = console.status(_LiveLine(self), spinner="dots") if console.is_terminal else None

    def __enter__(self) -> Display:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._status is not None:
            self._status.stop()

    def report(self, label: str = "") -> Report:
        """What one draft tells this display; ``label`` (a batch's facts file) goes before each section."""
        return Report(self, f"{escape(label)} · " if label else "")

    def _line(self, text: str) -> None:
        self.console.print(f"{self.clock() - self.began:6.1f}s {text}", soft_wrap=True, highlight=False)

    def live(self) -> Text:
        """The live line as it stands now."""
        from rich.text import Text

        with self._lock:
            waiting, done, total, first = list(self._waiting), self.done, self.total, self._first
        now = self.clock()
        if first is None:
            return Text(_("preparing · {seconds:.0f} s").format(seconds=now - self.began))
        parts = [_("waiting on {model}: {sections}").format(model=self.model, sections=join(waiting) or "-"),
                 _("{done} of {total} done").format(done=done, total=total),
                 _("{seconds:.0f} s").format(seconds=now - self.began)]
        if done and total > done:  # the pace so far, once the first section is back
            parts.append(_("about {time} left").format(time=seconds((now - first) / done * (total - done))))
        return Text(" · ".join(parts))


class Report:
    """One draft's events (engine.DraftProgress), shown on a shared :class:`Display`."""

    def __init__(self, display: Display, prefix: str) -> None:
        self.display = display
        self.prefix = prefix

    def preparing(self, what: str) -> None:
        with self.display._lock:
            said = what in self.display._prepared
            self.display._prepared.add(what)
        if not said:  # once for a batch
            self.display._line(escape(_("preparing {what}").format(what=_(what))))

    def begin(self, sections: list[str], model: str) -> None:
        with self.display._lock:
            self.display.total += len(sections)
            self.display.model = model
        if sections:  # a revision that keeps every section drafts none
            self.display._line(self.prefix + escape(_("{count} section(s) to draft, by {model}").format(
                count=len(sections), model=model)))

    def started(self, section_id: str) -> None:
        key = self.prefix + section_id
        with self.display._lock:
            now = self.display.clock()
            self.display._waiting[key] = now
            self.display._first = self.display._first if self.display._first is not None else now
        self.display._line("→ " + _("{section}: drafting").format(section=key))

    def finished(self, result: Any) -> None:
        key = self.prefix + result.id
        with self.display._lock:
            began = self.display._waiting.pop(key, None)
            self.display.done += began is not None
        status = _(STATUS_WORDS.get(result.status, result.status))
        if began is None:
            said = _("{section}: {status}").format(section=key, status=status)
        else:
            said = _("{section}: {status} ({calls} call(s), {seconds:.1f} s)").format(
                section=key, status=status, calls=result.attempts, seconds=self.display.clock() - began)
        self.display._line(f"{mark(result)} {said}")


class _LiveLine:
    """Renders the display's live line afresh at each refresh, so its clock and estimate move."""

    def __init__(self, display: Display) -> None:
        self.display = display

    def __rich__(self) -> Text:
        return self.display.live()
