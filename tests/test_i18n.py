"""The interface in Chinese where the locale is Chinese (or GONGWEN_LANG=zh), English otherwise: the help,
a bad file's error, a draft's summary and an eval's verdict, each from a process of its own under the
environment a user's shell would give it; and the catalog: every message the code marks is translated,
with the same placeholders.

This machine has only the C.UTF-8 locale installed; gongwen's choice reads only the environment
variables (as Python's gettext does), so LANG=zh_CN.UTF-8 is tested as it is.
"""

from __future__ import annotations

import gettext
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline import i18n
from pipeline.cli.common import TYPER_WORDS
from pipeline.i18n import CATALOGS, language, read_po
from tests.conftest import ROOT
from tests.msgids import catalog, fields, key, scan

SAVED = ROOT / "tests" / "data" / "eval-qwen"
LOCALE_VARS = ("GONGWEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# The four ways a user's shell sets it, and what each must give.
CHINESE = [{"GONGWEN_LANG": "zh", "LANG": "C.UTF-8"}, {"LANG": "zh_CN.UTF-8"}]
ENGLISH = [{"LANG": "C.UTF-8"}, {"GONGWEN_LANG": "en", "LANG": "zh_CN.UTF-8"}]
SETTINGS = [(env, "zh") for env in CHINESE] + [(env, "en") for env in ENGLISH]
IDS = ["GONGWEN_LANG=zh", "LANG=zh_CN.UTF-8", "LANG=C.UTF-8", "GONGWEN_LANG=en"]


def environment(given: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    return {**env, "COLUMNS": "100", **given}


def gongwen(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          env=environment(env), cwd=cwd, timeout=600)


# --- which language --------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW"}, "zh"),
    ({"LANG": "zh"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),  # LC_MESSAGES before LANG
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL before LC_MESSAGES
    ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, "zh"),  # LANGUAGE first, as gettext reads them
    ({"LANGUAGE": "fr_FR:zh_CN", "LANG": "C.UTF-8"}, "zh"),  # no French: the next language it lists
    ({"LANGUAGE": "en_GB:zh_CN"}, "en"),
    ({"LANGUAGE": "fr_FR"}, "en"),
    ({"GONGWEN_LANG": "zh", "LANG": "C.UTF-8"}, "zh"),  # GONGWEN_LANG wins over the locale
    ({"GONGWEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"GONGWEN_LANG": "zh_CN"}, "zh"),
    ({"GONGWEN_LANG": "klingon", "LANG": "zh_CN.UTF-8"}, "zh"),  # not a language we have: the locale decides
])
def test_the_language_comes_from_gongwen_lang_then_the_locale(env: dict[str, str], expected: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


def test_a_message_is_said_in_the_language_of_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n._("no such file") == "no such file"
    monkeypatch.setenv("GONGWEN_LANG", "zh")
    assert i18n._("no such file") == "文件不存在"
    assert i18n.ngettext("{count} report", "{count} reports", 3).format(count=3) == "共 3 份报告"
    assert i18n._("a message the catalog does not have") == "a message the catalog does not have"
    assert i18n.pgettext("corpus list", "other") == "外单位" and i18n._("other") == "其他"  # one word, two senses
    monkeypatch.setenv("GONGWEN_LANG", "en")
    assert i18n.pgettext("corpus list", "other") == "other"


# --- the catalog -----------------------------------------------------------------------------------


def test_every_message_the_code_marks_is_in_the_catalog_translated() -> None:
    found, bad = scan()
    assert not bad, f"give _() a whole literal sentence with named placeholders, not an f-string: {bad}"
    have = catalog()
    missing = sorted({f"{m.where}: {m.msgid!r}" for m in found if not have.get(key(m))})
    assert not missing, ("untranslated (python -m tests.msgids prints them as .po entries):\n"
                         + "\n".join(missing))
    assert len({key(m) for m in found}) > 400


def test_the_catalog_holds_no_message_the_code_no_longer_says() -> None:
    used = {key(m) for m in scan()[0]}
    assert not sorted(set(catalog()) - used)


def test_each_translation_keeps_the_placeholders_of_its_message() -> None:
    for msgid, msgstr in catalog().items():
        english = msgid.split("\x00")
        for form in msgstr.split("\x00"):
            assert Counter(fields(form)) == Counter(fields(english[-1])), (msgid, form)
        assert Counter(fields(english[0])) <= Counter(fields(english[-1]))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_runtime_reader_reads_the_catalog_as_msgfmt_does(tmp_path: Path) -> None:
    po = CATALOGS["zh"]
    mo = tmp_path / "gongwen.mo"
    checked = subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    ours = read_po(po.read_text(encoding="utf-8"))
    theirs = {k: v for k, v in compiled._catalog.items() if k}  # type: ignore[attr-defined]
    singular = {k: v for k, v in theirs.items() if isinstance(k, str)}
    plural = {k[0]: v for k, v in theirs.items() if isinstance(k, tuple)}
    assert {k: v for k, v in ours.items() if "\x00" not in k} == singular
    assert {k.split("\x00")[0]: v for k, v in ours.items() if "\x00" in k} == plural


def test_the_po_reader_takes_what_po_files_hold() -> None:
    text = ('msgid ""\nmsgstr "Language: zh_CN\\n"\n\n# a comment\n#: x.py:1\nmsgid "a \\"quoted\\"\\n"\n'
            'msgstr ""\n"引号\\t"\n"续行"\n\n#, fuzzy\nmsgid "fuzzy"\nmsgstr "不作数"\n\nmsgid "empty"\nmsgstr ""\n\n'
            'msgctxt "menu"\nmsgid "File"\nmsgstr "文件"\n\nmsgid "{n} case"\nmsgid_plural "{n} cases"\n'
            'msgstr[0] "{n} 个"\n')
    assert read_po(text) == {'a "quoted"\n': "引号\t续行", "menu\x04File": "文件", "{n} case\x00{n} cases": "{n} 个"}


def test_typer_still_says_the_words_the_catalog_translates_for_it() -> None:
    import typer.core
    from typer._click import decorators, formatting

    source = inspect.getsource(typer.core)
    assert all(f'_("{word}")' in source for word in TYPER_WORDS)
    assert '"Usage: "' in inspect.getsource(formatting) and "Show this message and exit." in inspect.getsource(
        decorators)


# --- what a drafter reads, from a process of its own ------------------------------------------------


@pytest.mark.parametrize(("env", "lang"), SETTINGS, ids=IDS)
def test_help_and_a_bad_files_error_are_in_the_chosen_language(env: dict[str, str], lang: str,
                                                              tmp_path: Path) -> None:
    top = gongwen(env, "--help")
    draft = gongwen(env, "draft", "--help")
    review = gongwen(env, "review", "--help")
    bad = tmp_path / "事实.md"
    bad.write_text("---\nunit: 某局\n---\n- 召开会议3次\n", encoding="utf-8")
    error = gongwen(env, "draft", str(bad))
    assert top.returncode == draft.returncode == review.returncode == 0 and error.returncode == 1
    assert error.stdout == "" and len(error.stderr.strip().splitlines()) == 1 and str(bad) in error.stderr
    if lang == "zh":
        assert top.stdout.startswith("用法：gongwen") and "根据要点式事实起草述职报告" in top.stdout
        assert "根据事实文件起草报告" in top.stdout and "选项" in top.stdout and "显示本帮助并退出" in top.stdout
        assert "根据事实文件起草报告：拟提纲、检索示例、起草、核查、导出。" in draft.stdout
        assert "将草稿以 Markdown 格式写到此处" in draft.stdout and "[默认：patterns]" in draft.stdout
        assert error.stderr.startswith(f"错误：{bad}：第 1 行：缺少 role (职务)、year (年度)；")
        assert "生成一个 HTML 页面，逐句展示草稿" in review.stdout and "将页面写到此处" in review.stdout
    else:
        assert top.stdout.startswith("Usage: gongwen") and "draft 述职报告 from bullet-point facts" in top.stdout
        assert "Show this message and exit." in top.stdout
        assert "Draft a report from a facts file: plan, retrieve, draft, check, export." in draft.stdout
        assert "Write the draft as Markdown here." in draft.stdout and "[default: patterns]" in draft.stdout
        assert error.stderr.startswith(f"error: {bad}: line 1: missing role (职务), year (年度); ")
        assert "Write one HTML page that shows the draft" in review.stdout and "Write the page here" in review.stdout


@pytest.mark.parametrize(("env", "lang"), SETTINGS, ids=IDS)
def test_a_drafts_progress_and_summary_are_in_the_chosen_language(env: dict[str, str], lang: str, seeded: Path,
                                                                 tmp_path: Path) -> None:
    facts = tmp_path / "facts.md"
    facts.write_text(gongwen(env, "facts", "template").stdout, encoding="utf-8")
    result = gongwen(env, "draft", str(facts), "-o", str(tmp_path / "draft.md"), "--docx",
                     str(tmp_path / "draft.docx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = result.stderr
    draft = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert "**待补清单**" in draft and "- 全文：篇幅：本稿约" in draft  # the draft is the document: Chinese either way
    shown = re.search(r"   (?:审阅页：|review: )(\S+review\.html)", said)
    assert shown, said
    page = Path(shown.group(1)).read_text(encoding="utf-8")
    if lang == "zh":
        assert "事实：写的是事实文件中的内容，点按可见对应的行。" in page and "<th>由谁写成</th>" in page
        assert "已起草 " in page and "离线模板" in page and "who wrote it" not in page
        assert "正在准备示例报告" in said and "起草中" in said and "：通过（调用 1 次" in said
        assert "起草方式：offline（offline-composer），每次 4 节（默认）   运行目录：" in said
        assert f"已起草：{tmp_path / 'draft.md'}   Word 文件：{tmp_path / 'draft.docx'}" in said
        assert "待补：0 处   改用模板稿的节：无   待核实：0 处（每千字 0.0 处）" in said
        assert "提示：篇幅：" in said
        assert not any(word in said for word in ("preparing", "drafting", "backend:", "run:", "note:"))
    else:
        assert "preparing the example reports" in said and ": drafting" in said and ": ok (1 call(s)" in said
        assert "backend: offline (offline-composer), 4 section(s) at a time (the default)   run: " in said
        assert f"draft: {tmp_path / 'draft.md'}   docx: {tmp_path / 'draft.docx'}" in said
        assert "待补 placeholders: 0   fallback sections: none   待核实: 0 (0.0 per 1,000 characters)" in said
        assert "note: 篇幅：" in said
        assert "事实: states what the facts file says" in page and "<th>who wrote it</th>" in page
        assert "由谁写成" not in page


@pytest.mark.parametrize(("env", "lang"), SETTINGS, ids=IDS)
def test_an_evals_verdict_and_report_are_in_the_chosen_language(env: dict[str, str], lang: str, seeded: Path,
                                                               tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(ROOT / "evals" / "cases" / "00.md", cases)
    out = tmp_path / "eval"
    result = gongwen(env, "eval", "--cases", str(cases), "--rescore", str(SAVED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    page = (out / "report.html").read_text(encoding="utf-8")
    if lang == "zh":
        assert lines[0] == "结论" and lines[1].startswith("草稿（qwen-1.5b，示例方式 patterns）：1 个用例中有")
        assert "节由模型写成" in result.stdout and "已完成用例 00 的打分" in result.stderr
        assert "<h2 id='verdict'>结论</h2><dl class='verdict'><dt>草稿（qwen-1.5b，示例方式 patterns）</dt>" in page
        assert "<h2 id='legend'>指标说明</h2>" in page and "<th>衡量什么</th>" in page and "越低越好" in page
        assert "草稿中有而事实中没有的数字：每个都是编造的数据。" in page  # invented_numbers, its meaning
        assert "文风指标：以下五项的平均值" in page  # style, its meaning
        assert "审阅页</a>：逐句展示草稿" in page  # the link to the case's review page
    else:
        assert lines[0] == "verdict" and lines[1].startswith("draft (qwen-1.5b, style refs patterns): 0 of 1 cases")
        assert "sections written by the model" in result.stdout and "scored case 00" in result.stderr
        assert "<h2 id='verdict'>Verdict</h2>" in page and "<th>what it measures</th>" in page
        assert "Numbers in the draft that the facts do not hold" in page
        assert "The style measure: the mean of the five below" in page and "Review page</a>: the draft" in page


def test_the_help_imports_nothing_heavy_in_chinese() -> None:
    code = ("import sys, pipeline.cli; print(sorted(m for m in ('chromadb', 'langchain_core', 'openai', 'numpy', "
            "'rich.console', 'pydantic') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                           env=environment({"GONGWEN_LANG": "zh"}), timeout=60)
    assert shown.stdout.strip() == "[]", shown.stderr
