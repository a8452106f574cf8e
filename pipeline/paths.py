"""Where gongwen keeps its data, and where the bundled files are.

Nothing is created here at import time; callers create directories when they write.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The data directory: ``$GONGWEN_HOME``, else the platform's user data dir."""
    env = os.environ.get("GONGWEN_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("gongwen", appauthor=False))


def index_dir() -> Path:
    return data_dir() / "index"


def _bundled(name: str) -> Path:
    # An installed wheel carries copies under pipeline/_bundled/; a checkout or an editable
    # install reads the top-level folders of the repository.
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def bundled_corpus_dir() -> Path:
    """The example reports the user supplied, shipped with the tool."""
    return _bundled("corpus")


def prompts_dir() -> Path:
    return _bundled("prompts")


def bundled_evals_dir() -> Path:
    """The evaluation cases: one facts file per bundled example report."""
    return _bundled("evals") / "cases"
