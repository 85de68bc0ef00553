"""Pooling respondents' plans: the median target and the half rule for priority."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.assessment.plans import PLAN_COLUMNS, plan_summary
from tests.unit.scoring.factories import make_bank

BANK = make_bank()  # P1, P2, T1


def plans(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(PLAN_COLUMNS))


def test_median_target_and_priority_when_at_least_half_marked_it():
    summary = plan_summary(
        plans(
            ("a", "P1", 3, True),
            ("b", "P1", 4, False),
            ("c", "P1", 5, False),  # P1: targets 3, 4, 5 -> 4; 1 of 3 marked -> no
            ("a", "T1", None, True),
            ("b", "T1", 2, False),  # T1: target 2; 1 of 2 marked -> yes
        ),
        BANK,
    )
    assert summary == {"P1": (4.0, False), "T1": (2.0, True)}


def test_an_empty_plan_row_does_not_count_and_targets_may_be_text():
    summary = plan_summary(
        plans(
            ("a", "P2", "4", "yes"),
            ("b", "P2", float("nan"), False),  # nothing set: not a planner
            ("c", "P2", "", 0),
        ),
        BANK,
    )
    assert summary == {"P2": (4.0, True)}  # 1 of 1 planner marked it


def test_no_plans():
    assert plan_summary(None, BANK) == {}
    assert plan_summary(pd.DataFrame(), BANK) == {}


def test_target_and_priority_columns_may_be_left_out():
    frame = pd.DataFrame({"respondent_id": ["a"], "dimension_id": ["P1"], "target": [3]})
    assert plan_summary(frame, BANK) == {"P1": (3.0, False)}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((("a", "P9", 3, False),), "not in the bank"),
        ((("a", "P1", 6, False),), "not a level"),
        ((("a", "P1", 2.5, False),), "not a level"),
        ((("a", "P1", "high", False),), "not a level"),
        ((("a", "P1", 3, "maybe"),), "not yes or no"),
        ((("a", "P1", 3, False), ("a", "P1", 4, True)), "two plans"),
    ],
)
def test_bad_plans_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        plan_summary(plans(*rows), BANK)


def test_missing_required_columns_are_named():
    with pytest.raises(ValueError, match="'dimension_id'"):
        plan_summary(pd.DataFrame({"respondent_id": ["a"], "target": [3]}), BANK)
