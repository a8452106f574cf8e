"""Self-analysis in the genre's terms: what the composer says of the reporter's own part in a problem, and
the heading under which a cause is analysed. A blind reader found problems and causes written as bare
phrases, "no self-analysis"; real reports say what the problem shows of the reporter (「我对基层支部的
具体指导还不够」) and sort causes under the genre's heads (思想认识, 责任落实, 制度机制, 能力本领).

It adds no fact: each sentence is the reporter's judgement of themselves, in the words every report uses,
chosen by what the user's own problem or cause is about. Nothing is said where nothing fits.
"""

from __future__ import annotations

import re

from ..outline.topics import topic_of

# What a problem on a topic says of the reporter: self-criticism, no act, no result (one a draft each).
_OWN_PART = {
    "responsibility": "我压责任、传压力还不够到位",
    "theory": "我以上率下、带头学深悟透还做得不够",
    "organisation": "我对基层支部的具体指导还不够",
    "conduct": "我对作风纪律抓得还不够严、不够常",
    "ideology": "我对意识形态领域情况的研判还不够经常",
    "members": "我对党员队伍的教育管理还不够严格",
    "central": "我推动党建与业务深度融合的办法还不多",
}
_OWNING = ("从自身找原因，", "反思起来，", "就我而言，")  # in turn: none said twice

# The genre's heads of a cause, and the words that put a cause under one. A cause that already says its
# head's words (「思想认识需提高」) gets none: the head would say it twice.
_HEADS = (
    ("思想认识上还有差距", r"认识|重视|思想|观念|意识", r"认识"),
    ("责任落实上还不够到位", r"责任|落实|压力|传导|督导|督查|履职", r"责任"),
    ("制度机制上还不够健全", r"制度|机制|考核|办法|体系|常态化", r"机制|制度"),
    ("能力本领上还有短板", r"能力|本领|方法|培训|经验|兼任|业务骨干|专业", r"能力|本领"),
)


def own_part(problem: str, said: set[str]) -> str:
    """What the reporter owns of this problem (``said``: the topics a draft has owned already)."""
    found = topic_of(problem)
    key = found.key if found else ""  # a problem of no one topic: nothing said (a blind reader found a
    if key in said or key not in _OWN_PART:  # general line under it misplaced)
        return ""
    said.add(key)
    return _OWNING[(len(said) - 1) % len(_OWNING)] + _OWN_PART[key]


def cause_head(cause: str, said: set[str]) -> str:
    """The genre's head a cause is analysed under, each once a draft; "" where none fits or it says it."""
    for head, words, own in _HEADS:
        if head not in said and re.search(words, cause):
            said.add(head)
            return "" if re.search(own, cause) else head
    return ""


CAUSES_CLOSE = "归根结底，还是我抓党建的标准还不够高、韧劲还不够足"
