"""Theme x criterion heatmap: pooled medians, blanks told apart, equity left out."""

from __future__ import annotations

import math
from dataclasses import replace

from questions.model import Bank
from scoring.assessment.theme_criteria import HEATMAP_CELL_COLUMNS, heatmap_cells, heatmap_frame
from tests.unit.scoring.factories import from_mappings, make_bank

TAGS = {"t1a": "P1", "t1b": "P1", "t1c": "P2", "t1e": "P3", "t2a": "P2", "t3a": "P1"}


def bank() -> Bank:
    """T1: two P1 items, one P2 item and an equity item tagged P3; T2 and T3 one item each."""
    base = make_bank(
        {
            "P1": {"p1a": 1},
            "P2": {"p2a": 1},
            "P3": {"p3a": 1},
            "T1": {"t1a": 1, "t1b": 1, "t1c": 1, "t1e": 1},
            "T2": {"t2a": 1},
            "T3": {"t3a": 1},
        }
    )
    questions = tuple(
        replace(q, criterion=TAGS.get(q.id, q.criterion), equity=q.id == "t1e")
        for q in base.questions
    )
    return replace(base, questions=questions)


ANSWERS = from_mappings(
    {
        "r1": {"p1a": 5, "t1a": 2, "t1b": 4, "t1c": "dk", "t1e": 1, "t2a": 5},
        "r2": {"p1a": 5, "t1a": 3, "t1b": "na", "t1c": "dk", "t1e": 1, "t2a": 4},
    }
)


def test_cells_are_pooled_medians_of_the_numeric_answers():
    frame = heatmap_frame(bank(), ANSWERS)
    assert list(frame.index) == ["T1", "T2"]  # themes asked, bank order (T3 was not asked)
    assert list(frame.columns) == ["P1", "P2", "P3"]
    assert (frame.index.name, frame.columns.name) == ("theme", "criterion")
    assert frame.at["T1", "P1"] == 3.0  # median of 2, 4, 3 (the na is not a level)
    assert frame.at["T2", "P2"] == 4.5  # median of 5 and 4
    assert math.isnan(frame.at["T1", "P2"])  # asked, only don't knows
    assert math.isnan(frame.at["T1", "P3"])  # only the equity item: left out
    assert math.isnan(frame.at["T2", "P1"])  # no question


def test_the_long_form_tells_no_question_from_not_answered():
    cells = heatmap_cells(bank(), ANSWERS)
    assert tuple(cells.columns) == HEATMAP_CELL_COLUMNS
    assert len(cells) == 2 * 3
    by_cell = {(r.theme, r.criterion): (r.items, r.answers) for r in cells.itertuples()}
    assert by_cell[("T1", "P1")] == (2, 3)
    assert by_cell[("T1", "P2")] == (1, 0)  # not answered
    assert by_cell[("T1", "P3")] == (0, 0)  # no question (the equity item does not count)
    assert by_cell[("T2", "P2")] == (1, 2)


def test_no_theme_asked_gives_an_empty_frame_with_the_criteria():
    frame = heatmap_frame(bank(), from_mappings({"r1": {"p1a": 3}}))
    assert frame.empty
    assert list(frame.columns) == ["P1", "P2", "P3"]
