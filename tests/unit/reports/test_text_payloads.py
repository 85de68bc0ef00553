"""Text stays text in the reports and the exports, for every payload of the hostile corpus.

Each payload (tests/data/malformed/text/payloads.txt) is put wherever a person or a
council writes text: the area's name and the report's title, bank names, questions and
next steps, evidence notes, an essay's title, and the labels of a comparison. The
report's HTML must hold no tag the payload brought (the same tags as for plain words)
and show the payload as typed; no CSV cell and no workbook cell may be a formula.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from functools import cache

import openpyxl
import pandas as pd
import pytest

from corpus.model import Corpus
from questions.model import Bank
from reports.compare import comparison_csv, comparison_workbook, render_comparison_report
from reports.exports import answers_csv, excel_workbook, scores_csv
from reports.html import render_report
from scoring.assessment.results import Results, build_results
from scoring.cells import starts_formula
from scoring.comparison.results import Comparison, compare
from tests.support.payloads import PAYLOADS
from tests.unit.reports.factories import CORPUS, meta_for, small_answers
from tests.unit.reports.test_html import Page
from tests.unit.scoring.factories import frame, hostile_bank

PLAIN = "Plain words"


def answers(payload: str) -> pd.DataFrame:
    """Two people's answers to the hostile bank, each with the payload as evidence."""
    rows = small_answers().iloc[:8].copy()
    rows["question_id"] = ["p1a", "p2a", "t1a", "t1b"] * 2
    rows["answer"] = ["2", "4", "3", "5", "3", "3", "4", "dk"]
    rows["evidence"] = payload
    rows["respondent_id"] = [payload if i < 4 else "R2" for i in range(8)]
    return rows.reset_index(drop=True)


@cache
def assessed(payload: str) -> tuple[Bank, Corpus, Results, pd.DataFrame]:
    bank = hostile_bank(payload)
    essay = replace(CORPUS.essays[0], title=payload, author=payload, summary=payload)
    corpus = Corpus((essay, *CORPUS.essays[1:]))
    given = answers(payload)
    return bank, corpus, build_results(bank, corpus, given), given


def report(payload: str) -> str:
    bank, corpus, results, given = assessed(payload)
    meta = replace(meta_for(results, bank, area=payload), title=payload)
    return render_report(results, corpus, meta, given, bank)


@cache
def comparison(payload: str) -> Comparison:
    by_label = {
        f"{payload} {k}" if k else payload: frame(
            (f"a{k}{i}", q, k % 5 + 1) for i in range(5) for q in ("p1a", "p2a", "t1a")
        )
        for k in range(3)
    }
    return compare(hostile_bank(payload), by_label, n_boot=20)


def tags(html: str) -> Counter[str]:
    return Counter(tag for tag, _ in Page(html).tags)


@cache
def plain_tags() -> tuple[Counter[str], Counter[str]]:
    plain_compare = render_comparison_report(
        meta_for(assessed(PLAIN)[2], hostile_bank(PLAIN), area=PLAIN),
        hostile_bank(PLAIN),
        comparison(PLAIN),
    )
    return tags(report(PLAIN)), tags(plain_compare)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_report_shows_the_payload_as_typed_and_no_tag_of_it(payload: str) -> None:
    html = report(payload)
    assert tags(html) == plain_tags()[0]
    assert " ".join(payload.split()) in Page(html).visible


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_comparison_report_shows_labels_as_typed_and_no_tag_of_them(payload: str) -> None:
    bank = hostile_bank(payload)
    meta = meta_for(assessed(payload)[2], bank, area=payload)
    html = render_comparison_report(meta, bank, comparison(payload))
    assert tags(html) == plain_tags()[1]
    assert f"{' '.join(payload.split())} 1" in Page(html).visible


def csv_cells(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_csv_cell_is_a_formula(payload: str) -> None:
    bank, _, results, given = assessed(payload)
    files = (
        answers_csv(given),
        scores_csv(results, given, bank),
        comparison_csv(comparison(payload)),
    )
    for data in files:
        cells = csv_cells(data)
        assert any(payload in c for c in cells)
        formulas = [c for c in cells if starts_formula(c) and not is_number(c)]
        assert formulas == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_workbook_cell_is_a_formula(payload: str) -> None:
    bank, _, results, given = assessed(payload)
    meta = meta_for(results, bank, area=payload)
    for data in (
        excel_workbook(results, given, meta, bank),
        comparison_workbook(meta, comparison(payload)),
    ):
        book = openpyxl.load_workbook(io.BytesIO(data))
        texts = [
            c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)
        ]
        assert any(payload.strip("\t\r") in c.value for c in texts)
        for cell in texts:
            assert cell.data_type == "s"
            assert cell.quotePrefix or not starts_formula(cell.value), repr(cell.value)
