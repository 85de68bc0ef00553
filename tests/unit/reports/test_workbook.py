"""Workbook writer: text stays text, headers are bold and frozen, widths are sensible."""

from __future__ import annotations

import io

import openpyxl

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
