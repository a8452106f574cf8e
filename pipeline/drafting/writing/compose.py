"""The offline composer: a deterministic drafter that needs no model.

It writes each section from the outline and the user's bullets, set in the genre's connective prose:
a subheading in the genre's 「动宾，动宾」 form, a lead sentence for each group, 一是…二是… items headed
by the genre's own 「动宾」 phrase where an item speaks of one, the problems with a word of
responsibility, 究其原因 with each cause tied to its problem, plans ordered to answer the problems, and
a closing that sums up. It is also the fallback for a section a model could not draft cleanly.

It adds no fact: the connective prose claims no action, event, name, number or result. Its shared
formulas come from the phrasebook (phrases.py: what at least three example reports share); where the
examples share none, from wording written for this tool (here and in outline/topics.py). Where the genre
needs something the facts lack, it writes a visible 【待补：…】.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ...genre import CAUSES, SUB_NUMBER, Part, genre_marker_rate, numeral, placeholder
from ...text import bigrams, fact_parts, squash
from ..checks.reader import clauses_of
from ..outline.facts import Bullet
from ..outline.naming import post, whose_work
from ..outline.plan import Plan, Section
from ..outline.topics import CATCH_ALL, TOPICS, Topic, facts_topic, main_topic
from .analysis import CAUSES_CLOSE, cause_head, own_part
from .answers import RELEVANT_BIGRAMS, answer_order, relevant, topic_words
from .house import KEYWORDS, fill
from .phrases import Phrasebook

EMPTY_BOOK = Phrasebook()
SHORT_HALF = 4  # 「明责任，强基础」: halves this short are one topic together
BARE_LABEL = 5  # a label this short (「压实责任」) is a topic, not yet a subheading: it gets a lead
GUIDE = "党的创新理论"  # the guiding theory, when the examples name none in common

# The words that announce a subsection's items, one per subsection in turn and none said twice; past
# the last, the items follow the lead (or the heading) directly, as real reports mostly do.
_ANNOUNCE = ("主要抓了以下几项工作：", "重点做了以下几件事：", "着重抓了以下几个方面：", "主要从以下几方面着手：",
             "突出抓了以下几项工作：")
# Where no general truth fits the facts and no mined phrase names them, the subsection's own words
# introduce its items (「围绕明责任、强基础，我重点做了以下几件事：」), each way once, in turn.
_INTRO = ("围绕{}", "在{}上", "聚焦{}", "着眼{}", "针对{}")
# The verb of each lead's focus, in turn: 「我着力…」 in every subsection was one more repeated word.
_FOCUS_VERBS = ("着力", "注重", "重点", "突出")
NUMBERED = 2  # facts a group needs for 一是…二是…
MARKER_RATE = 11.0  # stock words per 1,000 characters when no examples are indexed (real reports: 8.5-14)
MARKER_FLOOR = 8.5
_PART_END = "这些工作的开展，离不开{superior}的坚强领导、班子成员的支持配合和全体党员干部的共同努力。"
_PROBLEMS_END = "对这些问题，我作为第一责任人负有不可推卸的责任。"  # not 直接责任 (a term of 问责)


def sentence(text: str) -> str:
    """A bullet as a clause: trailing punctuation dropped, so the frame supplies its own."""
    return text.strip().rstrip("。；;，,.、 ")


@dataclass(frozen=True)
class Frame:
    """The genre's prose around a section's own sentences: the lead before them, the close after.

    The composer fills it with the facts set as items; the LLM writer fills it with the model's
    sentences, so a small model writes what it can write without inventing (the facts, elaborated)
    and the length and shape the genre wants come from here.
    """

    before: str = ""
    after: str = ""


def frame(plan: Plan, section: Section, book: Phrasebook = EMPTY_BOOK) -> Frame:
    """The frame of a section whose facts a writer states: main work, problems and plans."""
    if section.part == Part.MAIN_WORK and section.bullets:
        return _group_frames(plan, book)[section.id].frame
    if section.part == Part.PROBLEMS and section.id != CAUSES and section.bullets:
        return Frame(_problems_lead(plan, book) + "\n", "\n" + _PROBLEMS_END)
    if section.part == Part.PLANS and section.bullets:
        return Frame(_plans_lead(plan, book) + "\n")
    return Frame()


def elsewhere(plan: Plan, section: Section, book: Phrasebook = EMPTY_BOOK) -> frozenset[str]:
    """The clauses the other sections' frames say: they ship whoever writes those sections' sentences, so
    a section saying one again repeats it (checks/reader.said_elsewhere)."""
    frames = [frame(plan, other, book) for other in plan.sections if other.id != section.id]
    return frozenset(clause for f in frames for clause in clauses_of(f.before + f.after))


def compose(plan: Plan, section: Section, book: Phrasebook = EMPTY_BOOK) -> str:
    """The section's text, in Markdown (a （一） subheading on a line of its own)."""
    if section.part == Part.OPENING:
        return _opening(plan, book)
    if section.part == Part.CLOSING:
        return _closing(plan, book)
    if section.id == CAUSES:
        return _causes(plan, section.bullets, book)
    if section.part == Part.MAIN_WORK:
        return _group(plan, section, book)
    if section.part == Part.PROBLEMS:
        return _problems(plan, section.bullets, book)
    return _plans(plan, section.bullets, book)


# --- what the sections share ----------------------------------------------------------------------


def topic_label(section: Section) -> str:
    """What a group is about: 「（一）高度重视，认真履行党建工作职责」 → 「认真履行党建工作职责」; a heading of
    short halves (「明责任，强基础」) is about both: 「明责任、强基础」."""
    bare = SUB_NUMBER.sub("", section.heading).strip(" 。")
    halves = bare.split("，")
    if len(halves) > 1 and len(halves[-1]) > SHORT_HALF:
        return halves[-1]
    return "、".join(halves)


def _genre_form(label: str) -> bool:
    """「高度重视，认真履行…」 and 「战疫情、显担当」 are subheadings in the genre's form already."""
    halves = label.split("，") if "，" in label else label.split("、")
    return len(halves) > 1 and all(halves) and ("，" in label or all(len(h) <= SHORT_HALF for h in halves))


def subheading(section: Section, book: Phrasebook = EMPTY_BOOK, keyword: str = "") -> str:
    """A bare label in the genre's form: 「（一）压实责任」 → 「（一）坚持高位推动，压实责任」; with the house's
    pattern and a ``keyword``, in the house's form: 「（一）以“压责”为要，压实责任」. A heading the tool made
    for ungrouped facts gets the house's form too; a label of the user's in the genre's form is theirs."""
    bare = SUB_NUMBER.sub("", section.heading).strip(" 。")
    numbered = SUB_NUMBER.match(section.heading)
    number = numbered.group(0) if numbered else ""
    made = any(bare == topic.heading for topic in TOPICS)
    house = book.house.subheading_for(number, keyword, topic_label(section)) if keyword else ""
    if house and (made or (bare and len(bare) <= BARE_LABEL)):
        return house
    # 「全面开展疫情防控」 is a subheading the genre writes too: only a bare topic gets a lead.
    if not bare or len(bare) > BARE_LABEL or _genre_form(bare):
        return section.heading
    topic = _topic(section)
    leads = [*book.heading_leads.get(topic.key, []), *topic.leads]
    lead = next((lead for lead in leads if not bigrams(lead) & bigrams(bare)), leads[-1])
    return f"{number}{lead}，{bare}"


def _keywords(plan: Plan, book: Phrasebook) -> dict[str, str]:
    """Each main-work group's keyword for the house's subheading pattern (「以“铸魂”为要」): the house's own
    word for the group's topic, else the tool's; none said twice. None where the house has no pattern."""
    if not book.house.subheading:
        return {}
    said: set[str] = set()
    found = {}
    for section in _groups(plan):
        key = _topic(section).key
        wanted = [book.house.keywords.get(key, ""), KEYWORDS.get(key, ""), *book.house.keywords.values(),
                  *KEYWORDS.values()]
        word = next((w for w in wanted if w and w not in said), "")
        said.add(word)
        found[section.id] = word
    return found


def _topic(section: Section) -> Topic:
    """What a group is about: its label counts twice, then its bullets."""
    label = topic_label(section)
    return main_topic(" ".join([label, label, *(b.text for b in section.bullets)])) or CATCH_ALL


def _superior(plan: Plan, fallback: str = "上级党组织") -> str:
    return plan.superior or fallback


def _relevant(phrases: list[str], text: str, used: set[str]) -> str:
    """The first mined 「动宾」 (verb + term) whose term ``text`` itself speaks of, not used yet."""
    words = topic_words(text)
    for phrase in phrases:
        if phrase not in used and relevant(phrase[2:], words) >= RELEVANT_BIGRAMS:
            used.add(phrase)
            return phrase
    return ""


def _terms(book: Phrasebook, topic: Topic) -> list[str]:
    return [*book.terms.get(topic.key, []), *(p for key, ps in book.terms.items() if key != topic.key for p in ps)]




# --- the sections ----------------------------------------------------------------------------------


def _opening(plan: Plan, book: Phrasebook) -> str:
    superior = plan.superior or placeholder("上级党组织名称")
    leadership = book.formula("leadership", "坚强")
    guide = book.formula("guide", GUIDE)
    # 「{year}年，我在…」: with 「{year}年，在…」 the title and the opening's first words would run on as
    # one example's 20 characters.
    house = book.house
    motto = f"坚持“{house.phrases[0]}”，" if house.phrases else ""
    end = fill(house.opening_end, plan.year) or f"按照有关要求，现将{plan.year}年度抓基层党建工作情况述职如下："
    return (f"{plan.year}年，我在{superior}的{leadership}领导下，坚持以{guide}为指导，{motto}贯彻新时代党的建设总要求，"
            f"始终把党的政治建设摆在首位，增强“四个意识”、坚定“四个自信”、做到“两个维护”，"
            f"牢固树立“抓好党建是最大政绩”的理念，认真履行{post(plan.unit, plan.role)}抓基层党建工作第一责任人职责。"
            f"{end}")


def _group(plan: Plan, section: Section, book: Phrasebook) -> str:
    if not section.bullets:
        heading = subheading(section, book, _keywords(plan, book).get(section.id, ""))
        return f"{heading}\n{placeholder('本方面工作的具体做法和成效')}。"
    around = _group_frames(plan, book)[section.id]
    used = {_first_half(around.heading), *around.focus}
    items = _items(section.bullets, _terms(book, _topic(section)), used, section.id in numbered(plan, book))
    return f"{around.frame.before}{items}{around.frame.after}"


def _first_half(heading: str) -> str:
    """「（一）坚持高位推动，压实责任」 → 「坚持高位推动」: the phrase a heading leads with, which no item repeats."""
    return SUB_NUMBER.sub("", heading).split("，")[0]


def _groups(plan: Plan) -> list[Section]:
    return [s for s in plan.sections if s.part == Part.MAIN_WORK]


@dataclass(frozen=True)
class _GroupFrame:
    frame: Frame
    heading: str
    focus: tuple[str, ...]  # the mined 「动宾」 its lead names, which no item then heads


def _group_frames(plan: Plan, book: Phrasebook) -> dict[str, _GroupFrame]:
    """Every main-work group's heading and lead, chosen together so nothing is said twice in a draft.

    With the house's transition (「紧扣“铸魂”二字，我重点抓了三件事：」), that is the lead. Otherwise: a
    general truth of the topic its facts are about (each said once; none where its facts share no
    topic), the verb phrase it focuses on (each once), and the words that announce its items (each
    once, in turn)."""
    said: set[str] = set()
    used: set[str] = set()
    groups = _groups(plan)
    keywords = _keywords(plan, book)
    frames = {}
    for number, section in enumerate(groups):
        heading = subheading(section, book, keywords.get(section.id, ""))
        used.add(_first_half(heading))
        after = "\n" + _PART_END.format(superior=_superior(plan)) if number == len(groups) - 1 else ""
        keyword = keywords.get(section.id, "")
        if house := book.house.transition_for(keyword, len(section.bullets)) if keyword else "":
            # the house's one transition leads a list; a single fact follows its heading directly
            lead = house if len(section.bullets) > 1 else ""
            frames[section.id] = _GroupFrame(Frame(f"{heading}\n{lead}", after), heading, ())
            continue
        topic = facts_topic(b.text for b in section.bullets)
        why = next((w for w in topic.whys if w not in said), "") if topic else ""
        said.add(why)
        about = topic_label(section) + " ".join(b.text for b in section.bullets)
        focus = _relevant(_terms(book, topic or CATCH_ALL), about, used) if topic else ""
        announce = _ANNOUNCE[number] if number < len(_ANNOUNCE) and len(section.bullets) > 1 else ""
        verb = _FOCUS_VERBS[number % len(_FOCUS_VERBS)]
        said_focus = f"我{verb}{focus.removeprefix('着力')}" if focus else ""
        intro = f"{_INTRO[number % len(_INTRO)].format(topic_label(section))}，我" if announce else ""
        lead = f"{said_focus}，{announce}" if focus and announce else (f"{said_focus}。" if focus else intro + announce)
        opener = f"{why}。" if why else ""
        frames[section.id] = _GroupFrame(Frame(f"{heading}\n{opener}{lead}", after), heading,
                                         (focus,) if focus else ())
    return frames


def _items(bullets: list[Bullet], terms: list[str], used: set[str], numbered: bool = True) -> str:
    """一是…二是…, each item headed by the genre's 「动宾」 where one fits it; unnumbered, its sentences."""
    def item(bullet: Bullet) -> str:
        head = _relevant(terms, bullet.text, used)
        return f"{head}。{sentence(bullet.text)}" if head else sentence(bullet.text)

    if len(bullets) == 1:
        return item(bullets[0]) + "。"
    if not numbered or len(bullets) < NUMBERED:  # one sentence, parts joined by ；, with no heads
        return "；".join(sentence(b.text) for b in bullets) + "。"
    return "".join(f"{numeral(i)}是{item(b)}。" for i, b in enumerate(bullets, start=1))


def numbered(plan: Plan, book: Phrasebook = EMPTY_BOOK, extra_chars: int = 0) -> set[str]:
    """The groups whose facts are listed 一是…二是…: the choice of lists that keeps the draft's stock words
    inside the band the indexed reports span (their lowest rate to their upper quartile), nearest its top
    (the rest read as sentences). Real reports list too, but their items are paragraphs, so their markers
    are rarer. ``extra_chars``: what a model's elaboration adds to the composer's length."""
    top, floor = book.marker_rate or MARKER_RATE, book.marker_floor or MARKER_FLOOR
    plain = {s.id: _plain_text(plan, s, book) for s in plan.sections}
    chars = sum(len(squash(t)) for t in plain.values()) + extra_chars or 1
    markers = sum(genre_marker_rate(t) * len(squash(t)) / 1000 for t in plain.values())
    lists = [g for g in _groups(plan) if len(g.bullets) >= NUMBERED]
    ordinals = {g.id: min(len(g.bullets), 5) for g in lists}  # 六是 and on are not counted as stock words
    # Of every choice of lists to number (a report has a handful of groups): inside the band, the one
    # nearest its top (ties: the more lists); if none is inside, the one nearest the band.
    choices = [set(c) for n in range(len(lists) + 1) for c in itertools.combinations(ordinals, n)]

    def off(choice: set[str]) -> tuple[float, float, int]:
        rate = 1000 * (markers + sum(ordinals[g] for g in choice)) / chars
        return max(floor - rate, rate - top, 0.0), top - rate if rate <= top else rate, -len(choice)

    return min(choices, key=off)


def _plain_text(plan: Plan, section: Section, book: Phrasebook) -> str:
    """The section as composed with no list numbered."""
    if section.part != Part.MAIN_WORK:
        return compose(plan, section, book)
    if not section.bullets:
        return ""
    around = _group_frames(plan, book)[section.id].frame
    return f"{around.before}{_items(section.bullets, [], set(), numbered=False)}{around.after}"


def _problems_lead(plan: Plan, book: Phrasebook) -> str:
    if book.house.problems_lead:
        return fill(book.house.problems_lead, plan.year)
    found = book.formula("problems", "我在抓基层党建工作中还存在一些差距和不足")
    return f"在肯定成绩的同时，我也清醒地认识到，对照{_superior(plan)}的要求和党员群众的期盼，{found}，主要是："


def _problems(plan: Plan, bullets: list[Bullet], book: Phrasebook) -> str:
    lead = _problems_lead(plan, book)
    if not bullets:
        return f"{lead}\n{placeholder('存在的主要问题')}。"
    owned: set[str] = set()
    items = "\n".join(f"（{numeral(i)}）{sentence(b.text)}。" + (f"{own}。" if (own := own_part(b.text, owned)) else "")
                      for i, b in enumerate(bullets, start=1))
    return f"{lead}\n{items}\n{_PROBLEMS_END}"


def _causes(plan: Plan, bullets: list[Bullet], book: Phrasebook) -> str:
    opener = fill(book.house.causes_start, plan.year) or book.formula("causes", "究其原因")
    if not bullets:
        return f"{opener}，{placeholder('问题产生的主要原因，如思想认识、工作方法、制度落实等方面')}。"
    problems = {b.line: sentence(b.text) for b in plan.section("problems").bullets}
    causes = []
    for bullet in bullets:
        pieces = [p for p in (sentence(p) for p in fact_parts(sentence(bullet.text))) if p]
        tie = f"，这是“{problems[bullet.line]}”这一问题的成因" if bullet.line in problems else ""
        causes += [*pieces[:-1], pieces[-1] + tie]
    if len(causes) == 1:
        return f"{opener}，{causes[0]}。"
    heads: set[str] = set()
    analysed = [f"{head}。{cause}" if (head := cause_head(cause, heads)) else cause for cause in causes]
    listed = "".join(f"{numeral(i)}是{cause}。" for i, cause in enumerate(analysed, start=1))
    if book.house.causes_start:  # the house's words lead straight into its list
        return f"{opener}：{listed}{CAUSES_CLOSE}。"
    mainly = "" if "主要" in opener else "主要"  # 「究其主要原因，有…」, never 「主要…主要」
    return f"{opener}，{mainly}有以下几个方面：{listed}{CAUSES_CLOSE}。"


def _plans_lead(plan: Plan, book: Phrasebook) -> str:
    motto = f"坚持{book.house.phrases[3]}，" if len(book.house.phrases) > 3 else ""
    if book.house.plans_end:  # 「2025年，我将…，重点在四个方面再加力：」
        count = len(plan.section("plans").bullets)
        return f"{fill('{next}', plan.year)}年，我将{motto}针对上述问题，{fill(book.house.plans_end, plan.year, count)}"
    found = book.formula("plans", "重点抓好以下几方面工作")
    return f"针对上述问题，新的一年，我将{motto}{found}："


def _plans(plan: Plan, bullets: list[Bullet], book: Phrasebook) -> str:
    lead = _plans_lead(plan, book)
    if not bullets:
        return f"{lead}\n{placeholder('下一步工作措施')}。"
    terms = [p for ps in book.terms.values() for p in ps]
    used: set[str] = set()
    lines = []
    for i, (bullet, problem) in enumerate(answer_order(plan.section("problems").bullets, bullets), start=1):
        head = _relevant(terms, bullet.text, used)
        answer = f"针对{_problem_name(problem.text)}的问题，" if problem else ""
        lines.append(f"（{numeral(i)}）{head + '。' if head else ''}{answer}{sentence(bullet.text)}。")
    return lead + "\n" + "\n".join(lines)


def _problem_name(text: str) -> str:
    name = sentence(text)
    for tail in ("的问题", "问题"):
        name = name.removesuffix(tail)
    return name


def _closing(plan: Plan, book: Phrasebook) -> str:
    house = book.house
    opener = fill(house.closing_head, plan.year) or book.formula("closing", "今后")
    mottos = "".join(f"坚持{p}，" for p in house.phrases[1:3])
    tail = house.closing_tail or "以上述职，请予评议。"
    return (f"{opener}，我将认真落实全面从严治党主体责任，{mottos}以更加饱满的精神状态、更加务实的工作作风，"
            f"抓好基层党建各项工作，推动{whose_work(plan.unit)}基层党建工作质量提升。{tail}")
