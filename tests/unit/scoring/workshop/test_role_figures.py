"""The role heatmap: values printed, gap rows marked, small roles left out and named."""

from __future__ import annotations

import json
from dataclasses import replace

import plotly.io as pio
import pytest

from questions.model import Role
from scoring import plots
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.role_figures import GAP_MARK, role_heatmap
from scoring.workshop.style import TITLE_CHARS
from tests.unit.scoring.factories import frame, make_bank

BANK = replace(
    make_bank({"P1": {"a": 1}, "P2": {"b": 1}}),
    roles=(
        Role("councillor", "Councillor <i>elected</i>"),
        Role("resident", "Resident"),
        Role("partner", "Partner agency"),
    ),
)
ROLES = ("councillor", "resident", "partner")


def dashboard(k: int = 3):
    """Councillors rate P1 2,2,2 and P2 3,3,3; residents P1 3,3,3 and P2 4,3,4 (median 4):
    both dimensions are a level apart. Two partners (fewer than k) rate everything 5."""
    rows = []
    for i, (role, a, b) in enumerate(
        [("councillor", 2, 3)] * 3
        + [("resident", 3, 4), ("resident", 3, 3), ("resident", 3, 4)]
        + [("partner", 5, 5)] * 2,
        start=1,
    ):
        rows += [(f"P{i}", "a", a, role, 1), (f"P{i}", "b", b, role, 1)]
    return build_dashboard(BANK, frame(rows, "role", "round"), 1, ("P1", "P2"), ROLES, k)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_cells_print_each_shown_roles_median() -> None:
    fig = spec(role_heatmap(dashboard()))
    [cells] = fig["data"]
    assert cells["x"] == ["councillor", "resident"]  # partner (2 people) left out
    assert cells["y"] == ["P1", "P2"]
    assert cells["z"] == [[2.0, 3.0], [3.0, 4.0]]
    assert cells["text"] == [["2.0", "3.0"], ["3.0", "4.0"]]
    assert cells["zmin"] == 1
    assert cells["zmax"] == 5
    assert "middle level 3.0, 3 people" in cells["customdata"][0][1]


def test_gap_rows_are_marked_and_small_roles_named() -> None:
    layout = spec(role_heatmap(dashboard()))["layout"]
    labels = layout["yaxis"]["ticktext"]
    assert all(label.endswith(GAP_MARK) for label in labels)
    [note] = layout["annotations"]
    assert note["text"] == (
        f"{GAP_MARK} roles' medians are a level or more apart.<br>"
        "Not shown (fewer than 3 people): Partner agency."
    )
    assert "5" not in json.dumps(spec(role_heatmap(dashboard()))["data"][0]["z"])


def test_role_labels_are_escaped_and_carry_their_count() -> None:
    ticks = spec(role_heatmap(dashboard()))["layout"]["xaxis"]["ticktext"]
    assert ticks == [
        "Councillor<br>&lt;i&gt;elected&lt;/i&gt;<br>(3 people)",
        "Resident<br>(3 people)",
    ]


def test_without_a_role_of_k_people_it_says_so() -> None:
    fig = spec(role_heatmap(dashboard(k=4)))
    assert fig["data"] == []
    assert fig["layout"]["annotations"][0]["text"] == "No role has 4 people or more yet."


def test_serialisation() -> None:
    fig = role_heatmap(dashboard())
    assert "How roles see it" in pio.to_html(fig, include_plotlyjs=False, full_html=False)


def test_the_title_fits_and_clears_the_role_labels() -> None:
    layout = spec(role_heatmap(dashboard()))["layout"]
    lines = layout["title"]["text"].split("<br>")
    assert max(len(line) for line in lines) <= TITLE_CHARS, lines
    assert " ".join(lines) == "How roles see it: middle level by role (round 1, 8 people)"
    # Room for every line: the first baseline sits half way down the top margin and
    # each further line adds its height to the margin.
    first = (1 - layout["title"]["y"]) * layout["height"]
    assert (
        first + (len(lines) - 1) * layout["title"].get("font", {}).get("size", 18) * 1.3
        < layout["margin"]["t"]
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: role_heatmap(dashboard()),
        lambda: role_heatmap(dashboard(k=4)),
    ],
)
def test_a_page_gets_the_figure_plotly_validates_in_the_tests(make, monkeypatch) -> None:
    validated = make().to_dict()  # validated: tests/conftest.py
    monkeypatch.setattr(plots, "VALIDATE", False)  # as on a page
    assert make().to_dict() == validated
