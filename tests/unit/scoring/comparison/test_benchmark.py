"""Many areas at once: each area's median per dimension, their spread, one area and its
group marked; a group of fewer than five areas withheld; escaped text; 500 areas at most."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scoring.comparison.benchmark import (
    MAX_AREAS,
    area_medians,
    benchmark,
    benchmark_figure,
)
from scoring.engine import group_scores
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1}})
HOSTILE = "Ashby <script>alert(1)</script>"


def areas(levels: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """Three people per area answering p1a, p2a and t1a at the given levels (t1a: 0 = none)."""
    rows = []
    for area, (p1, p2, t1) in levels.items():
        answers = frame(
            (f"r{i}", q, v)
            for i in range(3)
            for q, v in (("p1a", p1), ("p2a", p2 + (i == 0)), ("t1a", t1))
            if v
        )
        rows.append(answers.assign(area=area))
    return pd.concat(rows, ignore_index=True)


SIX = {f"Area {i}": (1 + i % 5, 2, 3 if i < 5 else 0) for i in range(6)} | {HOSTILE: (5, 4, 2)}


def test_each_areas_median_is_the_engines_and_the_spread_is_their_quartiles():
    answers = areas(SIX)
    medians = area_medians(answers, BANK)
    assert list(medians.columns) == ["P1", "P2", "T1"]
    assert len(medians) == 7
    for area in ("Area 2", HOSTILE):
        own = answers[answers["area"] == area].drop(columns="area")
        expected = group_scores(own, BANK).set_index("dimension")["median"]
        assert medians.loc[area].dropna().to_dict() == expected.to_dict()
    b = benchmark(medians, BANK)
    spread = b.spread.set_index("dimension")
    p1 = medians["P1"].to_numpy()
    assert spread.at["P1", "n_areas"] == 7
    assert spread.at["P1", "q1"] == np.percentile(p1, 25)
    assert spread.at["P1", "median"] == np.percentile(p1, 50)
    assert (spread.at["P1", "min"], spread.at["P1", "max"]) == (1.0, 5.0)
    assert spread.at["T1", "n_areas"] == 6  # Area 5 was not asked T1


def test_the_group_median_is_shown_from_five_areas_with_a_score_and_withheld_below():
    medians = area_medians(areas(SIX), BANK)
    five = [f"Area {i}" for i in range(5)]
    b = benchmark(medians, BANK, chosen="Area 1", group=five, group_name="Neighbours")
    assert b.group_median is not None
    assert b.group_median["P1"] == 3.0  # medians 1, 2, 3, 4, 5
    four = benchmark(medians, BANK, chosen="Area 1", group=five[:4])
    assert four.group_median is None
    # Five members, but one never asked T1: T1 rests on four, and is blank.
    mixed = benchmark(medians, BANK, group=[*five[1:], "Area 5"])
    assert mixed.group_median is not None
    assert np.isnan(mixed.group_median["T1"])
    assert benchmark(medians, BANK, group=["Nowhere"] * 9).group_median is None
    with pytest.raises(ValueError, match="not one of the areas"):
        benchmark(medians, BANK, chosen="Nowhere")


def test_the_figure_marks_the_area_and_group_over_every_areas_dot_escaped():
    medians = area_medians(areas(SIX), BANK)
    five = [f"Area {i}" for i in range(5)]
    b = benchmark(medians, BANK, chosen=HOSTILE, group=five, group_name="Near <b>us</b>")
    drawn = benchmark_figure(b)
    figure = json.loads(drawn.to_json())
    box, _, chosen, group = figure["data"]
    assert box["type"] == "box"
    assert box["q1"] == b.spread["q1"].tolist()
    assert len(drawn.data[1].x) == int(medians.notna().sum().sum())  # every area, every row
    rows = np.round(np.asarray(drawn.data[1].y))
    assert set(rows) == {0, 1, 2}
    assert chosen["name"] == "Ashby &lt;script&gt;alert(1)&lt;/script&gt;"
    assert chosen["x"] == [5.0, 4.0, 2.0]
    assert group["name"].startswith("Near &lt;b&gt;us&lt;/b&gt;: median of 5 areas")
    assert "<script>" not in json.dumps(figure)
    axis = figure["layout"]["yaxis"]
    assert axis["ticktext"][0] == "P1 " + BANK.dimension("P1").name
    assert axis["range"] == [2.5, -0.5]  # the first dimension on top


def test_more_than_500_areas_are_refused_and_an_empty_view_says_so():
    many = pd.DataFrame(
        {
            "respondent_id": ["r"] * (MAX_AREAS + 1),
            "question_id": ["p1a"] * (MAX_AREAS + 1),
            "answer": ["3"] * (MAX_AREAS + 1),
            "area": [f"A{i}" for i in range(MAX_AREAS + 1)],
        }
    )
    with pytest.raises(ValueError, match="at most 500"):
        area_medians(many, BANK)
    with pytest.raises(ValueError, match="no 'area' column"):
        area_medians(many.drop(columns="area"), BANK)
    empty = benchmark(area_medians(many.iloc[:0], BANK), BANK)
    assert empty.dimensions == ()
    assert "No area has a score yet." in benchmark_figure(empty).to_json()
