"""Write plain tables to an .xlsx workbook, safely: text stays text, never a formula.

Why: a cell holding ``=HYPERLINK(...)`` typed by a respondent must open in
Excel as the words they typed. openpyxl turns any string starting with "="
into a formula (and "#N/A" into an error), so every string cell is set back
to a string after it is written. Characters XML cannot hold (control
characters other than tab and newline) are dropped rather than failing the
whole export.

Each sheet gets a bold, frozen header row, a filter, and column widths that
fit its contents (within limits), with long text wrapped.

The workbook is written in openpyxl's streaming mode (``write_only``): rows go
straight to the file instead of a cell object each held in memory (a workshop of
300 people is some 355,000 cells, which took seconds), so the widths are worked out
first and a cell object is made only for a cell that needs one (a heading, wrapped
text, text a spreadsheet would otherwise read as a formula or an error).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write(book.create_sheet(sheet.name[:31]), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def clean_text(text: str) -> str:
    """Text without the control characters an .xlsx cannot store."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _write(ws: WriteOnlyWorksheet, sheet: Sheet) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    rows = sheet.rows
    widths = [len(h) for h in sheet.header]
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str):
                longest = max((len(line) for line in value.splitlines()), default=0)
                widths[c] = max(widths[c], longest)
    # A streamed sheet takes its widths, panes and filter before its first row.
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(rows) + 1}"
    header = []
    for heading in sheet.header:
        cell = _text_cell(ws, clean_text(heading))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, value, wrap) for value in row])


def _cell(ws: WriteOnlyWorksheet, value: Any, wrap: Alignment) -> Any:
    """The value as it goes into a row: as itself, or as a cell where it needs one."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    if len(value) > MAX_WIDTH or "\n" in value:  # as typed, as the widths were measured
        cell = _text_cell(ws, text)
        cell.alignment = wrap
        return cell
    if text.startswith("=") or text in ERROR_CODES or starts_formula(text):
        return _text_cell(ws, text)
    return text  # openpyxl stores any other string as a string


def _text_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A cell that holds ``text`` as a string, always."""
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl guessed "f" for "=..." and "e" for "#N/A"
    if starts_formula(text):  # also Excel's quote prefix: an edit keeps it text
        cell.quotePrefix = True
    return cell
