"""Stage 2 of ingest: strip the lines that are not the report.

Reports collected from the web carry advertising, membership and contact lines, watermarks and
copyright notices. The rules here look at what such a line *is* (a contact number, a web address, a
membership pitch, a short line repeated on every page, a header block above the title), not at one
site's wording, so they carry over to reports from sites we have not seen.

The first duty is never to strip real content: a long line that reads as report prose is kept, and
at most an inline advertising fragment (a URL, a 「来源：某某文库」 note) is cut out of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..genre import CLOSING_START, OPENING_END, ORDINAL_ITEM, PART_NUMBER, SUB_NUMBER, classify_heading
from ..i18n import N_
from ..text import normalise


@dataclass(frozen=True)
class Stripped:
    line: int  # 1-based line number in the text as read
    text: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    text: str
    stripped: list[Stripped]


# --- What an advertising line looks like -------------------------------------------------------

# Each of these alone marks a line as not being report text.
_HARD: tuple[tuple[str, re.Pattern[str]], ...] = (
    (N_("contact number"), re.compile(
        r"(QQ|qq|Q\s*Q|扣扣|微信|VX|vx|Vx|wx|WX|weixin|电话|手机|热线|联系方式)\s*(群|号)?\s*[:：]?\s*\d{5,}")),
    (N_("contact group"), re.compile(r"(QQ|qq|微信|VX|vx)\s*群")),
    (N_("web address"), re.compile(r"(https?://|www\.|\b[\w-]+\.(com|cn|net|org|cc|top|vip)\b)", re.IGNORECASE)),
    (N_("email address"), re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    ("official-account ad", re.compile(r"(微信)?公众号|关注(我们|本号|公众)|扫(描|一扫)?.{0,6}二维码|扫码")),
    (N_("copyright notice"), re.compile(r"侵权|版权(所有|归)|著作权|转载(请|须)?注明|未经(许可|授权)")),
    (N_("watermark"), re.compile(
        r"仅供(学习|参考|交流|内部)|禁止(外传|转载|传播|倒卖)|严禁(外传|转载|倒卖)|用后(请)?删除|请勿(外传|转载|传播)")),
    (N_("resale notice"), re.compile(r"倒卖|转卖|二次销售")),
    ("document-site mark", re.compile(r"文库|道客巴巴|原创力文档|豆丁|book118|docin|淘宝|闲鱼|店铺")),
    ("document-site notice", re.compile(
        r"可(任意)?(修改)?编辑|下载后|欢迎下载|感谢(您的)?(阅读|下载|支持|浏览)|[Ww][Oo][Rr][Dd]\s*(文档|格式|版)|"
        r"精品文档|优质文档|文档(来源|由|为|可)|此文档|本文档")),
    (N_("web page chrome"), re.compile(
        r"相关(文章|推荐|阅读|范文)|猜你喜欢|上一篇|下一篇|阅读全文|原文链接|点击(查看|阅读|下载|进入|这里)|"
        r"返回(首页|顶部|列表)|责任编辑|浏览(次数|量)|阅读(次数|量)|分享到|收藏本|打印本页|关闭窗口")),
    (N_("page number"), re.compile(
        r"^(第\s*\d+\s*页\s*([,，/]?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|[Pp]age\s*\d+.*)$")),
    (N_("membership ad"), re.compile(r"会员(群|资料|材料|权益|专享|专区|免费|特权|费)|(开通|加入|成为|办理)会员|VIP")),
)

# Each of these is innocent in report prose (开展政策咨询, 整理档案, 免费体检) but marks a short
# line that has two of them, or one of them and no sentence in it, as advertising.
_SOFT = re.compile(
    r"咨询|整理|会员|订阅|免费|赠送|下载|资料|领取|获取|购买|售价|优惠|权益|客服|加群|更新|持续更新|"
    r"独家|原创|精品|合集|范文|模板|平台|分享|实时|举报"
)

_LONG_PROSE = 60  # a line this long with a sentence in it is report text, whatever words it uses
_SHORT = 40


def _ad_reason(line: str) -> str | None:
    for reason, pattern in _HARD:
        if pattern.search(line):
            return reason
    soft = _SOFT.findall(line)
    if len(line) <= _SHORT and (len(soft) >= 2 or (soft and not _is_sentence(line))):
        return "advertising"
    return None


def _is_sentence(line: str) -> bool:
    return "。" in line or "；" in line


def _is_prose(line: str) -> bool:
    """Report prose: long, with sentences, or a numbered heading of the report."""
    return (len(line) >= _LONG_PROSE and _is_sentence(line)) or _is_structural(line)


def _is_structural(line: str) -> bool:
    return bool(
        PART_NUMBER.match(line)
        or SUB_NUMBER.match(line)
        or ORDINAL_ITEM.match(line)
        or OPENING_END.search(line)
        or CLOSING_START.match(line)
    )


# Inline fragments cut out of a line that is otherwise prose.
_INLINE = re.compile(
    r"[（(【\[]?\s*(来源|出处|本文来自|转自|摘自)[:：]?[^。；）)】\]]{0,30}[）)】\]]?"
    r"|https?://\S+|www\.\S+"
    r"|[（(【\[][^（()）【】\[\]]{0,30}(QQ|微信|公众号|文库)[^（()）【】\[\]]{0,30}[）)】\]]"
)

_SIGNATURE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九十]{4})\s*年\s*\S{1,3}\s*月(\s*\S{1,3}\s*日)?$")

def normalise_line(line: str) -> str:
    line = normalise(line)  # as read_document does; a text given directly (rebuild, --learn) may need it
    line = line.replace("\u00a0", " ").replace("\u3000", " ")
    return unicodedata.normalize("NFC", line).strip()


def clean_text(text: str) -> Cleaned:
    """Strip advertising and watermark lines; return the report text and what was stripped."""
    lines = [normalise_line(raw) for raw in text.split("\n")]
    reasons: dict[int, str] = {}

    for i, line in enumerate(lines):
        if not line:
            continue
        reason = _ad_reason(line)
        if reason and _is_prose(line):
            # Real content that happens to mention a trigger word: keep the line, cut fragments.
            lines[i] = _INLINE.sub("", line).strip()
        elif reason:
            reasons[i] = reason

    _strip_repeated_short_lines(lines, reasons)
    _strip_header_block(lines, reasons)
    _strip_footer_block(lines, reasons)

    stripped = [Stripped(i + 1, lines[i], reasons[i]) for i in sorted(reasons)]
    kept = [line for i, line in enumerate(lines) if i not in reasons]
    return Cleaned(_collapse_blanks(kept), stripped)


def _strip_repeated_short_lines(lines: list[str], reasons: dict[int, str]) -> None:
    # A short line that recurs is a page watermark or site banner: a report never repeats one.
    counts = Counter(line for line in lines if line and len(line) <= _SHORT and not _is_structural(line))
    for i, line in enumerate(lines):
        if counts.get(line, 0) >= 2 and i not in reasons and not _SIGNATURE.match(line):
            reasons[i] = N_("repeated watermark")


_TITLE_END = re.compile(r"(报告|述职|总结|汇报)\s*([（(][^）)]{0,12}[)）])?$")


def _title_index(lines: list[str], reasons: dict[int, str]) -> int | None:
    for i, line in enumerate(lines):
        if line and i not in reasons and _TITLE_END.search(line) and len(line) <= 60:
            return i
    return None


# A title's first line, when a title is set on two (「某县水务局党组书记2023年度」 over 「抓基层党建工作述职
# 报告」, as GB/T 9704 and gongwen's own Word files set it): a unit, a post or a year.
_TITLE_HEAD = re.compile(r"(?:19|20)\d{2}年|书记|局长|主任|[局委院校部厅办处所站司]")


def _strip_header_block(lines: list[str], reasons: dict[int, str]) -> None:
    # Above the title there is nothing but the site's banner: short lines that are not sentences.
    title = _title_index(lines, reasons)
    if title is None:
        return
    above = lines[title - 1] if title else ""
    if (above and title - 1 not in reasons and not _is_sentence(above) and _TITLE_HEAD.search(above)
            and len(above + lines[title]) <= 60):
        lines[title - 1], lines[title] = above + lines[title], ""  # one title, set on two lines
        title -= 1
    for i in range(title):
        if lines[i] and i not in reasons and not _is_sentence(lines[i]) and len(lines[i]) <= _SHORT:
            reasons[i] = N_("header above the title")


def _strip_footer_block(lines: list[str], reasons: dict[int, str]) -> None:
    # Below the last paragraph, a block of short lines that holds an advertising line is all
    # advertising (slogans like 「自建平台、实时分享」 carry no keyword). A date or signature
    # line is kept.
    end = len(lines)
    while end > 0 and (not lines[end - 1] or (end - 1) in reasons or _is_footer_candidate(lines[end - 1])):
        end -= 1
    tail = range(end, len(lines))
    if not any(i in reasons for i in tail):
        return
    for i in tail:
        if lines[i] and i not in reasons:
            reasons[i] = N_("footer advertising block")


def _is_footer_candidate(line: str) -> bool:
    if _SIGNATURE.match(line) or _is_sentence(line) or len(line) > _SHORT:
        return False
    # A short line naming a unit or a role is a signature (「X局党组书记 张三」), not a slogan.
    if re.search(r"(局|委|办|院|部|厅|处|科|所|站|中心|书记|主任|局长|部长)\s*\S{0,4}$", line):
        return False
    return classify_heading(line) is None or len(line) > 20


def _collapse_blanks(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
