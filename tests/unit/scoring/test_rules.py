"""The shared rules: answer codes, the half rule, coverage, the dk flag and level labels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scoring.rules import (
    BLANK,
    DK,
    NA,
    answer_code,
    answer_codes,
    coverage,
    dk_flagged,
    is_defined,
    level_label,
    level_labels,
    nearest_level,
)
from tests.unit.scoring.factories import SCALE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (1, 1),
        (5, 5),
        ("3", 3),
        (" 4 ", 4),
        ("2.0", 2),
        (3.0, 3),
        (np.int64(2), 2),
        ("dk", DK),
        ("DK", DK),
        (" Na ", NA),
        ("", BLANK),
        (None, BLANK),
        (float("nan"), BLANK),
    ],
)
def test_answer_codes(value, code):
    assert answer_code(value) == code
    assert answer_codes([value]).tolist() == [code]


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, "3.5", "maybe", True, "n/a"])
def test_values_that_are_not_answers(value):
    with pytest.raises(ValueError, match="is not an answer"):
        answer_code(value)


def test_answer_codes_of_a_column_with_missing_values():
    column = pd.Series(["1", None, "dk", "na", ""], dtype="str")
    assert answer_codes(column).tolist() == [1, BLANK, DK, NA, BLANK]


@pytest.mark.parametrize(
    ("answered", "applicable", "defined"),
    [(1, 2, True), (2, 4, True), (1, 3, False), (0, 0, False), (0, 1, False), (3, 3, True)],
)
def test_the_half_rule(answered, applicable, defined):
    assert bool(is_defined(answered, applicable)) is defined
    assert is_defined(np.array([answered]), np.array([applicable])).tolist() == [defined]


def test_coverage_and_the_dk_flag():
    assert coverage(7, 3) == 0.7
    assert math.isnan(coverage(0, 0))
    assert bool(dk_flagged(7, 3)) is True  # 3/10 = 30 % exactly
    assert bool(dk_flagged(8, 3)) is False  # 27 %
    assert bool(dk_flagged(0, 0)) is False


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (1.0, "Not yet"),
        (1.49, "Not yet"),
        (1.5, "Emerging"),
        (2.49, "Emerging"),
        (2.5, "Developing"),
        (3.5, "Embedded"),
        (4.5, "Leading"),
        (5.0, "Leading"),
        (np.nextafter(2.5, 0), "Developing"),  # 2.4999999999999996 from a float sum: a half
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_level_labels_round_halves_up(score, label):
    assert level_label(score, SCALE) == label
    assert level_labels(pd.Series([score], dtype=float), SCALE).tolist() == [label]


def test_nearest_level():
    assert [nearest_level(x) for x in (1.0, 2.5, 4.5, 4.49)] == [1, 3, 5, 4]
    assert nearest_level(None) is None
