"""What the workshop figures share: titles, the waiting message, presentation mode."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import pytest

from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.style import (
    PRESENTATION_FONT,
    PRESENTATION_TITLE_CHARS,
    TITLE_CHARS,
    finish,
    present,
    title_lines,
    waiting,
    who,
)
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
    spec: dict[str, Any] = {"font": {"size": 13}, "height": 400}
    present([], spec, False)
    assert spec == {"font": {"size": 13}, "height": 400}
    data = [
        {"type": "bar", "x": [1]},
        {"type": "scatterpolar", "mode": "lines+markers", "r": [1]},
        {"type": "scatterpolar", "mode": "lines", "r": [1]},
    ]
    spec["annotations"] = [{"text": "a"}]
    present(data, spec, True)
    big = go.Figure({"data": data, "layout": spec}).layout  # as plotly reads it
    assert big.font.size == PRESENTATION_FONT
    assert big.title.font.size == PRESENTATION_FONT + 6
    assert big.height == 520
    assert big.margin.t == 120  # room for the larger title
    assert big.annotations[0].font.size == PRESENTATION_FONT - 4
    assert data[0]["textfont"] == {"size": PRESENTATION_FONT}
    assert data[1]["marker"] == {"size": 14}
    assert "marker" not in data[2]


def test_presentation_changes_a_figure_as_plotlys_update_methods_did() -> None:
    """What `present` did when it called plotly's update_* methods on a figure."""
    data = [{"type": "heatmap", "z": [[1]]}, {"type": "scatterpolar", "mode": "lines+markers"}]
    spec: dict[str, Any] = {"height": 300, "margin": {"t": 90}, "annotations": [{"text": "a"}]}
    old = go.Figure({"data": data, "layout": spec})
    big, small = PRESENTATION_FONT, PRESENTATION_FONT - 4
    old.update_layout(
        font={"size": big},
        title={"font": {"size": big + 6}},
        legend={"font": {"size": small}},
        height=390,
        margin={"t": 135},
    )
    old.update_annotations(font={"size": small})
    old.update_polars(radialaxis_tickfont_size=small, angularaxis_tickfont_size=small)
    old.update_xaxes(tickfont={"size": small})
    old.update_yaxes(tickfont={"size": small})
    old.update_traces(textfont={"size": big}, selector={"type": "heatmap"})
    old.update_traces(
        marker={"size": 14}, selector={"type": "scatterpolar", "mode": "lines+markers"}
    )
    present(data, spec, True)
    assert go.Figure({"data": data, "layout": spec}).to_dict() == old.to_dict()


HEAD = "Next-practice criteria: median and middle half"


def test_a_short_title_stays_on_one_line() -> None:
    assert title_lines("Where the room splits", dashboard(4)) == [
        "Where the room splits (round 2, 4 people)"
    ]


def test_a_long_title_wraps_at_words_and_keeps_who_together() -> None:
    assert title_lines(HEAD, dashboard(4)) == [HEAD, "(round 2, 4 people)"]
    assert title_lines(HEAD, dashboard(4), presentation=True) == [
        "Next-practice criteria: median and",
        "middle half (round 2, 4 people)",
    ]


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize(
    "head", [HEAD, "How roles see it: median level by role", "Where the room splits", "x" * 60]
)
def test_no_title_line_is_wider_than_the_mode_allows(head: str, presentation: bool) -> None:
    width = PRESENTATION_TITLE_CHARS if presentation else TITLE_CHARS
    lines = title_lines(head, dashboard(14), presentation)
    assert max(len(line) for line in lines) <= width  # even one over-long word is broken
    assert "".join(lines).replace(" ", "") == f"{head}(round2,14people)".replace(" ", "")


def figure(top: int = 80, height: int = 500) -> dict[str, Any]:
    return {"font": {"size": 13}, "height": height, "margin": {"t": top}}


def presented(spec: dict[str, Any], presentation: bool) -> go.Figure:
    present([], spec, presentation)
    return go.Figure({"data": [], "layout": spec})


def test_finish_escapes_the_title_and_keeps_a_one_line_figure_as_it_was() -> None:
    fig = finish([], figure(), "Risk <b>", dashboard(4), presentation=False)
    assert fig.layout.title.text == "Risk &lt;b&gt; (round 2, 4 people)"
    assert (fig.layout.margin.t, fig.layout.height) == (80, 500)
    # The baseline half way down the top margin, where plotly puts a one-line title.
    assert (1 - fig.layout.title.y) * fig.layout.height == pytest.approx(40)
    assert (fig.layout.title.yref, fig.layout.title.yanchor) == ("container", "bottom")


@pytest.mark.parametrize(("presentation", "line"), [(False, 23), (True, 36)])
def test_each_extra_title_line_adds_its_height(presentation: bool, line: int) -> None:
    fig = json.loads(finish([], figure(), HEAD, dashboard(4), presentation).to_json())["layout"]
    one = json.loads(presented(figure(), presentation).to_json())["layout"]
    assert fig["title"]["text"].count("<br>") == 1
    assert fig["margin"]["t"] == one["margin"]["t"] + line
    assert fig["height"] == one["height"] + line
    # The first line stays where a one-line title would be; the second hangs below it.
    assert (1 - fig["title"]["y"]) * fig["height"] == pytest.approx(one["margin"]["t"] / 2)
