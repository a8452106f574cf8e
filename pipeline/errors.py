"""Errors the user can act on.

The CLI prints a :class:`GongwenError` as one line (no traceback) and exits non-zero; anything else
is a bug and is reported as such.
"""

from __future__ import annotations

import os
from pathlib import Path

from .i18n import _


def debugging() -> bool:
    """GONGWEN_DEBUG=1: a bug shows its traceback, and libraries' warnings are printed."""
    return bool(os.environ.get("GONGWEN_DEBUG"))


class GongwenError(Exception):
    """A problem the user can fix, described in one line."""

    exit_code = 1


class Interrupted(GongwenError):
    """Ctrl-C, with what was kept and how to go on."""

    exit_code = 130


class InputError(GongwenError):
    """A bad input file: names the file and what is wrong with it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(_("{path}: {reason}").format(path=path, reason=reason))


class IndexError_(GongwenError):
    """The index cannot be opened or used as asked (corrupt, foreign, other embedding)."""


def brief(exc: BaseException) -> str:
    """A library's exception as one short line: its type, and its message's first line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
