"""Prompt files: every text a model is sent lives under ``prompts/``, with named ``${variables}``.

Two kinds of file, one loader each, both strict:

- a **prompt** (``section.txt``, ``repair.txt``, ``judge.txt`` …) has a ``[user]`` part and may have a
  ``[system]`` part, and renders to chat messages;
- a **snippets** file (``section_parts.txt``) holds named pieces (``[title.opening]`` …) that fill a
  prompt's variables.

Lines starting with ``#`` before the first part are comments. Rendering fails loudly on a missing or an
unknown variable, and a missing snippet is an error too. Every file carries the hash of its text, which
the run records with each call.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .. import paths
from ..errors import GongwenError
from ..i18n import _, join

_PARTS = re.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)
_SNIPPETS = re.compile(r"^\[([a-z_.]+)\]\s*$", re.MULTILINE)


class PromptError(GongwenError):
    pass


def _check(name: str, expected: set[str], values: dict[str, object]) -> None:
    missing, unknown = expected - values.keys(), values.keys() - expected
    if missing or unknown:
        problems = [_("missing {names}").format(names=join(sorted(missing))) if missing else "",
                    _("unknown {names}").format(names=join(sorted(unknown))) if unknown else ""]
        raise PromptError(_("prompt '{name}': {problems}").format(name=name,
                                                                  problems=join([p for p in problems if p], "clauses")))


@dataclass(frozen=True)
class Prompt:
    name: str
    system: Template | None
    user: Template
    sha256: str

    @property
    def variables(self) -> set[str]:
        found = set(self.user.get_identifiers())
        return found | set(self.system.get_identifiers()) if self.system else found

    def render(self, **values: object) -> list[dict[str, str]]:
        """Chat messages with every variable filled in."""
        _check(self.name, self.variables, values)
        text = {k: str(v) for k, v in values.items()}
        user = {"role": "user", "content": self.user.substitute(text).strip()}
        if self.system is None:
            return [user]
        return [{"role": "system", "content": self.system.substitute(text).strip()}, user]


@dataclass(frozen=True)
class Snippets:
    name: str
    pieces: dict[str, Template]
    sha256: str

    def __contains__(self, key: str) -> bool:
        return key in self.pieces

    def variables(self, key: str) -> set[str]:
        return set(self.pieces[key].get_identifiers()) if key in self.pieces else set()

    def render(self, key: str, **values: object) -> str:
        if key not in self.pieces:
            raise PromptError(_("prompt '{name}': no snippet [{key}]").format(name=self.name, key=key))
        _check(f"{self.name} [{key}]", set(self.pieces[key].get_identifiers()), values)
        return self.pieces[key].substitute({k: str(v) for k, v in values.items()}).strip()


def _read(name: str, folder: Path | None) -> tuple[Path, str]:
    path = (folder or paths.prompts_dir()) / f"{name}.txt"
    try:
        return path, path.read_text(encoding="utf-8")
    except OSError:
        raise PromptError(_("{path}: prompt file not found").format(path=path)) from None


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def load_prompt(name: str, folder: Path | None = None) -> Prompt:
    path, raw = _read(name, folder)
    pieces = _PARTS.split(raw)
    # pieces: [preamble, "system", text, "user", text] in either order
    sections = dict(zip(pieces[1::2], pieces[2::2], strict=True))
    if "user" not in sections or set(sections) - {"system", "user"}:
        raise PromptError(_("{path}: a prompt file needs a [system] and a [user] part, or a [user] part "
                            "alone").format(path=path))
    system = Template(sections["system"]) if "system" in sections else None
    return Prompt(name, system, Template(sections["user"]), _digest(raw))


def load_snippets(name: str, folder: Path | None = None) -> Snippets:
    path, raw = _read(name, folder)
    pieces = _SNIPPETS.split(raw)
    if len(pieces) < 3:
        raise PromptError(_("{path}: a snippets file needs [name] parts").format(path=path))
    return Snippets(name, {key: Template(text) for key, text in zip(pieces[1::2], pieces[2::2], strict=True)},
                    _digest(raw))
