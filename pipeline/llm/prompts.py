"""Prompt files: one file per prompt under ``prompts/``, with named ``${variables}``.

A file has a ``[system]`` and a ``[user]`` part; lines starting with ``#`` before them are comments.
Rendering fails loudly on a missing or an unknown variable, and every prompt carries the hash of its
file, which each LLM call records.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .. import paths
from ..errors import GongwenError

_PARTS = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)


class PromptError(GongwenError):
    pass


@dataclass(frozen=True)
class Prompt:
    name: str
    system: Template
    user: Template
    sha256: str

    @property
    def variables(self) -> set[str]:
        return set(self.system.get_identifiers()) | set(self.user.get_identifiers())

    def render(self, **values: object) -> list[dict[str, str]]:
        """Chat messages with every variable filled in."""
        missing = self.variables - values.keys()
        unknown = values.keys() - self.variables
        if missing or unknown:
            problems = [f"missing {', '.join(sorted(missing))}" if missing else "",
                        f"unknown {', '.join(sorted(unknown))}" if unknown else ""]
            raise PromptError(f"prompt '{self.name}': {'; '.join(p for p in problems if p)}")
        text = {k: str(v) for k, v in values.items()}
        return [{"role": "system", "content": self.system.substitute(text).strip()},
                {"role": "user", "content": self.user.substitute(text).strip()}]


def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    path = (folder or paths.prompts_dir()) / f"{name}.txt"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raise PromptError(f"{path}: prompt file not found") from None
    pieces = _PARTS.split(raw)
    # pieces: [preamble, "system", text, "user", text] in either order
    sections = dict(zip(pieces[1::2], pieces[2::2], strict=True))
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path}: a prompt file needs a [system] and a [user] part")
    return Prompt(name, Template(sections["system"]), Template(sections["user"]),
                  hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16])
