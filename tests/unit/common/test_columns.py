"""common.columns: the answers' columns, as the brief's CSV format fixes them."""

from __future__ import annotations

from common.columns import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, STORED_COLUMNS


def test_the_required_columns_lead_and_area_is_left_out_of_what_is_stored():
    assert REQUIRED_COLUMNS == ("respondent_id", "question_id", "answer")
    assert STORED_COLUMNS[:3] == REQUIRED_COLUMNS
    assert "area" in OPTIONAL_COLUMNS
    assert "area" not in STORED_COLUMNS
    assert set(STORED_COLUMNS) == set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) - {"area"}


def test_no_column_is_named_twice():
    every = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    assert len(set(every)) == len(every)
