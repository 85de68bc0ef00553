"""Workbook writer: text stays text, headers are bold and frozen, widths are sensible."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reports.workbook import MAX_WIDTH, MIN_WIDTH, Sheet, clean_text, workbook_bytes


def test_strings_are_never_formulas_or_errors() -> None:
    values = ["=1+1", "+1", "-1", "@x", "#N/A", "#DIV/0!", "plain"]
    data = workbook_bytes([Sheet("T", ("text",), [[v] for v in values])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["T"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert {c.data_type for c in cells} == {"s"}
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False, False, False]


def test_numbers_blanks_and_booleans_keep_their_types() -> None:
    data = workbook_bytes([Sheet("N", ("a", "b", "c"), [[1.5, None, True], [2, "x", False]])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["N"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [1.5, None, True],
        [2, "x", False],
    ]


def test_header_is_bold_and_frozen_and_widths_fit() -> None:
    long = "word " * 60
    data = workbook_bytes(
        [Sheet("A very long sheet name that Excel would refuse", ("id", "note"), [["x", long]])]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    (sheet,) = book.worksheets
    assert sheet.title == "A very long sheet name that Exc"  # 31 characters at most
    assert sheet.freeze_panes == "A2"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["A"].width == MIN_WIDTH
    assert sheet.column_dimensions["B"].width == MAX_WIDTH
    assert sheet["B2"].alignment.wrap_text
    assert sheet.auto_filter.ref == "A1:B2"


def test_an_empty_sheet_still_has_its_header() -> None:
    data = workbook_bytes([Sheet("E", ("a", "b"), [])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["E"]
    assert [c.value for c in sheet[1]] == ["a", "b"]
    assert sheet.max_row == 1


def test_clean_text_drops_what_xml_cannot_hold() -> None:
    assert clean_text("a\x00b\x07c\td\ne") == "abc\td\ne"


def _in_memory(sheets: list[Sheet]) -> bytes:
    """The workbook as it was written before streaming (one cell object at a time, kept in
    memory): the reference the streamed file must match cell for cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from scoring.cells import starts_formula

    def put(cell, value) -> None:
        if isinstance(value, str):
            cell.value = clean_text(value)
            cell.data_type = "s"
            if starts_formula(cell.value):
                cell.quotePrefix = True
        else:
            cell.value = value

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        widths = [len(h) for h in sheet.header]
        for column, heading in enumerate(sheet.header, start=1):
            put(ws.cell(row=1, column=column), heading)
            ws.cell(row=1, column=column).font = Font(bold=True)
        for r, row in enumerate(sheet.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                put(cell, value)
                if isinstance(value, str):
                    longest = max((len(line) for line in value.splitlines()), default=0)
                    widths[c - 1] = max(widths[c - 1], longest)
                    if len(value) > MAX_WIDTH or "\n" in value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        if sheet.rows:
            ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
            ws.auto_filter.ref = ref
        for c, width in enumerate(widths, start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _look(c) -> tuple:
    """One cell as a reader sees it: value, type, bold, wrapping and quote prefix."""
    a = c.alignment
    return (c.value, c.data_type, c.font.bold, a.wrap_text, a.vertical, c.quotePrefix)


def workbook_content(data: bytes) -> list[tuple]:
    """Everything a reader sees in a workbook: per sheet its name, panes, filter, widths,
    and every cell (`_look`)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (
            ws.title,
            ws.freeze_panes,
            ws.auto_filter.ref,
            {k: d.width for k, d in ws.column_dimensions.items()},
            [[_look(c) for c in row] for row in ws.iter_rows()],
        )
        for ws in book.worksheets
    ]


HOSTILE_ROWS = [
    ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTabbed", '=HYPERLINK("http://x.test")'],
    ["#N/A", "#DIV/0!", "=", "", "plain", "bell\x07 and \x1b escape"],
    ["line one\nline two", "word " * 30, 1.5, -3, True, None],
    [None, False, 0, 0.1 + 0.2, "x" * 81, "vertical\x0btab"],
]


def test_the_streamed_workbook_holds_what_the_in_memory_one_held() -> None:
    """Streaming (issue 14: the workbook was seconds of a facilitator's every click) writes
    the file differently, never its content: every value, type, style and width alike."""
    sheets = [
        Sheet("Hostile =1+1", ("=head", "b", "c", "d", "e", "f"), HOSTILE_ROWS),
        Sheet("Empty", ("only", "headers"), []),
        Sheet("A very long sheet name that Excel would refuse", ("n",), [[i] for i in range(50)]),
    ]
    assert workbook_content(workbook_bytes(sheets)) == workbook_content(_in_memory(sheets))


def test_the_shipped_reports_workbooks_are_unchanged_by_streaming(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The self-assessment workbook of the shipped bank, written both ways."""
    import reports.exports
    from scoring.assessment.results import build_results
    from tests.unit.reports.factories import full_answers, meta_for, shipped

    bank, corpus = shipped()
    answers = full_answers(bank, people=4)
    results = build_results(bank, corpus, answers)
    meta = meta_for(results, bank)
    streamed = reports.exports.excel_workbook(results, answers, meta, bank)
    monkeypatch.setattr(reports.exports, "workbook_bytes", _in_memory)
    assert workbook_content(streamed) == workbook_content(
        reports.exports.excel_workbook(results, answers, meta, bank)
    )
