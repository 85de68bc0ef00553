"""Report blocks: plain data, and tables made from frames as people read them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from reports.blocks import BLANK, KEEP_ROWS, Table, cell_text, table_from_frame


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, BLANK),
        (math.nan, BLANK),
        (pd.NA, BLANK),
        (pd.NaT, BLANK),
        (2.25, "2.3"),  # halves up, like the summary
        (3.0, "3.0"),
        (np.float64(2.45), "2.5"),
        (np.int64(7), "7"),
        (True, "Yes"),
        (np.bool_(False), ""),
        ("<b>x</b>", "<b>x</b>"),  # text stays text: the template escapes it
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


def test_table_from_frame_formats_and_aligns() -> None:
    frame = pd.DataFrame(
        {
            "ID": ["P1", "P2"],
            "Dimension": ["One", "Two"],
            "Score": [2.25, math.nan],
            "n": [3, 0],
            "Priority": [True, False],
            "Coverage %": [85.0, 100.0],
        }
    )
    table = table_from_frame(
        frame, "Caption", {"Coverage %": lambda v: f"{v:.0f} %"}, "A note", True, "Dimension"
    )
    assert table.columns == ("ID", "Dimension", "Score", "n", "Priority", "Coverage %")
    assert table.rows == (
        ("P1", "One", "2.3", "3", "Yes", "85 %"),
        ("P2", "Two", BLANK, "0", "", "100 %"),
    )
    assert table.numeric == frozenset({2, 3, 5})  # not the text or the yes/no column
    assert (table.caption, table.note, table.wide, table.label) == ("Caption", "A note", True, 1)


def test_unknown_label_column_is_none() -> None:
    table = table_from_frame(pd.DataFrame({"a": [1]}), "c", label="missing")
    assert table.label is None


def test_short_tables_are_kept_on_one_page() -> None:
    row = ("x",)
    assert Table("c", ("a",), (row,) * KEEP_ROWS).keep_together
    assert not Table("c", ("a",), (row,) * (KEEP_ROWS + 1)).keep_together
