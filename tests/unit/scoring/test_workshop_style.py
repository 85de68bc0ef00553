"""What the workshop figures share: titles, the waiting message, presentation mode."""

from __future__ import annotations

import plotly.graph_objects as go

from scoring.dashboard import build_dashboard
from scoring.workshop_style import PRESENTATION_FONT, present, waiting, who
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}})


def dashboard(people: int, k: int = 3):
    rows = [(f"P{i}", "a", 3, "councillor", 2) for i in range(1, people + 1)]
    return build_dashboard(BANK, frame(rows, "role", "round"), 2, ("P1",), (), k)


def test_who_names_the_round_and_the_people() -> None:
    assert who(dashboard(1)) == "round 2, one person"
    assert who(dashboard(4)) == "round 2, 4 people"


def test_waiting_counts_down_to_k() -> None:
    assert (
        waiting(dashboard(1))
        == "Results appear once 3 people have given a level: 2 more are needed."
    )
    assert waiting(dashboard(4, k=5)).endswith("1 more is needed.")


def test_presentation_is_a_no_op_unless_asked() -> None:
    fig = go.Figure(layout={"font": {"size": 13}, "height": 400})
    assert present(fig, False).layout.font.size == 13
    big = present(go.Figure(layout={"font": {"size": 13}, "height": 400}), True)
    assert big.layout.font.size == PRESENTATION_FONT
    assert big.layout.title.font.size == PRESENTATION_FONT + 6
    assert big.layout.height == 520
    assert big.layout.margin.t == 120  # room for the larger title
