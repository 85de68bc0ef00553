"""Role medians and gaps: one role per person, role order, suppression, ties and blanks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.workshop.roles import (
    GAP_COLUMNS,
    NO_ROLE,
    ROLE_COLUMNS,
    role_column,
    role_gaps,
    role_medians,
    role_order,
)
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}, "P2": {"b": 1}})


def test_each_person_keeps_their_first_role_and_blanks_are_no_role() -> None:
    data = frame(
        [("P1", "a", 3, " resident "), ("P1", "b", 3, "councillor"), ("P2", "a", 3, None)],
        "role",
    )
    assert list(role_column(data)) == ["resident", "resident", NO_ROLE]
    assert list(role_column(data.drop(columns="role"))) == [NO_ROLE] * 3


def test_roles_come_as_a_category_of_the_cleaned_roles_sorted() -> None:
    """A category, so scoring by role reads codes instead of hashing every row's text; two
    spellings that clean to one role are one category."""
    data = frame(
        [
            ("P1", "a", 3, "resident "),
            ("P2", "a", 3, " resident"),
            ("P3", "a", 3, "councillor"),
            ("P4", "a", 3, None),
        ],
        "role",
    )
    roles = role_column(data)
    assert isinstance(roles.dtype, pd.CategoricalDtype)
    assert list(roles.cat.categories) == sorted({NO_ROLE, "councillor", "resident"})
    assert list(roles) == ["resident", "resident", "councillor", NO_ROLE]
    assert roles.index.equals(data.index)


def test_offered_roles_first_then_the_others_sorted_with_no_role_last() -> None:
    found = pd.Series(["zeta", "", "alpha", "resident"])
    assert role_order(["resident", "councillor"], found) == (
        "resident",
        "councillor",
        "alpha",
        "zeta",
        "",
    )


def test_role_medians_come_from_group_scores_and_blank_small_cells() -> None:
    rows = [(f"C{i}", "a", v, "councillor") for i, v in enumerate([1, 2, 4], 1)]
    rows += [(f"C{i}", "b", v, "councillor") for i, v in enumerate([5, 5], 1)]  # only two
    rows += [(f"R{i}", "a", 5, "resident") for i in range(1, 4)]
    data = frame(rows, "role")
    table = role_medians(BANK, data, ("P1", "P2"), ("councillor",), {"councillor": "Cllr"}, 3)
    assert tuple(table.columns) == ROLE_COLUMNS
    first, second = table.to_dict("records")
    assert first == {
        "dimension": "P1",
        "role": "councillor",
        "label": "Cllr",
        "n": 3,
        "median": 2.0,
    }
    assert (second["dimension"], second["n"]) == ("P2", 2)  # two councillors: blank
    assert np.isnan(table.at[1, "median"])
    assert role_medians(BANK, data, ("P1",), (), {}, 3).empty


def test_gaps_take_the_first_role_in_order_on_ties_and_need_two_roles() -> None:
    medians = pd.DataFrame(
        [
            ("P1", "a", "A", 3, 2.0),
            ("P1", "b", "B", 3, 3.0),
            ("P1", "c", "C", 3, 2.0),
            ("P2", "a", "A", 3, 4.0),
            ("P2", "b", "B", 2, np.nan),
            ("P2", "c", "C", 1, np.nan),
        ],
        columns=list(ROLE_COLUMNS),
    )
    gaps = role_gaps(BANK, medians, ("P1", "P2"), ("a", "b", "c"))
    assert tuple(gaps.columns) == GAP_COLUMNS
    first, second = gaps.to_dict("records")
    assert (first["lowest"], first["highest"], first["gap"], first["gap_flag"]) == (
        "a",
        "b",
        1.0,
        True,
    )
    assert (second["lowest"], second["highest"], second["gap_flag"]) == ("", "", False)
    assert np.isnan(second["gap"])


def test_no_shown_role_gives_blank_gaps() -> None:
    gaps = role_gaps(BANK, pd.DataFrame(columns=list(ROLE_COLUMNS)), ("P1",), ())
    assert list(gaps["gap_flag"]) == [False]
    assert gaps["gap"].isna().all()
    assert list(gaps["name"]) == ["Dimension P1"]
