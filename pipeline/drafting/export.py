"""Stage 6 of drafting: assemble the sections and export Markdown and GB/T 9704 Word.

The draft is first laid out as blocks (title, 一、 heading, （一） heading, paragraph); Markdown and
.docx are two renderings of the same blocks. After the draft comes a checklist of every 【待补】 with
its section, of every section that fell back to the offline composer, and of the draft's notes (too
short, usual topics the facts leave empty: review.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..genre import (
    BODY_PARTS,
    ITEM_NUMBER,
    PART_HEADINGS,
    PLACEHOLDER_PATTERN,
    Part,
    is_subheading_of,
    placeholder,
)
from .results import DraftResult

# GB/T 9704-2012 layout, in the units python-docx takes.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE = "宋体"
SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_PAGE = 14  # 四号
LINE_PT = 28.95  # 22 lines a page
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


@dataclass(frozen=True)
class Block:
    kind: str  # title | h1 | h2 | p | note
    text: str


def blocks(result: DraftResult) -> list[Block]:
    out = [Block("title", result.plan.title)]
    texts = {s.id: s.text for s in result.sections}
    current_part: Part | None = None
    for section in result.plan.sections:
        if section.part in BODY_PARTS and section.part != current_part:
            out.append(Block("h1", PART_HEADINGS[section.part]))
        current_part = section.part
        lines = [ln for ln in texts[section.id].split("\n") if ln.strip()]
        # The composer may put the part's lead line before the first group's heading.
        heading_at = 1 if len(lines) > 1 and not is_subheading_of(lines[0], section.heading) else 0
        out.extend(Block("h2" if section.part == Part.MAIN_WORK and n == heading_at
                         and is_subheading_of(line, section.heading) else "p", line)
                   for n, line in enumerate(lines))
    return out


def checklist(result: DraftResult) -> list[str]:
    items = [f"[{s.id}] {placeholder(m.group(1))}" for s in result.sections
             for m in PLACEHOLDER_PATTERN.finditer(s.text)]
    items += [f"[{sid}] 本节模型稿未通过事实核查，已改用离线模板稿，请人工补充润色" for sid in result.fallbacks]
    items += [f"[全文] {note}" for note in result.notes]
    return items


def to_markdown(result: DraftResult) -> str:
    marks = {"title": "# ", "h1": "## ", "h2": "### ", "p": ""}
    lines = [marks[b.kind] + b.text for b in blocks(result)]
    todo = checklist(result)
    if todo:
        lines += ["---", "**待补清单**（定稿前逐项补齐，并删除本清单）", *(f"- {item}" for item in todo)]
    return "\n\n".join(lines) + "\n"


def to_docx(result: DraftResult) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])

    normal = document.styles["Normal"]
    _set_font(normal.font, normal.element, FONT_BODY, SIZE_BODY)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * SIZE_BODY)

    def paragraph(text: str, font: str, size: int, *, bold: bool = False, center: bool = False) -> None:
        para = document.add_paragraph()
        if center:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.first_line_indent = Pt(0)
        run = para.add_run(text)
        _set_font(run.font, run._element, font, size)
        run.font.bold = bold

    for block in blocks(result):
        if block.kind == "title":
            paragraph(block.text, FONT_TITLE, SIZE_TITLE, center=True)
            document.add_paragraph()
        elif block.kind == "h1":
            paragraph(block.text, FONT_H1, SIZE_BODY)
        elif block.kind == "h2":
            paragraph(block.text, FONT_H2, SIZE_BODY)
        elif ITEM_NUMBER.match(block.text):
            # A 1. heading runs into its paragraph: the heading sentence in bold 仿宋.
            head, _, rest = block.text.partition("。")
            para = document.add_paragraph()
            for text, bold in ((head + ("。" if rest or block.text.endswith("。") else ""), True), (rest, False)):
                if text:
                    run = para.add_run(text)
                    _set_font(run.font, run._element, FONT_BODY, SIZE_BODY)
                    run.font.bold = bold
        else:
            paragraph(block.text, FONT_BODY, SIZE_BODY)
    todo = checklist(result)
    if todo:
        paragraph("待补清单（定稿前逐项补齐，并删除本清单）", FONT_H1, SIZE_BODY)
        for item in todo:
            paragraph(item, FONT_BODY, SIZE_BODY)

    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_font(font: object, element: object, name: str, size: int) -> None:
    """Set every font slot (ascii, hAnsi, eastAsia, cs): Word uses eastAsia for Chinese text."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = name  # type: ignore[attr-defined]
    font.size = Pt(size)  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _page_numbers(document: object) -> None:
    """「— N —」 in 四号 宋体: odd pages at the right, even pages at the left (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    section = document.sections[0]  # type: ignore[attr-defined]
    sides = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in sides:
        para = footer.paragraphs[0]
        para.alignment = align
        para.paragraph_format.first_line_indent = Pt(0)
        # A PAGE field between dashes: begin, instruction, separate, cached value, end.
        for piece in ("— ", "begin", " PAGE ", "separate", "1", "end", " —"):
            run = para.add_run()
            _set_font(run.font, run._element, FONT_PAGE, SIZE_PAGE)
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
