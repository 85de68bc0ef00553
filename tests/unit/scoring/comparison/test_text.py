"""The comparison in words: exact sentences for hand-built tables (messages people read)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scoring.comparison.results import (
    DIFFERENCE_COLUMNS,
    OVER_TIME_COLUMNS,
    STEP_COLUMNS,
    TABLE_COLUMNS,
)
from scoring.comparison.text import (
    change_sentences,
    comparison_sentences,
    dimension_title,
    largest_differences,
    move_text,
)
from scoring.intervals import LARGER, NO_SCORE, TOO_FEW, WITHIN

NAN = math.nan


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (2.0, 3.0, "up 1.0 level (2.0 to 3.0)"),
        (3.5, 3.0, "down 0.5 levels (3.5 to 3.0)"),
        (3.0, 3.0, "unchanged at 3.0"),
        (2.25, 3.0, "up 0.8 levels (2.3 to 3.0)"),
    ],
)
def test_move_text(before, after, text):
    assert move_text(before, after) == text


def test_dimension_title():
    assert dimension_title("Risk for reward", "P4") == "Risk for reward (P4)"


def table(rows):
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def differences(rows):
    return pd.DataFrame(rows, columns=list(DIFFERENCE_COLUMNS))


def test_comparison_sentences_name_every_verdict_in_order():
    t = table(
        [
            ("A", "P1", "Risk", "criterion", 8, 2.0, 1.5, 2.5, "1.5–2.5"),
            ("A", "P2", "Users", "criterion", 8, 3.0, 2.0, 4.0, "2.0–4.0"),
            ("A", "T1", "Budgets", "theme", 8, 3.0, 3.0, 3.0, "3.0–3.0"),
            ("B", "P1", "Risk", "criterion", 6, 3.5, 3.0, 4.0, "3.0–4.0"),
            ("B", "P2", "Users", "criterion", 6, 3.0, 2.0, 4.0, "2.0–4.0"),
            ("B", "T1", "Budgets", "theme", 3, 4.0, NAN, NAN, TOO_FEW),
            ("C", "P1", "Risk", "criterion", 0, NAN, NAN, NAN, "no score"),
        ]
    )
    d = differences(
        [
            ("B", "A", "P1", "Risk", "criterion", 8, 2.0, 6, 3.5, 1.5, 0.5, 2.0, LARGER),
            ("B", "A", "P2", "Users", "criterion", 8, 3.0, 6, 3.0, 0.0, -1.0, 1.0, WITHIN),
            ("B", "A", "T1", "Budgets", "theme", 8, 3.0, 3, 4.0, 1.0, NAN, NAN, TOO_FEW),
            ("C", "A", "P1", "Risk", "criterion", 8, 2.0, 0, NAN, NAN, NAN, NAN, NO_SCORE),
            ("C", "A", "P2", "Users", "criterion", 8, 3.0, 0, NAN, NAN, NAN, NAN, NO_SCORE),
            ("C", "A", "T1", "Budgets", "theme", 8, 3.0, 0, NAN, NAN, NAN, NAN, NO_SCORE),
        ]
    )
    sentences = comparison_sentences(["A", "B", "C"], "A", {"A": 8, "B": 6, "C": 1}, t, d, 5)
    assert sentences == (
        "Compared: A (the reference, 8 respondents), B (6 respondents) and C (one respondent).",
        "Larger than the noise, B against A: Risk (P1) 3.5 against 2.0 (1.5 levels higher).",
        "The difference on the one other dimension where both have 5 or more respondents "
        "with a score is within the noise.",
        "n too small to tell between B and A on Budgets (T1): fewer than 5 respondents with a "
        "score in one or both.",
        "No score to compare between C and A on Risk (P1), Users (P2) and Budgets (T1): at "
        "least one of them has no score there.",
        "No interval for B on Budgets (T1), n = 3: fewer than 5 respondents with a score, so n "
        "is too small to tell.",
        "C has no score on Risk (P1).",
    )


def test_an_assessment_without_answers_and_all_too_small_are_said_plainly():
    t = table([("A", "P1", "Risk", "criterion", 2, 3.0, NAN, NAN, TOO_FEW)])
    d = differences(
        [("B", "A", "P1", "Risk", "criterion", 2, 3.0, 0, NAN, NAN, NAN, NAN, NO_SCORE)]
    )
    sentences = comparison_sentences(["A", "B"], "A", {"A": 2, "B": 0}, t, d, 5)
    assert sentences[-2:] == (
        "No interval for A on any dimension: fewer than 5 respondents with a score, so n is "
        "too small to tell.",
        "B has no answers, so it has no scores.",
    )


def steps(rows):
    return pd.DataFrame(rows, columns=list(STEP_COLUMNS))


def test_change_sentences_say_what_moved_and_by_how_much():
    change = pd.DataFrame(
        [
            ("P1", "Risk", "criterion", 8, 2.0, 8, 3.5, 1.5, 1.0, 2.0, LARGER),
            ("P2", "Users", "criterion", 8, 3.0, 8, 2.5, -0.5, -1.0, 0.5, WITHIN),
            ("T1", "Budgets", "theme", 8, 3.0, 8, 3.0, 0.0, 0.0, 0.0, WITHIN),
            ("T2", "Schools", "theme", 3, 2.0, 8, 4.0, 2.0, NAN, NAN, TOO_FEW),
            ("T3", "Health", "theme", 0, NAN, 8, 4.0, NAN, NAN, NAN, NO_SCORE),
        ],
        columns=list(OVER_TIME_COLUMNS),
    )
    s = steps(
        [
            ("2024", "2025", "P1", "Risk", "criterion", 8, 2.0, 8, 3.0, 1.0, 0.5, 1.5, LARGER),
            ("2025", "2026", "P1", "Risk", "criterion", 8, 3.0, 8, 3.5, 0.5, -0.5, 1.0, WITHIN),
        ]
    )
    assert change_sentences(["2024", "2025", "2026"], change, s, 5) == (
        "Moved by more than the noise from 2024 to 2026: Risk (P1) up 1.5 levels (2.0 to 3.5).",
        "Within the noise: Users (P2) down 0.5 levels (3.0 to 2.5); Budgets (T1) unchanged at 3.0.",
        "n too small to tell (fewer than 5 respondents with a score at 2024 or at 2026): "
        "Schools (T2) up 2.0 levels (2.0 to 4.0).",
        "No score to compare on Health (T3): it was not scored at 2024 or at 2026.",
        "From 2024 to 2025, beyond the noise: Risk (P1) up 1.0 level (2.0 to 3.0).",
        "From 2025 to 2026, nothing moved by more than the noise.",
    )


def test_nothing_beyond_the_noise_is_said_first():
    change = pd.DataFrame(
        [("P1", "Risk", "criterion", 8, 2.0, 8, 2.5, 0.5, -0.5, 1.0, WITHIN)],
        columns=list(OVER_TIME_COLUMNS),
    )
    assert change_sentences(["Then", "Now"], change, steps([]), 5) == (
        "Nothing moved by more than the noise from Then to Now.",
        "Within the noise: Risk (P1) up 0.5 levels (2.0 to 2.5).",
    )


def test_the_largest_differences_beyond_the_noise_come_first_three_at_most():
    d = differences(
        [
            ("B", "A", "P1", "Risk", "criterion", 8, 2.0, 6, 3.5, 1.5, 0.5, 2.0, LARGER),
            ("B", "A", "P2", "Users", "criterion", 8, 3.0, 6, 3.0, 0.0, -1.0, 1.0, WITHIN),
            ("C", "A", "P1", "Risk", "criterion", 8, 2.0, 7, 1.0, -1.0, -1.5, -0.5, LARGER),
            ("C", "A", "P2", "Users", "criterion", 8, 3.0, 7, 5.0, 2.0, 1.0, 3.0, LARGER),
            ("C", "A", "T1", "Budgets", "theme", 8, 3.0, 7, 4.0, 1.0, 0.5, 1.5, LARGER),
            ("C", "A", "T2", "Health", "theme", 8, 3.0, 7, 9.0, 6.0, -1.0, 9.0, WITHIN),
        ]
    )
    assert largest_differences("A", d, 5) == (
        "C is 2.0 levels higher than A on Users (P2): 5.0 against 3.0, beyond the noise.",
        "B is 1.5 levels higher than A on Risk (P1): 3.5 against 2.0, beyond the noise.",
        "C is 1.0 level lower than A on Risk (P1): 1.0 against 2.0, beyond the noise.",
    )
    within = d[d["verdict"] == WITHIN]
    assert largest_differences("A", within, 5) == (
        "No difference from A is larger than the noise.",
    )
    few = within.assign(verdict=TOO_FEW)
    assert largest_differences("A", few, 5) == (
        "No difference from A can be told from the noise: every comparison needs 5 or more "
        "respondents with a score on both sides.",
    )
