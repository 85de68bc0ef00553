"""A whole workshop at once: a dashboard per round, comparisons, agreed levels."""

from __future__ import annotations

import pandas as pd

from scoring.workshop.views import rounds_in, workshop_views
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}, "P2": {"b": 1}})


def answers(rounds=(1, 2, 3)) -> pd.DataFrame:
    rows = [
        (f"P{p}", q, (p + r) % 5 + 1, "councillor", r)
        for r in rounds
        for p in range(1, 5)
        for q in ("a", "b")
    ]
    return frame(rows, "role", "round")


def test_a_dashboard_per_round_and_each_round_against_the_one_before() -> None:
    agreements = [{"round": 3, "dimension_id": "P1", "level": 2, "status": "agreed"}]
    views = workshop_views(BANK, answers(), ("P1", "P2"), (), 3, agreements)
    assert views.rounds == (1, 2, 3)
    assert [d.round for d in views.dashboards] == [1, 2, 3]
    assert views.latest is views.dashboards[-1]
    assert [(c.first, c.second) for c in views.comparisons] == [(1, 2), (2, 3)]
    assert [c.n_both for c in views.comparisons] == [4, 4]
    assert list(views.agreed["dimension"]) == ["P1", "P2"]
    assert views.agreed.at[0, "agreed"] == 2
    assert views.agreements[0].status == "agreed"


def test_the_rounds_asked_for_are_used_in_their_order() -> None:
    views = workshop_views(BANK, answers(), ("P1",), (), 3, [], rounds=(3, 1))
    assert [d.round for d in views.dashboards] == [3, 1]
    assert [(c.first, c.second) for c in views.comparisons] == [(3, 1)]


def test_rounds_in_the_answers_sort_as_numbers() -> None:
    assert rounds_in(answers((10, 2, 1))) == (1, 2, 10)
    assert rounds_in(answers((1,)).astype({"round": str}).replace({"round": {"1": "pilot"}})) == (
        "pilot",
    )
    assert rounds_in(answers().drop(columns="round")) == ()
    views = workshop_views(BANK, answers().iloc[:0], ("P1",), (), 3, [])
    assert views.rounds == (1,)
    assert not views.latest.shown
