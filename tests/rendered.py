"""Render .docx files with LibreOffice and read the pages back from the PDF's text layer.

Used by the rendered-page check (test_rendered_pages.py). LibreOffice draws with the fonts this machine
has: for each face the Word file asks for that is not installed, a fontconfig alias names the closest
installed CJK face (serif for 仿宋/宋体/小标宋, sans for 黑体, a 楷 face for 楷体 if there is one), and
:func:`stand_ins` says which was used. Positions come from poppler's ``pdftotext -bbox-layout``, in
points from the page's top-left corner.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

# The faces the export asks for, and installed faces that may stand in for each, best first.
FACES = {
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "仿宋_GB2312": ("FangSong_GB2312", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei"),
    "楷体_GB2312": ("KaiTi_GB2312", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC", "Source Han Serif SC"),
}
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str  # the words joined as they stand: no space inside a run of Chinese
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: list[Line]


def missing_tools() -> str | None:
    """Why the rendered-page check cannot run here, or None."""
    for tool, package in (("soffice", "libreoffice-writer-nogui"), ("pdftotext", "poppler-utils"),
                          ("fc-list", "fontconfig")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install {package}; .ci/run installs it)"
    if not installed_families():
        return "no CJK font is installed (fc-list :lang=zh is empty; apt-get install fonts-noto-cjk)"
    return None


def installed_families() -> set[str]:
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def stand_ins() -> dict[str, str]:
    """Each face the export asks for → the installed face LibreOffice draws it with."""
    have = installed_families()
    chosen = {}
    for face, candidates in FACES.items():
        if face in have:
            chosen[face] = face
        else:
            chosen[face] = next((c for c in candidates if c in have), sorted(have)[0] if have else "")
    return chosen


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file: the system's, plus an alias per missing face (never over an installed one)."""
    aliases = "".join(
        f"<alias binding=\"same\"><family>{html.escape(face)}</family>"
        f"<accept><family>{html.escape(used)}</family></accept></alias>"
        for face, used in stand_ins().items() if used and used != face)
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"{aliases}</fontconfig>", encoding="utf-8")
    return path


def to_pdf(documents: list[Path], out_dir: Path) -> list[Path]:
    """Convert with one LibreOffice process, in a profile of its own (a running soffice is untouched)."""
    assert documents, "nothing to convert"  # soffice with no file waits for one
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(out_dir))}
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                           "pdf", "--outdir", str(out_dir), *map(str, documents)],
                          capture_output=True, text=True, timeout=600, env=env, check=False)
    pdfs = [out_dir / f"{d.stem}.pdf" for d in documents]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice made no {missing}: {done.stderr[-500:]}"
    return pdfs


def soffice_version() -> str:
    done = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=120, check=False)
    return done.stdout.strip() or "LibreOffice (version unknown)"


def pages(pdf: Path) -> list[Page]:
    """Every page's lines of text with their boxes."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ElementTree.fromstring(xml)
    found = []
    for page in root.iter(f"{_XHTML}page"):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = [w.text or "" for w in line.iter(f"{_XHTML}word")]
            text = "".join(a + (" " if _spaced(a, b) else "") for a, b in zip(words, [*words[1:], ""], strict=True))
            box = [float(line.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append(Line(text, *box))
        found.append(Page(float(page.get("width", "0")), float(page.get("height", "0")),
                          sorted(lines, key=lambda ln: (round(ln.middle), ln.x0))))
    return found


def _spaced(a: str, b: str) -> bool:
    """pdftotext splits words at spaces and at script changes; keep a space only between Latin words."""
    return bool(a and b) and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()


def font_stems(family: str) -> set[str]:
    """What the PostScript names of an installed family start with, whatever the region of its faces:
    「Noto Serif CJK SC」 → {notoserifcjk} (a PDF may embed its JP face, NotoSerifCJKjp-Regular), 「AR PL
    UKai CN」 → {ukai}."""
    listed = subprocess.run(["fc-list", f":family={family}", "postscriptname"], capture_output=True, text=True,
                            check=False).stdout
    names = re.findall(r"postscriptname=(\S+)", listed)
    return {re.sub(r"(sc|tc|jp|kr|hk|cn)?(-.*)?$", "", name.lower()) for name in names}


def embedded_fonts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(str(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.split("+", 1)[-1].lstrip("/"))
    return sorted(names)
