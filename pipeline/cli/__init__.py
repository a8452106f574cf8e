"""The ``gongwen`` command line. Thin: each command parses its arguments, calls one pipeline function and
prints what came back. Every user-fixable problem ends as a one-line error on stderr and a non-zero exit,
never a traceback.
"""

from . import (  # noqa: F401 - each registers its commands
    corpus_commands,
    draft_commands,
    eval_command,
    review_command,
    revise_command,
)
from .common import app

__all__ = ["app"]
