"""Cleaning: strip advertising and watermarks, never a line of real content."""

from __future__ import annotations

import pytest

from pipeline.corpus.clean import clean_text, normalise_line
from tests.conftest import EXAMPLES

# For each bundled example, read by hand: the report runs from the title line to the last content
# line (1-based, inclusive), and these lines inside that range are advertising.
REPORT_SPAN = {
    "000": (16, 34, {18}),
    "001": (4, 28, {6}),
    "002": (16, 39, {18}),
    "003": (4, 22, {6}),
    "004": (16, 38, {18}),
}
AD_MARKERS = ("QQ", "会员", "倒卖", "酷乐文行", "仅供学习", "禁止外传", "订阅", "自建平台", "不断迭代")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:3])
def test_every_content_paragraph_survives_and_every_ad_goes(path) -> None:
    raw = path.read_text(encoding="utf-8").split("\n")
    first, last, ads = REPORT_SPAN[path.name[:3]]
    content = [normalise_line(raw[n - 1]) for n in range(first, last + 1)
               if n not in ads and raw[n - 1].strip()]
    cleaned = clean_text("\n".join(raw))
    kept = [line for line in cleaned.text.split("\n") if line]
    assert kept == content
    for line in kept:
        assert not any(marker in line for marker in AD_MARKERS), line
    inside = {s.line for s in cleaned.stripped} & set(range(first, last + 1))
    assert inside == ads


# Advertising from sites other than the one the bundled examples came from.
UNSEEN_ADS = [
    "本文来源于网络，如有侵权请联系删除",
    "更多精品范文请关注微信公众号：公文写作助手",
    "下载地址：www.gongwen-fanwen.net",
    "【某某文库】专业文档分享平台",
    "文档由用户上传，仅供参考",
    "加微信 abc2020 领取全套模板",
    "客服微信：13800138000",
    "扫码领取更多资料",
    "版权所有 © 2021 范文网",
    "联系邮箱：service@fanwen.com",
    "点击下载完整版",
    "VIP会员专享资料，请勿外传",
    "（此文档为word格式，可任意修改编辑！）",
    "第 2 页 共 5 页",
    "- 3 -",
    "相关推荐：2021年述职报告范文大全",
    "责任编辑：李某  浏览次数：1024",
    "感谢您的阅读，欢迎下载",
    "上一篇：某局工作总结  下一篇：某局工作计划",
]
REAL_LINES = [
    "某县市场监管局党组书记2021年度抓基层党建工作述职报告",
    "2021年，在县委的坚强领导下，我认真履行党建工作第一责任人职责。现将有关情况报告如下：",
    "一、主要工作",
    "（一）开展政策咨询服务120余次，整理档案资料300余卷，免费为群众提供法律咨询，服务热线12345全年受理诉求800件。",
    "（二）建立党员微信群，在学习强国平台分享学习心得，及时推送学习资料，做到学习全覆盖。",
    "二、存在问题",
    "一是理论学习不够深入。二是创新意识不强，分享交流平台建设有待加强。",
    "三、下步打算",
    "今后，我将进一步提高认识，转变作风，更好地完成县委交给的各项任务。",
    "某县市场监管局党组书记 王某",
    "2021年12月20日",
]


def test_unseen_advertising_is_stripped_and_real_lines_kept() -> None:
    text = "\n".join(UNSEEN_ADS[:4] + REAL_LINES[:4] + UNSEEN_ADS[4:6] + REAL_LINES[4:] + UNSEEN_ADS[6:])
    cleaned = clean_text(text)
    assert [line for line in cleaned.text.split("\n") if line] == REAL_LINES
    assert [s.text for s in cleaned.stripped] == UNSEEN_ADS


def test_a_short_line_repeated_on_every_page_is_a_watermark() -> None:
    body = ["某局述职报告", "第一段内容，讲了很多工作。", "公文素材网", "第二段内容。", "公文素材网", "第三段。"]
    cleaned = clean_text("\n".join(body))
    assert "公文素材网" not in cleaned.text
    assert {s.reason for s in cleaned.stripped} == {"repeated watermark"}


def test_inline_source_note_is_cut_from_a_content_line() -> None:
    line = "（一）强化理论武装。全年组织集中学习24次（来源：某某文库），覆盖党员干部156人次。"
    cleaned = clean_text(line)
    assert cleaned.text == "（一）强化理论武装。全年组织集中学习24次，覆盖党员干部156人次。"


def test_invisible_characters_and_blank_runs_are_removed() -> None:
    cleaned = clean_text("标题\u200b报告\n\n\n\n正文\u3000内容。\n\n")
    assert cleaned.text == "标题报告\n\n正文 内容。"


def test_a_title_set_on_two_lines_is_one_title_not_a_header() -> None:
    """GB/T 9704 sets a long title on two lines, as gongwen's own Word files do: the first is no banner."""
    from pipeline.corpus.split import split_report

    text = ("某县水务局党组书记2023年度\n抓基层党建工作述职报告\n\n"
            "2023年，我认真履行第一责任人职责。现将有关情况述职如下：\n一、主要工作\n全年召开党组会议12次。\n二、存在问题\n学习不够。\n三、下步打算\n加强学习。")
    cleaned = clean_text(text)
    assert cleaned.stripped == [] and cleaned.text.startswith("某县水务局党组书记2023年度抓基层党建工作述职报告")
    split = split_report(cleaned.text)
    assert (split.unit, split.role, split.year) == ("某县水务局", "党组书记", "2023")
    banner = clean_text("范文大全\n" + text)
    assert [s.text for s in banner.stripped] == ["范文大全"]
