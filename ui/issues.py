"""The problems table: bank and corpus issues shown to a policy officer.

Why: whoever edits the YAML needs every problem at once, in a table they can
sort, with the file and line to open and a sentence saying how to fix it. The
rows are built by a plain function so tests can check them without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from common.issue import Issue
from ui.text import literal

_ROW_HEIGHT = 92  # pixels: four lines of text
_VISIBLE_ROWS = 12  # more than this and the table scrolls
COLUMNS: tuple[str, ...] = ("Severity", "Code", "File", "Line", "Where", "Problem", "How to fix")


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Errors before warnings, then by file and line, keeping the checker's order otherwise."""
    return sorted(issues, key=lambda i: (i.severity != "error", i.file, i.line))


def warnings_of(issues: Iterable[Issue]) -> list[Issue]:
    """Only the warnings (the bank works, but something may mislead)."""
    return [i for i in issues if i.severity == "warning"]


def issue_table(issues: Iterable[Issue]) -> pd.DataFrame:
    """One row per issue, in the columns of ``COLUMNS``; a line of 0 (whole file) is blank."""
    rows = [
        {
            "Severity": issue.severity.capitalize(),
            "Code": issue.code,
            "File": issue.file,
            "Line": issue.line or None,
            "Where": issue.path,
            "Problem": _sentence(issue.message),
            "How to fix": _sentence(issue.fix),
        }
        for issue in sort_issues(issues)
    ]
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.astype({"Line": "Int64"})


def count_text(issues: Sequence[Issue]) -> str:
    """'2 errors and 1 warning', for a caption above the table."""
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    parts = [_plural(errors, "error")] if errors else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return " and ".join(parts) or "no problems"


def render_issues(issues: Sequence[Issue]) -> None:
    """Show the issues as a sortable table with a count above it.

    Rows are four lines tall so the problem and its fix wrap instead of being cut off.
    """
    st.caption(f"{literal(count_text(issues))}. Line numbers count from 1 at the top of the file.")
    text = st.column_config.TextColumn
    st.dataframe(
        issue_table(issues),
        hide_index=True,
        width="stretch",
        row_height=_ROW_HEIGHT,
        placeholder="",  # a problem with the whole file has no line: a blank, not "None"
        height=38 + _ROW_HEIGHT * max(1, min(len(issues), _VISIBLE_ROWS)),
        column_config={
            "Severity": text(width=70),
            "Code": text(width=60),
            "File": text(width=150),
            "Line": st.column_config.NumberColumn(width=50, format="%d"),
            "Where": text(width=120, help="Where in the file, as a path of keys"),
            "Problem": text(width=300),
            "How to fix": text(width=360),
        },
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
