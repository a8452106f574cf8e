"""What kind of claim a clause makes, if it makes one the facts do not hold.

A reader checks more than numbers. Each kind below is a claim wherever no fact states it (the kinds of
``ClaimKind``); which sections reject which kinds is the trace's policy (trace.py). The detectors are
word lists and patterns, tuned on tests/data/claims-tune.jsonl and measured on a held-out set drawn
from other replies (README, "What the checks catch").

Order matters: a clause is given the first kind that fits, the gravest first (a political statement
before an honour before a result), so the message the model gets back names what matters most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ...genre import ORDINAL_ITEM, UNIVERSAL_NAMES
from ...text import bigrams, items, quoted_terms, squash
from .numbers import FIXED_TERMS
from .standing import era_claim, post_claim
from .wording import Known, content


class ClaimKind(StrEnum):
    POLITICAL = "political"  # a judgement on the Party's theory, line or policy; an admission of breaking rules
    HONOUR = "honour"  # an award, title, ranking, 先进/示范/表彰 as a result
    POST = "post"  # a post or a person the report does not name
    OTHER_UNIT = "other_unit"  # another unit's specifics, from an example report
    FREQUENCY = "frequency"  # how often: 每月, 定期, 不少于两次
    DOCUMENT = "document"  # a document, rule, system or mechanism made: 《…》, 制定了…制度
    EVENT = "event"  # a meeting, activity, lecture, visit held
    ACTION = "action"  # something done, a method
    RESULT = "result"  # an effect stated as achieved: 确保了, 增强了, 取得显著成效


SPECIFIC = frozenset(ClaimKind) - {ClaimKind.RESULT}
HONOUR_SAID = 0.6  # share of an honour clause's wording one fact must hold for the honour to be the facts'
RESULT_SAID = 0.6  # the same for a result

_POLITICAL = re.compile(
    r"认为[^，。；]{0,24}(?:党|中央|马克思|理论|路线|方针|政策|指导思想|部署|两个维护|四个意识)[^，。；]{0,24}"
    r"(?:复杂|过时|空泛|空洞|理想化|脱节|脱离|不切实际|没用|无用|不适用|难以|过于|太|缺乏[^，。；]{0,8}指导)"
    r"|(?:党的|党中央的?|中央的?|上级的?)(?:指导思想|创新理论|理论|路线|方针|政策|决策部署|部署|要求)[^，。；]{0,12}"
    r"(?:过于|太|不切实际|脱离实际|脱节|理想化|空泛|空洞|过时|复杂|难以落实|难以执行|不符合实际)"
    r"|(?:两个维护|四个意识|四个自信|两个确立)[^，。；]{0,10}(?:空泛|空洞|过时|流于形式|难以落到)"
    r"|(?:怀疑|否定|质疑)[^，。；]{0,10}(?:党的|马克思|共产主义|社会主义|中央)|马克思主义[^，。；]{0,6}过时"
    r"|(?:全会|中央|党中央|总书记|决策|总要求|上级)[^，。；]{0,12}(?:脱离实际|不切实际|不符合[^，。；]{0,6}实际)"
    r"|有选择地(?:贯彻|执行|落实)|党建工作[^，。；]{0,8}(?:次要|服从[^，。；]{0,4}业务)")
# Admissions of breaking rules or discipline: said of oneself or one's unit, in problems and causes.
_ADMISSION = re.compile(
    r"违反[^，。；]{0,12}(?:规定|纪律|精神|法律|法规)|违规违纪|违纪违法|违法违纪|贪污|受贿|行贿|贿选|拉票"
    r"|挪用|截留|私分|公车私用|公款吃喝|吃拿卡要|以权谋私|权钱交易|收受|放任不管|选择性执行|打折扣|搞变通"
    r"|阳奉阴违|两面人|团团伙伙|拉帮结派|小圈子|形式主义和官僚主义|意识[^，。；]{0,4}退化"
    r"|(?:纪律|作风|规矩)[^，。；]{0,6}(?:不严|松弛|松懈|松驰|不实|涣散|淡薄|存在不足)|缺乏务实"
    r"|理想信念[^，。；]{0,4}(?:动摇|缺失|淡化)|信仰[^，。；]{0,4}(?:缺失|迷茫|动摇)"
    r"|(?:没有|未能?|不能)(?:严格)?(?:执行|遵守|落实|贯彻)[^，。；]{0,14}(?:中央|省委|市委|党中央|省、市)"
    r"[^，。；]{0,12}(?:规定|要求|部署|决策|精神)")
_HONOUR = re.compile(
    r"荣获|获评|获得?[^，。；]{0,14}(?:称号|荣誉|奖项|表彰|冠军|一等奖|金奖)|被[^，。；]{0,8}"
    r"(?:评为|授予|表彰|命名|确定为|列为|评定为|推荐为|树为|作为典型)|授予[^，。；]{0,14}称号|表彰为|称号"
    r"|(?:先进|优秀|模范|标兵|红旗|五星|星级)(?:集体|个人|单位|基层党组织|党组织|党支部|共产党员|党务工作者|组织单位)"
    r"|(?:全国|全省|全市|全区|全县|系统内)[^，。；]{0,10}(?:第一|前列|前茅|领先|推广|典型|标杆)"
    r"|位居[^，。；]{0,10}前列|名列前茅|位列第|排名第|第一名|典型经验|经验做法")
_HOW_OFTEN = re.compile(
    r"每(?:[一两二三四五六七八九十\dX])?(?:个)?(?:天|日|周|月|季度|季|年|半年)|定期|经常|多次|逐月|按月|按季"
    r"|常态化地|不少于\s*[\dX一两二三四五六七八九十]+\s*次|至少[^，。；]{0,6}[\dX一两二三]+次")
_DOCUMENT = re.compile(
    r"(?:建立|成立|组建|设立)(?:了)?[^，。；]{0,12}(?:小组|专班|机构|中心组|委员会|工作组)"
    r"|(?:制定|制订|出台|印发|修订|建立|健全|完善|形成|编制|签订|实行|推行|坚持|执行|明确)(?:了|起)?[^，。；]{0,16}"
    r"(?:制度|办法|方案|规定|计划|细则|意见|机制|清单|台账|体系|规划|责任书|规范|章程|预案|流程|措施|[预审考]制)")
_EVENT = re.compile(
    r"(?:召开|举办|举行|开展|组织|邀请)(?:了)?[^，。；]{0,18}(?:会议|大会|会|活动|讲座|培训|竞赛|比赛|观摩|研讨|座谈"
    r"|宣讲|党课|主题党日|演讲|报告|交流|参观|考察|调研|走访|慰问|学习)|走访|慰问|参观|考察|调研|座谈")
# Verbs of doing: an untraced one with a concrete object reports an action the facts do not hold.
_DOING = re.compile(
    r"开展|(?<![党层])组织(?!生活|能力|建设|力|体系|关系|保障|保证|优势|领导|纪律|服务|的)|召开|举办|举行|制定|制订|出台"
    r"|印发|建立|成立|设立|设置|完成|实施|实行|推行|走访|调研|调查|慰问|培训|讲授|讲了|签订|创建|评选|表彰|查处|处分"
    r"|约谈|督查|督导|检查|配备|配发|投入|新建|改造|修订|引进|选派|结对|帮扶|捐赠|参加|参与(?![度感])|撰写|起草|安排"
    r"|采取|邀请|深入(?=基层|一线|社区|农村|企业|群众|学校|村|户)|带头|亲自|牵头|整改|通报|走进|开通|搭建|编印|发放|购置"
    r"|安装|聘请|进行了|评估|总结|建立健全|细化了|提出了|纠正|解决了|发现了|合作|共享|带领|选拔|审核|排查|清理"
    r"|要求(?=全体|各|每)|派出|建成|打造|推出|提交|报送|征集|收集|宣讲|讲座|座谈")
_METHOD = re.compile(r"(?:如|例如|比如|包括|通过)[^，。；]{2,}(?:等|等等)"
                     r"|通过[^，。；]{2,24}(?:方式|途径|形式|手段|渠道)|由[^，。；]{1,12}(?:带头|牵头|负责|担任|任)")
# A result said as achieved, anywhere: the effect is done (了), taken (取得), or judged (显著).
_ACHIEVED = re.compile(
    r"(?:提升|提高|增强|加深|强化|激发|凝聚|巩固|优化|改善|促进|推动|带动|营造|形成|实现|达到|坚定|丰富|拓宽|夯实"
    r"|筑牢|锤炼|维护|保障|确保|保证|加快|深化)了|取得了[^，。；]{0,10}(?:成效|成果|成绩|进展|突破|效果|实效|胜利)"
    r"|取得(?:显著|明显|重大|丰硕|实质性)|(?:成效|效果|成果|成绩|反响)(?:显著|明显|突出|斐然|丰硕|良好|较好|很好)|(?:显著|明显|大幅)(?:地)?(?:提升|提高|增强|改善|加强|推动|促进|解决|遏制"
    r"|防止|激发)|为[^，。；]{2,24}(?:提供|打下|奠定|创造)了[^，。；]{0,12}(?:保障|保证|基础|支撑|动力|条件|环境|平台)"
    r"|受到[^，。；]{0,12}(?:好评|肯定|赞誉|欢迎|表扬|认可)|得到[^，。；]{0,12}(?:好评|肯定|认可|提升|提高|增强|加强|改善"
    r"|巩固|落实|解决|保障)|解决了[^，。；]{0,12}(?:问题|困难|难题|难事|烦心事)|圆满完成|顺利完成|全面完成|如期完成|有了[^，。；]{0,10}(?:提高|提升|增强|理解|认识)"
    r"|(?:展示|展现|体现|证明|彰显|赢得|贡献|了解|领会|掌握|注入|激活|密切|拉近|树立|打响|提供)了"
    r"|为[^，。；]{2,24}(?:注入|提供)[^，。；]{0,12}(?:活力|支持|帮助|指导|动力|平台)|及时发现并解决"
    r"|(?:获得感|幸福感|安全感|满意度|凝聚力|战斗力|向心力|号召力|组织力|执行力|创造力)[^，。；]{0,4}"
    r"(?:增强|提升|提高|显著|明显|不断|持续|进一步)")
# A consequence: a result claimed only where it says something specific the facts do not (「导致工作推进缓慢」,
# not 「导致工作缺乏活力」).
_CONSEQUENCE = re.compile(r"(?:导致|致使|造成|以致|影响了|使得|无法有效|未能有效)([^，。；]*)")
# In the sections that report what was done, a trend, a purpose served, or a clause that opens with an effect
# is a result claimed; in plans and the closing it is an intention.
_TREND = re.compile(
    r"(?:有效)(?:地)?(?:提升|提高|增强|改善|加强|推动|促进|解决|遏制|防止|激发)"
    r"|(?:不断|持续|稳步|明显|显著|大幅|日益|逐步|进一步|整体)(?:提升|提高|增强|优化|改善|向好|完善|健全|壮大|规范"
    r"|巩固|加强|激发)|取得[^，。；]{0,10}(?:成效|成果|成绩|进展|突破|效果|实效|胜利)"
    r"|为[^，。；]{2,24}(?:提供|打下|奠定|创造)[^，。；]{0,14}(?:保障|保证|基础|支撑|动力|条件|环境|平台|场所|设施"
    r"|阵地|服务|帮助|支持|便利)")
_EFFECT_LEAD = re.compile(
    r"^(?:从而|进而|以此|以点带面|以|并|有效|进一步|切实|不断|持续|全面|大大|更好地|积极|着力|深入)*(?:地)?"
    r"(?:提升|提高|增强|加深|激发|凝聚|巩固|优化|改善|促进|推动|带动|营造|助力|保障|确保|保证|坚定|丰富|使|让|帮助"
    r"|形成|实现|维护|夯实|筑牢|领会|掌握|展示|展现|引导|激励)")
# A view said to be held (「认为党建工作是看上级指示」): in problems and causes, a situation the facts do not give.
_VIEW = re.compile(r"(?:认为|觉得|以为)[^，。；]{4,}")


@dataclass(frozen=True)
class Context:
    """What a clause is judged against."""

    known: Known
    reporting: bool  # the section reports what was done or is wrong: effects it opens with are results
    admits: bool  # the section is self-criticism (problems, causes): admissions are judged
    role: str
    year: int
    others: OtherUnits | None = None
    genre: frozenset[str] = frozenset()  # the wording three or more example reports use


def claim_of(clause: str, ctx: Context) -> tuple[ClaimKind, str, str] | None:
    """The kind of claim ``clause`` makes that the facts do not hold, the words that make it, and why (the
    message's key in prompts/violations.txt)."""
    found = _claim(clause, ctx)
    if found is None:
        return None
    kind, words = found
    return kind, words, "claim.era" if kind == ClaimKind.POLITICAL and _ERA.fullmatch(words) else f"claim.{kind}"


_ERA = re.compile(r"[一二三四五六七八九十]+(?:大|届[一二三四五六七八九]中全会)")


def _claim(clause: str, ctx: Context) -> tuple[ClaimKind, str] | None:
    known = ctx.known
    for pattern, kind in ((_POLITICAL, ClaimKind.POLITICAL), *(((_ADMISSION, ClaimKind.POLITICAL),) if ctx.admits
                                                               else ())):
        if (found := pattern.search(clause)) and not known.says(clause, RESULT_SAID):
            return kind, found.group(0)
    if era := era_claim(clause, ctx.year, known.text):
        return ClaimKind.POLITICAL, era
    if (found := _HONOUR.search(clause)) and not known.says(clause, HONOUR_SAID) and not _named(found.group(0), known):
        return ClaimKind.HONOUR, found.group(0)
    if post := post_claim(clause, known.text):
        return ClaimKind.POST, post
    if ctx.others is not None and (borrowed := ctx.others.borrowed(clause, known, ctx.genre)):
        return ClaimKind.OTHER_UNIT, borrowed
    specific = _specific(clause, ctx)
    if specific:
        return specific
    bare = ORDINAL_ITEM.sub("", clause)  # 「三是确保…」 opens with its effect all the same
    said = _ACHIEVED.search(clause) or (ctx.reporting and (_TREND.search(clause) or _EFFECT_LEAD.search(bare)))
    if said and not known.says(clause, RESULT_SAID) and not _stance(clause):
        return ClaimKind.RESULT, said.group(0)
    if (then := _CONSEQUENCE.search(clause)) and content(then.group(1)) - known.all:
        return ClaimKind.RESULT, then.group(0)
    return None


def _specific(clause: str, ctx: Context) -> tuple[ClaimKind, str] | None:
    """A frequency, a document, an event or an action the facts do not hold."""
    known = ctx.known
    often = _HOW_OFTEN.search(clause)
    if often and not known.traced_with(clause, often.group(0)):
        return ClaimKind.FREQUENCY, often.group(0)
    named = [n for n in quoted_terms(clause) if n not in known.text and n not in FIXED_TERMS]
    if named:
        return ClaimKind.DOCUMENT, named[0]  # a named document, campaign or title the facts do not name
    if all(known.traced(item) for item in items(clause)):
        return None
    for pattern, kind in ((_DOCUMENT, ClaimKind.DOCUMENT), (_EVENT, ClaimKind.EVENT), (_METHOD, ClaimKind.ACTION)):
        if (found := pattern.search(clause)) and content(found.group(0)) - known.all:
            return kind, found.group(0)
    if ctx.admits and (view := _VIEW.search(clause)):
        return ClaimKind.ACTION, view.group(0)
    if ctx.reporting:
        for verb in _DOING.finditer(clause):
            if content(clause[verb.end():verb.end() + 8]) - known.all:
                return ClaimKind.ACTION, clause
    return None


def _stance(clause: str) -> bool:
    """The Party's standing formulas, said as every report says them (「增强“四个意识”、坚定“四个自信”」): a
    stance, not a result."""
    found = content(clause)
    return bool(found) and found <= _STANDING


_STANDING = frozenset(g for name in UNIVERSAL_NAMES for g in bigrams(name))


def _named(honour: str, known: Known) -> bool:
    """An honour whose own words a fact has (「党建示范点」 in 「纳入“党建示范点”」)."""
    grams = bigrams(honour)
    return bool(grams) and grams <= known.all


class OtherUnits:
    """The wording of other units' reports the model was shown that is theirs alone: a run of characters
    one or two of them have (what three or more share is the genre's) and the facts do not."""

    SHARED_BY = 3
    RUN = 8  # characters in a row: shorter runs are common words

    def __init__(self, texts: Iterable[str]) -> None:
        counts: dict[str, int] = {}
        for text in texts:
            body = squash(text)
            for run in {body[i:i + self.RUN] for i in range(len(body) - self.RUN + 1)}:
                counts[run] = counts.get(run, 0) + 1
        self.theirs = {run for run, n in counts.items() if n < self.SHARED_BY}

    def borrowed(self, clause: str, known: Known, genre: frozenset[str] = frozenset()) -> str:
        """The first run of ``clause`` found in another unit's report whose specific words (two at least)
        are neither the facts' nor the genre's."""
        body = squash(clause)
        for i in range(len(body) - self.RUN + 1):
            run = body[i:i + self.RUN]
            if run in self.theirs and len(content(run) - known.all - genre) >= 2 and run not in known.text:
                return run
        return ""
