"""Data exports for spreadsheets and scripts: answers CSV, scores CSV, Excel workbook, JSON.

Why: councils' analysts work in Excel and R; they need the raw answers (the
stable long format of design.md, so a download can be uploaded or scored
again with ``python -m scoring``) and the scores with the command line's
columns, built from the same `scoring` code as the app.

CSV injection (OWASP): a spreadsheet runs a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return as a formula. In the CSV
files every text value that starts with one of these gets a single quote in
front (``=SUM(A1)`` is written ``'=SUM(A1)``, `scoring.cells.guard_formula`), so Excel
shows it as text.
Answers, ids and rounds never start with one, so in practice only free text
(evidence, names) changes. The Excel workbook needs no prefix: every text
cell is written as a string cell, never a formula. JSON is written as given.

CSV files are UTF-8 with a byte-order mark, so Excel reads accents and
dashes correctly; `scoring.answers.parse_answers` accepts the mark.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from common.columns import STORED_COLUMNS
from questions.model import Bank
from reports.meta import ReportMeta
from reports.plan import actions_sheet, plan_records
from reports.workbook import Sheet, workbook_bytes
from scoring.assessment.model import DimensionResult
from scoring.assessment.results import Results
from scoring.assessment.text import title
from scoring.cells import FORMULA_STARTS, guard_formula
from scoring.cli import DECIMALS, SCORE_COLUMNS
from scoring.engine import group_scores
from scoring.format import fmt_score
from scoring.rules import CODE_TEXT, answer_code
from storage import Plan

__all__ = [
    "ANSWER_COLUMNS",
    "FORMULA_STARTS",
    "SCORE_EXTRA_COLUMNS",
    "answers_csv",
    "answers_rows",
    "excel_workbook",
    "guard_formula",
    "results_json",
    "scores_csv",
    "scores_frame",
]

#: The answers CSV, in the brief's order (design.md "Interfaces that stay stable").
ANSWER_COLUMNS: tuple[str, ...] = STORED_COLUMNS
#: Added after the command line's score columns, so its columns keep their positions.
SCORE_EXTRA_COLUMNS: tuple[str, ...] = ("name", "family", "level", "target", "gap", "priority")
_BOM = "\ufeff"


def answers_rows(answers: pd.DataFrame) -> list[list[str]]:
    """The answers as rows of text in `ANSWER_COLUMNS` order (blank for a missing column).

    ``answer`` is canonical ("1"-"5", "dk", "na", ""); times are ISO 8601.
    """
    blank = [""] * len(answers)
    columns = [
        [_text(v) for v in answers[c].to_numpy(dtype=object)] if c in answers.columns else blank
        for c in ANSWER_COLUMNS
    ]
    rows = [list(row) for row in zip(*columns, strict=True)]
    for row in rows:
        row[2] = CODE_TEXT[answer_code(row[2])]
    return rows


def answers_csv(answers: pd.DataFrame) -> bytes:
    """The long answers CSV (`ANSWER_COLUMNS`), readable by `scoring.answers.parse_answers`."""
    return _csv(ANSWER_COLUMNS, answers_rows(answers))


def scores_frame(results: Results, answers: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """One row per dimension: ``python -m scoring score``'s columns, then `SCORE_EXTRA_COLUMNS`.

    The statistics come from `scoring.engine.group_scores` (as on the command
    line, rounded to the same decimals); name, level, target, gap and priority
    from `results`.
    """
    frame = group_scores(answers, bank)[list(SCORE_COLUMNS)]
    rows = {r.id: r for r in results.rows}
    frame = frame[frame["dimension"].isin(list(rows))].reset_index(drop=True)
    extra = [_extra(rows[str(d)]) for d in frame["dimension"]]
    frame = pd.concat([frame, pd.DataFrame(extra, columns=list(SCORE_EXTRA_COLUMNS))], axis=1)
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{c: frame[c].round(DECIMALS) for c in floats})


def _extra(row: DimensionResult) -> tuple[Any, ...]:
    family = "criterion" if row.kind == "criterion" else "theme"
    return (row.name, family, row.level or "", row.target, row.gap, row.priority)


def scores_csv(results: Results, answers: pd.DataFrame, bank: Bank) -> bytes:
    """`scores_frame` as CSV: blank for a missing statistic, priority as true/false."""
    frame = scores_frame(results, answers, bank)
    rows = [[_cell(v) for v in record] for record in frame.itertuples(index=False, name=None)]
    return _csv(tuple(frame.columns), rows)


def excel_workbook(
    results: Results,
    answers: pd.DataFrame,
    meta: ReportMeta,
    bank: Bank,
    plan: Plan | None = None,
) -> bytes:
    """An .xlsx with sheets Summary (meta, headline, summary, priorities), Scores, Answers
    and, when a plan is given, Actions."""
    scores = scores_frame(results, answers, bank)
    score_rows = [
        [_plain(v) for v in record] for record in scores.itertuples(index=False, name=None)
    ]
    sheets = (
        Sheet("Summary", ("Part", "Item", "Detail"), _summary_rows(results, meta)),
        Sheet("Scores", tuple(scores.columns), score_rows),
        Sheet("Answers", ANSWER_COLUMNS, answers_rows(answers)),
        *actions_sheet(plan, bank),
    )
    return workbook_bytes(sheets)


def _summary_rows(results: Results, meta: ReportMeta) -> list[list[Any]]:
    rows: list[list[Any]] = [["Report", "Title", meta.title]]
    rows += [["Report", label, value] for label, value in meta.facts()]
    h = results.headline
    median = f"{fmt_score(h.median)} ({h.level})" if h.median is not None else "no score yet"
    weakest = ", ".join(title(r) for r in h.weakest) or "none"
    if h.weakest_score is not None:
        weakest += f" at {fmt_score(h.weakest_score)} ({h.weakest[0].level})"
    rows += [
        ["Headline", "Median of the dimension scores", median],
        ["Headline", "Weakest dimension", weakest],
        ["Headline", "Dimensions with a score", f"{h.defined} of {h.asked}"],
    ]
    rows += [["Summary", str(i), s] for i, s in enumerate(results.summary, start=1)]
    for p in results.priorities:
        part = f"Priority {p.rank}"
        rows.append([part, title(p.dimension), p.why])
        rows += [[part, "Next step", step] for step in p.next_steps]
        rows += [
            [part, "Essay", f"{e.essay.title} ({e.essay.author}): {e.reason}"] for e in p.essays
        ]
    return rows


def results_json(
    results: Results,
    answers: pd.DataFrame,
    meta: ReportMeta,
    plan: Plan | None = None,
    bank: Bank | None = None,
) -> bytes:
    """Everything as plain JSON (UTF-8): meta, headline, rows, priorities, summary, answers,
    and the action plan (``actions``; empty without a plan and its bank).

    Missing numbers are null, never NaN (``allow_nan=False`` would refuse one).
    """
    h = results.headline
    document = {
        "meta": {**meta.to_dict(), "bank_id": results.bank_id, "form": results.form},
        "headline": {
            "median": h.median,
            "level": h.level,
            "weakest": [r.id for r in h.weakest],
            "weakest_score": h.weakest_score,
            "defined": h.defined,
            "asked": h.asked,
        },
        "rows": [_row_dict(r) for r in results.rows],
        "priorities": [
            {
                "rank": p.rank,
                "dimension": p.dimension.id,
                "why": p.why,
                "next_steps": list(p.next_steps),
                "essays": [
                    {"id": e.essay.id, "title": e.essay.title, "reason": e.reason} for e in p.essays
                ],
            }
            for p in results.priorities
        ],
        "summary": list(results.summary),
        "actions": plan_records(plan, bank) if plan is not None and bank is not None else [],
        "answers": [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in answers_rows(answers)],
    }
    text = json.dumps(_jsonable(document), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _row_dict(row: DimensionResult) -> dict[str, Any]:
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}


def _jsonable(value: Any) -> Any:
    """Plain JSON values: NaN/NaT/NA -> None, numpy scalars -> Python, dates -> ISO text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([guard_formula(cell) for cell in row] for row in rows)
    return (_BOM + buffer.getvalue()).encode("utf-8")


def _text(value: Any) -> str:
    """A value as CSV text: blank for missing, ISO 8601 for times, whole numbers as "1"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return _text(value) if not isinstance(value, float) else _number(value)


def _number(value: float) -> str:
    return "" if math.isnan(value) else repr(value)


def _plain(value: Any) -> Any:
    """A value for a spreadsheet cell: Python numbers and text, None for missing."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
