"""What the workshop figures share: titles and the waiting message."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import pytest

from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.style import TITLE_CHARS, finish, title_lines, waiting, who
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


HEAD = "Next-practice criteria: median and middle half"


def test_a_short_title_stays_on_one_line() -> None:
    assert title_lines("Where the room splits", dashboard(4)) == [
        "Where the room splits (round 2, 4 people)"
    ]


def test_a_long_title_wraps_at_words_and_keeps_who_together() -> None:
    assert title_lines(HEAD, dashboard(4)) == [HEAD, "(round 2, 4 people)"]


@pytest.mark.parametrize(
    "head", [HEAD, "How roles see it: middle level by role", "Where the room splits", "x" * 60]
)
def test_no_title_line_is_wider_than_allowed(head: str) -> None:
    lines = title_lines(head, dashboard(14))
    assert max(len(line) for line in lines) <= TITLE_CHARS  # even one over-long word is broken
    assert "".join(lines).replace(" ", "") == f"{head}(round2,14people)".replace(" ", "")


def figure(top: int = 80, height: int = 500) -> dict[str, Any]:
    return {"font": {"size": 13}, "height": height, "margin": {"t": top}}


def test_finish_escapes_the_title_and_keeps_a_one_line_figure_as_it_was() -> None:
    fig = finish([], figure(), "Risk <b>", dashboard(4))
    assert fig.layout.title.text == "Risk &lt;b&gt; (round 2, 4 people)"
    assert (fig.layout.margin.t, fig.layout.height) == (80, 500)
    # The baseline half way down the top margin, where plotly puts a one-line title.
    assert (1 - fig.layout.title.y) * fig.layout.height == pytest.approx(40)
    assert (fig.layout.title.yref, fig.layout.title.yanchor) == ("container", "bottom")


def test_each_extra_title_line_adds_its_height() -> None:
    line = 23  # 18 px title, 1.3 lines
    fig = json.loads(finish([], figure(), HEAD, dashboard(4)).to_json())["layout"]
    one = json.loads(go.Figure({"data": [], "layout": figure()}).to_json())["layout"]
    assert fig["title"]["text"].count("<br>") == 1
    assert fig["margin"]["t"] == one["margin"]["t"] + line
    assert fig["height"] == one["height"] + line
    # The first line stays where a one-line title would be; the second hangs below it.
    assert (1 - fig["title"]["y"]) * fig["height"] == pytest.approx(one["margin"]["t"] / 2)
