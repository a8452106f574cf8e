"""Which corpus reports are the user's own office's (its house), not another unit's.

A house report's wording may be reused (its house style is mined from it: drafting/writing/house.py);
another unit's is what the leak guard keeps out of a draft. Reports added with ``corpus add --house`` and
finished drafts learned with ``revise --learn`` are house reports.

The mark is the user's, so it lives in their data dir beside the index (``house.json``: report id →
source file), not in the index: a chroma server shared by several offices holds no office's house.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from .. import paths
from ..writefile import make_private_dir, write_atomic

HOUSE_FILE = "house.json"


def house_ids() -> dict[str, str]:
    """The house reports: id → the file they were added from."""
    try:
        data = json.loads((paths.data_dir() / HOUSE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.get("reports", {}).items()} if isinstance(data, dict) else {}


def mark(reports: Mapping[str, str], house: bool = True) -> None:
    """Mark these reports (id → source) as the house's, or, with ``house=False``, as not (removed)."""
    from filelock import FileLock

    folder = paths.data_dir()
    make_private_dir(folder)
    with FileLock(str(folder / f"{HOUSE_FILE}.lock")):
        known = house_ids()
        known = {**known, **reports} if house else {k: v for k, v in known.items() if k not in reports}
        write_atomic(folder / HOUSE_FILE, json.dumps({"reports": known}, ensure_ascii=False, indent=2) + "\n")
