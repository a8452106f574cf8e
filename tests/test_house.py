"""The house style: one office's own reports of three earlier years (tests/data/house, with its answer key in
the README there) make the fourth year's draft read like that office's, offline and with a model; with
those reports gone it does not; and the office's own wording is never taken for a copy of another unit's.

The formulas and phrases below are the answer key's, written down by hand, not read from the code: none is
in the bundled corpus, the code or the prompts, so a draft can only have them from the house's reports.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes import faithful_responder
from tests.stub_openai import StubOpenAI

HOUSE = Path(__file__).parent / "data" / "house"
REPORTS = [str(HOUSE / f"{year}.txt") for year in (2021, 2022, 2023)]
FACTS = HOUSE / "2024-facts.md"
PART_HEADINGS = ["一、履职尽责的主要做法", "二、检视出的短板及根源", "三、改进提升的努力方向"]
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）以“[\u4e00-\u9fff]{2}”为要，[\u4e00-\u9fff]{4,8}$", re.M)
FORMULAS = (  # the house's recurring formulas, for a 2024 report
    "对照年初向县委立下的党建“军令状”，现将本人履行抓基层党建第一责任人职责情况述职如下：",
    "二字，我重点抓了",
    "产生上述问题的原因，根子还在我自身：",
    "回顾2024年、展望2025年",
    "以上述职，恳请各位领导、同志们批评指正。",
    "拿着年初的党建“军令状”逐项对账，我感到自身还存在以下短板：",
    "重点在四个方面再加力：",
)
PHRASES = ("守好山、管好林、带好队", "党建根深、林业叶茂", "护林先护心、兴林先兴党", "把支部建在林区一线",
           "一线问诊、现场开方", "清单化推进、闭环式落实", "绿水青山间的“红色引擎”", "党员进林区、服务到林农",
           "支部跟着林子走、党员围着防火转")


def _draft(cli: Cli, out: Path, *args: str) -> tuple[str, dict]:
    result = cli("draft", str(FACTS), "-o", str(out), "--json", *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8"), json.loads(result.stdout)


def _house_style(text: str) -> tuple[bool, int, int]:
    """Whether the draft has the house's headings and subheading pattern, and how many of its formulas and
    of its phrases it says."""
    subheadings = [line.lstrip("# ") for line in text.split("\n") if line.lstrip("# ").startswith("（")
                   and line.startswith("###")]
    headings = all(f"## {h}" in text for h in PART_HEADINGS) and bool(subheadings) and all(
        SUBHEADING.match(s) for s in subheadings)
    return headings, sum(f in text for f in FORMULAS), sum(p in text for p in PHRASES)


@pytest.fixture
def house(seeded: Path, cli: Cli) -> Path:
    added = cli("corpus", "add", "--house", *REPORTS, "--json")
    assert added.exit_code == 0, added.output
    return seeded


def test_the_fourth_year_reads_like_the_house_offline(house: Path, cli: Cli, tmp_path: Path) -> None:
    listed = json.loads(cli("corpus", "list", "--json").stdout)
    assert sorted(r["year"] for r in listed if r["house"]) == ["2021", "2022", "2023"]
    text, _ = _draft(cli, tmp_path / "d.md")
    headings, formulas, phrases = _house_style(text)
    assert headings, text
    assert 2 * (formulas + phrases) >= len(FORMULAS) + len(PHRASES), (formulas, phrases, text)
    assert formulas >= len(FORMULAS) - 1
    # last year's figures are not this year's: no number of the house's reports that the facts lack
    assert "126名" not in text and "131名" not in text and "134名" not in text and "43项" not in text


def test_with_the_house_reports_removed_the_draft_does_not(house: Path, cli: Cli, tmp_path: Path) -> None:
    for row in json.loads(cli("corpus", "list", "--json").stdout):
        if row["house"]:
            assert cli("corpus", "remove", row["id"]).exit_code == 0
    text, _ = _draft(cli, tmp_path / "d.md")
    headings, formulas, phrases = _house_style(text)
    assert not headings and formulas == 0 and phrases == 0, text


def test_another_units_reports_lend_the_genre_shape_only(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    """The same three reports indexed as another unit's: their formulas are that unit's, not the user's."""
    assert cli("corpus", "add", *REPORTS).exit_code == 0
    text, _ = _draft(cli, tmp_path / "d.md")
    headings, formulas, phrases = _house_style(text)
    assert not headings and 2 * (formulas + phrases) < len(FORMULAS) + len(PHRASES), text


def test_the_house_style_reaches_a_model_draft(house: Path, cli: Cli, tmp_path: Path, stub: StubOpenAI) -> None:
    """Over HTTP, with a model that writes the facts in the genre's plainest words: the frame and the house's
    formulas around its sentences make the draft the house's; its prompt names the house's phrases and
    shows the house's own paragraph first, facts masked."""
    responder = faithful_responder(FACTS.read_text(encoding="utf-8"))
    stub.chat = lambda body: responder(body["messages"], body.get("max_tokens"))
    text, summary = _draft(cli, tmp_path / "d.md", "--backend", "openai", "--model", "m",
                           "--base-url", stub.base_url)
    headings, formulas, phrases = _house_style(text)
    assert headings, text
    assert 2 * (formulas + phrases) >= len(FORMULAS) + len(PHRASES), (formulas, phrases, text)
    assert summary["checks"]["ok"], summary["checks"]
    users = [r["body"]["messages"][1]["content"] for r in stub.requests if r["path"].endswith("/chat/completions")]
    assert all("守好山、管好林、带好队" in u for u in users)
    main = next(u for u in users if "逐章学习" in u)
    first = main.split("【参考1", 1)[1].split("\n", 2)[1]
    assert "本单位往年" in main.split("【参考1", 1)[1].split("\n", 1)[0] and "为要" in first
    assert not re.search(r"\d", first.replace("X", ""))  # last year's figures masked


LEARNED = "我始终坚持守好水、管好河、带好队的工作思路，把党的政治优势转化为治水兴水的发展优势。"
WATER = """---
unit: 某县水务局
role: 党组书记
year: {year}
superior: 县委
name: 张三
date: {next}-01-15
---
# 主要工作
## 压实管党治党责任
- 全年召开党组会议12次，专题研究党建工作5次
- 与8个基层党支部签订党建目标责任书
## 加强党员队伍建设
- 发展党员3名，培训党员干部260人次
# 存在问题
- 理论学习不够系统深入
- 原因：学用结合不够紧密
# 下步打算
- 推进支部标准化规范化建设
"""


def test_a_learned_report_is_the_houses_own_wording(seeded: Path, cli: Cli, tmp_path: Path,
                                                    stub: StubOpenAI) -> None:
    """A report the user finished and learned (revise --learn) is theirs: a model that reuses its sentence
    causes no fallback, where the same sentence from another unit's report is a copy."""
    import docx

    last, this = tmp_path / "2023.md", tmp_path / "2024.md"
    last.write_text(WATER.format(year=2023, next=2024), encoding="utf-8")
    this.write_text(WATER.format(year=2024, next=2025), encoding="utf-8")
    first = cli("draft", str(last), "-o", str(tmp_path / "d2023.md"), "--docx", str(tmp_path / "d2023.docx"))
    assert first.exit_code == 0, first.output
    document = docx.Document(str(tmp_path / "d2023.docx"))
    opening = next(p for p in document.paragraphs if p.text.startswith("2023年"))
    opening.text = opening.text.replace("2023年，", f"2023年，{LEARNED}", 1)
    document.save(str(tmp_path / "d2023.docx"))
    learned = cli("revise", str(tmp_path / "d2023.docx"), "--learn", "--json")
    assert learned.exit_code == 0, learned.output
    house = [r for r in json.loads(cli("corpus", "list", "--json").stdout) if r["house"]]
    assert len(house) == 1

    responder = faithful_responder(this.read_text(encoding="utf-8"))

    def reuses(body: dict) -> str:  # the house's sentence, in the opening
        said = responder(body["messages"], body.get("max_tokens"))
        return said.replace("一年来，", f"{LEARNED}一年来，", 1)

    stub.chat = reuses

    def draft(out: str) -> tuple[str, dict]:
        result = cli("draft", str(this), "-o", str(tmp_path / out), "--json", "--backend", "openai", "--model", "m",
                     "--base-url", stub.base_url)
        assert result.exit_code == 0, result.output
        return (tmp_path / out).read_text(encoding="utf-8"), json.loads(result.stdout)

    text, summary = draft("a.md")
    assert LEARNED in text and summary["checks"]["fallbacks"] == [], summary["checks"]

    # the same report as another unit's: the sentence is a copy, and the opening falls back
    assert cli("corpus", "remove", house[0]["id"]).exit_code == 0
    added = cli("corpus", "add", str(tmp_path / "d2023.docx"))
    assert added.exit_code == 0, added.output
    assert not any(r["house"] for r in json.loads(cli("corpus", "list", "--json").stdout))
    text, summary = draft("b.md")
    assert LEARNED not in text and "opening" in summary["checks"]["fallbacks"], summary["checks"]
