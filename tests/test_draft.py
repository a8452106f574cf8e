"""Drafting end to end: the offline backend, and the openai backend over real HTTP against the stub."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.corpus.retrieve import Hit
from pipeline.drafting.checks.factlock import number_keys
from pipeline.drafting.checks.numbers import find_numbers
from pipeline.drafting.writing.model_writer import TEMPERATURES
from pipeline.drafting.writing.references import FULL, reference_text
from pipeline.text import bigrams
from tests.conftest import Cli
from tests.fakes import faithful_responder
from tests.stub_openai import StubOpenAI

# A unit that is in no example report.
FACTS = """---
unit: 某县水务局
role: 党组书记
year: 2023
superior: 县委
---
# 主要工作
## 压实管党治党责任
- 全年召开党组会议12次，专题研究党建工作5次
- 与8个基层党支部签订党建目标责任书
## 加强党员队伍建设
- 发展党员3名，培训党员干部260人次
- 开展“党员先锋岗”创建活动
# 存在问题
- 理论学习不够系统深入
- 基层党支部活动形式较为单一
- 原因：学习制度执行不够严格
# 下步打算
- 深化理论武装，落实“第一议题”制度
- 推进支部标准化规范化建设
"""
EXAMPLE_NAMES = ("环卫局", "工信局", "民政局", "教体局")
SECRET = "sk-test-never-print-me"


def faithful(body: dict) -> str:
    """A well-behaved model over HTTP: states the section's facts and nothing else."""
    return faithful_responder(FACTS)(body["messages"], body.get("max_tokens"))


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.md"
    path.write_text(FACTS, encoding="utf-8")
    return path


def _draft(cli: Cli, *args: str) -> dict:
    result = cli("draft", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _body(markdown: str) -> str:
    return markdown.split("\n---\n")[0]  # the draft without the checklist


def _assert_faithful(markdown: str) -> None:
    body = _body(markdown)
    assert number_keys([body]) <= number_keys([FACTS]), "a number not in the facts"
    for n in find_numbers(FACTS.split("---", 2)[2]):
        assert n.key in number_keys([body]), f"fact number {n.text} is missing"
    for heading in ("一、主要工作", "二、存在的主要问题及原因", "三、下步工作思路和主要措施"):
        assert heading in body
    assert not any(name in body for name in EXAMPLE_NAMES)


def test_offline_keeps_every_number_and_adds_none(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft.md"
    summary = _draft(cli, str(facts_file), "-o", str(out))
    assert summary["backend"] == "offline" and summary["checks"]["ok"]
    markdown = out.read_text(encoding="utf-8")
    _assert_faithful(markdown)
    assert "“党员先锋岗”" in markdown and "现将2023年度抓基层党建工作情况述职如下：" in markdown
    run = Path(summary["run_dir"])
    for name in ("facts.md", "plan.json", "sources.json", "checks.json", "run.json", "llm_calls.jsonl"):
        assert (run / name).is_file(), name
    assert len(list((run / "sections").glob("*.md"))) == 7
    assert json.loads((run / "run.json").read_text(encoding="utf-8"))["backend"] == "offline"


def test_openai_backend_over_http(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path, stub: StubOpenAI) -> None:
    stub.chat = faithful
    out = tmp_path / "draft.md"
    summary = _draft(cli, str(facts_file), "-o", str(out), "--backend", "openai", "--model", "stub-chat",
                     "--base-url", stub.base_url, "--api-key", SECRET, "--style-refs", "raw")
    assert summary["backend"] == "openai" and summary["checks"]["ok"], summary["checks"]
    _assert_faithful(out.read_text(encoding="utf-8"))
    chats = [r for r in stub.requests if r["path"].endswith("/chat/completions")]
    assert len(chats) == 7
    assert all("response_format" not in r["body"] and "tools" not in r["body"] for r in chats)
    user = next(r["body"]["messages"][1]["content"] for r in chats if "小节“（一）压实管党治党责任”" in
                r["body"]["messages"][1]["content"])
    assert "全年召开党组会议12次，专题研究党建工作5次" in user
    references = user.split("<<<风格参考")[1]
    sources = json.loads((Path(summary["run_dir"]) / "sources.json").read_text(encoding="utf-8"))
    assert sources["main_work.1"][0]["text"][:30] in references  # raw mode: the retrieved example text
    assert all(r["authorization"] == f"Bearer {SECRET}" for r in chats)
    for path in Path(summary["run_dir"]).rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


def test_section_calls_overlap(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path, stub: StubOpenAI) -> None:
    stub.chat, stub.delay = faithful, 0.3
    _draft(cli, str(facts_file), "-o", str(tmp_path / "d.md"), "--backend", "openai", "--model", "m",
           "--base-url", stub.base_url, "--concurrency", "4")
    assert stub.peak_in_flight() == 4  # --concurrency 4: four at once, never more


def test_an_invented_number_is_repaired(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path,
                                        stub: StubOpenAI) -> None:
    def invents_once(body: dict) -> str:
        text = faithful(body)
        repairing = body["temperature"] > TEMPERATURES[0]  # a repair asks again, warmer
        return text if repairing else text.rstrip("。") + "，累计开展活动20余次。"

    stub.chat = invents_once
    out = tmp_path / "d.md"
    summary = _draft(cli, str(facts_file), "-o", str(out), "--backend", "openai", "--model", "m",
                     "--base-url", stub.base_url)
    statuses = {s["section"]: s["status"] for s in summary["checks"]["sections"]}
    assert set(statuses.values()) == {"repaired"}
    repair_prompt = next(r for r in stub.requests if r["body"].get("temperature", 0) > TEMPERATURES[0])
    assert "「20」这个数字不在事实中" in repair_prompt["body"]["messages"][-1]["content"]
    assert "20余次" not in out.read_text(encoding="utf-8")


def test_a_section_that_stays_wrong_falls_back_and_is_flagged(seeded: Path, cli: Cli, facts_file: Path,
                                                              tmp_path: Path, stub: StubOpenAI) -> None:
    # Like the small model measured here: copies the example, other unit's name and all.
    stub.chat = lambda body: "我局与环卫局一起，全年召开会议36次。"
    out = tmp_path / "d.md"
    summary = _draft(cli, str(facts_file), "-o", str(out), "--backend", "openai", "--model", "m",
                     "--base-url", stub.base_url)
    assert len(summary["checks"]["fallbacks"]) == 7
    flagged = summary["checks"]["sections"][1]["flagged"]
    assert {v["kind"] for v in flagged} >= {"invented_number", "leaked_name"}
    markdown = out.read_text(encoding="utf-8")
    _assert_faithful(markdown)
    # (not the 「36」 of a run folder's time stamp, 「…-194936-facts」, in the closing list)
    assert not re.search(r"(?<!\d)36(?!\d)", markdown) and "环卫局" not in markdown
    assert "已改用离线模板稿" in markdown
    # asked again once: the second reply repeats the first, so a third request would change nothing
    assert len([r for r in stub.requests if r["path"].endswith("/chat/completions")]) == 7 * 2


def test_docx_is_gbt9704(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    _draft(cli, str(facts_file), "-o", str(tmp_path / "d.md"), "--docx", str(path))
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                   section.right_margin)] == [37, 35, 28, 26]
    paragraphs = [p for p in document.paragraphs if p.text.strip()]

    def font(paragraph: object) -> tuple[str, str, float, bool]:
        run = paragraph.runs[0]  # type: ignore[attr-defined]
        fonts = run._element.rPr.rFonts
        return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), run.font.size.pt, bool(run.font.bold)

    title = paragraphs[0]
    assert font(title)[:3] == ("方正小标宋简体", "方正小标宋简体", 22) and title.alignment == 1
    h1 = next(p for p in paragraphs if p.text == "一、主要工作")
    assert font(h1)[:3] == ("黑体", "黑体", 16)
    h2 = next(p for p in paragraphs if p.text.startswith("（一）压实"))
    assert font(h2)[:3] == ("楷体_GB2312", "楷体_GB2312", 16)
    body = next(p for p in paragraphs if "党组会议12次" in p.text)
    assert font(body)[:3] == ("仿宋_GB2312", "仿宋_GB2312", 16)
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == pytest.approx(28.95) and normal.first_line_indent == Pt(32)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml


def test_outputs_are_not_overwritten_without_force(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.md"
    out.write_text("我写的东西", encoding="utf-8")
    refused = cli("draft", str(facts_file), "-o", str(out))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "我写的东西"
    assert cli("draft", str(facts_file), "-o", str(out), "--force").exit_code == 0
    assert "述职如下" in out.read_text(encoding="utf-8")


def test_bad_facts_file_is_refused_in_one_line(seeded: Path, cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "x.md").write_text("---\nunit: 某局\n---\n- 事实\n", encoding="utf-8")
    result = cli("draft", str(tmp_path / "x.md"))
    assert result.exit_code == 1 and "missing role" in result.stderr and "Traceback" not in result.output


def test_reference_patterns_mask_the_facts() -> None:
    example = "（一）高度重视，认真履行党建工作职责。一是建立党建目标责任制。年初，召开党组会议12次，在红旗街道试点。"
    hit = Hit("c", "r", "main_work", "", example, 1.0, {"unit": "某某区委组织部"})
    wording = frozenset(bigrams("高度重视，认真履行党建工作职责。一是建立目标责任制。年初，召开党组会议"))
    shaped = reference_text(hit, "patterns", wording, FULL)
    assert shaped.startswith("（一）高度重视，认真履行党建工作职责。一是建立")  # the sentence's structure stays
    assert "12" not in shaped and "红旗街道" not in shaped and "××" in shaped  # its facts do not
    house = reference_text(Hit("c", "r", "main_work", "", example, 1.0, {"house": True}), "patterns", wording, FULL)
    assert "在红旗街道试点" in house and "12" not in house  # the house's wording is the user's; its figures not


def test_genre_shape_is_checked() -> None:
    from pipeline.drafting.checks.shape import genre_violations
    from pipeline.drafting.outline.plan import Section
    from pipeline.genre import Part

    opening, causes = Section("opening", Part.OPENING, ""), Section("causes", Part.PROBLEMS, "究其原因")
    assert genre_violations("一年来，我认真履行抓基层党建工作第一责任人职责。现将有关情况述职如下：", opening) == []
    assert [v.kind for v in genre_violations("我认真履行职责。", opening)] == ["genre"]
    # only the closing formula, with nothing said before it
    assert [v.kind for v in genre_violations("单位：某局。现将有关情况述职如下：", opening)] == ["genre"]
    closing = Section("closing", Part.CLOSING, "")
    assert genre_violations("今后，我将进一步提高政治站位，推动基层党建工作质量不断提升。", closing) == []
    assert [v.kind for v in genre_violations("测试回复。", closing)] == ["genre"]
    assert genre_violations("究其原因，主要是认识不到位。", causes) == []
    assert [v.kind for v in genre_violations("主要是认识不到位。", causes)] == ["genre"]


def test_atomic_write_gives_normal_permissions_and_keeps_existing_ones(tmp_path: Path) -> None:
    import os
    import stat

    from pipeline.writefile import write_atomic

    fresh = tmp_path / "new.md"
    write_atomic(fresh, "内容")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.md"
    kept.write_text("旧", encoding="utf-8")
    kept.chmod(0o640)
    write_atomic(kept, "新")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text(encoding="utf-8") == "新"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_copied_example_paragraph_is_never_shipped(seeded: Path, cli: Cli, facts_file: Path, tmp_path: Path,
                                                     stub: StubOpenAI) -> None:
    # The measured small model copied a raw reference paragraph word for word, 5 runs of 5.
    def copies(body: dict) -> str:
        user = body["messages"][1]["content"]
        reference = user.split("【参考1", 1)[-1].split("】\n", 1)[-1].split("\n", 1)[0]
        return faithful(body) + reference

    stub.chat = copies
    out = tmp_path / "d.md"
    summary = _draft(cli, str(facts_file), "-o", str(out), "--backend", "openai", "--model", "m",
                     "--base-url", stub.base_url, "--style-refs", "raw")
    kinds = {v["kind"] for s in summary["checks"]["sections"] for v in s["flagged"]}
    assert "copied_span" in kinds
    sources = json.loads((Path(summary["run_dir"]) / "sources.json").read_text(encoding="utf-8"))
    body = _body(out.read_text(encoding="utf-8"))
    for hits in sources.values():
        for hit in hits:
            assert hit["text"][:40] not in body


def test_the_llm_writer_repairs_and_then_falls_back_at_the_model_boundary() -> None:
    """The section writer against the in-process fake: a bad reply is asked again with its violations,
    and a section no reply can fix is rejected, for the engine to hand to the composer."""
    from pipeline.drafting.checks.factlock import allowed_numbers
    from pipeline.drafting.checks.leak import LeakGuard
    from pipeline.drafting.outline.facts import parse_facts
    from pipeline.drafting.outline.plan import make_plan
    from pipeline.drafting.writing.model_writer import LLMWriter
    from pipeline.drafting.writing.writers import SectionJob, SectionRejected, section_chain
    from tests.fakes import FakeChatModel, faithful_text

    facts = parse_facts(FACTS, Path("facts.md"))
    plan = make_plan(facts)
    section = plan.section("main_work.1")
    calls: list[dict] = []
    job = SectionJob(plan, section, [], LeakGuard([], []), allowed_numbers(facts, plan.title), calls.append)

    fake = FakeChatModel().enqueue(faithful_text(section) + "累计开展活动20余次。", faithful_text(section))
    result = LLMWriter(fake).write(job)
    assert (result.status, result.attempts) == ("repaired", 2)
    assert "「20」这个数字不在事实中" in fake.history[1]["messages"][-1]["content"]
    assert [c["attempt"] for c in calls] == [1, 2]

    stubborn = FakeChatModel(respond=lambda messages, max_tokens: "我局全年召开会议36次。")
    with pytest.raises(SectionRejected):
        LLMWriter(stubborn).write(job)
    fallback = section_chain(LLMWriter(stubborn))(job)
    assert fallback.status == "fallback" and "36" not in fallback.text
    assert {v["kind"] for v in fallback.flagged} >= {"invented_number"}
