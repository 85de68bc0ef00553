"""Results of one assessment: rows, headline, targets, reach, form, table; hand-computed."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from corpus.model import Corpus, Essay
from questions.instrument import load_instrument
from questions.model import Form
from scoring.assessment.priorities import rank_priorities
from scoring.assessment.results import (
    TABLE_COLUMNS,
    DimensionResult,
    build_results,
    reach_of,
    results_table,
)
from tests.unit.scoring.factories import from_mappings, make_bank

CORPUS = Corpus((Essay("intro", "Introduction", "Editor", 6, "s", ("k",), ("e",), (), ()),))
BANK = make_bank(
    {
        "P1": {"p1a": 1, "p1b": 1},
        "P2": {"p2a": 1, "p2b": 1},
        "P3": {"p3a": 1, "p3b": 1},
        "P4": {"p4a": 1, "p4b": 1},
        "T1": {"t1a": 1, "t1b": 1, "t1e": 1},
    }
)
# t1e asks whether the practice reaches the most deprived and least heard.
BANK = replace(BANK, questions=tuple(replace(q, equity=q.id == "t1e") for q in BANK.questions))

# One respondent: P1 = 2, P2 = 4, P3 = (1 + 3)/2 = 2, T1 = (3 + 4)/2 = 3.5 (t1e kept out),
# P4 = nothing (two don't knows: 0 answered of 2 applicable).
ONE = {
    "r1": {
        "p1a": 2,
        "p1b": 2,
        "p2a": 4,
        "p2b": 4,
        "p3a": 1,
        "p3b": 3,
        "p4a": "dk",
        "p4b": "dk",
        "t1a": 3,
        "t1b": 4,
        "t1e": 2,
    }
}


def plans(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["respondent_id", "dimension_id", "target", "priority"])


def test_rows_come_in_bank_order_with_the_engine_numbers():
    answers = from_mappings(ONE).iloc[::-1]  # answer order must not matter
    results = build_results(BANK, CORPUS, answers, None)
    assert [r.id for r in results.rows] == ["P1", "P2", "P3", "P4", "T1"]
    assert [r.score for r in results.rows] == [2.0, 4.0, 2.0, None, 3.5]
    assert [r.level for r in results.rows] == ["Emerging", "Embedded", "Emerging", None, "Embedded"]
    p4 = results.row("P4")
    assert (p4.n, p4.coverage, p4.dk_share, p4.dk_flag) == (0, 0.0, 1.0, True)
    assert (p4.questions, p4.answered, p4.applicable) == (2, 0, 2)
    t1 = results.row("T1")
    assert (t1.kind, t1.name, t1.questions, t1.answered) == ("theme", "Dimension T1", 2, 2)
    assert results.n_respondents == 1
    assert (results.bank_id, results.bank_version) == ("test", "1")


def test_headline_is_the_median_and_every_weakest_dimension():
    headline = build_results(BANK, CORPUS, from_mappings(ONE), None).headline
    # Defined scores 2, 4, 2, 3.5: median (2 + 3.5)/2 = 2.75, nearest level 3.
    assert headline.median == 2.75
    assert headline.level == "Developing"
    assert [r.id for r in headline.weakest] == ["P1", "P3"]  # tied at 2.0, bank order
    assert headline.weakest_score == 2.0
    assert (headline.defined, headline.asked) == (4, 5)


def test_group_statistics_targets_and_priority_from_several_respondents():
    answers = from_mappings(
        {
            "r1": {"p1a": 2, "p1b": 4},  # 3
            "r2": {"p1a": 4, "p1b": 4},  # 4
            "r3": {"p1a": "dk", "p1b": "dk"},  # no score
        }
    )
    planned = plans(
        ("r1", "P1", 4, True),
        ("r2", "P1", 5, False),
        ("r3", "P1", float("nan"), False),  # an empty plan: not counted
    )
    p1 = build_results(BANK, CORPUS, answers, planned).row("P1")
    assert (p1.score, p1.n, p1.q1, p1.q3) == (3.5, 2, 3.25, 3.75)
    assert p1.level == "Embedded"  # 3.5: halves round up
    assert p1.coverage == pytest.approx(4 / 6)
    assert p1.dk_share == pytest.approx(2 / 6)
    assert p1.dk_flag is True
    assert p1.target == 4.5  # median of 4 and 5
    assert p1.priority is True  # one of the two who planned it: at least half
    assert p1.gap == 1.0


def test_gap_is_zero_once_reached_and_blank_without_both_numbers():
    planned = plans(("r1", "P2", 3, False), ("r1", "P4", 5, True), ("r1", "P1", 3, False))
    results = build_results(BANK, CORPUS, from_mappings(ONE), planned)
    assert results.row("P2").gap == 0.0  # 4 against a target of 3
    assert results.row("P1").gap == 1.0
    assert results.row("P4").gap is None  # a target but no score
    assert results.row("P3").gap is None  # a score but no target
    assert results.row("P4").priority is True


def test_reach_sits_beside_the_theme_score_never_in_it():
    t1 = build_results(BANK, CORPUS, from_mappings(ONE), None).row("T1")
    assert t1.score == 3.5  # (3 + 4)/2 without t1e's 2
    assert t1.reach == 2.0
    assert t1.reach_level == "Emerging"
    assert t1.reach_gap == -1.5
    assert build_results(BANK, CORPUS, from_mappings(ONE), None).row("P1").reach is None


def test_reach_of_reads_a_reach_scores_frame():
    stub = pd.DataFrame({"dimension": ["T1", "T2"], "median": [2.5, float("nan")]})
    assert reach_of(stub, "T1") == 2.5
    assert reach_of(stub, "T2") is None
    assert reach_of(stub, "T9") is None


def test_form_is_the_smallest_bank_form_holding_every_dimension_asked():
    forms = (
        Form("full", "Full", ("P1", "P2", "P3", "P4", "T1")),
        Form("quick", "Quick", ("P1", "P2", "P3", "P4")),
    )
    bank = replace(BANK, forms=forms)
    quick = {"r1": {k: v for k, v in ONE["r1"].items() if k.startswith("p")}}
    assert build_results(bank, CORPUS, from_mappings(quick), None).form == "quick"
    assert build_results(bank, CORPUS, from_mappings(ONE), None).form == "full"
    assert build_results(bank, CORPUS, from_mappings(ONE), None, form="quick").form == "quick"
    assert build_results(BANK, CORPUS, from_mappings(ONE), None).form is None  # no forms


def test_results_table_is_readable_and_rounds_halves_up():
    answers = from_mappings({"r1": {"p1a": 2, "p1b": 2}, "r2": {"p1a": 2, "p1b": 3}})
    planned = plans(("r1", "P1", 4, True))
    table = results_table(build_results(BANK, CORPUS, answers, planned))
    assert tuple(table.columns) == TABLE_COLUMNS
    row = table.iloc[0].to_dict()
    # Scores 2 and 2.5: median 2.25 shows as 2.3; gap 4 - 2.25 = 1.75 shows as 1.8.
    assert row["ID"] == "P1"
    assert row["Dimension"] == "Dimension P1"
    assert row["Family"] == "Criterion"
    assert (row["Score"], row["Level"], row["n"]) == (2.3, "Emerging", 2)
    assert (row["Coverage %"], row["Don't know %"]) == (100.0, 0.0)
    assert (row["Target"], row["Gap"], row["Priority"]) == (4.0, 1.8, True)
    assert math.isnan(row["Reach"])


def test_no_answers_give_empty_results_not_an_error():
    empty = from_mappings({})
    results = build_results(BANK, CORPUS, empty, None)
    assert results.rows == ()
    assert results.headline.median is None
    assert results.priorities == ()
    assert results.heatmap.empty
    assert results_table(results).empty


def test_unknown_ids_are_refused():
    with pytest.raises(ValueError, match="not in the bank"):
        build_results(BANK, CORPUS, from_mappings({"r1": {"zz": 3}}), None)
    with pytest.raises(ValueError, match="not in the bank"):
        build_results(BANK, CORPUS, from_mappings(ONE), plans(("r1", "P9", 3, False)))


def test_dimension_results_are_frozen():
    row = build_results(BANK, CORPUS, from_mappings(ONE), None).rows[0]
    assert isinstance(row, DimensionResult)
    with pytest.raises(AttributeError):
        row.score = 5.0  # type: ignore[misc]


def test_the_shipped_bank_full_form_runs_every_dimension_and_essay_link():
    instrument = load_instrument()
    assert instrument.ok, [str(i) for i in instrument.issues]
    bank, corpus = instrument.bank, instrument.corpus
    assert bank is not None
    assert corpus is not None
    questions = bank.form_questions("full")
    answers = from_mappings({"r1": {q.id: i % 5 + 1 for i, q in enumerate(questions)}})
    first, second = bank.form("full").dimensions[:2]
    planned = plans(("r1", first, 5, True), ("r1", second, 5, False))
    results = build_results(bank, corpus, answers, planned)

    assert results.form == "full"
    assert [r.id for r in results.rows] == list(bank.form("full").dimensions)
    assert all(r.score is not None and r.level for r in results.rows)
    assert len(results.priorities) == 3
    assert results.priorities[0].dimension.id == first  # the largest weighted gap
    assert results.summary[0].startswith("These results rest on one respondent")
    themes = [t.id for t in bank.themes if t.id in bank.form("full").dimensions]
    assert list(results.heatmap.index) == themes
    rows = build_results(bank, corpus, answers, None).rows  # no targets: every row ranks
    everything = rank_priorities(rows, bank, corpus, limit=len(rows))
    assert {p.dimension.id for p in everything} == {r.id for r in results.rows}
    for priority in everything:
        assert priority.next_steps, priority.dimension.id
        assert priority.essays, priority.dimension.id
        assert all(link.reason.endswith(".") for link in priority.essays)
