"""Which plan answers which problem: the plans part of a report takes up its problems in order, each
measure under the problem it answers (F12), as real reports do. The composer writes its plans in this
order (compose.py), and a mined 「动宾」 heads an item by the same measure of shared wording.
"""

from __future__ import annotations

from ...text import bigrams
from ..outline.facts import Bullet

RELEVANT_BIGRAMS = 2  # a mined 「动宾」 heads an item, or a plan answers a problem, if they share this many
# Bigrams every 党建 text has: sharing them says nothing about whether a plan answers a problem.
GENERIC_BIGRAMS = frozenset({"党建", "党员", "党组", "组织", "支部", "建设", "工作", "基层", "干部", "开展", "加强",
                             "落实", "推进", "不够", "问题"})


def topic_words(text: str) -> set[str]:
    """What a text is about, as bigrams: its own, less those every 党建 text has (「组织」「建设」)."""
    return bigrams(text) - GENERIC_BIGRAMS


def relevant(text: str, words: set[str]) -> int:
    """How many of ``words`` (another text's ``topic_words``) ``text`` has: RELEVANT_BIGRAMS or more, and it
    speaks of what that text is about."""
    return len(bigrams(text) & words)


def answer_order(problems: list[Bullet], plans: list[Bullet]) -> list[tuple[Bullet, Bullet | None]]:
    """Plans in the order of the problems they answer, each with its problem (F12).

    A measure written on a problem's own line answers it; otherwise the plan sharing the most wording
    with a problem (at least RELEVANT_BIGRAMS character bigrams, not counting those every 党建 text has)
    does. Plans that answer none follow.
    """
    left = list(plans)
    ordered: list[tuple[Bullet, Bullet | None]] = []
    for problem in problems:
        own = [p for p in left if p.line == problem.line]
        if not own:
            words = topic_words(problem.text)
            scored = [(relevant(p.text, words), -n, p) for n, p in enumerate(left)]
            best = max(scored, key=lambda s: (s[0], s[1]), default=None)
            own = [best[2]] if best and best[0] >= RELEVANT_BIGRAMS else []
        for plan in own:
            left.remove(plan)
            ordered.append((plan, problem))
    return ordered + [(plan, None) for plan in left]
