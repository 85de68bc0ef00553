"""The comparison report (HTML, and PDF through `reports.pdf`) and its data exports.

Why: an analyst takes away what the compare page showed — which assessments,
with how many people; the overlaid profiles, each with its table; the
differences against the reference with their verdicts; the heatmap; change
over time; the median of a comparison group, when one was chosen; what was left
out of the comparison and why; and how the noise was judged. Every number comes
from `scoring.comparison.results` (one code path); this module only arranges it as
`reports.blocks` sections, which `reports.html.render_sections` draws with
autoescaping (the sections are in `reports.compare_sections`). No HTML is built
here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from questions.model import Bank
from reports.compare_sections import (
    COMPARE_SECTIONS,
    GROUP_SECTION,
    GROUP_TOO_FEW,
    ChosenGroup,
    comparison_sections,
)
from reports.exports import _plain
from reports.html import render_sections
from reports.meta import ReportMeta
from reports.workbook import Sheet, workbook_bytes
from scoring.cells import guard_formula
from scoring.cli import DECIMALS
from scoring.comparison.results import Change, Comparison, group_median

__all__ = [
    "COMPARE_SECTIONS",
    "CSV_COLUMNS",
    "GROUP_SECTION",
    "GROUP_TOO_FEW",
    "ChosenGroup",
    "comparison_csv",
    "comparison_frame",
    "comparison_sections",
    "comparison_workbook",
    "render_comparison_report",
]

#: The long CSV: one row per assessment and dimension, with its difference from the reference.
CSV_COLUMNS: tuple[str, ...] = (
    "label",
    "area",
    "assessed_on",
    "dimension",
    "name",
    "family",
    "n",
    "median",
    "low",
    "high",
    "interval",
    "reference",
    "n_reference",
    "median_reference",
    "difference",
    "difference_low",
    "difference_high",
    "verdict",
)
#: The verdict of the reference's own rows in the CSV.
REFERENCE = "reference"


def render_comparison_report(
    meta: ReportMeta,
    bank: Bank,
    comparison: Comparison,
    change: Change | None = None,
    left_out: Sequence[str] = (),
    group: ChosenGroup | None = None,
    entries: Mapping[str, str] | None = None,
) -> str:
    """The comparison report as one self-contained HTML document.

    Args:
        left_out: sentences saying what was left out of the comparison and why
            (e.g. questions not shared by two bank versions); shown as a list.
        group: the comparison group chosen on the page, if any: its section
            gives its median beside each assessment, or why it is not shown.
        entries: what each label is in Compare (kind of entry and form, e.g.
            "workshop round 2, Quick check"); a "Kind" column when given.
    """
    sections = comparison_sections(bank, comparison, change, left_out, group, entries)
    return render_sections(meta, sections, kicker="Ladder comparison report")


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """`CSV_COLUMNS`: ``Comparison.table`` with each label's area and date, and its
    difference from the reference (the reference's own rows: verdict "reference")."""
    table = comparison.table
    diffs = comparison.differences.set_index(["label", "dimension"])
    info = comparison.info
    rows = []
    for record in table.to_dict("records"):
        label, dim = record["label"], record["dimension"]
        about = info.get(label)
        key = (label, dim)
        if label == comparison.reference:
            extra: tuple[Any, ...] = (None,) * 5 + (REFERENCE,)
        elif key in diffs.index:
            d = diffs.loc[key]
            extra = (
                d["n_reference"],
                d["median_reference"],
                d["difference"],
                d["low"],
                d["high"],
                d["verdict"],
            )
        else:
            extra = (None,) * 6
        rows.append(
            (
                label,
                about.area if about else "",
                about.assessed_on if about and about.assessed_on else None,
                dim,
                record["name"],
                record["family"],
                record["n"],
                record["median"],
                record["low"],
                record["high"],
                record["interval"],
                comparison.reference,
                *extra,
            )
        )
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS)).astype({"n_reference": "Int64"})
    floats = ["median", "low", "high", "median_reference", "difference"]
    floats += ["difference_low", "difference_high"]
    return frame.assign(
        **{c: pd.to_numeric(frame[c], errors="coerce").round(DECIMALS) for c in floats}
    )


def comparison_csv(comparison: Comparison) -> bytes:
    """`comparison_frame` as CSV: UTF-8 with a byte-order mark, blank for missing.

    Text that a spreadsheet would run as a formula gets a leading quote
    (`scoring.cells.guard_formula`); numbers never do, so a difference of
    -0.5 stays a number.
    """
    frame = comparison_frame(comparison)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_text(v) for v in record])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def comparison_workbook(
    meta: ReportMeta,
    comparison: Comparison,
    change: Change | None = None,
    group: ChosenGroup | None = None,
) -> bytes:
    """An .xlsx with sheets Summary (meta, comparison and change sentences, the chosen
    group and its members), Scores (`comparison_frame`), with a change, Change (first to
    last) and Steps, and with a group whose median can be shown, Group
    (`scoring.comparison.results.GROUP_COLUMNS`)."""
    summary: list[list[Any]] = [["Report", "Title", meta.title]]
    summary += [["Report", label, value] for label, value in meta.facts()]
    summary += [["Comparison", str(i), s] for i, s in enumerate(comparison.sentences, 1)]
    if change is not None:
        summary += [["Change", str(i), s] for i, s in enumerate(change.sentences, 1)]
    median = None if group is None else group_median(comparison, group.members)
    if group is not None:
        summary += [["Group", "Name", group.name]]
        summary += [["Group", f"Member {i}", m] for i, m in enumerate(group.members, 1)]
        summary += [["Group", "Median", GROUP_TOO_FEW]] if median is None else []
    sheets = [
        Sheet("Summary", ("Part", "Item", "Detail"), summary),
        _sheet("Scores", comparison_frame(comparison)),
    ]
    if change is not None:
        sheets += [_sheet("Change", change.table), _sheet("Steps", change.steps)]
    if median is not None:
        sheets += [_sheet("Group", median)]
    return workbook_bytes(sheets)


def _csv_text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return guard_formula(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)


def _sheet(name: str, frame: pd.DataFrame) -> Sheet:
    rows = [[_number(v) for v in record] for record in frame.itertuples(index=False, name=None)]
    return Sheet(name, tuple(str(c) for c in frame.columns), rows)


def _number(value: Any) -> Any:
    value = _plain(value)
    return round(value, DECIMALS) if isinstance(value, float) else value
