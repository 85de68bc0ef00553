"""Comparison figures: one trace per assessment, told apart without colour, gaps not
zeros, escaped text, and every figure serialises."""

from __future__ import annotations

import json

import plotly.io as pio
import pytest

from scoring import plots
from scoring.comparison.figures import (
    DASHES,
    GROUP_STYLE,
    SERIES_COLOURS,
    SYMBOLS,
    change_chart,
    compare_heatmap,
    overlay_radar,
    profile,
)
from scoring.comparison.results import change_over_time, compare, group_median
from scoring.plots import OKABE_ITO
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "P3": {"p3a": 1}, "T1": {"t1a": 1}})
HOSTILE = "<script>alert(1)</script>"


def answers(levels: dict[str, list], prefix: str):
    size = max(len(v) for v in levels.values())
    return frame(
        (f"{prefix}{i}", q, v[i]) for i in range(size) for q, v in levels.items() if i < len(v)
    )


def eight():
    """Eight areas; the second has no score on P2 (don't know), the last is hostile."""
    out = {}
    for k in range(8):
        p2 = ["dk"] * 5 if k == 1 else [(k % 5) + 1] * 5
        label = f"Area {k} {HOSTILE}" if k == 7 else f"Area {k}"
        out[label] = answers(
            {"p1a": [(k % 5) + 1] * 5, "p2a": p2, "p3a": [3, 4, 3, 4, 3], "t1a": [2] * 5},
            f"a{k}",
        )
    return out


@pytest.fixture(scope="module")
def comparison():
    return compare(BANK, eight(), n_boot=50)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_one_trace_per_assessment_with_distinct_colours_symbols_and_lines(comparison):
    data = spec(overlay_radar(comparison, "criterion"))["data"]
    assert len(data) == 8
    symbols = [t["marker"]["symbol"] for t in data]
    colours = [t["marker"]["color"] for t in data]
    assert len(set(symbols)) == 8
    assert len(set(colours)) == 8
    assert set(colours) == set(OKABE_ITO.values())
    assert [t["line"]["dash"] for t in data[:6]] == list(DASHES)
    assert tuple(symbols) == SYMBOLS
    assert tuple(colours) == SERIES_COLOURS


def test_axes_run_1_to_5_and_a_missing_score_is_a_gap(comparison):
    figure = spec(overlay_radar(comparison, "criterion"))
    radial = figure["layout"]["polar"]["radialaxis"]
    assert radial["range"] == [1, 5]
    assert radial["tickvals"] == [1, 2, 3, 4, 5]
    first, second = figure["data"][:2]
    # P1, P2, P3, then P1 again to close the line; by hand: area 0 answers 1, 1, median 3.
    assert first["r"] == [1.0, 1.0, 3.0, 1.0]
    assert second["r"] == [2.0, None, 3.0, 2.0]
    assert second["connectgaps"] is False


def test_labels_are_escaped_in_legend_and_hover(comparison):
    figure = spec(overlay_radar(comparison, "theme"))
    last = figure["data"][-1]
    assert last["name"] == "Area 7 &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>" not in json.dumps(figure)
    heat = spec(compare_heatmap(comparison))
    assert "<script>" not in json.dumps(heat)


def test_a_group_median_adds_one_grey_trace(comparison):
    group = group_median(comparison, list(comparison.labels)[:5])
    data = spec(overlay_radar(comparison, "criterion", group, "Nearest neighbours"))["data"]
    assert len(data) == 9
    assert data[-1]["name"] == "Nearest neighbours"
    assert data[-1]["marker"]["symbol"] not in SYMBOLS
    # By hand: P1 medians of areas 0-4 are 1, 2, 3, 4, 5 -> 3; P2 has 4 areas -> hidden.
    assert data[-1]["r"] == [3.0, None, 3.0, 3.0]


def test_the_heatmap_prints_every_value_and_a_dash_for_no_score(comparison):
    """Dimensions down the side by their whole names, assessments across the top, each
    cell's number at a readable size."""
    trace = spec(compare_heatmap(comparison))["data"][0]
    names = {d.id: d.name for d in BANK.dimensions}
    assert trace["y"] == [f"{d} {names[d]}" for d in ("P1", "P2", "P3", "T1")]
    assert trace["x"] == [str(i) for i in range(1, 9)]  # eight: numbered, with a key
    key = spec(compare_heatmap(comparison))["layout"]["annotations"][0]["text"].split("<br>")
    assert key[0] == "1: Area 0"
    assert key[7] == "8: Area 7 &lt;script&gt;alert(1)&lt;/script&gt;"
    three = compare(BANK, dict(list(eight().items())[:3]), n_boot=10)
    assert spec(compare_heatmap(three))["data"][0]["x"] == ["Area 0", "Area 1", "Area 2"]
    assert [row[0] for row in trace["text"]] == ["1.0", "1.0", "3.0", "2.0"]
    assert trace["text"][1][1] == "–"
    assert trace["z"][1][1] is None
    assert (trace["zmin"], trace["zmax"]) == (1, 5)
    assert trace["textfont"]["size"] >= 13


def test_more_than_three_assessments_are_small_multiples_against_the_reference(comparison):
    """Eight assessments: one small radar each, the reference in grey in the seven others;
    up to three are overlaid on one radar."""
    figure = spec(profile(comparison, "criterion"))
    polars = sorted(k for k in figure["layout"] if k.startswith("polar"))
    assert len(polars) == 8
    reference = comparison.reference
    own = [t for t in figure["data"] if t["name"] != reference or t["subplot"] == "polar"]
    own = [t for t in figure["data"] if t["name"] != reference or t["subplot"] == "polar"]
    assert len(own) == 8
    assert len({t["subplot"] for t in own}) == 8
    greys = [t for t in figure["data"] if t["line"]["color"] == GROUP_STYLE[0]]
    assert len(greys) == 7
    assert {t["name"] for t in greys} == {comparison.reference}
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert titles[-1] == "Area 7<br>&lt;script&gt;alert(1)&lt;/script&gt;"  # wrapped, escaped
    assert "<script>" not in json.dumps(figure)
    three = compare(BANK, dict(list(eight().items())[:3]), n_boot=10)
    assert "polar2" not in spec(profile(three, "criterion"))["layout"]


def test_the_change_chart_joins_first_and_last_with_intervals_where_n_allows():
    dates = {
        "2024": answers({"p1a": [2] * 6, "p2a": [1, 2, 3, 4, 5, 3], "t1a": [3, 3]}, "r"),
        "2026": answers({"p1a": [4] * 6, "p2a": [2, 3, 4, 5, 5, 4], "t1a": [4, 4]}, "r"),
    }
    change = change_over_time(BANK, dates, n_boot=100)
    figure = spec(change_chart(change))
    lines, first, last = figure["data"]
    assert lines["x"][:3] == [2.0, 4.0, None]
    assert first["name"] == "2024"
    assert last["name"] == "2026"
    assert first["marker"]["symbol"] != last["marker"]["symbol"]
    assert first["x"] == [2.0, 3.0, 3.0]
    # P1 is constant (no width), P2 has an interval, T1 (n = 2) none.
    assert first["error_x"]["array"][0] == 0.0
    assert first["error_x"]["array"][1] > 0
    assert first["error_x"]["array"][2] is None
    assert figure["layout"]["xaxis"]["tickvals"] == [1, 2, 3, 4, 5]


def test_every_figure_serialises_to_html_without_loading_anything(comparison):
    dates = dict(list(eight().items())[:2])
    figures = (
        overlay_radar(comparison, "criterion"),
        overlay_radar(comparison, "theme"),
        compare_heatmap(comparison),
        change_chart(change_over_time(BANK, dates, n_boot=20)),
    )
    for figure in figures:
        html = pio.to_html(figure, include_plotlyjs=False, full_html=False)
        assert "<div" in html
        assert "http" not in html.split("<script")[0]


def test_a_family_not_compared_draws_a_message_and_a_bad_family_is_refused():
    only_criteria = {
        "A": answers({"p1a": [3]}, "a"),
        "B": answers({"p1a": [4]}, "b"),
    }
    c = compare(BANK, only_criteria, n_boot=10)
    figure = spec(overlay_radar(c, "theme"))
    assert figure["data"] == []
    assert "No essay themes were compared." in figure["layout"]["annotations"][0]["text"]
    with pytest.raises(ValueError, match="family"):
        overlay_radar(c, "strand")


@pytest.mark.parametrize(
    "make",
    [
        lambda: overlay_radar(compare(BANK, eight(), n_boot=10), "criterion"),
        lambda: compare_heatmap(compare(BANK, eight(), n_boot=10)),
        lambda: change_chart(change_over_time(BANK, dict(list(eight().items())[:2]), n_boot=10)),
    ],
)
def test_a_page_gets_the_figure_plotly_validates_in_the_tests(make, monkeypatch):
    validated = make().to_dict()  # validated: tests/conftest.py
    monkeypatch.setattr(plots, "VALIDATE", False)  # as on a page
    assert make().to_dict() == validated
