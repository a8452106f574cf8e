"""The messages the code gives ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()``, read from its syntax
tree, and the catalog's entries beside them (tests/test_i18n.py; ``python -m tests.msgids`` prints the
missing ones as .po entries to translate)."""

from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.i18n import CATALOGS, read_po

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


@dataclass(frozen=True)
class Msg:
    msgid: str
    plural: str | None
    where: str
    context: str | None = None


def scan(root: Path = PACKAGE) -> tuple[list[Msg], list[str]]:
    """Every message given to the markers, and where a marker is given something not a literal string
    (an f-string or a concatenation: a translator could not see the sentence)."""
    found: list[Msg] = []
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name, where = node.func.id, f"{path.relative_to(root.parent)}:{node.lineno}"
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args]
            if name in ("_", "N_") and len(node.args) == 1:
                if literal[0]:
                    found.append(Msg(node.args[0].value, None, where))  # type: ignore[attr-defined]
                elif not isinstance(node.args[0], ast.Name | ast.Subscript | ast.Attribute | ast.Call):
                    bad.append(where)
            elif name == "pgettext" and len(node.args) == 2:
                if literal[0] and literal[1]:
                    found.append(Msg(node.args[1].value, None, where, node.args[0].value))  # type: ignore[attr-defined]
                else:
                    bad.append(where)
            elif name == "ngettext" and len(node.args) == 3:
                if literal[0] and literal[1]:
                    found.append(Msg(node.args[0].value, node.args[1].value, where))  # type: ignore[attr-defined]
                else:
                    bad.append(where)
    return found, bad


def catalog() -> dict[str, str]:
    return read_po(CATALOGS["zh"].read_text(encoding="utf-8"))


def key(msg: Msg) -> str:
    found = msg.msgid if msg.plural is None else f"{msg.msgid}\x00{msg.plural}"
    return found if msg.context is None else f"{msg.context}\x04{found}"


def fields(text: str) -> list[tuple[str, str | None, str | None]]:
    """A message's placeholders, as (name, conversion, format spec), in order."""
    return [(name, conv, spec) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]


def _po(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":
    have = catalog()
    msgs, _bad = scan()
    seen: set[str] = set()
    for m in msgs:
        if key(m) in have or key(m) in seen:
            continue
        seen.add(key(m))
        sys.stdout.write(f"#: {m.where}\n" + (f"msgctxt {_po(m.context)}\n" if m.context is not None else "")
                         + f"msgid {_po(m.msgid)}\n")
        if m.plural is not None:
            sys.stdout.write(f"msgid_plural {_po(m.plural)}\nmsgstr[0] \"\"\n\n")
        else:
            sys.stdout.write('msgstr ""\n\n')
