"""The normaliser: deterministic fixes for a model's harmless slips, before the checks see the reply.

Only slips whose fix cannot change what the text says are fixed here; everything else (an echoed
label, a letter form, another part's heading, Markdown around text that is not the section's own facts)
is left for the form guard to reject, so the model is asked again rather than its slip hidden. What is
fixed, and why, goes into checks.json.

- a code fence around the reply;
- the section's own heading (or its part's) repeated at the top, with or without ``#``/``**`` marks;
- ``**bold**`` marks;
- a first line that only announces the text (「好的，以下是本节正文：」);
- a list whose items are the section's own facts, turned into 「一是……。二是……。」 prose;
- 「一是……」「二是……」 on lines of their own, joined into one paragraph;
- a reply cut off at the token cap: its unfinished last sentence is dropped;
- the genre's fixed formulas: an opening that lacks its closing sentence 「现将……述职如下：」 gets it,
  and causes that do not begin 「究其原因，」 get that lead. The model writes what the section says;
  the formula is the genre's, not a fact;
- where the user's own office has formulas of its own (house.py), those: its opening's last sentence, its
  causes' first words, its closing's first words and last sentence, in place of the genre's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ...genre import (
    CAUSES,
    CAUSES_LEAD,
    CAUSES_START,
    OPENING_END,
    ORDINAL_ANYWHERE,
    ORDINAL_ITEM,
    PART_HEADINGS,
    Part,
    numeral,
    opening_formula,
    strip_numbering,
)
from ...text import CLOSERS, SENTENCE_ENDS, bigrams, clause_pieces, ends_sentence, fact_parts, sentences, share, squash
from ..checks.factlock import covers_wording
from ..checks.numbers import chinese_to_int
from ..outline.plan import Section
from .house import HouseStyle, fill

_FENCE = re.compile(r"^\s*```\w*\s*$")
_DECOR = re.compile(r"^\s*(?:#{1,6}\s*|\[[a-z_]+(?:\.\d+)?\]\s*)|\*\*|__")
_ANNOUNCE = re.compile(r"^\s*(?:好的[，,。！!]?\s*)?(?:以下是|下面是)[^。\n]{0,30}[：:]\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+•·]|\d{1,2}[.．、)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*(.+)$")
_PARAGRAPH_NUMBER = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
SAYS_MIN = 2  # bigrams: what a cut leaves of a sentence, past its number, must have to say anything
OWN_ITEM_SHARE = 0.6  # share of one of the section's facts a list item must state to be the section's own


@dataclass
class Normalised:
    text: str
    fixes: list[str] = field(default_factory=list)


def normalise_reply(reply: str, section: Section, year: str = "", cut: bool = False,
                    house: HouseStyle | None = None) -> Normalised:
    fixes: list[str] = []
    lines = [line.rstrip() for line in reply.replace("\r", "").split("\n")]
    if any(_FENCE.match(line) for line in lines):
        lines = [line for line in lines if not _FENCE.match(line)]
        fixes.append("删去代码块标记")
    if any("**" in line or "__" in line for line in lines):
        lines = [line.replace("**", "").replace("__", "") for line in lines]
        fixes.append("删去加粗标记")
    lines = [line for line in lines if line.strip()]
    if lines and _ANNOUNCE.match(lines[0]):
        fixes.append(f"删去开场白「{lines.pop(0).strip()}」")
    while lines and _is_own_heading(lines[0], section):
        fixes.append(f"删去重复的本节标题「{lines.pop(0).strip()}」")
    lines = _list_to_prose(lines, section, fixes)
    lines = _join_items(lines, fixes)
    text = "\n".join(line.strip() for line in lines)
    if cut and text and not ends_sentence(text):
        whole = max(text.rfind(c) for c in "。！？；")
        if whole > 0:
            fixes.append(f"删去截断的半句「{text[whole + 1:][:20]}」")
            text = text[:whole + 1]
    text = _as_written(_in_order(text, fixes), section, fixes)
    text = _problems_paragraphs(_formulas(text, section, year, fixes), section, fixes)
    return Normalised(_house_formulas(text, section, year, house, fixes) if house else text, fixes)


def _formulas(text: str, section: Section, year: str, fixes: list[str]) -> str:
    if not text:
        return text
    if section.part == Part.OPENING and not OPENING_END.search(text):
        text = re.sub(r"现将[^。：:]*$", "", text).rstrip("，,；; ")
        text = _ended(text) + opening_formula(year)
        fixes.append("补上开头段的结束语「现将……述职如下：」")
    if section.id == CAUSES and not CAUSES_START.match(text):
        text = CAUSES_LEAD + text.lstrip("，,、 ")
        fixes.append(f"补上「{CAUSES_LEAD}」")
    return text


_ORDINAL_AT = re.compile(r"(?:^|(?<=[。；;：:\n]))\s*[一二三四五六七八九十]{1,3}是[，,、：:]?")


def _problems_paragraphs(text: str, section: Section, fixes: list[str]) -> str:
    """Problems and plans set as the genre sets them, a paragraph each: 「一是A。二是B。」 → 「（一）A。」
    「（二）B。」 (the composer's form; a list numbered 一是 is stock words a reader counts)."""
    if section.id not in (Part.PROBLEMS.value, Part.PLANS.value) or len(_ORDINAL_AT.findall(text)) < 2:
        return text
    lead, *items = _ORDINAL_AT.split(text)
    paragraphs = [lead.strip()] if lead.strip() else []
    paragraphs += [f"（{numeral(i)}）{item.strip().rstrip('；;。')}。" for i, item in enumerate(items, start=1)]
    fixes.append("逐条分段，以（一）（二）编号")
    return "\n".join(paragraphs)


def _house_formulas(text: str, section: Section, year: str, house: HouseStyle, fixes: list[str]) -> str:
    """The house's own formulas where the genre's stand: 「现将……述职如下：」 → its opening end, 「究其原因，」
    → its causes' first words, 「今后，」 → its closing's first words, and its closing's last sentence."""
    if not text:
        return text
    said = text
    if section.part == Part.OPENING and (end := fill(house.opening_end, year)) and not text.endswith(end):
        text = _ended(re.sub(r"[，,]?[^，,。！；]*如下\s*[：:]\s*$", "", text.rstrip())) + end  # 「现将…如下：」 out
    if section.id == CAUSES and house.causes_start and not text.startswith(start := fill(house.causes_start, year)):
        body = re.sub(r"^[^，,：:。]*[，,：:]", "", text, count=1) if CAUSES_START.match(text) else text
        text = f"{start}：{body.lstrip('，,：: ')}"  # 「究其原因，」 out, the house's words in
    if section.part == Part.CLOSING:
        if (head := fill(house.closing_head, year)) and not text.startswith(head):
            text = f"{head}，{re.sub(r'^(今后|新的一年|在新的一年)[，,]?', '', text)}"
        if (tail := house.closing_tail) and not text.endswith(tail):
            text = _ended(re.sub(r"以上述职[^。]*。?$", "", text).rstrip()) + tail
    if text != said:
        fixes.append("换用本单位往年述职的固定提法")
    return text


def _ended(text: str) -> str:
    return text + "。" if text and not ends_sentence(text) else text


def _is_own_heading(line: str, section: Section) -> bool:
    bare = ORDINAL_ITEM.sub("", _DECOR.sub("", line).strip()).rstrip("：:。")  # 「三是下步工作思路…：」 too
    if not bare or len(bare) > 40:
        return False
    own = {section.heading, strip_numbering(section.heading), PART_HEADINGS.get(section.part, ""),
           strip_numbering(PART_HEADINGS.get(section.part, ""))} - {""}
    return bare in own or strip_numbering(bare) in own


def _list_to_prose(lines: list[str], section: Section, fixes: list[str]) -> list[str]:
    """Runs of two or more list items that state the section's own facts become one 一是…二是… paragraph."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        own = len(run) >= 2 and all(_owned(item, section) for item in run)
        if own:
            out.append("".join(f"{numeral(i)}是{item.rstrip('。；;，, ')}。" for i, item in enumerate(run, start=1)))
            fixes.append(f"把{len(run)}条列表改为“一是……”的段落")
        else:
            out.extend(run_lines)
        run.clear()
        run_lines.clear()

    run_lines: list[str] = []
    for line in lines:
        item = _ITEM.match(line)
        if item:
            run.append(_DECOR.sub("", item.group(1)).strip())
            run_lines.append(line)
            continue
        if run:
            flush()
        out.append(line)
    if run:
        flush()
    return out


def _join_items(lines: list[str], fixes: list[str]) -> list[str]:
    """「一是……」 and 「二是……」 on lines of their own: one paragraph, as the genre writes them."""
    out: list[str] = []
    for line in lines:
        if out and ORDINAL_ITEM.match(line.strip()) and ("一是" in out[-1] or ORDINAL_ITEM.match(out[-1].strip())):
            ended = out[-1].rstrip()
            out[-1] = _ended(ended) + line.strip()
            if "连成一段" not in "".join(fixes):
                fixes.append("把分行的“一是……二是……”连成一段")
            continue
        out.append(line)
    return out


_MARKS = "。！？；!?;，, "


def strip_claims(body: str, claims: list[str], fixes: list[str]) -> str:
    """The reply without the clauses that claim what the facts do not hold (the claims trace's verdict):
    「一是落实“一岗双责”，通过召开党组会议，压实了责任。」 → 「一是落实“一岗双责”，压实了责任。」. A sentence
    that is all claim goes whole (「确保了干部队伍的稳定性。」), and a numbered item that is all claim goes
    with its number, the items after it numbered again. Deleting adds nothing; a fact deleted with a
    claim is put back by complete_items, in the user's words."""
    text = body
    for claim in dict.fromkeys(claims):
        for sentence in sentences(text):  # split as the trace that found the claims splits
            clauses = clause_pieces(sentence)
            whole = squash(claim).strip(_MARKS) == squash(sentence).strip(_MARKS)
            hit = [0] * (len(clauses) == 1) if whole else [i for i, c in enumerate(clauses) if claim in c]
            if whole and len(clauses) > 1:
                cut = ""
            elif not hit:
                continue
            else:
                cut = _without(sentence, clauses, hit[0])
            text = text.replace(sentence, cut, 1)
            fixes.append(f"删去事实中没有的说法「{claim}」" if cut else f"删去整句「{sentence.strip()[:30]}」")
            break
    if text == body:
        return text
    return _renumbered("\n".join(line for line in text.split("\n") if line.strip()))  # no paragraph left empty


def _without(sentence: str, clauses: list[str], i: int) -> str:
    """The sentence without clause ``i``; "" when nothing that says anything would be left."""
    kept = clauses[:i] + clauses[i + 1:]
    if not kept:
        return ""
    if i == 0:  # the item's number stays with what is left of it: 「一是通过召开…，落实…」 → 「一是落实…」
        lead = ORDINAL_ITEM.match(clauses[0])
        kept[0] = (lead.group(0) if lead else "") + kept[0]
    if i == len(clauses) - 1:
        ending = sentence[-1] if sentence[-1] in SENTENCE_ENDS + CLOSERS else ""
        kept[-1] = kept[-1].rstrip("，,：:") + ending
    cut = _mended("".join(kept))
    if _FRAGMENT.fullmatch(cut.strip()):  # 「通过选举。」, 「为了防止疫情扩散。」: the deed it led to was cut
        return ""
    return cut if len(bigrams(ORDINAL_ITEM.sub("", cut))) >= SAYS_MIN else ""


# A sentence that is only how or what for, with no deed: what a cut of its main clause leaves.
_FRAGMENT = re.compile(r"(?:通过|为了|经过|随着|为)[^，,；;：:。！？!?]*[。；;！？!?]?")


_NOT_ONLY = re.compile(r"不仅仅|不仅(?!如此)|不但(?!如此)|不只(?!是)")
_BUT_ALSO = re.compile(r"而且|并且|还|也|更")
_MEANS_ONLY = re.compile(  # 「二是通过开展…活动；」, not 「通过率…」 or 「通过年度考核验收。」 (passed it)
    r"^((?:[一二三四五六七八九十]{1,3}是)?)通过"
    r"(?![了率过]|[^，,；;：:。！？!?]*(?:考核|验收|审议|审核|表决|评审|认证|选举|检查)[。；;！？!?]?$)"
    r"(?=[^，,；;：:。！？!?]+[。；;！？!?]?$)")


def _mended(text: str) -> str:
    """What a cut left half a construction of, made whole: a 「不仅…」 whose 「还…」 went loses its 不仅
    (「我们不仅解决了问题。」 → 「我们解决了问题。」); a means left with no end says the deed
    (「二是通过开展宣传月活动；」 → 「二是开展宣传月活动；」)."""
    found = _NOT_ONLY.search(text)
    if found and not _BUT_ALSO.search(text, found.end()):
        text = text[:found.start()] + text[found.end():]
    return _MEANS_ONLY.sub(r"\1", text)


def finish_paragraphs(body: str, section: Section, fixes: list[str]) -> str:
    """Paragraphs that stop mid-sentence: a last item that states a fact whole gets its full stop
    (「四是2020年党员缴纳党费X元」); any other unfinished tail goes (「六是换届后对社区“两委”」), and
    complete_items puts back, in the user's words, a fact that went with it."""
    lines = []
    for line in body.split("\n"):
        if ends_sentence(line, leads=True):
            lines.append(line)
            continue
        end = max(line.rfind(c) for c in SENTENCE_ENDS + "：:")
        tail = line[end + 1:]
        if any(covers_wording(b.text, tail) for b in section.bullets):
            lines.append(line + "。")
            fixes.append(f"补上句末的句号「{tail[-12:]}。」")
        else:
            lines.append(line[:end + 1])
            fixes.append(f"删去没有写完的半句「{tail[:20]}」")
    return "\n".join(line for line in lines if line.strip())


# An item's number where the genre writes one: at a paragraph's start or after a mark (「究其原因，一是…」).
_ITEM_AT = re.compile(r"(?:^|(?<=[。；！？：，,;:!?]))([一二三四五六七八九十]{1,3})是", re.MULTILINE)


def _renumbered(text: str) -> str:
    """一是…三是… with 二是 cut out: each paragraph's items numbered 一是、二是 again, in order (a list
    set on lines of its own is one paragraph by then: _join_items); a 一是 after 二是 or later starts a
    new list, a 一是 said twice does not."""
    def paragraph(line: str) -> str:
        count, before = 0, ""

        def number(found: re.Match[str]) -> str:  # 「在思想上，一是…二是…；在工作上，一是…」: a second list
            nonlocal count, before
            count = 1 if found.group(1) == "一" and before not in ("", "一") else count + 1
            before = found.group(1)
            return f"{numeral(count)}是"

        return _ITEM_AT.sub(number, line)

    return "\n".join(paragraph(line) for line in text.split("\n"))


MISCOPIED = 0.8  # a sentence or clause this close to a fact (difflib's ratio), and as long, is the fact miscopied
_LEAD = re.compile(r"^(?:[一二三四五六七八九十]{1,3}是|（[一二三四五六七八九十]{1,3}）)[，,、：:]?")


def _as_written(text: str, section: Section, fixes: list[str]) -> str:
    """A fact copied with a character or two changed, in the user's words again: the local model wrote
    「班级协作和担当意识不够」 for the fact 「班子协作和担当意识不够」 and 「召发动员党员深入疫情防控第一线」 for
    「号召党员深入疫情防控第一线」. A sentence that says more or less than the fact is not touched."""
    facts = [b.text.rstrip("。；;，, ") for b in section.bullets if len(b.text) >= 6]
    if not facts:
        return text
    for sentence in sentences(text):
        for piece in [sentence, *clause_pieces(sentence)]:
            core = _LEAD.sub("", piece.strip()).rstrip(_MARKS)
            fact = _miscopied(core, facts)
            if fact is not None and core in text:
                text = text.replace(core, fact, 1)
                fixes.append(f"照事实原文改正「{core}」为「{fact}」")
                break
    return text


def _miscopied(core: str, facts: list[str]) -> str | None:
    if any(core in fact for fact in facts):  # a fact, or part of one, as written
        return None
    for fact in facts:
        if core != fact and abs(len(core) - len(fact)) <= 2 and core not in fact and fact not in core \
                and SequenceMatcher(None, core, fact, autojunk=False).ratio() >= MISCOPIED:
            return fact
    return None


_ITEM_WITH_MARK = re.compile(_ITEM_AT.pattern + r"[，,、：:]?", re.MULTILINE)  # 「三是：」, as a lone number goes


def _in_order(text: str, fixes: list[str]) -> str:
    """Items numbered as a reader counts them: a reply that opens at 「三是深化基层党建。」 or says 一是 twice
    is numbered 一是、二是… again; a lone item numbered past 一 carries no number (a lone 一是 stays: the
    facts the reply left out follow it, complete_items)."""
    numbers = _ITEM_AT.findall(text)
    if numbers and numbers[0] != "一" and len(numbers) == 1:
        fixes.append(f"删去只有一项的序号「{numbers[0]}是」")
        return _ITEM_WITH_MARK.sub("", text, count=1)
    fixed = _renumbered(text)
    if fixed != text:
        fixes.append("按顺序重排“一是、二是……”的序号")
    return fixed


def complete_items(body: str, section: Section, fixes: list[str]) -> str:
    """A reply in 一是…二是… form that did not state some facts (as the fact lock reads it: most of their
    wording): those facts, as the user wrote them, as the next items (「四是……」); of a fact that lists its
    parts with ；, the parts the reply did not state, each an item. A reply that only touched a fact
    (「强化党员先锋作用」 for 「完善党员先锋作用考核评价机制」) gets it whole: the local model's
    plans fell back for that after three replies. A fact stated whose number or quoted term is off is
    not touched: the checks judge it, and the model is asked again."""
    have = bigrams(body)
    absent = [b.text for b in section.bullets if not covers_wording(b.text, have)]
    if not absent or not body:
        return body
    said = squash(body)
    parts = [p for text in absent for p in (q.rstrip("。，, ") for q in fact_parts(text))
             if p and squash(p) not in said]
    paragraphs = _PARAGRAPH_NUMBER.match(body.rsplit("\n", 1)[-1])  # problems and plans: （四）……
    if not parts or not (paragraphs or ORDINAL_ANYWHERE.search(body)):
        return body
    fixes.append("补上回复漏写的事实（照录原文）：" + "；".join(f"「{text}」" for text in absent))
    if paragraphs:
        n = chinese_to_int(paragraphs.group(1)) or 0
        return _ended(body) + "".join(f"\n（{numeral(n + i)}）{part}。" for i, part in enumerate(parts, start=1))
    lines = body.split("\n")
    k = max((i for i, line in enumerate(lines) if _ITEM_AT.search(line)), default=len(lines) - 1)
    n = len(_ITEM_AT.findall(lines[k]))  # the items go on the last list
    lines[k] = _ended(lines[k]) + "".join(f"{numeral(n + i)}是{part}。" for i, part in enumerate(parts, start=1))
    return "\n".join(lines)


def _owned(item: str, section: Section) -> bool:
    """An item that states one of the section's facts (whatever else it says, which the checks judge)."""
    have = bigrams(item)
    return any(share(b.text, have, empty=0.0) >= OWN_ITEM_SHARE for b in section.bullets)
