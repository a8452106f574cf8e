"""The rendered-page check: the Word drafts of the 5 evaluation cases as LibreOffice lays them out.

Each case is drafted (offline backend), converted to PDF by LibreOffice, and read back from the PDF's
text layer: lines on a full page (22 ± 1), characters on a full line (28 ± 1), the page number's text
and place (GB/T 9704 7.5), and that no heading is the last line of a page. Skipped, with the reason,
where LibreOffice, poppler or a CJK font is missing; `.ci/run` installs them.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests import rendered
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(bool(reason := rendered.missing_tools()), reason=reason or "")

MM = 72 / 25.4  # points
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # the type area, from the page's top edge
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
PITCH = 28.95
CASES = sorted(p.stem for p in (ROOT / "evals" / "cases").glob("*.md"))


@dataclass
class Case:
    pdf: Path
    pages: list[rendered.Page]
    headings: set[str]

    def body(self, page: rendered.Page) -> list[rendered.Line]:
        return [ln for ln in page.lines if ln.y0 >= TOP - 2 and ln.y1 <= BOTTOM + 2]

    def footer(self, page: rendered.Page) -> list[rendered.Line]:
        return [ln for ln in page.lines if ln.y0 > BOTTOM]

    def full_pages(self) -> list[rendered.Page]:
        """Pages the text runs on from, and whose last line sits in the type area's last line."""
        return [p for p in self.pages[:-1] if self.body(p) and self.body(p)[-1].y1 >= BOTTOM - PITCH]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    """The five drafts, made once: drafted in one batch, converted by one LibreOffice process."""
    root = tmp_path_factory.mktemp("rendered")
    with pytest.MonkeyPatch.context() as env:
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "GONGWEN_EMBEDDING", "GONGWEN_CHROMA_URL"):
            env.delenv(name, raising=False)
        # Seeded in one data dir and drafted in a copy, as conftest's `seeded` does: chromadb, in one
        # process, may fail to reopen an index it has just closed.
        seeded = CliRunner().invoke(app, ["corpus", "stats"], env={"GONGWEN_HOME": str(root / "template")})
        assert seeded.exit_code == 0, seeded.output
        shutil.copytree(root / "template", root / "home")
        env.setenv("GONGWEN_HOME", str(root / "home"))
        (root / "drafts").mkdir()  # --out-dir is never made for you
        result = CliRunner().invoke(app, ["draft", str(ROOT / "evals" / "cases"), "--out-dir", str(root / "drafts")])
        assert result.exit_code == 0, result.output
    documents = [root / "drafts" / f"{name}.docx" for name in CASES]
    pdfs = rendered.to_pdf(documents, root / "pdf")
    found = {}
    for name, pdf in zip(CASES, pdfs, strict=True):
        markdown = (root / "drafts" / f"{name}.md").read_text(encoding="utf-8")
        headings = {m.group(1) for m in re.finditer(r"^#{2,3} (.+)$", markdown, re.MULTILINE)}
        found[name] = Case(pdf, rendered.pages(pdf), headings)
    yield found


@pytest.mark.parametrize("name", CASES)
def test_a_full_page_holds_22_lines(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    full = case.full_pages()
    if not full:  # each page ends early where a heading keeps with its text and no paragraph is split 2+1
        pytest.skip(f"case {name}: no page runs to the type area's foot ({len(case.pages)} pages)")
    counts = [len(case.body(page)) for page in full]
    assert all(21 <= n <= 23 for n in counts), f"case {name}: lines on full pages {counts}"
    # The grid: consecutive lines stand a whole number of 28.95 pt lines apart (blank lines between).
    for page in full[1:] or full:
        middles = [ln.middle for ln in case.body(page)]
        for a, b in itertools.pairwise(middles):
            assert abs((b - a) / PITCH - round((b - a) / PITCH)) < 0.05, f"case {name}: lines {a:.1f} → {b:.1f}"


def test_most_drafts_have_a_full_page_to_measure(cases: dict[str, Case]) -> None:
    """The grid is measured on full pages: most of the five drafts must have one."""
    assert sum(bool(case.full_pages()) for case in cases.values()) >= 3, {n: len(c.pages) for n, c in cases.items()}


@pytest.mark.parametrize("name", CASES)
def test_a_full_line_holds_28_characters(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    # A full line runs from the left edge of the type area to its right edge; lines holding half-width
    # letters or digits hold more characters, and are left out of the count.
    full = [ln for page in case.pages for ln in case.body(page)
            if ln.x0 <= LEFT + 3 and ln.x1 >= RIGHT - 8 and not re.search(r"[\x20-\x7e]", ln.text)]
    assert len(full) >= 3, f"case {name}: only {len(full)} full lines"
    counts = [len(ln.text) for ln in full]
    # 28 to a line; a line ends up to two characters early before a group that may not be split (「村（居）」:
    # no line starts with ）or ends with （), and one more where punctuation is set half-width.
    assert max(set(counts), key=counts.count) == 28, f"case {name}: characters on full lines {sorted(counts)}"
    assert all(26 <= n <= 29 for n in counts), f"case {name}: characters on full lines {sorted(counts)}"


@pytest.mark.parametrize("name", CASES)
def test_page_numbers_stand_where_gbt9704_puts_them(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    for number, page in enumerate(case.pages, start=1):
        footer = case.footer(page)
        assert [ln.text.replace(" ", "") for ln in footer] == [f"—{number}—"], f"case {name} page {number}"
        line = footer[0]
        # 7.5: the 一字线 7 mm below the type area; odd pages one character in from the right, even
        # pages one character in from the left (a 四号 character: 14 pt).
        assert abs((line.middle - BOTTOM) / MM - 7) <= 1, f"case {name} page {number}: {line}"
        inset = RIGHT - line.x1 if number % 2 else line.x0 - LEFT
        assert abs(inset - 14) <= 3, f"case {name} page {number}: {inset:.1f} pt in from the edge"


@pytest.mark.parametrize("name", CASES)
def test_no_heading_is_the_last_line_of_a_page(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    assert case.headings, f"case {name}: the draft has no headings"
    for number, page in enumerate(case.pages[:-1], start=1):
        last = case.body(page)[-1].text
        assert last not in case.headings, f"case {name}: page {number} ends with the heading 「{last}」"


def test_which_fonts_drew_the_pages(cases: dict[str, Case], capsys: pytest.CaptureFixture[str]) -> None:
    """Says which installed faces stood in for the faces the file asks for, and what was measured."""
    used = rendered.stand_ins()
    assert all(used.values()), used
    embedded = sorted({font for case in cases.values() for font in rendered.embedded_fonts(case.pdf)})
    stems = {face: rendered.font_stems(family) for face, family in used.items()}
    assert all(stems.values()), stems
    # Every embedded font is one of the stand-ins, and every face the file asks for drew some text.
    assert all(any(font.lower().startswith(stem) for s in stems.values() for stem in s) for font in embedded), \
        (embedded, stems)
    assert all(any(font.lower().startswith(stem) for font in embedded for stem in s) for s in stems.values()), \
        (embedded, stems)
    lines = sorted({len(c.body(p)) for c in cases.values() for p in c.full_pages()})
    with capsys.disabled():
        print(f"\n[rendered pages] {rendered.soffice_version()}; faces: "
              + ", ".join(f"{face} → {stand_in}" for face, stand_in in used.items())
              + f"; embedded in the PDFs: {', '.join(embedded)}; lines on full pages: {lines}")
