"""Exports: the answers CSV round-trips, scores match the command line, Excel keeps text as
text, JSON has no NaN."""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports.exports import (
    ANSWER_COLUMNS,
    SCORE_EXTRA_COLUMNS,
    answers_csv,
    excel_workbook,
    guard_formula,
    results_json,
    scores_csv,
)
from reports.plan import PLAN_COLUMNS
from scoring.answers import parse_answers
from scoring.assessment.results import build_results
from scoring.cli import SCORE_COLUMNS, main
from tests.unit.reports.factories import (
    CORPUS,
    FORMULAS,
    HOSTILE,
    MARKDOWN,
    full_answers,
    meta_for,
    shipped,
    small_answers,
    small_bank,
    small_plan,
    small_results,
)

FREE_TEXT = (
    "Plain words.",
    'Commas, "quotes" and\na second line',
    "Café – naïve ✓",
    f"{HOSTILE} {MARKDOWN}",
    *FORMULAS,
)


def answers_with_notes() -> pd.DataFrame:
    answers = small_answers()
    notes = [FREE_TEXT[i % len(FREE_TEXT)] for i in range(len(answers))]
    return answers.assign(evidence=notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_guard_formula(text: str, expected: str) -> None:
    assert guard_formula(text) == expected


def test_answers_csv_has_the_stable_columns_a_bom_and_crlf() -> None:
    data = answers_csv(small_answers())
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == ",".join(ANSWER_COLUMNS)
    assert lines[1] == (
        "R1,p1a,2,councillor,1,low,<script>alert(1)</script> [x](javascript:alert(1)),"
        "2026-11-25T10:30:00+00:00"
    )
    assert lines[2].startswith("R1,p1b,1,councillor,1,,'=1+1,")


def test_answers_csv_round_trips_through_the_reader() -> None:
    answers = answers_with_notes()
    back = parse_answers(answers_csv(answers), "export.csv", small_bank())
    assert list(back.columns) == list(ANSWER_COLUMNS)
    expected = [
        [
            r.respondent_id,
            r.question_id,
            r.answer,
            r.role,
            "1",
            r.confidence if isinstance(r.confidence, str) else "",
            guard_formula(r.evidence),
            "2026-11-25T10:30:00+00:00",
        ]
        for r in answers.itertuples()
    ]
    assert back.astype(object).to_numpy().tolist() == expected
    # Only the CSV-injection guard changes a note.
    changed = [e for e in back["evidence"] if e not in FREE_TEXT]
    assert sorted(changed) == sorted("'" + f for f in FORMULAS if f in set(answers["evidence"]))


def test_answers_csv_fills_missing_columns_and_canonical_answers() -> None:
    frame = pd.DataFrame(
        {
            "respondent_id": ["a", "a", "a"],
            "question_id": ["p1a", "p1b", "p2a"],
            "answer": [3, 4.0, None],
        }
    )
    back = parse_answers(answers_csv(frame), "x.csv", small_bank())
    assert back["answer"].tolist() == ["3", "4", ""]
    assert (back[["role", "round", "evidence", "submitted_at"]] == "").all().all()


def test_scores_csv_agrees_with_the_command_line(tmp_path: Path) -> None:
    bank, corpus = shipped()
    answers = full_answers(bank)
    results = build_results(bank, corpus, answers)
    path = tmp_path / "answers.csv"
    path.write_bytes(answers_csv(answers))
    out = io.StringIO()
    assert main(["score", "--responses", str(path)], stdout=out) == 0
    cli = pd.read_csv(io.StringIO(out.getvalue()))
    ours = pd.read_csv(io.BytesIO(scores_csv(results, answers, bank)), encoding="utf-8-sig")
    assert list(ours.columns) == [*SCORE_COLUMNS, *SCORE_EXTRA_COLUMNS]
    pd.testing.assert_frame_equal(ours[list(SCORE_COLUMNS)], cli)
    assert ours["name"].tolist() == [r.name for r in results.rows]
    assert set(ours["family"]) == {"criterion", "theme"}
    assert ours["priority"].tolist() == [False] * len(results.rows)


def test_scores_csv_writes_blanks_and_guards_names() -> None:
    bank = small_bank()
    answers = small_answers()
    answers.loc[answers["question_id"].isin(["p2a", "p2b"]), "answer"] = "dk"
    results = build_results(bank, CORPUS, answers)
    text = scores_csv(results, answers, bank).decode("utf-8-sig")
    p2 = next(line for line in text.splitlines() if line.startswith("P2,"))
    assert p2 == "P2,0,,,,,,,0.0,Dimension P2,criterion,,,,false"


def read_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_excel_workbook_sheets_headers_and_text() -> None:
    answers = answers_with_notes()
    answers.loc[0, "evidence"] = "#N/A"
    answers.loc[1, "evidence"] = "bell\x07 and nul\x00"
    results = build_results(small_bank(), CORPUS, answers)
    meta = meta_for(results, small_bank())
    book = read_book(excel_workbook(results, answers, meta, small_bank()))
    assert book.sheetnames == ["Summary", "Scores", "Answers"]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        for letter, dimension in sheet.column_dimensions.items():
            assert 6 <= dimension.width <= 80, letter
    sheet = book["Answers"]
    assert [c.value for c in sheet[1]] == list(ANSWER_COLUMNS)
    evidence = [row[6] for row in sheet.iter_rows(min_row=2)]
    assert evidence[0].value == "#N/A"
    assert evidence[1].value == "bell and nul"
    for cell, expected in zip(evidence[2:], answers["evidence"].tolist()[2:], strict=True):
        assert cell.value == expected  # no quote added: a string cell is never a formula
        assert cell.data_type == "s"
    assert {c.value for c in evidence} >= {"=1+1", '=HYPERLINK("http://x.test")', "@cmd"}


def test_excel_summary_has_meta_headline_summary_and_priorities() -> None:
    results = small_results()
    meta = meta_for(results, small_bank())
    book = read_book(excel_workbook(results, small_answers(), meta, small_bank()))
    rows = [[c.value for c in row] for row in book["Summary"].iter_rows(min_row=1)]
    assert rows[0] == ["Part", "Item", "Detail"]
    assert ["Report", "Title", f"Readiness {MARKDOWN}"] in rows
    assert ["Report", "Area", f"Borsetshire {HOSTILE} (council, E10000099)"] in rows
    assert ["Headline", "Median of the dimension scores", "3.0 (Developing)"] in rows
    assert [
        "Headline",
        "Weakest dimension",
        f"Risk {HOSTILE} {MARKDOWN} (P1) at 2.0 (Emerging)",
    ] in rows
    assert ["Summary", "1", results.summary[0]] in rows
    assert ["Priority 1", f"Risk {HOSTILE} {MARKDOWN} (P1)", results.priorities[0].why] in rows
    assert ["Priority 1", "Next step", MARKDOWN] in rows
    scores = book["Scores"]
    assert [c.value for c in scores[1]][:9] == list(SCORE_COLUMNS)
    median = scores.cell(row=2, column=3)
    assert (median.value, median.data_type) == (2.0, "n")


def test_results_json_is_plain_json_without_nan() -> None:
    bank = small_bank()
    answers = small_answers()
    answers.loc[answers["question_id"].isin(["p2a", "p2b"]), "answer"] = "dk"
    results = build_results(bank, CORPUS, answers)

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    data = json.loads(
        results_json(results, answers, meta_for(results, bank)), parse_constant=refuse
    )
    assert list(data) == [
        "meta", "headline", "rows", "priorities", "summary", "actions", "answers"
    ]  # fmt: skip
    assert data["meta"]["area_name"] == f"Borsetshire {HOSTILE}"
    assert data["meta"]["bank_version"] == "1"
    assert data["headline"]["weakest"] == ["P1"]
    p2 = next(r for r in data["rows"] if r["id"] == "P2")
    assert (p2["score"], p2["q1"], p2["level"], p2["n"]) == (None, None, None, 0)
    assert data["priorities"][0]["essays"][0]["id"] == "intro"
    assert data["summary"] == list(results.summary)
    assert len(data["answers"]) == len(answers)
    assert data["answers"][1]["evidence"] == "=1+1"  # JSON is data, not a spreadsheet
    assert data["answers"][0]["submitted_at"] == "2026-11-25T10:30:00+00:00"


def test_the_action_plan_travels_in_the_workbook_and_the_json() -> None:
    """Issue 17: reports and exports carry the plan, as typed (a formula stays text)."""
    results, bank, plan = small_results(), small_bank(), small_plan()
    meta = meta_for(results, bank)
    book = read_book(excel_workbook(results, small_answers(), meta, bank, plan))
    assert book.sheetnames == ["Summary", "Scores", "Answers", "Actions"]
    rows = [[c.value for c in row] for row in book["Actions"].iter_rows()]
    assert rows[0] == list(PLAN_COLUMNS)
    assert rows[1][:3] == [
        "at this assessment",
        f"P1 {bank.dimension('P1').name}",
        f"Map spend {HOSTILE}",
    ]
    assert rows[1][4:7] == ["=Policy team", "31 March 2027", "Planned"]
    assert book["Actions"].cell(row=2, column=5).data_type == "s"  # never a formula
    assert rows[2][0] == "at an earlier assessment"
    assert rows[2][6] == "Under way"
    data = json.loads(results_json(results, small_answers(), meta, plan, bank))
    assert [a["Action"] for a in data["actions"]] == [
        f"Map spend {HOSTILE}",
        "Train ward councillors",
    ]
    assert json.loads(results_json(results, small_answers(), meta))["actions"] == []
