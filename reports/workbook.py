"""Write plain tables to an .xlsx workbook, safely: text stays text, never a formula.

Why: a cell holding ``=HYPERLINK(...)`` typed by a respondent must open in
Excel as the words they typed. openpyxl turns any string starting with "="
into a formula (and "#N/A" into an error), so every string cell is set back
to a string after it is written. Characters XML cannot hold (control
characters other than tab and newline) are dropped rather than failing the
whole export.

Each sheet gets a bold, frozen header row, a filter, and column widths that
fit its contents (within limits), with long text wrapped.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring.cells import starts_formula

__all__ = ["MAX_WIDTH", "MIN_WIDTH", "Sheet", "clean_text", "workbook_bytes"]

MIN_WIDTH = 6
MAX_WIDTH = 80


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: a name (at most 31 characters), a header row and the rows below it.

    Cells are text, numbers, booleans or None (an empty cell).
    """

    name: str
    header: tuple[str, ...]
    rows: Sequence[Sequence[Any]]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file, in order."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write(book.create_sheet(sheet.name[:31]), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def clean_text(text: str) -> str:
    """Text without the control characters an .xlsx cannot store."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _write(ws: Worksheet, sheet: Sheet) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in sheet.header]
    for column, heading in enumerate(sheet.header, start=1):
        cell = ws.cell(row=1, column=column)
        _set(cell, heading)
        cell.font = bold
    for r, row in enumerate(sheet.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            _set(cell, value)
            if isinstance(value, str):
                longest = max((len(line) for line in value.splitlines()), default=0)
                widths[c - 1] = max(widths[c - 1], longest)
                if len(value) > MAX_WIDTH or "\n" in value:
                    cell.alignment = wrap
    ws.freeze_panes = "A2"
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _set(cell: Any, value: Any) -> None:
    """Write one value; a string is always stored as a string."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl guessed "f" for "=..." and "e" for "#N/A"
        if starts_formula(text):  # also Excel's quote prefix: an edit keeps it text
            cell.quotePrefix = True
    else:
        cell.value = value
