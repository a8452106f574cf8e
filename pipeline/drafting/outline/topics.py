"""The topics a 述职报告's main work covers: the one home of their names and words.

Each topic has a name (as ``facts check`` and the draft's checklist show it), the words that mark a
text as being about it, and two kinds of wording written for this tool: the subheading a group of
ungrouped bullets gets, and short action phrases for a subheading's first half (「坚持高位推动，…」).

Which topics are *usual* is not decided here: :func:`usual_topics` learns it from the example reports
(a topic is usual when at least half of them give it a main-work item of its own). The topic list is
only the seed vocabulary it can find.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from ...genre import ITEM_NUMBER, ORDINAL_ITEM, Part
from ...text import sentences


@dataclass(frozen=True)
class Topic:
    key: str
    name: str  # shown to the user
    heading: str  # the subheading of a group of ungrouped bullets on this topic
    leads: tuple[str, ...]  # a subheading's first half when the user's label has none; also an item's head
    whys: tuple[str, ...]  # general truths the composer opens a group with: they say nothing of the reporter
    words: str  # a regular expression: what marks a text as being about this topic

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.words)


# Order matters where a short bullet names two topics: the first match wins (廉政 before 党员教育, so
# 「警示教育」 is conduct). The last, central work, also takes the bullets no other topic claims.
TOPICS: tuple[Topic, ...] = (
    Topic("responsibility", "压实责任", "压实主体责任，健全党建工作机制",
          ("坚持高位推动", "强化责任担当", "健全工作机制"),
          ("管党治党，关键在于压实责任", "责任落实到位，党建工作才能落地见效"),
          r"责任|职责|党组会议|党委会议|研究党建|部署|考核|述职|目标|第一责任人|一岗双责|督查|督导|台账"),
    Topic("theory", "理论学习", "加强政治建设，抓实理论武装",
          ("突出政治引领", "坚持学思践悟", "强化理论武装"),
          ("理论上清醒，政治上才能坚定", "思想是行动的先导，理论武装是党员干部的必修课"),
          r"学习|理论|政治|第一议题|中心组|宣讲|专题|思想|党课|读书|全会精神|主题教育"),
    Topic("organisation", "组织建设", "夯实基层基础，提升组织力",
          ("夯实基层基础", "建强战斗堡垒", "规范组织运行"),
          ("基层党组织是党全部工作和战斗力的基础", "党的工作最坚实的力量支撑在基层"),
          r"支部|党组织|基层组织|换届|标准化|规范化|阵地|党群服务|组织生活|三会一课|主题党日|堡垒|软弱涣散"),
    Topic("conduct", "作风纪律", "从严正风肃纪，推进党风廉政建设",
          ("坚持正风肃纪", "严明纪律规矩", "强化监督约束"),
          ("作风建设永远在路上", "纪律是管党治党的“戒尺”"),
          r"廉政|廉洁|作风|纪律|监督|八项规定|四风|警示|巡察|整改|执纪|从严治党"),
    Topic("ideology", "意识形态", "压实意识形态责任，守好思想宣传阵地",
          ("守牢思想阵地", "强化舆论引导", "压实意识形态责任"),
          ("意识形态工作是党的一项极端重要的工作", "守好思想阵地，是党建工作的应有之义"),
          r"意识形态|舆论|舆情|网络安全|网评|宣传思想|新闻宣传"),
    Topic("members", "党员队伍", "加强队伍建设，严格党员教育管理",
          ("从严教育管理", "锻造过硬队伍", "激发队伍活力"),
          ("建强党员队伍，是基层党建的基础性工作", "党员是党的事业的骨干力量，党员队伍建设是基层党建的基础工程"),
          # 党员 itself, not 干部 or 教育 alone: 「驻村干部」 are central work, 「警示教育」 conduct.
          r"党员|发展党员|入党|积极分子|党费|先锋|示范岗|年轻干部|干部队伍|干部培训|培训干部|人才"),
    Topic("central", "中心工作", "坚持党建引领，服务中心工作",
          ("聚焦中心大局", "服务发展大局", "推动融合发展"),
          ("抓党建的成效，最终要体现在推动中心工作上", "党建工作只有融入中心、服务大局，才有生命力"),
          r"中心工作|业务|疫情|防控|脱贫|攻坚|乡村振兴|帮扶|营商|服务企业|民生|经济|项目|结对"),
)
CATCH_ALL = TOPICS[-1]
BY_KEY = {topic.key: topic for topic in TOPICS}


def topic_of(text: str) -> Topic | None:
    """The first topic whose words a short text (a bullet, a label) contains."""
    return next((topic for topic in TOPICS if topic.pattern.search(text)), None)


FIT_SHARE = 0.5  # a subsection is about a topic when more than this share of its facts speak of it
FIT_MIN = 2  # and at least this many do


def facts_topic(facts: Iterable[str]) -> Topic | None:
    """What a subsection's facts are about: the topic more than half of them speak of, two at least (by its
    words: a fact no topic's words mark counts for none). None when no topic is that clear.

    Measured on 54 subsections a reader labelled blind (tests/data/lead-topics.json): the topic this rule
    names is the reader's for 24 of the 27 it names; the earlier rule (half or more, a fact of no topic
    counted as central work) named one for 51, and 15 of those were not the reader's.
    """
    topics = [topic_of(text) for text in facts]
    return next((t for t in TOPICS if topics.count(t) >= FIT_MIN and topics.count(t) > FIT_SHARE * len(topics)),
                None)


def topics_in(text: str) -> set[str]:
    """Every topic a short text touches (a facts file covers a topic if any bullet touches it)."""
    return {topic.key for topic in TOPICS if topic.pattern.search(text)}


def main_topic(text: str) -> Topic | None:
    """The topic a long passage is most about: the one whose words it uses most (ties: list order)."""
    hits = [(len(topic.pattern.findall(text)), -n, topic) for n, topic in enumerate(TOPICS)]
    count, _, topic = max(hits, key=lambda h: (h[0], h[1]))
    return topic if count else None


def passage_items(text: str) -> list[str]:
    """A main-work passage as its items: a new item starts at each 一是/二是… or 1./2. sentence."""
    found: list[str] = []
    for sentence in sentences(text):
        if not found or ORDINAL_ITEM.match(sentence) or ITEM_NUMBER.match(sentence):
            found.append(sentence)
        else:
            found[-1] += sentence
    return [item for item in found if item.strip()]


def report_topics(chunks: Iterable[tuple[Part, str]]) -> set[str]:
    """The topics an example report gives a main-work item of its own (item = passage of 一是…)."""
    covered: set[str] = set()
    for part, text in chunks:
        if part != Part.MAIN_WORK:
            continue
        for item in passage_items(text):
            topic = main_topic(item)
            if topic is not None:
                covered.add(topic.key)
    return covered


def usual_topics(per_report: Sequence[set[str]], share: float = 0.5) -> dict[str, int]:
    """Topic → how many reports cover it, for the topics at least ``share`` of the reports cover."""
    counts = {topic.key: sum(topic.key in covered for covered in per_report) for topic in TOPICS}
    needed = share * len(per_report)
    return {key: count for key, count in counts.items() if per_report and count >= needed}
