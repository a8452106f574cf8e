"""The claims trace: every sentence of a section traced to the facts it carries, or found to claim
something the facts do not hold.

The fact lock catches an invented number; this catches an invented achievement worded without one:
「由党委一把手带头深入社区开展疫情防控工作调研」, 「定期召开专题会议」, 「如迟到早退等」. Each sentence
is split into clauses (by ，、：). A clause is traced when most of its content is the facts' wording;
an untraced clause is a **claim** when it says something was done (a verb of doing with a concrete
object that is not in the facts), how often (每月, 定期, 经常…), names a document or campaign the facts
do not (《…》, “…”), or gives examples (如……等); every
other untraced clause is **connective** genre prose (推动……, 确保……, 增强……的凝聚力): it claims no
specific action, event or result.

The sentence → fact map is the draft's source map (``trace.json`` in the run folder), and the claims
are rejected like invented numbers in the sections that report what was done or what is wrong.
Plans, causes and the closing elaborate intentions and self-criticism, which is what the genre asks
of them, so their untraced clauses are mapped but not rejected. The trace's precision on
hand-labelled sentences is measured by the tests (tests/data/claims.jsonl) and reported in the README.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...genre import CAUSES, Part
from ...text import bigrams, clauses, quoted_terms, sentences, share, squash
from ..outline.plan import Plan, Section
from .numbers import FIXED_TERMS

# Sections whose sentences report what was done (or what is wrong): a claim there is an invention.
CHECKED = (Part.OPENING, Part.MAIN_WORK, Part.PROBLEMS)
DONE = (Part.OPENING, Part.MAIN_WORK)  # the parts that report what was done: verbs of doing are claims there
TRACED_SHARE = 0.5  # share of a clause's content bigrams found in one fact line that makes it the facts'
SPREAD_SHARE = 0.75  # the share found across all the facts that makes it the facts' wording all the same
CARRIES_SHARE = 0.5  # share of a fact's bigrams a sentence repeats to count as carrying that fact

# Verbs of doing: an untraced one with a concrete object reports an action the facts do not hold.
_DOING = re.compile(
    r"开展|(?<![党层])组织(?!生活|能力|建设|力|体系|关系|保障|保证|优势|领导|纪律|服务|的)|召开|举办|举行|制定|制订|出台|印发|建立|成立|设立|设置|完成|实施|实行|推行|走访|调研|调查|慰问|培训|"
    r"讲授|讲了|签订|创建|评选|表彰|查处|处分|约谈|督查|督导|检查|配备|配发|投入|新建|改造|修订|引进|选派|结对|帮扶|"
    r"捐赠|参加|参与(?![度感])|撰写|起草|安排|采取|邀请|深入(?=基层|一线|社区|农村|企业|群众|村|户)|带头|整改|通报|走进|"
    r"开通|搭建|编印|发放|购置|安装|聘请|进行了|评估|总结|建立健全|细化了|提出了|纠正|解决了|发现了|合作|共享|带领|"
    r"要求(?=全体|各|每)|"
    r"派出|建成|打造|推出|提交|报送|征集|收集|宣讲|讲座|座谈")
_HOW_OFTEN = re.compile(r"每[天日周月季年]|每季度|每半年|定期|经常|多次|逐月|按月|按季|常态化地")
_EXAMPLES = re.compile(r"(?:如|例如|比如|包括|通过)[^，。；]{2,}(?:等|等等)")
# Words that carry no specific content: the genre's connective vocabulary. A verb's object made only
# of these ("开展工作", "组织学习") names nothing the reader could check.
_GENERIC_WORDS = """
工作 各项 一项 相关 有关 责任 建设 水平 质量 作用 成效 能力 意识 任务 要求 措施 机制 制度 基础 保障
氛围 合力 活力 凝聚 聚力 战斗 斗力 堡垒 先锋 模范 党员 干部 群众 党建 党组 组织 基层 全面 深入 扎实
有效 有力 不断 持续 一步 切实 推动 确保 提升 增强 提高 加强 促进 落实 贯彻 精神 思想 理论 政治 学习
教育 管理 监督 服务 发展 稳定 中心 大局 全局 部署 安排 推进 开展 我局 本局 单位 领导 班子 成员 同志
我们 自己 本人 一年 年来 全年 今年 上级 规定 标准 目标 方向 重点 难点 问题 情况 方面 形式 内容 方式
方法 效果 成果 经验 实际 实践 具体 认真 积极 主动 及时 严格 规范 科学 高度 重视 始终 坚持 牢固 树立
以来 履行 职责 第一 抓好 抓实 抓细 抓牢 做好 做实 提供 支撑 保证 指导 引领 推进 解决 加以 查摆 剖析 反思
整改 位置 重要 同时 进一步 第一责任人 顺利 有序 到位 实效 新成效 新进展 新台阶 高质量
习近平 总书记 党中央 中央 省委 市委 区委 县委 论述 讲话 指示 批示 系列 部署要求 决策部署 关于
知识 素养 素质 本领 形式主义 官僚主义 享乐主义 奢靡之风 四风
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
# Where one word ends and the next begins is unknown (Chinese has no spaces), so a generic word, a
# function character or an ordinal (一是) cuts the text: no bigram spans it (「主题教育提供」 is 「主题」).
_CUT = re.compile("|".join(sorted((re.escape(w) for w in _GENERIC), key=len, reverse=True))
                  + r"|[一二三四五六七八九十]是|[的了着过和与及等在对把将被向从以为并而或于]|[^\u4e00-\u9fffA-Za-z0-9]")


@dataclass
class TracedSentence:
    section: str
    text: str
    kind: str  # fact | connective | claim
    facts: list[int] = field(default_factory=list)  # the lines of the facts file it carries
    claim: str = ""  # the clause that claims what the facts do not hold


def trace_section(text: str, section: Section, plan: Plan, stock: str = "") -> list[TracedSentence]:
    """Each sentence of ``text``: the facts it carries, and whether it claims what they do not hold.

    ``stock`` is genre prose known to claim nothing: the composer's own text for the section, which
    adds no fact by construction. A clause found in it is connective whoever wrote it.
    """
    known_text = _known_text(section, plan)
    stock = squash(stock)
    known = Known(known_text)
    doing = section.part in DONE  # a problem is said with verbs too: 「投入精力不够」 reports nothing done
    traced = []
    for sentence in (s.strip() for s in sentences(text)):
        if not sentence or sentence == section.heading:
            continue
        grams = bigrams(sentence)
        facts = [b.line for b in section.bullets if share(b.text, grams, empty=0.0) >= CARRIES_SHARE]
        examples = _EXAMPLES.search(sentence)
        if examples and not _traced(examples.group(0), known):
            claim = examples.group(0)  # examples the facts do not give (如迟到早退等)
        else:
            claim = next((c for c in clauses(sentence)
                          if squash(c) not in stock and _claims(c, known, known_text, doing)), "")
        kind = "claim" if claim else ("fact" if facts else "connective")
        traced.append(TracedSentence(section.id, sentence, kind, facts, claim))
    return traced


def claims(traced: Iterable[TracedSentence], section: Section) -> list[TracedSentence]:
    """The claims that are inventions: those in a section that reports what was done or is wrong."""
    if section.part not in CHECKED or section.id == CAUSES:
        return []
    return [t for t in traced if t.kind == "claim"]


def _known_text(section: Section, plan: Plan) -> str:
    """What the section may speak of, one item a line: the report's facts, the unit and role, and the
    outline's headings."""
    texts = [plan.unit, plan.role, plan.superior]
    # Every fact of the report: one stated in the wrong section is misplaced (the form guard's
    # concern), not invented; and the outline every section is written to.
    texts += [b.text for s in plan.sections for b in s.bullets] + [s.heading for s in plan.sections]
    return "\n".join(t for t in texts if t)


def _content(text: str) -> set[str]:
    """The bigrams that say something specific: within the fragments generic words leave."""
    return {g for piece in _CUT.split(text) for g in bigrams(piece)}


class Known:
    """The wording a section may use: all of it, and line by line."""

    def __init__(self, text: str) -> None:
        self.lines = [bigrams(line) for line in text.splitlines()]
        self.all: set[str] = set().union(*self.lines)


def _traced(text: str, known: Known) -> bool:
    """The facts' own wording, or nothing specific. One fact's wording, mostly, or almost all of it
    the facts' across lines: 「由党委一把手带头深入社区开展疫情防控工作调研」 takes 疫情防控 from one
    fact and 社区 from another, and is no fact's."""
    content = _content(text)
    if not content:
        return True
    best = max((share(content, line) for line in known.lines), default=0.0)
    return best >= TRACED_SHARE or share(content, known.all) >= SPREAD_SHARE


def _claims(clause: str, known: Known, known_text: str, doing: bool = True) -> bool:
    if _traced(clause, known):
        return False
    often = _HOW_OFTEN.search(clause)
    if often and often.group(0) not in known_text:
        return True
    if any(name not in known_text and name not in FIXED_TERMS for name in quoted_terms(clause)):
        return True  # a named document, campaign or title that the facts do not name
    for verb in _DOING.finditer(clause) if doing else ():
        obj = _content(clause[verb.end():verb.end() + 8])
        if obj - known.all:
            return True
    return False
