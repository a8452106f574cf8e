"""The Word file's layout by GB/T 9704-2012 (党政机关公文格式), in python-docx terms.

- A4, margins 37/35/28/26 mm (top/bottom/left/right): a 156 × 225 mm type area (5.2.1);
- a document grid of 22 lines × 28 characters (5.2.3): ``w:docGrid type="linesAndChars"`` with a
  28.95 pt line pitch and the character pitch that fits 28 三号 characters in 156 mm;
- body 三号 仿宋_GB2312, 一、 headings in 黑体, （一） in 楷体_GB2312, the title 二号 方正小标宋简体 centred
  (7.3.3), two-character first-line indents, widow and orphan control, every heading kept with the
  paragraph after it;
- page numbers 「— N —」 in 四号 半角宋体 under the type area, the 一字线 7 mm below it, odd pages at the
  right and even pages at the left, one character in from the edge (7.5);
- the 落款: a blank line, the name, and under it the date, the date two characters in from the right
  and the name's first character two characters left of the date's (7.3.5.2).

Each paragraph carries a named style saying what it is (title, part heading, which section's text, 落款),
so Word's navigation pane shows the outline and ``gongwen revise`` can tell the sections apart after
the user has edited the file. Every font slot is also set on each run (eastAsia included), because
Word and WPS take Chinese text's face from ``w:eastAsia``.
"""

from __future__ import annotations

from typing import Any

from ..outline.title import width

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_PAGE = 14  # 四号
LINE_PT = 28.95  # 22 lines fill the 225 mm type area
CHARS = 28  # a line; 22 lines a page come of the 28.95 pt line pitch
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PAGE_MM = (210, 297)
PAGE_NUMBER_GAP_MM = 7  # from the type area's lower edge down to the page number's 一字线
# LibreOffice gives a character wider than a grid cell two cells (a 16 pt character in the 15.79 pt
# cells of 28 to a line: 14 characters a line, measured with LibreOffice 7.4). Drawn at 98 % width
# it takes one; Word and WPS place characters by the grid's pitch either way.
GRID_GLYPH_SCALE = 98
TWIPS_PER_PT, TWIPS_PER_MM = 20, 1440 / 25.4
# The footer holds one line exactly 四号 high; the 一字线 sits in its middle, so its bottom stands this far
# above the page's lower edge.
FOOTER_MM = MARGINS_MM["bottom"] - PAGE_NUMBER_GAP_MM - SIZE_PAGE / 2 * 25.4 / 72

# Paragraph styles: (style id, name shown in Word, base font, size, outline level or None).
STYLES: dict[str, tuple[str, str, str, int, int | None]] = {
    "title": ("GwTitle", "述职·标题", FONT_TITLE, SIZE_TITLE, None),
    "h1": ("GwPart", "述职·一级标题", FONT_H1, SIZE_BODY, 0),
    "h2": ("GwSubhead", "述职·二级标题", FONT_H2, SIZE_BODY, 1),
    "opening": ("GwOpening", "述职·开头", FONT_BODY, SIZE_BODY, None),
    "main_work": ("GwMainWork", "述职·主要工作", FONT_BODY, SIZE_BODY, None),
    "problems": ("GwProblems", "述职·存在问题", FONT_BODY, SIZE_BODY, None),
    "causes": ("GwCauses", "述职·原因分析", FONT_BODY, SIZE_BODY, None),
    "plans": ("GwPlans", "述职·下步打算", FONT_BODY, SIZE_BODY, None),
    "closing": ("GwClosing", "述职·结尾", FONT_BODY, SIZE_BODY, None),
    "sign": ("GwSignature", "述职·落款", FONT_BODY, SIZE_BODY, None),
}


def text_width_twips() -> int:
    """The type area's width as Word stores it: page width less both margins, each rounded to twips."""
    return (round(PAGE_MM[0] * TWIPS_PER_MM) - round(MARGINS_MM["left"] * TWIPS_PER_MM)
            - round(MARGINS_MM["right"] * TWIPS_PER_MM))


def char_space() -> int:
    """``w:charSpace``: (character pitch − the Normal font's size) × 4096, for 28 characters a line.

    The pitch is rounded down a little so rounding in Word never leaves 27.95 characters of room.
    """
    pitch = text_width_twips() / TWIPS_PER_PT / CHARS
    return int((pitch - SIZE_BODY) * 4096) - 8


def set_font(target: Any, name: str, size: float, *, bold: bool | None = None, scale: int | None = None) -> None:
    """Set every font slot (ascii, hAnsi, eastAsia, cs) of a run or a style, its size and width."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = name
    target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()  # a run's w:r or a style's w:style
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    if scale is not None:
        width = rpr.find(qn("w:w"))
        if width is None:
            width = OxmlElement("w:w")
            rpr.append(width)
        width.set(qn("w:val"), str(scale))


def setup(document: Any) -> None:
    """Page, grid, defaults and the paragraph styles."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(FOOTER_MM)
    _grid(section)
    _chinese_defaults(document)

    normal = document.styles["Normal"]
    set_font(normal, FONT_BODY, SIZE_BODY, scale=GRID_GLYPH_SCALE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * SIZE_BODY)
    fmt.widow_control = True
    _indent_chars(normal.element.get_or_add_pPr(), first_line=200)

    for kind, (style_id, name, font, size, outline) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = normal
        style.quick_style = True
        set_font(style, font, size, scale=100 if kind == "title" else None)
        pfmt = style.paragraph_format
        if kind in ("h1", "h2", "title"):
            pfmt.keep_with_next = True
        if outline is not None:
            _ppr_child(style.element.get_or_add_pPr(), "w:outlineLvl", str(outline))
        if kind == "title":
            # 二号 characters do not sit in the 三号 grid's cells: the title keeps its own spacing.
            pfmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pfmt.first_line_indent = Pt(0)
            _indent_chars(style.element.get_or_add_pPr(), first_line=0)
            _ppr_child(style.element.get_or_add_pPr(), "w:snapToGrid", "0")
        elif kind == "sign":
            # Off the grid, like the title: a date's half-width digits would push each 年/月/日 to
            # the next cell, and a short line right-aligned needs no cells.
            pfmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pfmt.first_line_indent = Pt(0)
            _indent_chars(style.element.get_or_add_pPr(), first_line=0)
            _ppr_child(style.element.get_or_add_pPr(), "w:snapToGrid", "0")
        else:
            # Word and WPS indent by w:firstLineChars (two grid cells); LibreOffice reads only the length,
            # and moves a line start to the next cell boundary: 32 pt, a hair over two 15.8 pt cells,
            # started lines in the third cell. A length inside the second cell starts them in it.
            pfmt.first_line_indent = Pt(2 * SIZE_BODY - 2)
            _indent_chars(style.element.get_or_add_pPr(), first_line=200)
            if kind not in ("h1", "h2"):
                pfmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _grid(section: Any) -> None:
    from docx.oxml.ns import qn

    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        from docx.oxml import OxmlElement

        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * TWIPS_PER_PT)))
    grid.set(qn("w:charSpace"), str(char_space()))


def _chinese_defaults(document: Any) -> None:
    """Chinese as the East Asian language, so renderers pick Simplified Chinese glyphs and fallbacks."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag, value in (("w:sz", 2 * SIZE_BODY), ("w:szCs", 2 * SIZE_BODY)):
        rpr.find(qn(tag)).set(qn("w:val"), str(value))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), "zh-CN")


def _ppr_child(ppr: Any, tag: str, value: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    child = ppr.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        ppr.insert_element_before(child, *_PPR_AFTER.get(tag, ()))
    child.set(qn("w:val"), value)


# Where schema order puts these pPr children: before everything listed.
_PPR_AFTER = {
    "w:snapToGrid": ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                     "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                     "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:outlineLvl": ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
}


def _indent_chars(ppr: Any, *, first_line: int | None = None, right: int | None = None,
                  left: int | None = None) -> None:
    """Indents in hundredths of a character (``w:firstLineChars`` …): Word counts them in grid cells."""
    from docx.oxml.ns import qn

    ind = ppr.get_or_add_ind()
    for attr, value in (("w:firstLineChars", first_line), ("w:rightChars", right), ("w:leftChars", left)):
        if value is not None:
            ind.set(qn(attr), str(value))


def signature_indents(name: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the name and the date lines of the 落款 (7.3.5.2).

    The date stands two characters in from the right; the name starts two characters left of where the
    date starts, unless the name is the longer, when the name keeps two characters and the date moves.
    """
    name_w, date_w = width(name), width(date)
    if name_w <= date_w + 2:
        return date_w + 4 - name_w, 2.0
    return 2.0, name_w - date_w


def right_indent(paragraph: Any, chars: float) -> None:
    from docx.shared import Pt

    paragraph.paragraph_format.right_indent = Pt(chars * SIZE_BODY)
    _indent_chars(paragraph._p.get_or_add_pPr(), right=round(chars * 100))


def page_numbers(document: Any) -> None:
    """「— N —」 in 四号 宋体: odd pages at the right, even pages at the left, one character in (7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    sides = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in sides:
        para = footer.paragraphs[0]
        fmt = para.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(SIZE_PAGE)
        fmt.space_before = fmt.space_after = Pt(0)
        ppr = para._p.get_or_add_pPr()
        _ppr_child(ppr, "w:snapToGrid", "0")
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(SIZE_PAGE)
        else:
            fmt.left_indent = Pt(SIZE_PAGE)
        _indent_chars(ppr, first_line=0)
        # A PAGE field between dashes: begin, instruction, separate, cached value, end.
        for piece in ("— ", "begin", " PAGE ", "separate", "1", "end", " —"):
            run = para.add_run()
            set_font(run, FONT_PAGE, SIZE_PAGE, scale=100)
            if piece in ("begin", "separate", "end"):
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), piece)
                run._element.append(char)
            elif piece == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = piece
                run._element.append(instr)
            else:
                run.text = piece
                if "—" in piece:
                    # The 一字线 is a full-width dash: ask for the East Asian face, which draws it one
                    # character wide (a Western face draws a short one).
                    run._element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
