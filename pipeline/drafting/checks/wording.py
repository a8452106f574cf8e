"""What a section may say, and which of a clause's words say something specific.

Chinese has no spaces, so wording is compared by character bigrams. The genre's connective vocabulary
(工作, 推动, 党员, 进一步 …) names nothing a reader could check, so a clause's **content** is the bigrams
left between those words; a clause is **the facts'** when most of its content is one fact's wording (or
almost all of it the facts', across lines).

What a section may speak of (``Known``) is the report's facts, its unit, role and superior, the
outline's headings, and the Party's standing names every report uses.
"""

from __future__ import annotations

import re

from ...genre import UNIVERSAL_NAMES
from ...text import bigrams, share
from ..outline.plan import Plan

TRACED_SHARE = 0.5  # share of a clause's content bigrams found in one fact line that makes it the facts'
SPREAD_SHARE = 0.75  # the share found across all the facts that makes it the facts' wording all the same

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
明确 缺乏 深度 广度 动力 不足 不佳 不够 不高 不强 盲点 差距 一定 难以 运行 正常 预期
主要 以下 几项 几个 方面 努力 共同 支持 配合 肯定 成绩 清醒 认识 期盼 对照 正视 逐项 针对 上述 以上 举措 更加 饱满 状态
务实 作风 站位 政绩 标准 统筹 谋划 用力 导向 结果 首要 理念 摆在 首位 之一 一切 各级 全体 广大 党组织
清醒 认识到 做法 以下 几件 几个 做了 抓了 领导 坚强 正确 关键 基础性 述职 如下 现将 汇报 报告 评议 参加 参与
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
# Where one word ends and the next begins is unknown, so a generic word, a function character or an
# ordinal (一是) cuts the text: no bigram spans it (「主题教育提供」 is 「主题」).
_CUT = re.compile("|".join(sorted((re.escape(w) for w in GENERIC), key=len, reverse=True))
                  + r"|[一二三四五六七八九十]是|[的了着过和与及等在对把将被向从以为并而或于]"
                  r"|[我也还都就才又再很更最这那些其之所已均即]|[^\u4e00-\u9fffA-Za-z0-9]")


def content(text: str) -> set[str]:
    """The bigrams that say something specific: within the fragments generic words leave."""
    return {g for piece in _CUT.split(text) for g in bigrams(piece)}


class Known:
    """The wording a section may use: all of it, and line by line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [bigrams(line) for line in text.splitlines()]
        self.all: set[str] = set().union(*self.lines)

    @classmethod
    def of(cls, plan: Plan) -> Known:
        """What any section of ``plan`` may speak of, one item a line: every fact of the report (one
        stated in the wrong section is misplaced, the form guard's concern, not invented), the unit,
        role and superior, the outline's headings, and the standing names."""
        texts = [plan.unit, plan.role, plan.superior, plan.title, plan.name, *UNIVERSAL_NAMES]
        texts += [b.text for s in plan.sections for b in s.bullets] + [s.heading for s in plan.sections]
        return cls("\n".join(t for t in texts if t))

    def traced(self, text: str) -> bool:
        """The facts' own wording, or nothing specific. One fact's wording, mostly, or almost all of it
        the facts' across lines: 「由党委一把手带头深入社区开展疫情防控工作调研」 takes 疫情防控 from one
        fact and 社区 from another, and is no fact's."""
        found = content(text)
        if not found:
            return True
        return self.best(found) >= TRACED_SHARE or share(found, self.all) >= SPREAD_SHARE

    def traced_with(self, text: str, word: str) -> bool:
        """``text`` is the facts' own wording in a line that says ``word`` too: 「定期开展党员教育活动」 is
        not, where 定期 is said only of another deed (「定期检查指导」)."""
        found = bigrams(text)  # all its wording: 「开展党员教育活动」 is generic words, and says what was done
        lines = [line for line, said in zip(self.lines, self.text.splitlines(), strict=True) if word in said]
        return not found or max((share(found, line) for line in lines), default=0.0) >= TRACED_SHARE

    def best(self, grams: set[str]) -> float:
        """The largest share of ``grams`` that one line holds."""
        return max((share(grams, line) for line in self.lines), default=0.0)

    def says(self, text: str, at_least: float) -> bool:
        """Whether one line holds ``at_least`` of ``text``'s wording (all of its bigrams, generic too):
        a result or an honour is the facts' only where a fact words it."""
        grams = bigrams(text)
        return bool(grams) and self.best(grams) >= at_least
