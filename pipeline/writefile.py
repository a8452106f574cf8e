"""Atomic writes: a file is either its old content or its whole new content, never half of each."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import GongwenError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temp file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets the usual umask default, not mkstemp's 0600."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def refuse_overwrite(path: Path, force: bool) -> None:
    """Stop before anything is drafted if an output exists and --force was not given."""
    if path.exists() and not force:
        raise GongwenError(f"{path}: already exists; pass --force to overwrite it")
    if path.exists() and path.is_dir():
        raise GongwenError(f"{path}: is a directory")
