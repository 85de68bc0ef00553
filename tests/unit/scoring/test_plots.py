"""scoring.plots: the shared drawing helpers (heatmap, radar axes and lines, labels)."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from corpus.model import Corpus
from scoring import plots
from scoring.assessment.results import Results, build_results
from scoring.plots import heatmap
from tests.unit.scoring.factories import SCALE, from_mappings, make_bank

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


def test_heatmap_prints_every_cell_and_dashes_the_blanks():
    built = results()
    names = {d.id: d.name for d in BANK.dimensions}
    fig = spec(heatmap(built.heatmap, built.heatmap_cells, names, SCALE))
    (trace,) = fig["data"]
    assert trace["type"] == "heatmap"
    assert (trace["zmin"], trace["zmax"]) == (1, 5)
    assert trace["y"] == ["T1", "T2"]
    assert trace["x"] == ["P1", "P2", "P3"]
    # make_bank tags every theme item P1; t1e (equity) is left out of the heatmap.
    assert trace["z"] == [[3.0, None, None], [5.0, None, None]]
    assert trace["text"] == [["3.0", "–", "–"], ["5.0", "–", "–"]]
    assert trace["texttemplate"] == "%{text}"
    assert trace["customdata"][0][1] == "Dimension T1 (T1) × P2<br>No question"
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # bank order, top down
    assert trace["colorbar"]["ticktext"][0] == "1 Not yet"
    colours = [step[1].lower() for step in trace["colorscale"]]
    assert (colours[0], colours[-1]) == ("#00224e", "#fee838")  # cividis: dark blue to yellow


def test_heatmap_hover_says_not_answered_when_a_question_went_unanswered():
    answers = from_mappings({"r1": {"t1a": "dk", "t2a": 4}})
    built = build_results(BANK, Corpus(()), answers, None)
    fig = spec(heatmap(built.heatmap, built.heatmap_cells))
    assert fig["data"][0]["customdata"][0][0] == "T1 (T1) × P1<br>Not answered"


def test_empty_heatmap_says_so():
    quick = build_results(BANK, Corpus(()), from_mappings({"r1": {"p1a": 3}}), None)
    fig = spec(heatmap(quick.heatmap))
    assert fig["data"] == []
    assert "No theme was asked" in fig["layout"]["annotations"][0]["text"]


def test_axis_labels_wrap_the_whole_name_and_say_when_there_is_no_score():
    name = "Learning from the path already walked by others"
    label = plots.axis_label("P5", name, False)
    assert label.count("<br>") >= 2
    assert label.replace("<br>", " ") == f"P5 {name}"  # every word kept, none cut
    assert "…" not in label
    assert plots.axis_label("P1", "Ambition", True) == "P1 Ambition<br>(no score)"


def test_value_text_names_the_level_or_says_no_score():
    assert plots.value_text(None, SCALE) == "no score"
    assert plots.value_text(3.0, SCALE).startswith("3.0 (")


def test_polar_axes_run_from_level_1_to_5_with_the_scale_labels():
    axes = plots.polar_axes(SCALE, 6)
    assert axes["radialaxis"]["range"] == [1, 5]
    assert axes["radialaxis"]["ticktext"][0] == "1 Not yet"
    assert axes["angularaxis"]["direction"] == "clockwise"


def test_a_polar_line_is_closed_and_leaves_gaps():
    line = plots.polar_line("Score", ["a", "b", "c"], [1.0, None, 3.0], [["x", "y"]] * 3,
                            "#000000", "circle", "solid")  # fmt: skip
    assert line["type"] == "scatterpolar"
    assert line["theta"] == ["a", "b", "c", "a"]
    assert line["r"] == [1.0, None, 3.0, 1.0]
    assert line["connectgaps"] is False


def test_the_tests_validate_every_figure_so_a_misspelt_property_fails():
    assert plots.VALIDATE  # tests/conftest.py
    with pytest.raises(ValueError, match="connectgap"):
        plots.figure([{"type": "scatterpolar", "connectgap": False}], plots.layout("t", 300))
    with pytest.raises(ValueError, match="titel"):
        plots.figure([], {**plots.layout("t", 300), "titel": "x"})


def test_pages_skip_validation_and_get_the_same_figure(monkeypatch):
    def spec() -> tuple[list[dict], dict]:
        data, layout = plots.heatmap_spec(results().heatmap, scale=SCALE)
        polar = plots.polar_line("Score", ["a", "b"], [1.0, None], [["x", "y"]] * 2,
                                 "#000000", "circle", "dash")  # fmt: skip
        return [*data, polar], {**layout, "polar": plots.polar_axes(SCALE, 2)}

    validated = plots.figure(*spec()).to_dict()
    monkeypatch.setattr(plots, "VALIDATE", False)
    assert plots.figure(*spec()).to_dict() == validated
    # unvalidated, a misspelt property is not caught: that is what the tests are for
    assert plots.figure([{"type": "scatterpolar", "connectgap": False}], {}).data


def test_radar_axes_are_stored_as_plotly_would_store_them(monkeypatch):
    # plotly keeps an angle in [-180, 180): 90 + 180 / 1 is -90 and 90 + 180 / 2 is -180
    monkeypatch.setattr(plots, "VALIDATE", True)
    for n in (1, 2, 3, 7):
        validated = plots.figure([], {"polar": plots.polar_axes(SCALE, n)}).to_dict()
        assert validated["layout"]["polar"] == plots.polar_axes(SCALE, n)


def test_merge_updates_nested_dicts_as_update_layout_does_and_replaces_the_rest():
    base = {"title": {"text": "A", "x": 0.02}, "margin": {"t": 80}, "tickvals": [1, 2], "h": 1}
    merged = plots.merge(base, {"title": {"text": "B"}, "tickvals": [3], "h": {"x": 1}})
    assert merged is base
    assert merged == {"title": {"text": "B", "x": 0.02}, "margin": {"t": 80}, "tickvals": [3],
                      "h": {"x": 1}}  # fmt: skip
    fig = plots.figure([], plots.layout("A", 300))
    fig.update_layout(title={"text": "B"}, margin={"t": 90})
    spec = plots.merge(plots.layout("A", 300), {"title": {"text": "B"}, "margin": {"t": 90}})
    assert fig.to_dict()["layout"] == spec


def test_each_layout_is_its_own_so_merging_into_one_leaves_the_next_alone():
    first = plots.layout("A", 300)
    plots.merge(first, {"font": {"size": 40}, "template": {"layout": {"font": {"color": "red"}}}})
    second = plots.layout("A", 300)
    assert second["font"]["size"] == 13
    assert second["template"]["layout"]["font"] == {"color": "#2a3f5f"}


def test_wrapping_keeps_every_word_whole():
    label = plots.wrapped("P2 User- and practitioner-generated", 18)
    assert "practitioner-generated" in label.split("<br>")
    assert label.replace("<br>", " ") == "P2 User- and practitioner-generated"
