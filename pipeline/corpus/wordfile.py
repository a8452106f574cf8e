"""A .docx example report as text: its paragraphs and table rows in order, as Word shows them.

Word shows a run's text unless its formatting hides it: ``w:vanish`` or ``w:specVanish`` (hidden),
white (``w:color`` FFFFFF) or under 2 pt (``w:sz`` below 4 half-points). A reader of the report never
sees such a run, so nothing in it is the report: it is left out of the text and returned as a finding
(screen.py), whatever it says. A run's formatting is its own, else its character style's, else its
paragraph style's (each with the styles they are based on), else the document's defaults.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, brief
from ..i18n import N_, _

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = {"0", "false", "off"}
_SMALLEST = 4  # half-points: a run set under 2 pt cannot be read on the page


def open_docx(path: Path) -> Any:
    """``path`` as a python-docx Document; a file Word could not open either is an :class:`InputError`.

    A sound zip with a part whose XML is cut short or garbled (a copy that broke in transit) makes lxml
    raise as python-docx loads the parts: that is the file's fault, so it is named, not a crash.
    """
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, PythonDocxError, LxmlError, KeyError, ValueError) as exc:
        raise InputError(path, _("not a valid .docx file ({error})").format(error=brief(exc))) from None


Hidden = tuple[int, str, str]  # (paragraph, why Word hides it, its text)


def docx_lines(path: Path) -> tuple[list[list[str]], list[Hidden]]:
    """The document's lines (a paragraph, or a table row: its cells) and its hidden runs.

    As Word shows them, but not yet normalised: the caller looks for zero-width characters first, then
    joins a row's cells with 「　」 (which normalising would make a plain space).
    """
    from docx.table import Table

    document = open_docx(path)
    styles = _Styles(document)
    lines: list[list[str]] = []
    hidden: list[Hidden] = []
    for block in document.iter_inner_content():
        rows = _table_rows(block) if isinstance(block, Table) else [[[block._p]]]
        for row in rows:
            cells = [[_shown(p, styles) for p in cell] for cell in row]
            hidden += [(len(lines) + 1, why, text) for cell in cells for _, runs in cell for why, text in runs]
            if isinstance(block, Table):
                row_cells = _row_cells(["\n".join(text for text, _ in cell).strip() for cell in cells])
                if row_cells:  # an empty row is no line of the report
                    lines.append(row_cells)
            else:
                lines.append([cells[0][0][0]])
    return lines, hidden


def _table_rows(table: Any) -> Iterator[list[list[Any]]]:
    """Each row as its cells, each cell as its paragraphs' XML."""
    for row in table.rows:
        yield [[p._p for p in cell.paragraphs] for cell in row.cells]


def _row_cells(cells: list[str]) -> list[str]:
    kept: list[str] = []
    for text in cells:
        # Merged cells repeat their text in every grid position; keep it once.
        if text and (not kept or kept[-1] != text):
            kept.append(text)
    return kept


def _shown(paragraph: Any, styles: _Styles) -> tuple[str, list[tuple[str, str]]]:
    """A paragraph's text as Word shows it, and the runs it hides: (why, text), a run of them as one."""
    shown: list[str] = []
    hidden: list[tuple[str, str]] = []
    previous: str | None = None  # why the run before this one is hidden; None when it is shown
    pstyle = paragraph.pPr.pStyle.val if paragraph.pPr is not None and paragraph.pPr.pStyle is not None else None
    for run in paragraph.xpath("./w:r | ./w:hyperlink/w:r"):
        why = styles.hides(run, pstyle)
        if why is None:
            shown.append(run.text)
        elif why == previous:
            hidden[-1] = (why, hidden[-1][1] + run.text)
        else:
            hidden.append((why, run.text))
        previous = why
    return "".join(shown), [(why, text.strip()) for why, text in hidden if text.strip()]


class _Styles:
    """Where a run's formatting comes from: itself, its styles and what they are based on, the defaults."""

    def __init__(self, document: Any) -> None:
        root = document.styles.element
        self._by_id = {s.get(f"{_W}styleId"): s for s in root.iter(f"{_W}style")}
        self._defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")

    def _chain(self, style_id: str | None) -> list[Any]:
        found: list[Any] = []
        for _step in range(10):  # based-on chains are short; a loop in a broken file must not hang
            style = self._by_id.get(style_id) if style_id else None
            if style is None:
                break
            found.append(style.find(f"{_W}rPr"))
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None
        return [r for r in found if r is not None]

    def hides(self, run: Any, paragraph_style: str | None) -> str | None:
        """Why Word hides this run from its reader, or None when it shows it."""
        own = run.find(f"{_W}rPr")
        rstyle = own.find(f"{_W}rStyle") if own is not None else None
        layers = [own, *self._chain(rstyle.get(f"{_W}val") if rstyle is not None else None),
                  *self._chain(paragraph_style), self._defaults]
        layers = [layer for layer in layers if layer is not None]
        if any(_on(_first(layers, tag)) for tag in ("vanish", "specVanish")):
            return N_("hidden text")
        color = _first(layers, "color")
        if color is not None and (color.get(f"{_W}val") or "").upper() == "FFFFFF":
            return N_("white text")
        size = _first(layers, "sz")
        if size is not None and (size.get(f"{_W}val") or "").isdigit() and int(size.get(f"{_W}val")) < _SMALLEST:
            return N_("text under 2 pt")
        return None


def _first(layers: list[Any], tag: str) -> Any:
    """The property from the nearest layer that sets it."""
    return next((found for layer in layers if (found := layer.find(f"{_W}{tag}")) is not None), None)


def _on(element: Any) -> bool:
    return element is not None and (element.get(f"{_W}val") or "true").lower() not in _OFF
