"""The coding stage: groups and respondents numbered in sorted order, codes per row."""

from __future__ import annotations

import pytest

from scoring.coding import prepare
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
