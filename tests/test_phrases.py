"""The phrasebook: what the example reports share (at least three of them), and the topics they cover."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.corpus.clean import clean_text
from pipeline.corpus.records import StoredReport
from pipeline.drafting.outline.topics import BY_KEY
from pipeline.drafting.writing.phrases import MIN_REPORTS, mine, phrasebook
from tests.conftest import EXAMPLES


def _examples() -> list[str]:
    return [clean_text(path.read_text(encoding="utf-8")).text for path in EXAMPLES]


def _reports_with(phrase: str, texts: list[str]) -> int:
    return sum(phrase in re.sub(r"\s+", "", text) for text in texts)


def _report(n: int, causes: str, main: str, unique: str) -> str:
    """A small report of the genre, with a sentence no other report has."""
    return (f"某{n}局党组书记抓基层党建工作述职报告\n"
            f"2023年，我认真履行第一责任人职责，{unique}。现将有关情况述职如下：\n"
            f"一、主要工作\n（一）多措并举，压实党建工作责任。{main}\n"
            f"二、存在的主要问题及原因\n（一）学习不够深入。\n{causes}，一是认识不足。\n"
            f"三、下步工作打算\n（一）加强学习。\n今后，我将继续努力。\n")


def test_every_mined_phrase_is_shared_by_three_bundled_reports() -> None:
    texts = _examples()
    book = mine(texts)
    assert book.reports == len(texts) and book.shared
    mined = [*book.formulas.values(), *(lead for leads in book.heading_leads.values() for lead in leads)]
    mined += [term[2:] for terms in book.terms.values() for term in terms]  # the term, after its 2-character verb
    assert mined, "the bundled examples share some wording"
    for phrase in mined:
        assert _reports_with(phrase, texts) >= MIN_REPORTS, phrase
    for phrase, count in book.shared.items():
        assert _reports_with(phrase, texts) == count >= MIN_REPORTS, phrase
    assert book.formulas["causes"] == "究其主要原因"  # four of the five open their causes so


def test_a_formula_needs_three_reports_and_no_report_s_own_sentence_is_kept() -> None:
    main = "一是召开党组会议研究部署党建工作。二是签订党建目标责任书。"
    uniques = [f"这是第{n}份报告独有的一句话，写着它自己的做法和体会" for n in range(4)]
    two = [_report(n, "究其根源" if n < 2 else "究其原因", main, uniques[n]) for n in range(4)]
    three = [_report(n, "究其根源" if n < 3 else "究其原因", main, uniques[n]) for n in range(4)]
    assert mine(two).formulas.get("causes") != "究其根源"
    assert mine(three).formulas["causes"] == "究其根源"
    everything = str(mine(three).as_dict())
    assert not any(unique[:10] in everything for unique in uniques)


def test_usual_topics_are_learned_from_the_corpus() -> None:
    conduct = "一是开展廉政警示教育，严格落实八项规定精神。二是加强作风纪律监督。"
    ideology = "一是落实意识形态工作责任制，加强舆论引导和舆情处置。"
    reports = [_report(n, "究其原因", conduct if n < 3 else ideology, f"独有的第{n}句") for n in range(4)]
    book = mine(reports)
    assert "conduct" in book.usual and book.usual["conduct"] == 3
    assert "ideology" not in book.usual  # one report of four
    bundled = mine(_examples()).usual
    assert {"responsibility", "theory", "organisation", "members", "central"} <= set(bundled)
    assert "ideology" not in bundled  # none of the bundled examples has such an item
    assert all(key in BY_KEY for key in bundled)


class _Index:
    """Just what the phrasebook reads of an index: the report list, and texts by id."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.reads = 0

    def _report(self, rid: str) -> StoredReport:
        return StoredReport(rid, "", "", "", "", "", f"{rid}.txt", "", [], [], self.texts[rid])

    def list_reports(self) -> list[StoredReport]:
        return [self._report(rid) for rid in self.texts]

    def reports_by_id(self, ids: list[str]) -> list[StoredReport]:
        self.reads += 1
        return [self._report(rid) for rid in ids]


def test_the_phrasebook_is_cached_by_the_reports_it_was_mined_from(home: Path) -> None:
    index = _Index({f"r{n}": text for n, text in enumerate(_examples())})
    first = phrasebook(index)  # type: ignore[arg-type]
    assert phrasebook(index) == first and index.reads == 1  # type: ignore[arg-type]
    assert list((home / "cache").glob("phrases-*.json"))
    held_out = phrasebook(index, exclude=["r0"])  # type: ignore[arg-type]
    assert index.reads == 2 and held_out.reports == first.reports - 1


@pytest.mark.parametrize("left_out", range(len(EXAMPLES)))
def test_held_out_phrasebooks_keep_the_rule(left_out: int) -> None:
    texts = [t for n, t in enumerate(_examples()) if n != left_out]
    book = mine(texts)
    for phrase in book.shared:
        assert _reports_with(phrase, texts) >= MIN_REPORTS, phrase


def test_the_same_reports_give_the_same_book_whatever_the_hash_seed() -> None:
    """Mined in two processes with different string hashing, the book is the same, key order included:
    the composer takes the first term that fits, so an order that follows a set's iteration made two
    drafts of one facts file differ (seen: 「着力深化学习教育、抓好疫情防控工作」 one run, 「…、深化党员教育」
    the next)."""
    import json
    import os
    import subprocess
    import sys

    script = ("import json; from tests.test_phrases import _examples; "
              "from pipeline.drafting.writing.phrases import mine; "
              "print(json.dumps(mine(_examples()).as_dict(), ensure_ascii=False))")
    books = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).parents[1]).stdout
             for seed in ("1", "2", "3")]
    assert books[0] == books[1] == books[2]
    assert json.loads(books[0])["terms"], "the bundled examples share topic terms"
