"""Between rounds: what moved, splits closed and opened, k; agreed levels beside the median."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.rounds import (
    AGREED_COLUMNS,
    MOVED_COLUMNS,
    ROUND_CHANGE_COLUMNS,
    AgreedLevel,
    Stability,
    agreed_table,
    compare_dashboards,
    compare_rounds,
    round_stability,
)
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}, "P2": {"b": 1}, "T1": {"t": 1}})
DIMS = ("P1", "P2", "T1")


def two_rounds(second_people: int = 4) -> pd.DataFrame:
    """Round 1: a 1,1,5,5 (polarised), b 2,3,3,3 (consensus). Round 2: a 4,4,4,5
    (consensus: the split closed), b 1,1,5,5 (polarised: a new split). t is 3 throughout."""
    first = {"a": [1, 1, 5, 5], "b": [2, 3, 3, 3], "t": [3, 3, 3, 3]}
    second = {"a": [4, 4, 4, 5], "b": [1, 1, 5, 5], "t": [3, 3, 3, 3]}
    rows = [
        (f"P{i + 1}", q, values[i], "councillor", r)
        for r, columns, people in ((1, first, 4), (2, second, second_people))
        for q, values in columns.items()
        for i in range(people)
    ]
    return frame(rows, "role", "round")


def test_what_moved_and_which_splits_closed_and_opened() -> None:
    c = compare_rounds(BANK, two_rounds(), 1, 2, DIMS, 3)
    assert (c.shown, c.n_first, c.n_second, c.n_both) == (True, 4, 4, 4)
    moved = c.moved.set_index("dimension")
    assert tuple(c.moved.columns) == MOVED_COLUMNS
    # P1: median (1 + 5) / 2 = 3 -> 4: up 1. P2: (3 + 3) / 2 = 3 -> (1 + 5) / 2 = 3. T1: 3 -> 3.
    assert moved["median_first"].tolist() == [3.0, 3.0, 3.0]
    assert moved["median_second"].tolist() == [4.0, 3.0, 3.0]
    assert moved["change"].tolist() == [1.0, 0.0, 0.0]
    assert tuple(c.closed.columns) == ROUND_CHANGE_COLUMNS
    assert c.closed[["question_id", "class_first", "class_second"]].values.tolist() == [
        ["a", "polarised", "consensus"]
    ]
    # a: |x - 3| = 2 each -> 2.0; then |x - 4| = 0,0,0,1 -> 0.25.
    assert c.closed[["ad_md_first", "ad_md_second"]].values.tolist() == [[2.0, 0.25]]
    assert c.opened[["question_id", "class_first", "class_second"]].values.tolist() == [
        ["b", "consensus", "polarised"]
    ]
    assert c.still_split == 0
    assert c.summary == (
        "Round 1: 4 people; round 2: 4 people. 4 people gave levels in both rounds.",
        "The middle level moved on one dimension: Dimension P1 (P1) up 1.0 to 4.0.",
        "Of the 4 people who gave levels in both rounds, 4 changed at least one answer: 7 of 12 "
        "answers, by 2.0 levels on average.",
        'One split closed (split, now agreed): a ("Question a").',
        'One split opened (agreed, now split): b ("Question b").',
    )


def test_nothing_is_compared_until_both_rounds_reach_k() -> None:
    # Round 2 has only two people: k - 1 for k = 3.
    c = compare_rounds(BANK, two_rounds(second_people=2), 1, 2, DIMS, 3)
    assert not c.shown
    assert (c.n_first, c.n_second, c.n_both) == (4, 2, 2)
    assert c.moved.empty
    assert c.closed.empty
    assert c.opened.empty
    assert c.summary == (
        "Round 2 is compared with round 1 once each has levels from 3 people or more "
        "(round 1: 4, round 2: 2).",
    )
    assert compare_rounds(BANK, two_rounds(second_people=3), 1, 2, DIMS, 3).shown


def test_a_split_question_hidden_by_k_is_neither_closed_nor_opened() -> None:
    # k = 5: four people per round -> nothing shown in either round.
    c = compare_rounds(BANK, two_rounds(), 1, 2, DIMS, 5)
    assert not c.shown
    assert c.closed.empty
    assert c.opened.empty


def test_dashboards_built_with_different_k_are_not_compared() -> None:
    data = two_rounds()
    with pytest.raises(ValueError, match="one k"):
        compare_dashboards(
            build_dashboard(BANK, data, 1, DIMS, (), 3),
            build_dashboard(BANK, data, 2, DIMS, (), 4),
            Stability(4),
        )


def test_people_in_both_rounds() -> None:
    data = two_rounds(second_people=3)
    data.loc[(data["round"] == 2) & (data["respondent_id"] == "P3"), "answer"] = "dk"
    assert round_stability(data, 1, 2).n_both == 2


def test_stability_counts_who_changed_their_own_answers_and_by_how_much() -> None:
    # a: P1 1->4, P2 1->4, P3 5->4, P4 5->5; b: P1 2->1, P2..P4 3->1, 3->5, 3->5; t unchanged.
    steady = round_stability(two_rounds(), 1, 2)
    assert steady == Stability(
        n_both=4,
        answers_both=12,
        changed=7,
        people_changed=4,
        shift=(3 + 3 + 1 + 1 + 2 + 2 + 2) / 7,
    )
    c = compare_rounds(BANK, two_rounds(), 1, 2, DIMS, 3)
    assert c.stability == steady
    assert (
        "Of the 4 people who gave levels in both rounds, 4 changed at least one answer: "
        "7 of 12 answers, by 2.0 levels on average." in c.summary
    )
    assert round_stability(two_rounds(), 1, 1).changed == 0


def test_fewer_than_k_who_changed_are_not_counted() -> None:
    """One person changing one answer: the room is told fewer than k changed, not that one
    did, nor by how much (k applies to the people who changed as to any group)."""
    data = two_rounds()
    second = data["round"] == 2
    data.loc[second, "answer"] = data.loc[data["round"] == 1, "answer"].to_numpy()
    data.loc[second & (data["respondent_id"] == "P1") & (data["question_id"] == "t"), "answer"] = 4
    c = compare_rounds(BANK, data, 1, 2, DIMS, 3)
    assert c.stability.people_changed == 1
    said = [s for s in c.summary if "both rounds" in s and "changed" in s]
    assert said == [
        "Of the 4 people who gave levels in both rounds, fewer than 3 changed any answer."
    ]
    unchanged = two_rounds()
    unchanged.loc[unchanged["round"] == 2, "answer"] = unchanged.loc[
        unchanged["round"] == 1, "answer"
    ].to_numpy()
    assert any(
        "nobody changed an answer" in s
        for s in compare_rounds(BANK, unchanged, 1, 2, DIMS, 3).summary
    )


# --- agreed levels -------------------------------------------------------------------------


AGREEMENTS = [
    {"round": 1, "dimension_id": "P1", "level": 3, "status": "agreed", "note": "First go"},
    {
        "round": 2,
        "dimension_id": "P1",
        "level": 4,
        "status": "agreed",
        "note": "<script>alert(1)</script>",
        "dissent": None,
    },
    SimpleNamespace(
        round=2,
        dimension_id="P2",
        level=float("nan"),
        status="uncertain",
        note="Two camps",
        dissent="Residents see level 1; officers see 5",
    ),
]


def test_agreed_levels_sit_beside_the_computed_median() -> None:
    dashboard = build_dashboard(BANK, two_rounds(), 2, DIMS, (), 3)
    table = agreed_table(DIMS, BANK, AGREEMENTS, dashboard)
    assert tuple(table.columns) == AGREED_COLUMNS
    p1, p2, t1 = table.to_dict("records")
    # P1: the round-2 record wins over round 1; the median of round 2 is 4.
    assert (p1["median"], p1["level"], p1["agreed"], p1["agreed_label"]) == (
        4.0,
        "Embedded",
        4.0,
        "Embedded",
    )
    assert (p1["status"], p1["uncertain"], p1["difference"], p1["round"]) == (
        "agreed",
        False,
        0.0,
        2,
    )
    assert p1["note"] == "<script>alert(1)</script>"
    assert p1["dissent"] == ""
    # P2: no agreement; uncertain with the dissent kept.
    assert (p2["status"], p2["uncertain"], p2["agreed_label"]) == ("uncertain", True, "")
    assert math.isnan(p2["agreed"])
    assert math.isnan(p2["difference"])
    assert p2["dissent"] == "Residents see level 1; officers see 5"
    assert p2["median"] == 3.0
    # T1: nothing recorded.
    assert (t1["status"], t1["uncertain"], t1["note"], t1["round"]) == ("", False, "", None)


def test_the_latest_round_wins_by_number_not_by_text() -> None:
    dashboard = build_dashboard(BANK, two_rounds(), 2, DIMS, (), 3)
    records = [
        AgreedLevel(10, "P1", 2, "agreed"),
        AgreedLevel(9, "P1", 5, "agreed"),  # "9" > "10" as text, not as a number
        AgreedLevel(10, "P1", 3, "agreed", note="later on the list"),
    ]
    row = agreed_table(("P1",), BANK, records, dashboard).iloc[0]
    assert (row["agreed"], row["note"], row["difference"]) == (3.0, "later on the list", -1.0)


def test_the_median_is_blank_when_the_dashboard_hides_it() -> None:
    dashboard = build_dashboard(BANK, two_rounds(second_people=2), 2, DIMS, (), 3)
    row = agreed_table(("P1",), BANK, AGREEMENTS, dashboard).iloc[0]
    assert math.isnan(row["median"])
    assert row["level"] == ""
    assert row["n"] == 0
    assert row["agreed"] == 4.0


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"round": 1, "dimension_id": "P1", "level": 3, "status": "maybe"}, "status"),
        ({"round": 1, "dimension_id": "P1", "level": 6, "status": "agreed"}, "1-5"),
        ({"round": 1, "dimension_id": "P1", "level": None, "status": "agreed"}, "needs a level"),
    ],
)
def test_bad_agreed_levels_are_refused(record: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AgreedLevel.of(record)


def test_an_uncertain_dimension_may_keep_a_provisional_level() -> None:
    record = AgreedLevel.of({"round": 1, "dimension_id": "P1", "level": 2.0, "status": "uncertain"})
    assert (record.level, record.note, record.dissent) == (2, "", "")
    assert AgreedLevel.of(record) is record
