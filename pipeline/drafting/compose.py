"""The offline composer: a deterministic drafter that needs no model.

It writes each section from the outline and the user's bullets, turned into sentences and set in the
genre's frames (一是…二是…, （一）…, 究其原因…, 今后，我将…). It adds no fact and no number of its own;
where the genre needs something the facts lack, it writes a visible 【待补：…】 placeholder. It is also
the fallback for a section a model could not draft cleanly.

The frames are written for this tool (not copied from any example report), so the leak guard passes
them.
"""

from __future__ import annotations

from ..genre import CAUSES, Part, numeral, placeholder
from .facts import Bullet
from .plan import Plan, Section


def sentence(text: str) -> str:
    """A bullet as a clause: trailing punctuation dropped, so the frame supplies its own."""
    return text.strip().rstrip("。；;，,.、 ")


def compose(plan: Plan, section: Section) -> str:
    """The section's text, in Markdown (a （一） subheading on a line of its own)."""
    if section.part == Part.OPENING:
        return _opening(plan)
    if section.part == Part.CLOSING:
        return _closing(plan)
    if section.id == CAUSES:
        return _causes(section.bullets)
    if section.part == Part.MAIN_WORK:
        return f"{section.heading}\n{_items(section.bullets, placeholder('本方面工作的具体做法和成效'))}"
    if section.part == Part.PROBLEMS:
        lead = "对照上级要求和群众期盼，我在抓基层党建工作中还存在一些差距和不足，主要是："
        return lead + "\n" + _numbered(section.bullets, placeholder("存在的主要问题"))
    lead = "针对上述问题，下一步，我将坚持问题导向，重点抓好以下几方面工作："
    return lead + "\n" + _numbered(section.bullets, placeholder("下一步工作措施"))


def _superior(plan: Plan) -> str:
    return plan.superior or placeholder("上级党组织名称")


def _opening(plan: Plan) -> str:
    return (f"{plan.year}年，在{_superior(plan)}的坚强领导下，我认真履行{plan.unit}{plan.role}抓基层党建工作"
            f"第一责任人职责，坚持把党建工作与业务工作同谋划、同部署、同落实，推动全面从严治党各项任务落地见效。"
            f"现将{plan.year}年度抓基层党建工作情况述职如下：")


def _closing(plan: Plan) -> str:
    return (f"今后，我将在{_superior(plan)}的坚强领导下，进一步提高政治站位、压实工作责任、改进工作作风，"
            f"推动{plan.unit}基层党建工作质量不断提升。")


def _items(bullets: list[Bullet], empty: str) -> str:
    if not bullets:
        return empty + "。"
    if len(bullets) == 1:
        return sentence(bullets[0].text) + "。"
    return "".join(f"{numeral(i + 1)}是{sentence(b.text)}。"
                   for i, b in enumerate(bullets))


def _numbered(bullets: list[Bullet], empty: str) -> str:
    if not bullets:
        return empty + "。"
    return "\n".join(f"（{numeral(i + 1)}）{sentence(b.text)}。" for i, b in enumerate(bullets))


def _causes(bullets: list[Bullet]) -> str:
    if not bullets:
        return "究其原因，" + placeholder("问题产生的主要原因，如思想认识、工作方法、制度落实等方面") + "。"
    return "究其原因，" + _items(bullets, "")
