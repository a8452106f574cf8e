"""Read back a draft the user edited in Word or WPS: its title, its text by section, its 落款.

The export gave every paragraph a named style saying what it is (述职·标题, 述职·一级标题, 述职·原因分析 …,
see gbt9704.STYLES), and Word and WPS carry a paragraph's style through editing: a paragraph the user
adds by pressing Enter takes the style of the one before it. Paragraphs with no style of ours (pasted
in, or from an editor that dropped styles) go with the section before them, and the text's own shape
decides the rest: 一、 and （一） headings, 「究其原因」, 「今后……」.

A paragraph that says only 「重写」 marks its section to be drafted again. Text is read as Word shows
it, tracked changes accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...corpus.read import read_bytes
from ...corpus.wordfile import open_docx
from ...errors import InputError
from ...genre import (
    BODY_PARTS,
    CAUSES_START,
    CLOSING_START,
    PART_NUMBER,
    SUB_NUMBER,
    Part,
    classify_heading,
    is_subheading,
    numeral,
)
from ...i18n import N_, _
from ...text import normalise
from .docprops import read_properties
from .export import AUTHOR
from .gbt9704 import STYLES

REDO_MARK = re.compile(r"^[\s【\[（(「<]*重写[\s】\]）)」>。.！!]*$")
_STYLE_KIND = {key: kind for kind, (style_id, name, *_rest) in STYLES.items() for key in (style_id, name)}
_FIRST = {Part.MAIN_WORK: "main_work.1", Part.PROBLEMS: "problems", Part.PLANS: "plans"}
_NUMERALS = {numeral(n): n for n in range(1, 100)}
_ORDER = ["opening", "main_work", "problems", "causes", "plans", "closing"]


@dataclass
class Edited:
    path: Path
    properties: dict[str, str]
    title: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)  # in the order found; main work: heading first
    headings: dict[str, str] = field(default_factory=dict)  # part → its 一、 heading as the user left it
    marked: set[str] = field(default_factory=set)  # sections with a 「重写」 paragraph
    signature: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the new version cannot carry over

    def text(self, section_id: str) -> str:
        return "\n".join(self.sections.get(section_id, []))


def read_edited(path: Path) -> Edited:
    if path.suffix.lower() != ".docx":
        raise InputError(path, _("not a .docx file (save it from Word or WPS as .docx)"))
    read_bytes(path, N_("a Word file"))
    document = open_docx(path)
    edited = Edited(path, read_properties(document))
    paragraphs = _paragraphs(document, edited.notes)
    _walk(paragraphs, edited)
    theirs = [c for c in document.comments if c.author != AUTHOR]
    if theirs:
        edited.notes.append(f"{len(theirs)} comment(s) of yours")
    return edited


def _paragraphs(document: Any, notes: list[str]) -> list[tuple[str, str | None]]:
    """(text, what our style says it is) for every paragraph of the body, in order."""
    from docx.oxml.ns import qn

    names = {style.style_id: style.name for style in document.styles}
    found: list[tuple[str, str | None]] = []
    tables = pictures = 0
    tracked = False
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            tables += 1
        elif child.tag == qn("w:p"):
            style = child.pPr.pStyle.val if child.pPr is not None and child.pPr.pStyle is not None else ""
            # By id, or by name: WPS may renumber a style's id but keeps its name.
            found.append((normalise(_text(child)), _STYLE_KIND.get(style) or _STYLE_KIND.get(names.get(style) or "")))
            pictures += len(child.findall(".//" + qn("w:drawing"))) + len(child.findall(".//" + qn("w:pict")))
            tracked = tracked or any(child.find(".//" + qn(tag)) is not None for tag in ("w:ins", "w:del"))
    notes.extend(what for count, what in ((tables, f"{tables} table(s)"), (pictures, f"{pictures} picture(s)"))
                 if count)
    if tracked:
        notes.append("tracked changes (read as accepted)")
    return found


def _text(element: Any) -> str:
    """A paragraph's text as Word shows it with changes accepted: no deleted text, no field codes."""
    from docx.oxml.ns import qn

    skip = {qn(t) for t in ("w:del", "w:moveFrom", "w:pPr", "w:rPr", "w:delText", "w:instrText")}
    out = []
    for child in element.iterchildren():
        if child.tag in skip:
            continue
        if child.tag == qn("w:t"):
            out.append(child.text or "")
        elif child.tag == qn("w:tab"):
            out.append("\t")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        else:
            out.append(_text(child))
    return "".join(out)


def _walk(paragraphs: list[tuple[str, str | None]], edited: Edited) -> None:
    at = 0
    # The title: the leading paragraphs in the title's style, else the first paragraph with text.
    while at < len(paragraphs) and (paragraphs[at][1] == "title" or not paragraphs[at][0].strip()):
        edited.title += [ln for ln in paragraphs[at][0].split("\n") if ln.strip()]
        at += 1
    if not edited.title and at < len(paragraphs) and paragraphs[at][1] is None:
        edited.title = [ln for ln in paragraphs[at][0].split("\n") if ln.strip()]
        at += 1
    part: Part | None = None
    current, last_main = "opening", 0
    tail = len(paragraphs) if any(k == "sign" for _, k in paragraphs) else _unstyled_signature(paragraphs, at)
    for n, (text, kind) in enumerate(paragraphs[at:], start=at):
        if kind == "sign" or n >= tail:
            edited.signature += [text] if text.strip() else []
            continue
        if not text.strip():
            continue
        if kind == "h1" or (kind is None and _part_heading(text)):
            part = classify_heading(text) or _next_part(part)
            edited.headings[part.value] = text
            current = _FIRST[part]
            last_main = 0
            continue
        if kind == "h2" or (kind is None and part in (Part.MAIN_WORK, None) and is_subheading(text)):
            last_main = _number(text) or last_main + 1
            current = f"main_work.{last_main}"
        elif kind in _ORDER and _ORDER.index(kind) > _ORDER.index(current.split(".")[0]):
            # A section's style moves on to a later section, never back: a paragraph copied from an
            # earlier section keeps its old style, but belongs where the user put it.
            current = f"main_work.{max(last_main, 1)}" if kind == "main_work" else kind
        elif kind is None and current == "problems" and CAUSES_START.match(text):
            current = "causes"
        elif kind is None and current == "plans" and CLOSING_START.match(text):
            current = "closing"
        lines = edited.sections.setdefault(current, [])
        if REDO_MARK.match(text):
            edited.marked.add(current)
        else:
            lines.append(text)


def _unstyled_signature(paragraphs: list[tuple[str, str | None]], start: int) -> int:
    """Where a 落款 that lost its style begins: the last lines, if short and not sentences."""
    at, lines = len(paragraphs), 0
    while at > start:
        text = paragraphs[at - 1][0].strip()
        if text:
            if lines == 3 or len(text) > 25 or text[-1] in "。；：！？，.;:!?," or _part_heading(text):
                break
            lines += 1
        at -= 1
    return at if lines else len(paragraphs)


def _part_heading(text: str) -> bool:
    return bool(PART_NUMBER.match(text)) and len(text) <= 30 and classify_heading(text) is not None


def _next_part(part: Part | None) -> Part:
    order = list(BODY_PARTS)
    return order[min(order.index(part) + 1, len(order) - 1)] if part in order else order[0]


def _number(heading: str) -> int | None:
    match = SUB_NUMBER.match(heading)
    digits = re.sub(r"[\s（()）]", "", match.group(0)) if match else ""
    return _NUMERALS.get(digits)
