"""Text is normalised at the door: the facts file and the example reports go through one function, so
full-width digits, zero-width characters and BOMs never reach a draft or the index."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from pipeline.corpus.read import read_document
from pipeline.drafting.outline.facts import load_facts
from pipeline.text import normalise
from tests.conftest import Cli

ZW = "\u200b"
BOM = "\ufeff"


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("召开会议１２次", "召开会议12次"),
        ("占比９８．５％", "占比98.5%"),
        ("ＡＢＣ级，ｘ２", "ABC级，x2"),
        ("党组会议1\u200b2次", "党组会议12次"),
        ("词\u200c语\u200d断\u2060开", "词语断开"),
        (f"{BOM}开头，中间{BOM}也有", "开头，中间也有"),
        ("张　三　同志", "张 三 同志"),  # U+3000 between words separates them
        ("　　首行缩进保留", "　　首行缩进保留"),  # leading U+3000 is indentation: cleaning's to handle
        ("１＋１＝２，１／３", "1+1=2，1/3"),
    ],
)
def test_normalise_plain_forms(raw: str, plain: str) -> None:
    assert normalise(raw) == plain


def test_chinese_punctuation_is_kept() -> None:
    text = "一是，二是。问：何？答！（注）“引号”；‘单’《书名》、顿号…—"
    assert normalise(text) == text


def test_a_full_stop_between_words_stays_chinese() -> None:
    # 「．」 is a decimal point only between digits; elsewhere it is left as written.
    assert normalise("第一．第二") == "第一．第二"


FACTS = f"""{BOM}---
unit: 某县水{ZW}务局
role: 党组书记
year: ２０２４
---
# 主要工作
- 全年召开党组会议１２次，专题研究党建工作{ZW}５次
- 发展党员３名
# 存在问题
- 理论学习不够深入
# 下步打算
- 推进支部标准化建设
"""


def test_full_width_year_in_the_facts_file_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "facts.md"
    path.write_text(FACTS, encoding="utf-8")
    facts = load_facts(path)
    assert (facts.unit, facts.year) == ("某县水务局", "2024")
    assert [b.text for b in facts.main_work] == ["全年召开党组会议12次，专题研究党建工作5次", "发展党员3名"]


def test_the_draft_carries_plain_digits_and_no_invisible_characters(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(FACTS, encoding="utf-8")
    md, docx_path = tmp_path / "draft.md", tmp_path / "draft.docx"
    result = cli("draft", str(facts), "-o", str(md), "--docx", str(docx_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checks"]["ok"]
    word = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    for text in (md.read_text(encoding="utf-8"), word):
        assert "12次" in text and "5次" in text and "某县水务局" in text
        assert not any(c in text for c in "１２３５" + ZW + BOM)


def test_example_reports_are_normalised_when_read(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(f"某局党组书记述职报告\n一、主要工作\n召开会议１２次，{ZW}覆盖率１００％。\n", encoding="utf-8")
    assert read_document(path).split("\n")[2] == "召开会议12次，覆盖率100%。"
    document = docx.Document()
    document.add_paragraph("召开会议１２次。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "发展党员"
    table.cell(0, 1).text = f"５{ZW}名"
    document.save(str(tmp_path / "r.docx"))
    assert read_document(tmp_path / "r.docx").split("\n") == ["召开会议12次。", "发展党员　5名"]
