"""The band radar and the split bars: the band, gaps not zeros, counts, k, serialisation."""

from __future__ import annotations

import html
import json
from dataclasses import replace

import plotly.io as pio
import pytest

from scoring import plots
from scoring.plots import OKABE_ITO
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.figures import (
    BAND_NAME,
    LEVEL_COLOURS,
    band_dots,
    band_radar,
    role_heatmap,
    split_bars,
)
from scoring.workshop.style import TITLE_CHARS
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}, "P2": {"b": 1}, "P3": {"c": 1}, "T1": {"t": 1}})
BANK = replace(
    BANK,
    criteria=tuple(
        replace(d, name="Risk <b>bold</b>") if d.id == "P2" else d for d in BANK.criteria
    ),
)
DIMS = ("P1", "P2", "P3", "T1")


def dashboard(columns: dict[str, list], k: int = 3):
    people = max(len(v) for v in columns.values())
    rows = [
        (f"P{i + 1}", q, values[i], "councillor", 1)
        for q, values in columns.items()
        for i in range(people)
        if i < len(values)
    ]
    return build_dashboard(BANK, frame(rows, "role", "round"), 1, DIMS, (), k)


# P1: 2,3,3,4 -> median 3, q1 2 + 0.75 x 1 = 2.75, q3 3 + 0.25 x 1 = 3.25. P2: all 3.
# P3: only "don't know" -> no score. T1: 2,2,4,4 (polarised) -> the one split.
ROOM = {"a": [2, 3, 3, 4], "b": [3, 3, 3, 3], "c": ["dk"] * 4, "t": [2, 2, 4, 4]}


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_the_band_runs_from_q1_to_q3_and_is_named_in_legend_and_hover() -> None:
    band, median = spec(band_radar(dashboard(ROOM), "criterion"))["data"]
    assert band["name"] == BAND_NAME
    assert band["fill"] == "toself"
    assert band.get("showlegend", True)
    assert BAND_NAME in band["hovertemplate"]
    # P3 has no quartiles, so the band covers P1 and P2 only: q3 out, q1 back.
    assert band["r"] == [3.25, 3.0, 3.0, 2.75]
    first_lines = [t.split("<br>")[0] for t in band["theta"]]
    assert first_lines == ["P1 Dimension P1", "P2 Risk", "P2 Risk", "P1 Dimension P1"]
    assert band["customdata"][0][1] == "2.8 to 3.3"  # halves up, one decimal
    assert median["name"] == "Middle level"
    assert median["r"] == [3.0, 3.0, None, 3.0]  # a gap, never a zero; closed on P1
    assert median["connectgaps"] is False
    assert "(no score)" in median["theta"][2]


def test_the_band_closes_round_the_circle_when_every_dimension_has_quartiles() -> None:
    room = {**ROOM, "c": [5, 5, 5, 5]}
    band = spec(band_radar(dashboard(room), "criterion"))["data"][0]
    # Axes P1, P2, P3, back to P1 on q3; then P1, P3, P2, P1 on q1.
    assert band["r"] == [3.25, 3.0, 5.0, 3.25, 2.75, 5.0, 3.0, 2.75]
    assert None not in band["r"]


def test_a_dimension_alone_between_gaps_is_a_band_of_its_own() -> None:
    # P1 and P3 have no score: the band is P2's own segment, apart from any other.
    room = {"a": ["dk"] * 3, "b": [1, 3, 5], "c": ["dk"] * 3, "t": [3, 3, 3]}
    band = spec(band_radar(dashboard(room), "criterion"))["data"][0]
    # 1,3,5: q1 = 2, q3 = 4.
    assert band["r"] == [4.0, 2.0]


def test_the_radar_is_1_to_5_with_level_labels_and_escapes_bank_text() -> None:
    layout = spec(band_radar(dashboard(ROOM), "criterion"))["layout"]
    axis = layout["polar"]["radialaxis"]
    assert axis["range"] == [1, 5]
    assert axis["ticktext"][0] == "1 Not yet"
    data = spec(band_radar(dashboard(ROOM), "criterion"))["data"]
    assert "Risk &lt;b&gt;bold&lt;/b&gt;" in data[1]["customdata"][1][0]
    assert "round 1, 4 people" in layout["title"]["text"]


def test_the_median_and_band_differ_by_more_than_colour() -> None:
    band, median = spec(band_radar(dashboard(ROOM), "criterion"))["data"]
    assert median["line"]["color"] == OKABE_ITO["blue"]
    assert (band["line"]["dash"], median["line"]["dash"]) == ("dot", "solid")
    assert band["mode"] == "lines"
    assert median["mode"] == "lines+markers"


@pytest.mark.parametrize("figure", [lambda d: band_radar(d, "theme"), split_bars, role_heatmap])
def test_below_k_every_figure_is_empty_and_says_why(figure) -> None:
    fig = spec(figure(dashboard({"a": [1, 5]})))
    assert fig["data"] == []
    [note] = fig["layout"]["annotations"]
    assert note["text"] == "Results appear once 3 people have given a level: 1 more is needed."


def test_split_bars_diverge_around_zero_with_counts_printed() -> None:
    # T1: 2,2,4,4 plus a "don't know".
    d = dashboard({**ROOM, "t": [2, 2, 4, 4, "dk"]})
    assert list(d.splits["question_id"]) == ["t"]
    data = spec(split_bars(d))["data"]
    names = [t["name"] for t in data]
    assert names == [
        "3 Developing",
        "2 Emerging",
        "1 Not yet",
        "3 Developing",
        "4 Embedded",
        "5 Leading",
    ]
    assert data[1]["x"] == [-2]
    assert data[1]["text"] == ["2"]
    assert data[4]["x"] == [2]
    assert data[4]["text"] == ["2"]
    assert data[2]["text"] == [""]  # nobody at level 1: nothing printed
    assert data[0]["showlegend"] is False  # level 3's left half shares the right half's entry
    assert [t["marker"]["color"] for t in data[1:3]] == [LEVEL_COLOURS[2], LEVEL_COLOURS[1]]
    assert "two camps, 4 people, don't know 1" in data[0]["y"][0]
    assert "n =" not in json.dumps(data)
    assert "…" not in json.dumps(data)


def painted(marker: dict) -> str:
    """The colour a bar (and its legend swatch) is filled with, as plotly draws it.

    A pattern in plotly's default "replace" mode drops marker.color: its background
    is then `bgcolor`, transparent unless set. In "overlay" mode marker.color shows.
    """
    pattern = marker.get("pattern") or {}
    if not pattern.get("shape"):
        return marker["color"]
    if pattern.get("bgcolor"):
        return pattern["bgcolor"]
    return marker["color"] if pattern.get("fillmode") == "overlay" else "rgba(0,0,0,0)"


INVISIBLE = {"#ffffff", "white", "rgba(0,0,0,0)", "transparent"}


def test_every_level_is_filled_in_its_own_colour_including_1_and_5() -> None:
    # The review's case: a question answered 1, 2 and 5 showed only the "2" bar.
    d = dashboard({**ROOM, "t": [1, 2, 5]})
    assert list(d.splits["question_id"]) == ["t"]
    data = spec(split_bars(d))["data"]
    for trace in data:
        level = int(trace["name"][0])
        fill = painted(trace["marker"])
        assert fill.lower() not in INVISIBLE, trace["name"]
        assert fill == LEVEL_COLOURS[level], trace["name"]
    drawn = {int(t["name"][0]): t["x"][0] for t in data if t["x"][0]}
    assert drawn == {1: -1, 2: -1, 5: 1}


def test_levels_1_and_5_are_hatched_over_their_colour_not_told_by_hue_alone() -> None:
    # Vermillion and orange (1, 2), blue and sky blue (5, 4) are close for some readers.
    data = spec(split_bars(dashboard({**ROOM, "t": [1, 2, 5]})))["data"]
    for trace in data:
        level, pattern = int(trace["name"][0]), trace["marker"].get("pattern") or {}
        if level in (1, 5):
            assert pattern["shape"]
            assert painted(trace["marker"]) == LEVEL_COLOURS[level]  # hatching over colour
            assert pattern["fgcolor"] != LEVEL_COLOURS[level]
        else:
            assert not pattern.get("shape")


def test_the_legend_has_a_visible_swatch_for_each_of_the_five_levels() -> None:
    data = spec(split_bars(dashboard({**ROOM, "t": [1, 2, 5]})))["data"]
    legend = sorted((t for t in data if t.get("showlegend", True)), key=lambda t: t["legendrank"])
    assert [t["name"] for t in legend] == [
        "1 Not yet",
        "2 Emerging",
        "3 Developing",
        "4 Embedded",
        "5 Leading",
    ]
    for level, trace in enumerate(legend, start=1):
        assert painted(trace["marker"]) == LEVEL_COLOURS[level], trace["name"]


def test_split_bars_halve_level_3_and_print_it_once() -> None:
    d = dashboard({**ROOM, "t": [1, 3, 3, 5, 5]})  # spread: 1/5 low, 2/5 high, 3 of 5 out
    assert list(d.splits["class"]) == ["spread"]
    left, _, _, right, _, _ = spec(split_bars(d))["data"]
    assert (left["x"], right["x"]) == ([-1.0], [1.0])
    assert (left["text"], right["text"]) == ([""], ["2"])


def test_no_split_is_said_in_words() -> None:
    fig = spec(split_bars(dashboard({"a": [3, 3, 3]})))
    assert fig["data"] == []
    assert fig["layout"]["annotations"][0]["text"] == "No question splits the room."


FIGURES = {
    "criteria radar": lambda d: band_radar(d, "criterion"),
    "themes radar": lambda d: band_radar(d, "theme"),
    "themes dot plot": lambda d: band_dots(d, "theme"),
    "splits": split_bars,
    "roles": role_heatmap,
}


def title_lines(fig: dict) -> list[str]:
    return html.unescape(fig["layout"]["title"]["text"]).split("<br>")


@pytest.mark.parametrize("name", list(FIGURES))
def test_titles_fit_the_narrowest_dashboard_chart(name: str) -> None:
    # 14 people in round 12: a long "who". The review saw "…3 people)" cut off on the right.
    d = replace(dashboard({"a": [2, 4] * 7, "b": [3] * 14, "t": [1, 5] * 7}), round=12)
    lines = title_lines(spec(FIGURES[name](d)))
    assert max(len(line) for line in lines) <= TITLE_CHARS, lines
    assert any("(round 12, 14 people)" in line for line in lines), lines  # never split


def test_the_radar_title_wraps_where_the_review_saw_it_cut() -> None:
    d = dashboard({q: v[:3] for q, v in ROOM.items()})
    lines = title_lines(spec(band_radar(d, "criterion")))
    assert " ".join(lines) == (
        "Next-practice criteria: middle level and middle half (round 1, 3 people)"
    )
    assert len(lines) >= 2


def test_the_radar_legend_sits_at_the_foot_below_the_bottom_axis_label() -> None:
    d = dashboard(ROOM)
    layout = spec(band_radar(d, "criterion"))["layout"]
    legend = layout["legend"]
    assert (legend["yref"], legend["y"], legend["yanchor"]) == ("container", 0, "bottom")
    assert layout["margin"]["b"] >= 80  # room for the bottom label's lines and the legend


def test_figures_serialise_for_the_app_and_the_report() -> None:
    d = dashboard(ROOM)
    for fig in (band_radar(d, "criterion"), band_radar(d, "theme"), split_bars(d)):
        json.loads(fig.to_json())
        html = pio.to_html(fig, include_plotlyjs=False, full_html=False)
        assert BAND_NAME in html or "Where the room splits" in html


def test_an_unknown_family_is_refused() -> None:
    with pytest.raises(ValueError, match="family"):
        band_radar(dashboard(ROOM), "strand")


@pytest.mark.parametrize(
    "make",
    [
        lambda: band_radar(dashboard(ROOM), "criterion"),
        lambda: band_dots(dashboard(ROOM), "theme"),
        lambda: band_radar(dashboard({"a": [2, 3, 3], "t": [1, 2, 5]}), "theme"),
        lambda: band_radar(dashboard({"a": [3]}), "criterion"),
        lambda: split_bars(dashboard(ROOM)),
        lambda: split_bars(dashboard({"a": [3, 3, 3]})),
    ],
)
def test_a_page_gets_the_figure_plotly_validates_in_the_tests(make, monkeypatch) -> None:
    validated = make().to_dict()  # validated: tests/conftest.py
    monkeypatch.setattr(plots, "VALIDATE", False)  # as on a page
    assert make().to_dict() == validated


def test_the_dot_plot_reads_with_many_themes_highest_first_and_names_whole() -> None:
    long = "Councils that learn in public from what residents already know and do"
    themes = {f"T{i}": {f"t{i}": 1} for i in range(1, 17)}
    bank = make_bank({"P1": {"p1": 1}, **themes})
    bank = replace(bank, themes=tuple(replace(d, name=f"{long} {d.id}") for d in bank.themes))
    dims = tuple(themes)
    rows = [
        (f"P{p}", f"t{i}", (i + p) % 5 + 1 if i != 16 else "dk", "councillor", 1)
        for i in range(1, 17)
        for p in range(1, 5)
    ]
    d = build_dashboard(bank, frame(rows, "role", "round"), 1, dims, (), 3)
    fig = spec(band_dots(d, "theme"))
    band, dots = fig["data"]
    order = fig["layout"]["yaxis"]["categoryarray"]
    assert len(order) == 16
    medians = dict(zip(dots["y"], dots["x"], strict=True))
    shown = [medians[label] for label in order if label in medians]
    assert shown == sorted(shown, reverse=True)  # highest middle level first
    assert order[-1].startswith("T16")  # no score (all "don't know"): at the foot, no dot
    assert order[-1] not in medians
    for label in order:  # every word of every name, wrapped, never cut
        assert label.replace("<br>", " ").endswith(long.split()[-1] + " " + label.split()[0])
    assert "…" not in json.dumps(fig)
    assert band["name"] == BAND_NAME
    assert fig["layout"]["height"] >= 16 * 40  # room for every row's lines
    # The levels' numbers at the ticks, never turned on their side; their names under the axis.
    axis = fig["layout"]["xaxis"]
    assert (axis["ticktext"], axis["tickangle"]) == (["1", "2", "3", "4", "5"], 0)
    named = html.unescape(axis["title"]["text"]).replace("<br>", " ")
    assert named == " · ".join(f"{v} {name}" for v, name in d.scale.levels)
