"""The evaluation cases: one hand-written facts file per example report, written, not copied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.drafting.checks.numbers import find_numbers
from pipeline.drafting.outline.facts import load_facts
from pipeline.text import quoted_terms
from tests.conftest import CORPUS, ROOT

CASES = sorted((ROOT / "evals" / "cases").glob("*.md"))
MAX_SHARED = 15  # a bullet may share at most this many characters in a row with its report


def _bullets(path: Path) -> list[str]:
    facts = load_facts(path)
    return [b.text for b in facts.bullets_all()]


def test_there_is_one_case_per_example_report() -> None:
    sources = sorted(load_facts(case).source for case in CASES)
    assert sources == sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_bullets_are_written_not_copied(case: Path) -> None:
    report = re.sub(r"\s+", "", clean_text((CORPUS / load_facts(case).source).read_text(encoding="utf-8")).text)
    copied = []
    for bullet in _bullets(case):
        text = re.sub(r"^原因[:：]", "", bullet)
        for term in quoted_terms(text):  # quoted terms are kept as they are, on purpose
            text = text.replace(term, "|")
        text = re.sub(r"\s+", "", text)
        for i in range(len(text) - MAX_SHARED):
            window = text[i:i + MAX_SHARED + 1]
            if "|" not in window and window in report:
                copied.append(window)
                break
    assert copied == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_cases_have_every_part_and_keep_the_reports_numbers(case: Path) -> None:
    facts = load_facts(case)
    assert facts.main_work and facts.problems and facts.plans
    report = clean_text((CORPUS / facts.source).read_text(encoding="utf-8")).text
    in_report = {n.key for n in find_numbers(report)}
    for bullet in _bullets(case):
        for number in find_numbers(bullet):
            assert number.key in in_report, f"{number.text} in 「{bullet}」 is not in the report"
