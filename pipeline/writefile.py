"""Writing files without losing what the user wrote.

- Atomic writes: a file is either its old content or its whole new content, never half of each.
- An output is never an input: a path that is (or links to) a file being read is refused, even with
  ``--force``.
- Run folders are private: they hold the user's facts, every prompt and every reply, so they are
  created 0700 and their files 0600.
"""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .errors import GongwenError
from .i18n import _

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def write_atomic(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Write to a temp file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_private(path: Path, data: str | bytes) -> None:
    """An atomic write of a file only its owner can read (inside a run folder)."""
    write_atomic(path, data, mode=PRIVATE_FILE)


def open_private(path: Path) -> IO[str]:
    """Open a run folder's log for appending; created 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    return os.fdopen(fd, "a", encoding="utf-8")


def make_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents 0700 (a run folder and the folders that hold it)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new one gets the usual umask default, not mkstemp's 0600."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def same_file(a: Path, b: Path) -> bool:
    """True when both paths name one file: the same path, a symlink to it, or a hard link."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def refuse_overwrite(path: Path, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Stop before anything is drafted if an output is an input, or exists and --force was not given."""
    for source in inputs:
        if same_file(path, source):
            raise GongwenError(_("{path}: is an input ({source}); choose another output path "
                                 "(--force never overwrites an input)").format(path=path, source=source))
    if path.exists() and path.is_dir():
        raise GongwenError(_("{path}: is a directory").format(path=path))
    if path.exists() and not force:
        raise GongwenError(_("{path}: already exists; pass --force to overwrite it").format(path=path))


def check_folder(folder: Path, output: Path | None = None) -> None:
    """``folder`` (where ``output`` goes) is there, is a folder, and takes a new file: one is made there
    and removed, since permission bits do not tell (a read-only mount, /proc, root's rights)."""
    where = (_("{output}: the folder {folder}").format(output=output, folder=folder) if output
             else _("{folder}: the folder").format(folder=folder))
    if not folder.exists():
        raise GongwenError(_("{where} does not exist; make it first: {command}").format(
            where=where, command=f"mkdir -p {shlex.quote(str(folder))}"))
    if not folder.is_dir():
        raise GongwenError(_("{where} is not a folder").format(where=where))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".gongwen-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise GongwenError(_("{where} cannot be written in ({reason})").format(
            where=where, reason=exc.strerror or type(exc).__name__)) from None
    os.close(fd)
    os.unlink(tmp)
