"""The summary in words: what it names, how it writes numbers, and that it is deterministic."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from corpus.model import Corpus
from scoring.assessment.results import build_results
from tests.unit.scoring.factories import from_mappings, make_bank

CORPUS = Corpus(())


def ten(prefix: str, n: int) -> dict[str, float]:
    return {f"{prefix}{i}": 1.0 for i in range(n)}


# P1 has ten questions, P2 seven, P3 and P4 two; T1 two plus an equity question.
BANK = make_bank(
    {
        "P1": ten("p1_", 10),
        "P2": ten("p2_", 7),
        "P3": {"p3a": 1, "p3b": 1},
        "P4": {"p4a": 1, "p4b": 1},
        "T1": {"t1a": 1, "t1b": 1, "t1e": 1},
    }
)
BANK = replace(BANK, questions=tuple(replace(q, equity=q.id == "t1e") for q in BANK.questions))


def answers(**overrides: dict[str, object]) -> dict[str, object]:
    """One respondent. P1: 7 threes and 3 dk (dk 30 %); P2: 5 fours and 2 dk (dk 2/7 = 29 %);
    P3: 2 and 2; P4: dk and dk (no score); T1: 3 and 3, equity 2."""
    base: dict[str, object] = {f"p1_{i}": 3 if i < 7 else "dk" for i in range(10)}
    base |= {f"p2_{i}": 4 if i < 5 else "dk" for i in range(7)}
    base |= {"p3a": 2, "p3b": 2, "p4a": "dk", "p4b": "dk", "t1a": 3, "t1b": 3, "t1e": 2}
    return base | overrides


def summary(people: dict[str, dict[str, object]], plans: pd.DataFrame | None = None) -> str:
    return "\n".join(build_results(BANK, CORPUS, from_mappings(people), plans).summary)


def test_the_overview_says_how_many_respondents_and_the_median():
    text = summary({"r1": answers()})
    # Scores: P1 3, P2 4, P3 2, T1 3 (P4 none): median of 2, 3, 3, 4 is 3.
    assert text.splitlines()[0] == (
        "These results rest on one respondent: 4 of the 5 dimensions asked have a score, "
        "and their median is 3.0 (Developing)."
    )
    assert summary({"r1": answers(), "r2": answers()}).startswith(
        "These results rest on 2 respondents:"
    )


def test_strongest_and_weakest_are_named_with_ties():
    text = summary({"r1": answers(p3a=4, p3b=4, t1a=2, t1b=2)})
    # P2 4 and P3 4 tie for strongest; T1 2 is weakest.
    assert "Strongest: Dimension P2 (P2) and Dimension P3 (P3), both at 4.0 (Embedded)." in text
    assert "Weakest: Dimension T1 (T1) at 2.0 (Emerging)." in text


def test_dont_know_hot_spots_are_named_at_exactly_30_percent_not_29():
    text = summary({"r1": answers()})
    dk = next(s for s in text.splitlines() if s.startswith('"Don\'t know"'))
    assert "Dimension P1 (P1) at 30 %" in dk
    assert "P2" not in dk
    assert "29 %" not in text
    assert "Dimension P4 (P4) at 100 %" in dk


def test_a_dimension_without_a_score_is_explained():
    assert (
        "No score for Dimension P4 (P4): fewer than half of its questions were answered "
        "with a level." in summary({"r1": answers()})
    )
    two = summary({"r1": answers(), "r2": answers(p4a=3)})  # r2: 1 of 2 answered, scores
    assert "No score for" not in two
    many = summary({"r1": answers(), "r2": answers()})
    assert "No score for Dimension P4 (P4): no respondent answered at least half" in many
    na = summary({"r1": answers(p4a="na", p4b="na")})
    assert "No score for Dimension P4 (P4): its questions were marked not applicable." in na


def test_reach_a_level_or_more_below_the_theme_is_named():
    text = summary({"r1": answers()})  # T1 3.0, reach 2.0: exactly one level below
    assert (
        "On Dimension T1 (T1), reach (whether practice gets to the most deprived and least "
        "heard) scores 2.0 (Emerging), 1.0 level below the theme's 3.0." in text
    )
    assert "reach (" not in summary({"r1": answers(t1e=3)})  # level with the theme


def test_targets_gaps_and_priorities():
    assert "No targets have been set yet." in summary({"r1": answers()})
    plans = pd.DataFrame(
        [
            ("r1", "P1", 5, False),  # gap 2
            ("r1", "P3", 4, True),  # gap 2, bank order after P1
            ("r1", "T1", 4, False),  # gap 1
            ("r1", "P2", 3, False),  # reached
        ],
        columns=["respondent_id", "dimension_id", "target", "priority"],
    )
    text = summary({"r1": answers()}, plans)
    assert (
        "The biggest gaps to target: Dimension P1 (P1), 2.0 levels to 5; Dimension P3 (P3), "
        "2.0 levels to 4; Dimension T1 (T1), 1.0 level to 4." in text
    )
    assert "Marked a priority: Dimension P3 (P3)." in text
    reached = plans[plans["dimension_id"] == "P2"]
    assert "Every scored dimension with a target has reached it." in summary(
        {"r1": answers()}, reached
    )


def test_the_summary_is_deterministic():
    people = {"r2": answers(p3a=4), "r1": answers()}
    first = build_results(BANK, CORPUS, from_mappings(people), None).summary
    again = build_results(BANK, CORPUS, from_mappings(dict(reversed(people.items()))), None)
    assert first == again.summary


def test_every_scored_dimension_equal_and_only_one_scored():
    flat = {f"p1_{i}": 3 for i in range(10)} | {f"p2_{i}": 3 for i in range(7)}
    text = summary({"r1": flat})
    assert "Every scored dimension is at 3.0 (Developing)." in text
    single = summary({"r1": {"p3a": 2, "p3b": 3}})
    assert "Only Dimension P3 (P3) at 2.5 (Developing) has a score." in single
