"""Stage 1 of ingest: turn a file (.txt, .md, .docx, .pdf) into plain text.

The text is what a reader of the file sees, normalised as a facts file is (text.normalise): a .docx's
hidden runs are left out (wordfile.py), and they and any zero-width characters come back as findings
for the screen (screen.py) to report. A .md file's marks are read later, by ingest (markdown.py).

Every failure is an :class:`InputError` naming the file and the reason, so a batch can report it in
one line and go on with the next file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, brief
from ..i18n import N_, _
from ..text import normalise
from .screen import Finding, zero_width
from .wordfile import Hidden, docx_lines

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = MARKDOWN_SUFFIXES | {".txt", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}
MAX_BYTES = 20 * 1024 * 1024  # a 述职报告 is tens of KB; anything this big is not one

_HINTS = {
    ".doc": N_("old binary Word format; save it as .docx"),
    ".wps": N_("WPS format; save it as .docx"),
    ".rtf": N_("save it as .docx or .txt"),
}


@dataclass(frozen=True)
class Read:
    """A report as read: its text, one paragraph per line, and what in the file was hidden from a reader."""

    text: str
    findings: list[Finding]


def read_document(path: Path) -> str:
    """Return the text of ``path``, one paragraph per line."""
    return read_report(path).text


def read_report(path: Path) -> Read:
    """The text of ``path``, normalised (text.normalise), with its hidden text found and left out."""
    data = read_bytes(path)
    suffix = path.suffix.lower()
    hidden: list[Hidden] = []
    if suffix in TEXT_SUFFIXES:
        lines = [[line] for line in decode_text(data, path).split("\n")]
    elif suffix == ".docx":
        lines, hidden = docx_lines(path)
    elif suffix == ".pdf":
        lines = [[line] for line in _read_pdf(path).split("\n")]
    else:
        hint = _(_HINTS.get(suffix, N_("supported: .txt .md .docx .pdf")))
        raise InputError(path, _("unsupported file type '{suffix}' ({hint})").format(suffix=suffix or _("(none)"),
                                                                                    hint=hint))
    found = [*zero_width(["　".join(cells) for cells in lines]), *(Finding(*h) for h in hidden)]
    # A table row's cells are joined with 「　」 after normalising, which would make it a plain space.
    text = "\n".join("　".join(normalise(cell) for cell in cells) for cells in lines)
    return Read(text, sorted(found, key=lambda f: f.paragraph))


def read_bytes(path: Path, what: str = N_("a report")) -> bytes:
    """The file's bytes, refusing a missing path, a directory, an empty or an oversized file."""
    if not path.exists():
        raise InputError(path, _("no such file"))
    if path.is_dir():
        raise InputError(path, _("is a directory, not {what}").format(what=_(what)))
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, _("file is empty"))
    if size > MAX_BYTES:
        raise InputError(path, _("file is too large ({size:.0f} MB; {what} is far smaller)").format(
            size=size / 1e6, what=_(what)))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, _("cannot read: {reason}").format(reason=exc.strerror or exc)) from None


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM or not) or GB18030; refuse binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decode(data[3:], "utf-8", path)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16", path)
    elif b"\x00" in data:
        # UTF-16 without a BOM has NULs (from ASCII characters); binary data has them too.
        text = _utf16_without_bom(data) or ""
        if not text:
            raise InputError(path, _("binary file, not text"))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # GB18030 decodes almost any byte string, so check that the result reads as text.
            text = _decode(data, "gb18030", path)
            if not _plausible(text) or _readable_share(text) < 0.8:
                raise InputError(path, _("cannot decode: not UTF-8, UTF-16 or GB18030 text")) from None
    if not _plausible(text):
        raise InputError(path, _("binary file, not text"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(path, _("cannot decode as {encoding}").format(encoding=encoding.upper())) from None


def _utf16_without_bom(data: bytes) -> str | None:
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _readable_share(text) > 0.9:
            return text
    return None


def _readable_share(text: str) -> float:
    """Share of characters that are CJK, CJK punctuation, printable ASCII or whitespace."""
    readable = sum(
        1 for c in text
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or " " <= c <= "~" or c in "\n\r\t" or c in "“”‘’—…·"
    )
    return readable / max(1, len(text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def _plausible(text: str) -> bool:
    """True when the text is mostly printable: few control characters or replacement marks."""
    if not text.strip():
        return True  # blank is caught later as "no report structure"
    return len(_CONTROL.findall(text)) <= max(2, len(text) // 200)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(path, _("PDF is encrypted; save an unprotected copy"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(path, _("not a valid PDF ({error})").format(error=brief(exc))) from None
    text = "\n".join(pages)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise InputError(path, _("PDF has no text layer (a scan?); run OCR first or supply .docx/.txt"))
    return reflow_pdf_lines(text)


_PARAGRAPH_END = "。：:；！？”」』）)"


def reflow_pdf_lines(text: str) -> str:
    """Join the visual lines of a PDF back into paragraphs.

    PDF text breaks at the page edge, mid-sentence. A line continues the previous one unless the
    previous ended a sentence or the line starts a new heading.
    """
    from ..genre import ORDINAL_ITEM, PART_NUMBER, SUB_NUMBER

    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        starts_block = bool(PART_NUMBER.match(line) or SUB_NUMBER.match(line) or ORDINAL_ITEM.match(line))
        if out and not starts_block and not out[-1].endswith(tuple(_PARAGRAPH_END)) and len(out[-1]) > 25:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)
