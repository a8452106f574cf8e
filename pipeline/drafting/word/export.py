"""Export, the last stage of drafting: assemble the sections and export Markdown and GB/T 9704 Word.

The draft is first laid out as blocks (title, 一、 heading, （一） heading, paragraph, 落款); Markdown and
.docx are two renderings of the same blocks. The list of gaps (every 【待补】, and every section that fell
back to the offline composer) closes the Markdown and goes to the terminal and the run folder; the Word
file has none in its body: each 【待补】 is highlighted where it stands and carries a Word comment saying
what is missing, so the clerk fills it in place and nothing has to be deleted before filing. The
draft's notes (too short; usual topics the facts leave empty: review.py) close the Markdown's list too.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...genre import (
    BODY_PARTS,
    CAUSES,
    ITEM_NUMBER,
    PART_HEADINGS,
    PLACEHOLDER_PATTERN,
    Part,
    is_subheading,
    placeholder,
)
from ...writefile import write_atomic
from ..outline.plan import Plan
from ..outline.title import title_lines
from ..results import DraftResult
from . import gbt9704
from .docprops import DRAFT_ID, RUN_DIR, write_core, write_properties

TITLE, SIGNATURE = "title", "signature"  # the blocks that belong to no section of the plan
AUTHOR = "gongwen"
_FALLBACK = "本节{why}，已改用离线模板稿，请人工补充润色"
FALLBACK_NOTE = _FALLBACK.format(why="模型稿未通过事实核查")
EMPTY_REPLY = "empty_reply"  # the violation kind of a reply with no text (prompts/violations.txt)
UNVERIFIED_NOTE = "事实中未见，请核实：{clause}。核实无误可保留，并删去本批注；无据则删去。"
_LABELS = {"opening": "开头", "problems": "存在问题", CAUSES: "究其原因", "plans": "下步打算", "closing": "结尾",
           SIGNATURE: "落款", TITLE: "标题"}


@dataclass(frozen=True)
class Block:
    kind: str  # title | h1 | h2 | p | sign
    text: str
    section: str = ""  # the plan section it belongs to, or TITLE / SIGNATURE


@dataclass(frozen=True)
class Gap:
    section: str
    label: str  # the section as the reader knows it: 「（二）加强党员队伍建设」, 「落款」
    text: str  # the 【待补：…】 or the fallback note

    def line(self) -> str:
        return f"{self.label}（{self.section}）：{self.text}"


def title_of(result: DraftResult) -> list[str]:
    plan = result.plan
    return plan.title_lines or title_lines(plan.title, (plan.unit, plan.role))


def signature_of(result: DraftResult) -> list[str]:
    """The 落款: the name and the date from the facts file, 【待补】 where either is missing."""
    if result.signature is not None:
        return result.signature
    plan = result.plan
    return [plan.name or placeholder("署名（述职人姓名）"), format_date(plan.date) or placeholder("成文日期")]


def format_date(date: str) -> str:
    """「2024-01-15」, 「2024.1.15」, 「2024/01/15」 → 「2024年1月15日」 (7.3.5.x: no leading zeros)."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*", date)
    if not match:
        return date.strip()
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"


def blocks(result: DraftResult, *, signature: bool = True) -> list[Block]:
    out = [Block("title", "\n".join(title_of(result)), TITLE)]
    texts = {s.id: s.text for s in result.sections}
    current_part: Part | None = None
    for section in result.plan.sections:
        if section.part in BODY_PARTS and section.part != current_part:
            part_heading = (result.headings or {}).get(section.part.value, PART_HEADINGS[section.part])
            out.append(Block("h1", part_heading, section.id))
        current_part = section.part
        for line in (ln for ln in texts[section.id].split("\n") if ln.strip()):
            sub = section.part == Part.MAIN_WORK and (line == section.heading or is_subheading(line))
            out.append(Block("h2" if sub else "p", line, section.id))
    if signature:
        out.extend(Block("sign", line, SIGNATURE) for line in signature_of(result))
    return out


def section_label(plan: Plan, section_id: str) -> str:
    """A section as its reader knows it: 「（二）加强党员队伍建设」, 「究其原因」, 「落款」."""
    if section_id.startswith(f"{Part.MAIN_WORK.value}."):
        return plan.section(section_id).heading
    return _LABELS.get(section_id, section_id)


def gaps(result: DraftResult) -> list[Gap]:
    """Every 【待补】 in the draft and its 落款, and every section that fell back to the composer."""
    found = [Gap(b.section, section_label(result.plan, b.section), placeholder(m.group(1)))
             for b in blocks(result) if b.kind != "title" for m in PLACEHOLDER_PATTERN.finditer(b.text)]
    return found + [Gap(sid, section_label(result.plan, sid), fallback_note(result, sid)) for sid in result.fallbacks]


def fallback_note(result: DraftResult, section_id: str) -> str:
    """Why a section is the composer's: the model's draft failed the checks, or the model said nothing."""
    flagged = next((s.flagged for s in result.sections if s.id == section_id), [])
    if flagged and all(v.get("kind") == EMPTY_REPLY for v in flagged):
        return _FALLBACK.format(why=flagged[0].get("detail", ""))
    return FALLBACK_NOTE


def to_markdown(result: DraftResult, *, signature: bool = True) -> str:
    """The draft in Markdown, the list of gaps after it. ``signature=False`` leaves out the 落款 (the
    evaluation scores drafted text against real reports, which carry none)."""
    marks = {"title": "# ", "h1": "## ", "h2": "### ", "p": "", "sign": ""}
    lines = [marks[b.kind] + b.text.replace("\n", "") for b in blocks(result, signature=signature)]
    todo = gaps(result) if signature else [g for g in gaps(result) if g.section != SIGNATURE]
    check = [f"- {section_label(result.plan, sid)}（{sid}）：「{clause}」" for sid, clauses in result.unverified.items()
             for clause in clauses]
    if todo or result.notes or check:
        lines.append("---")
    if todo or result.notes:
        lines += ["**待补清单**（定稿前逐项补齐，并删除本清单）", *(f"- {gap.line()}" for gap in todo),
                  *(f"- 全文：{note}" for note in result.notes)]
    if check:
        lines += [f"**待核实清单**（{len(check)} 处：事实中未见，请逐项核实，无据则删去）", *check]
    return "\n\n".join(lines) + "\n"


def baseline(result: DraftResult) -> dict[str, Any]:
    """What the Word file says, by section: what ``gongwen revise`` compares the user's edits with."""
    sections: dict[str, list[str]] = {}
    for block in blocks(result):
        if block.kind not in ("title", "h1"):
            sections.setdefault(block.section, []).append(block.text)
    body = {"title": title_of(result), "sections": {sid: "\n".join(lines) for sid, lines in sections.items()}}
    digest = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return {"draft_id": digest[:12], **body}


def save_docx(path: Path, result: DraftResult) -> None:
    """Write the Word file, and beside the run it came from, what it says (``export-ID.json``)."""
    from ..runfolder import RunFolder

    record = baseline(result)
    RunFolder(result.run_dir).write_json(f"export-{record['draft_id']}.json", {**record, "docx": str(path)})
    write_atomic(path, to_docx(result, record["draft_id"]))


def to_docx(result: DraftResult, draft_id: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    gbt9704.setup(document)
    items = blocks(result)
    last_body = max((i for i, b in enumerate(items) if b.kind in ("p", "h2")), default=-1)
    noted: set[str] = set()
    for i, block in enumerate(items):
        if block.kind == "sign" and items[i - 1].kind != "sign":
            _blank(document, "sign", keep=True)  # 正文下空一行 before the 落款
        para = _paragraph(document, block, items, result.unverified.get(block.section, []))
        if i == last_body:
            para.paragraph_format.keep_with_next = True  # the 落款 never starts a page alone
        if block.section in result.fallbacks and block.section not in noted and para.runs:
            noted.add(block.section)
            document.add_comment(para.runs[0], text=fallback_note(result, block.section) + "。", author=AUTHOR,
                                 initials="GW")
        if block.kind == "title":
            _blank(document, "title")  # 标题下空一行
    gbt9704.page_numbers(document)
    write_properties(document, {RUN_DIR: str(result.run_dir), DRAFT_ID: draft_id or baseline(result)["draft_id"]})
    write_core(document, "".join(title_of(result)), result.plan.name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _style_kind(block: Block) -> str:
    if block.kind != "p":
        return block.kind
    return block.section.split(".")[0]  # main_work.2 → main_work


def _font(kind: str) -> tuple[str, int]:
    _, _, font, size, _ = gbt9704.STYLES[kind]
    return font, size


def _paragraph(document: Any, block: Block, items: list[Block], unverified: list[str]) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    kind = _style_kind(block)
    para = document.add_paragraph(style=document.styles[gbt9704.STYLES[kind][1]])
    font, size = _font(kind)
    if block.kind == "title":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for n, line in enumerate(block.text.split("\n")):
            run = para.add_run(line)
            gbt9704.set_font(run, font, size, scale=100)
            if n < block.text.count("\n"):
                run.add_break()
        return para
    if block.kind == "sign":
        lines = [b.text for b in items if b.kind == "sign"]
        name_indent, date_indent = gbt9704.signature_indents(lines[0], lines[-1])
        gbt9704.right_indent(para, date_indent if block.text == lines[-1] and len(lines) > 1 else name_indent)
        para.paragraph_format.keep_with_next = block.text != lines[-1]
    pieces = [(block.text, False)]
    if block.kind == "p" and ITEM_NUMBER.match(block.text):
        # A 1. heading runs into its paragraph: the heading sentence in bold 仿宋.
        head, _, rest = block.text.partition("。")
        pieces = [(head + ("。" if rest or block.text.endswith("。") else ""), True), (rest, False)]
    for text, bold in pieces:
        _runs(document, para, text, font, size, bold, unverified if block.kind == "p" else [])
    return para


def _runs(document: Any, para: Any, text: str, font: str, size: int, bold: bool, unverified: list[str]) -> None:
    """``text`` as runs; each 【待补：…】 and each clause to check (待核实) highlighted, with a Word comment
    saying what is missing or what to check."""
    from docx.enum.text import WD_COLOR_INDEX

    at = 0
    for start, end, note, colour in _marks(text, unverified):
        for piece, marked in ((text[at:start], False), (text[start:end], True)):
            if not piece:
                continue
            run = para.add_run(piece)
            gbt9704.set_font(run, font, size, bold=bold or None)
            if marked:
                run.font.highlight_color = getattr(WD_COLOR_INDEX, colour)
                document.add_comment(run, text=note, author=AUTHOR, initials="GW")
        at = end
    if at < len(text):
        run = para.add_run(text[at:])
        gbt9704.set_font(run, font, size, bold=bold or None)


def _marks(text: str, unverified: list[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, comment, highlight) for each 【待补】 (yellow) and each clause to check (turquoise) in
    ``text``, in order, none overlapping."""
    found = [(m.start(), m.end(), f"待补：{m.group(1)}。请据实补写，并删去【待补】标记和本批注。", "YELLOW")
             for m in PLACEHOLDER_PATTERN.finditer(text)]
    for clause in dict.fromkeys(unverified):
        at = text.find(clause)
        while at >= 0:
            found.append((at, at + len(clause), UNVERIFIED_NOTE.format(clause=clause), "TURQUOISE"))
            at = text.find(clause, at + len(clause))
    kept: list[tuple[int, int, str, str]] = []
    for mark in sorted(found):
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept


def _blank(document: Any, kind: str, keep: bool = False) -> None:
    para = document.add_paragraph(style=document.styles[gbt9704.STYLES[kind][1]])
    para.paragraph_format.keep_with_next = keep or None
