"""The files a command will write, checked before anything is drafted, so a mistake costs no model call.

- An output is never an input, with or without ``--force``, whatever path, symlink or hard link names it:
  not the facts file, not the facts file a run folder's ``run.json`` records, not the .docx being
  revised, not a source file of the corpus (the bundled examples, and the path ``corpus add`` recorded
  for each report).
- An output that exists is replaced only with ``--force``.
- Its folder exists, is a folder, and takes a new file (tried: a temp file is made there and removed). A
  missing folder is an error that says how to make it; no output folder is ever made silently.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import GongwenError
from ..i18n import _
from ..writefile import check_folder, refuse_overwrite, same_file

if TYPE_CHECKING:
    from ..corpus.index import CorpusIndex
    from .runfolder import RunFolder


def recorded_facts(folder: RunFolder) -> list[Path]:
    """The facts files a run folder names: its own copy, and the user's file ``run.json`` records."""
    recorded = folder.record.get("facts")
    return [folder.facts_file, *([Path(str(recorded))] if recorded else [])]


def corpus_sources(index: CorpusIndex, target: Path) -> list[Path]:
    """The files the corpus was read from that could be ``target``: the bundled example reports, and the
    reports added from its path; from every path when ``target`` has other hard links (then only a file's
    identity tells, and listing a 10,000-report corpus takes a query of every report)."""
    bundled = paths.bundled_corpus_dir()
    found = [p for p in bundled.rglob("*") if p.is_file()] if bundled.is_dir() else []
    if target.stat().st_nlink > 1:
        return found + [Path(r.source_path) for r in index.list_reports() if r.source_path]
    resolved = str(target.resolve())  # ``corpus add`` records a report's resolved path
    return found + [Path(p) for p in index.reports_from([resolved])]


def check_outputs(targets: Iterable[Path | None], force: bool, inputs: Iterable[Path]) -> None:
    """Refuse, in one line, any output that is one of ``inputs``, exists without ``--force``, is named
    twice, or cannot be written in its folder. Fast: the corpus's sources are :func:`refuse_sources`."""
    named, given = [t for t in targets if t is not None], list(inputs)
    for a, b in itertools.combinations(named, 2):
        if same_file(a, b):
            both = str(a) if str(a) == str(b) else _("{a} and {b}").format(a=a, b=b)
            raise GongwenError(_("{paths}: one file given for two outputs; name another path for one of them")
                               .format(paths=both))
    for target in named:
        refuse_overwrite(target, force, given)
        check_folder(target.parent, target)


def refuse_sources(targets: Iterable[Path | None], index: Callable[[], CorpusIndex]) -> None:
    """Refuse an output that is a source file of the corpus. The index is opened (~0.8 s on a cold
    start) only for an output that exists: a file not yet there is no source of anything."""
    for target in (t for t in targets if t is not None and t.exists()):
        refuse_overwrite(target, True, corpus_sources(index(), target))
