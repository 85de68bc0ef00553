"""The coding stage: groups and respondents numbered in sorted order, codes per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring import coding
from scoring.coding import first_rows, prepare
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank()


def test_groups_and_units_are_numbered_in_sorted_order():
    rows = [("r2", "p1a", 3, "South"), ("r1", "t1a", "dk", "North"), ("r2", "p1b", 4, "North")]
    coded = prepare(frame(rows, "area"), BANK, by=["area"])
    assert coded.groups["area"].tolist() == ["North", "South"]
    # Units (group, respondent): (North, r1), (North, r2), (South, r2).
    assert coded.unit_group.tolist() == [0, 0, 1]
    assert coded.unit_respondent.tolist() == ["r1", "r2", "r2"]
    assert coded.unit.tolist() == [2, 0, 1]
    assert coded.row_group.tolist() == [1, 0, 0]
    assert [coded.questions[q] for q in coded.question] == ["p1a", "t1a", "p1b"]
    assert coded.answer.tolist() == [3, 6, 4]
    assert coded.dimensions == ("P1", "P2", "T1")
    assert coded.question_weight.tolist() == [1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]


def test_missing_group_values_form_their_own_group():
    rows = [("r1", "p1a", 3, None), ("r2", "p1a", 4, "A")]
    coded = prepare(frame(rows, "area"), BANK, by=["area"])
    assert coded.n_groups == 2
    assert coded.groups["area"].tolist()[0] == "A"


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="'area'"):
        prepare(frame([("r1", "p1a", 3)]), BANK, by=["area"])


def test_coded_once_hands_back_the_coding_it_was_given_and_refuses_another() -> None:
    from scoring.coding import coded_once

    answers = frame([("r1", "p1a", 3, "x"), ("r2", "p1a", 4, "y")], "role")
    coded = prepare(answers, BANK, ["role"])
    assert coded_once(answers, BANK, ["role"], coded) is coded
    assert coded_once(answers, BANK, ["role"], None).by == ("role",)
    with pytest.raises(ValueError, match="coded by"):
        coded_once(answers, BANK, [], coded)
    with pytest.raises(ValueError, match="not these answers"):
        coded_once(answers[:1], BANK, ["role"], coded)


def _groupby_numbering(values: pd.Series) -> tuple[list[int], pd.DataFrame]:
    """What pandas' groupby numbers the groups of one column (the multi-column path)."""
    keys = pd.DataFrame({"g": values})
    grouped = keys.groupby(["g"], sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    return codes.tolist(), keys.iloc[first].reset_index(drop=True)


_RNG = np.random.default_rng(7)
_ONE_COLUMN = {
    "text": pd.Series(_RNG.choice(["b", "a", "c", ""], 400), dtype=object),
    "text with None": pd.Series(_RNG.choice(np.array(["b", "a", None], dtype=object), 400)),
    "text with NaN": pd.Series(_RNG.choice(np.array(["b", "a", np.nan], dtype=object), 400)),
    "numbers": pd.Series(_RNG.integers(1, 4, 400)),
    "numbers with NaN": pd.Series(_RNG.choice([1.0, 2.0, np.nan], 400)),
    "category in its own order, one unused": pd.Series(
        pd.Categorical(_RNG.choice(["b", "a", "c"], 400), categories=["c", "b", "a", "z"])
    ),
    "category with missing": pd.Series(
        pd.Categorical(_RNG.choice(np.array(["b", "a", None], dtype=object), 400), ["b", "a"])
    ),
    "arrow text with missing": pd.Series(
        _RNG.choice(np.array(["b", "a", None], dtype=object), 400), dtype="str"
    ),
    "mixed": pd.Series(_RNG.choice(np.array(["b", 1, None], dtype=object), 400)),
}


@pytest.mark.parametrize("name", list(_ONE_COLUMN))
def test_one_group_column_is_numbered_as_groupby_numbers_it(name: str) -> None:
    values = _ONE_COLUMN[name]
    codes, groups = coding._group_codes(pd.DataFrame({"g": values}), ("g",))
    expected_codes, expected_groups = _groupby_numbering(values)
    assert codes.tolist() == expected_codes
    pd.testing.assert_frame_equal(groups, expected_groups)


def test_first_rows_are_the_first_row_of_each_group() -> None:
    codes = _RNG.integers(0, 9, 500)
    codes = pd.factorize(codes)[0].astype(np.int64)  # every code 0..n-1 present
    assert first_rows(codes).tolist() == np.unique(codes, return_index=True)[1].tolist()
    assert first_rows(np.array([], dtype=np.int64)).tolist() == []


def test_units_are_numbered_the_same_dense_or_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        (f"r{i % 11}", ("p1a", "p1b", "t1a")[i % 3], 1 + i % 5, "NSEW"[i % 4]) for i in range(60)
    ]
    answers = frame(rows, "area").drop_duplicates(["respondent_id", "question_id", "area"])
    dense = prepare(answers, BANK, by=["area"])
    monkeypatch.setattr(coding, "_DENSE_LIMIT", 0)  # the sorting path, for many units
    sorted_ = prepare(answers, BANK, by=["area"])
    assert dense.unit.tolist() == sorted_.unit.tolist()
    assert dense.unit_group.tolist() == sorted_.unit_group.tolist()
    assert dense.unit_respondent.tolist() == sorted_.unit_respondent.tolist()
