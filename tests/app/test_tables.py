"""The shared helper that makes a frame readable for people, built without a running app."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ui.tables import Column, column_config, readable

FRAME = pd.DataFrame(
    {
        "dimension": ["P1", "P2", "P3"],
        "median": [2.25, 3.6667, np.nan],
        "share": [0.5, np.nan, 66.66666],
        "n": np.array([3, 0, 12], dtype="int64"),
        "agreed_label": ["Developing", None, np.nan],
        "uncertain": [True, False, False],
        "round": pd.Series([2, None, "late"], dtype=object),
        "unused": ["x", "y", "z"],
    }
)
VIEW = (
    Column("dimension", "ID"),
    Column("agreed_label", "Agreed level"),
    Column("median", "Room median", help="The room's median."),
    Column("share", "Share %", decimals=0),
    Column("n", "People"),
    Column("uncertain", "Could not agree"),
    Column("round", "Round"),
)


def test_columns_are_chosen_ordered_and_renamed() -> None:
    table = readable(FRAME, VIEW)
    assert list(table.columns) == [c.heading for c in VIEW]
    assert "unused" not in table.columns
    assert list(table["ID"]) == ["P1", "P2", "P3"]


def test_scores_round_half_up_to_one_decimal_and_missing_numbers_stay_missing() -> None:
    table = readable(FRAME, VIEW)
    median = list(table["Room median"])
    assert median[:2] == [2.3, 3.7]  # 2.25 rounds up, as the sentences round it
    assert math.isnan(median[2])
    assert table["Room median"].dtype == "float64"  # still numbers: they sort as numbers


def test_whole_number_columns_and_counts_have_no_decimals() -> None:
    table = readable(FRAME, VIEW)
    assert str(table["Share %"].dtype) == "Int64"
    assert table["Share %"].tolist()[0] == 1  # 0.5 rounds half up
    assert table["Share %"].isna().tolist() == [False, True, False]
    assert table["Share %"].tolist()[2] == 67
    assert table["People"].tolist() == [3, 0, 12]


def test_text_is_blank_not_none_and_flags_read_yes() -> None:
    table = readable(FRAME, VIEW)
    assert table["Agreed level"].tolist() == ["Developing", "", ""]
    assert table["Could not agree"].tolist() == ["Yes", "", ""]
    assert table["Round"].tolist() == ["2", "", "late"]  # one type per column
    text = " ".join(str(v) for c in ("Agreed level", "Round") for v in table[c])
    assert "None" not in text
    assert "nan" not in text


def test_an_empty_frame_keeps_its_headings() -> None:
    table = readable(FRAME.iloc[0:0], VIEW)
    assert list(table.columns) == [c.heading for c in VIEW]
    assert table.empty


def test_a_missing_column_or_a_repeated_heading_is_a_bug_told_plainly() -> None:
    with pytest.raises(KeyError, match="no column 'nowhere'"):
        readable(FRAME, (Column("nowhere", "Nowhere"),))
    with pytest.raises(ValueError, match="its own heading"):
        readable(FRAME, (Column("n", "People"), Column("dimension", "People")))


def test_the_widget_shows_scores_with_one_decimal_and_headings_with_help() -> None:
    config = column_config(readable(FRAME, VIEW), VIEW)
    assert config["Room median"]["type_config"]["format"] == "%.1f"
    assert config["Room median"]["help"] == "The room's median."
    assert "Share %" not in config  # whole numbers need no format
    assert "ID" not in config
