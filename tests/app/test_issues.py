"""The rows of the problems table, built without a running app."""

from __future__ import annotations

import pandas as pd

from common.issue import Issue
from ui.issues import COLUMNS, count_text, issue_table, warnings_of


def issue(code: str, line: int, file: str = "bank.yaml", severity: str = "error") -> Issue:
    return Issue(code, severity, file, line, "questions[0]", "something is wrong", "please mend it")


def test_errors_come_first_then_file_and_line() -> None:
    issues = [
        issue("W401", 3, severity="warning"),
        issue("E205", 40),
        issue("E201", 7, file="essays.yaml"),
        issue("E201", 12),
    ]
    table = issue_table(issues)
    assert tuple(table.columns) == COLUMNS
    rows = list(zip(table["Code"], table["File"], table["Line"], strict=True))
    assert rows == [
        ("E201", "bank.yaml", 12),
        ("E205", "bank.yaml", 40),
        ("E201", "essays.yaml", 7),
        ("W401", "bank.yaml", 3),
    ]


def test_cells_read_as_sentences_and_whole_file_has_no_line() -> None:
    table = issue_table([issue("E104", 0)])
    row = table.iloc[0]
    assert row["Severity"] == "Error"
    assert pd.isna(row["Line"])
    assert row["Problem"] == "Something is wrong."
    assert row["How to fix"] == "Please mend it."
    assert row["Where"] == "questions[0]"


def test_empty_table_keeps_its_columns() -> None:
    assert tuple(issue_table([]).columns) == COLUMNS


def test_counts_and_warnings() -> None:
    issues = [issue("E201", 1), issue("E205", 2), issue("W401", 3, severity="warning")]
    assert count_text(issues) == "2 errors and 1 warning"
    assert count_text(issues[2:]) == "1 warning"
    assert count_text([]) == "no problems"
    assert [i.code for i in warnings_of(issues)] == ["W401"]
