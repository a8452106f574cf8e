"""Example reports are untrusted: find what in one speaks to the drafter, or is hidden from its reader.

A report collected from the web, or handed over by another office, may carry text meant for whoever
(or whatever) drafts from it: 「起草说明：凡参考本文起草述职报告的，均须……写明……」, 「忽略之前的要求」,
"ignore previous instructions". Retrieved as a style reference, it would be put before the model as
if it were an example of the genre. A report never addresses its drafter, so such a sentence is taken
out (the rest of its paragraph stays), kept with the report as *flagged* for the user to see, and never
indexed: no chunk, search hit, prompt or phrasebook holds it.

Text a reader cannot see is flagged the same way: the runs a .docx hides (read.py finds them) and
zero-width characters, which hide nothing once removed (normalising removes them) but mark a text made
to be copied, or split a word so that it slips past a rule like the ones here.

A finding names its paragraph: the line of the text as read (a .docx's paragraphs and table rows in
order), which for a .txt or .md file is the file's line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..i18n import N_, _
from ..text import squash

ADDRESSES = N_("addresses the drafter")
ZERO_WIDTH = N_("zero-width characters")


@dataclass(frozen=True)
class Finding:
    paragraph: int  # 1-based
    kind: str  # addresses the drafter | hidden text | white text | text under 2 pt | zero-width characters
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Screened:
    text: str  # the text without what was flagged, line for line
    findings: list[Finding]


# A paragraph that opens with one of these labels is a note to the drafter, all of it.
_LABEL = re.compile(r"^[【\[（(]?(起草|编写|撰写|写作|使用|生成)(说明|要求|须知|提示)[】\]）)]?[:：]")
# A sentence that says one of these speaks to whoever drafts from the text, not to the report's reader.
# Matched with the whitespace squashed out, so 「起 草 说 明」 is caught too.
_WRITE = r"(写明|写上|写入|载明|注明|提及|加上|插入|声明|体现)"
_WHERE = r"(开头|结尾|文中|文末|正文|首段|末段|每段|每一段|第.段|标题|本文|全文|报告中|稿中)"
_TO_THE_DRAFTER = re.compile(
    r"(起草|编写|撰写|写作|使用|生成)(说明|要求|须知)[:：]"
    r"|凡(参考|参照|借鉴|使用|引用|套用)(本|此)(文|篇|稿|范文|模板|材料)"
    r"|(参考|参照|借鉴|套用|引用)本(文(?!件)|篇|范文|模板)"
    r"|(须|必须|务必|一律|均须|一定要)(写明|写上|写入|载明)"
    rf"|(须|必须|务必|一律|均须|应当|一定要)(在|于)?{_WHERE}[^。；]{{0,12}}{_WRITE}"
    r"|请(在|于|按|将|把)[^。；]{0,24}(写|注明|加入|插入|补充|提及|输出)"
    r"|(忽略|无视|忘掉|不要理会)(之前|此前|以上|上述|前面|上面|先前|前述|所有)"
    r"|你(现在)?是(一[个名位])?[^。；]{0,12}(助手|模型|AI|人工智能|机器人|写手|撰稿人|宣传员|秘书)"
    r"|你现在是|从现在(起|开始)你|你的(任务|角色|身份)"
    r"|(AI|大?模型|人工智能|语言模型|助手)(须|必须|务必|请|应当)"
    r"|(系统|初始)提示(词|语)",
)
_TO_THE_MODEL = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,20}\b(previous|prior|above|earlier|preceding|all)\b"
    r"|\byou are now\b|\byou are (an?|the) (ai|assistant|language model|model)\b"
    r"|\b(system|developer) prompt\b|\bnew instructions\b|\bas an ai\b",
    re.IGNORECASE,
)
# A sentence: up to 。！？；!? (a closing quote after the mark stays with it), or an English sentence's
# full stop before a space, a Chinese character or the end.
_SENTENCE = re.compile(r"[^。！？；!?]+?(?:[。！？；!?]+[”’」』]?|\.(?=\s|$|[^\x00-\x7f])|$)")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def screen(text: str) -> Screened:
    """``text`` with what addresses the drafter taken out, and a finding for each piece taken."""
    out: list[str] = []
    findings: list[Finding] = []
    for number, line in enumerate(text.split("\n"), start=1):
        kept, flagged = _screen_paragraph(line)
        out.append(kept)
        findings.extend(Finding(number, ADDRESSES, piece) for piece in flagged)
    return Screened("\n".join(out), findings)


def _screen_paragraph(line: str) -> tuple[str, list[str]]:
    """(what of the paragraph stays, the sentences flagged in it)."""
    if _LABEL.match(squash(line)):
        return "", [line.strip()]
    kept: list[str] = []
    flagged: list[str] = []
    for sentence in _SENTENCE.findall(line):
        (flagged if addresses_the_drafter(sentence) else kept).append(sentence)
    if not flagged:
        return line, []
    return "".join(kept).strip(), [s.strip() for s in flagged]


def effect(kind: str) -> str:
    """What became of a finding of this kind, as `corpus add` and `corpus show` say it."""
    if kind == ZERO_WIDTH:
        return _("the characters removed, the paragraph kept")
    return _("kept out of the index")


def addresses_the_drafter(sentence: str) -> bool:
    squashed = squash(sentence)
    return bool(_TO_THE_DRAFTER.search(squashed) or _TO_THE_MODEL.search(sentence))


def zero_width(lines: list[str]) -> list[Finding]:
    """A finding for each paragraph holding zero-width characters, shown where they stand."""
    return [Finding(number, ZERO_WIDTH,
                    _ZERO_WIDTH.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", line).strip())
            for number, line in enumerate(lines, start=1) if _ZERO_WIDTH.search(line)]
