"""Radar and heatmap figures: range, gaps not zeros, labels, palette, serialisation."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import plotly.io as pio
import pytest

from corpus.model import Corpus
from scoring import plots
from scoring.assessment.figures import radar, radar_table
from scoring.assessment.results import Results, build_results
from scoring.plots import OKABE_ITO, heatmap
from tests.unit.scoring.factories import from_mappings, make_bank

BANK = make_bank(
    {
        "P1": {"p1a": 1},
        "P2": {"p2a": 1},
        "P3": {"p3a": 1},
        "T1": {"t1a": 1, "t1e": 1},
        "T2": {"t2a": 1},
    }
)
BANK = replace(BANK, questions=tuple(replace(q, equity=q.id == "t1e") for q in BANK.questions))
# P2 has no score (don't know); P1 = 2, P3 = 4; T1 = 3 with reach 1; T2 = 5.
ANSWERS = from_mappings({"r1": {"p1a": 2, "p2a": "dk", "p3a": 4, "t1a": 3, "t1e": 1, "t2a": 5}})
PLANS = pd.DataFrame(
    [("r1", "P1", 4, True)], columns=["respondent_id", "dimension_id", "target", "priority"]
)


def results(plans: pd.DataFrame | None = PLANS) -> Results:
    return build_results(BANK, Corpus(()), ANSWERS, plans)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_radar_spans_levels_1_to_5_labelled_with_the_scale():
    polar = spec(radar(results(), "criterion"))["layout"]["polar"]["radialaxis"]
    assert polar["range"] == [1, 5]
    assert polar["tickvals"] == [1, 2, 3, 4, 5]
    assert polar["ticktext"] == [
        "1 Not yet",
        "2 Emerging",
        "3 Developing",
        "4 Embedded",
        "5 Leading",
    ]


def test_an_undefined_dimension_is_a_gap_not_a_zero():
    score, target = spec(radar(results(), "criterion"))["data"]
    # Axes P1, P2, P3, then P1 again to close the line; P2 has no score.
    assert score["r"] == [2.0, None, 4.0, 2.0]
    assert 0 not in score["r"]
    assert score["connectgaps"] is False
    assert "(no score)" in score["theta"][1]
    assert target["r"] == [4.0, None, None, 4.0]


def test_traces_differ_by_more_than_colour():
    data = spec(radar(results(), "theme"))["data"]
    assert [t["name"] for t in data] == ["Score (median)", "Reach (equity questions)"]
    score, reach = data
    assert score["r"] == [3.0, 5.0, 3.0]
    assert reach["r"] == [1.0, None, 1.0]
    assert (score["line"]["color"], reach["line"]["color"]) == (
        OKABE_ITO["blue"],
        OKABE_ITO["bluish_green"],
    )
    assert score["line"]["dash"] != reach["line"]["dash"]
    assert score["marker"]["symbol"] != reach["marker"]["symbol"]
    target = spec(radar(results(), "criterion"))["data"][1]
    assert (target["line"]["dash"], target["line"]["color"]) == ("dash", OKABE_ITO["vermillion"])


def test_radar_without_targets_has_one_trace_and_a_title():
    fig = spec(radar(results(None), "criterion"))
    assert [t["name"] for t in fig["data"]] == ["Score (median)"]
    title = fig["layout"]["title"]["text"]
    assert title == "Next-practice criteria: median scores (one respondent)"


def test_radar_of_a_family_not_asked_says_so():
    quick = build_results(BANK, Corpus(()), from_mappings({"r1": {"p1a": 3}}), None)
    fig = spec(radar(quick, "theme"))
    assert fig["data"] == []
    assert fig["layout"]["annotations"][0]["text"] == "No essay themes were asked."
    with pytest.raises(ValueError, match="family"):
        radar(quick, "strand")


def test_bank_text_is_escaped_for_plotly():
    criteria = (replace(BANK.criteria[0], name="<b>Bold</b> & brave"), *BANK.criteria[1:])
    bank = replace(BANK, criteria=criteria)
    fig = spec(radar(build_results(bank, Corpus(()), ANSWERS, None), "criterion"))
    assert fig["data"][0]["theta"][0] == "P1 &lt;b&gt;Bold&lt;/b&gt; &amp;<br>brave"


def test_radar_table_is_the_table_behind_the_chart():
    table = radar_table(results(), "criterion")
    assert list(table["ID"]) == ["P1", "P2", "P3"]
    assert list(table.columns) == ["ID", "Dimension", "Score", "Level", "n", "Target"]


@pytest.mark.parametrize(
    "make",
    [
        lambda r: radar(r, "criterion"),
        lambda r: radar(r, "theme"),
        lambda r: heatmap(r.heatmap, r.heatmap_cells),
    ],
)
def test_figures_serialise_for_the_app_and_the_reports(make):
    fig = make(results())
    assert json.loads(fig.to_json())["data"]
    snippet = pio.to_html(fig, include_plotlyjs=False, full_html=False)
    assert snippet.startswith("<div")
    assert "Plotly.newPlot" in snippet
    assert "<html" not in snippet
    assert len(snippet) < 100_000  # plotly.js itself (megabytes) is left out


@pytest.mark.parametrize(
    "make",
    [
        lambda: radar(results(), "criterion"),
        lambda: radar(results(None), "theme", reach=False),
        lambda: radar(
            build_results(BANK, Corpus(()), from_mappings({"r1": {"p1a": 3}}), None), "theme"
        ),
        lambda: heatmap(results().heatmap, results().heatmap_cells),
    ],
)
def test_a_page_gets_the_figure_plotly_validates_in_the_tests(make, monkeypatch):
    validated = make().to_dict()  # validated: tests/conftest.py
    monkeypatch.setattr(plots, "VALIDATE", False)  # as on a page
    assert make().to_dict() == validated
