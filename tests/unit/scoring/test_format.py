"""scoring.format: numbers and lists in words, the same everywhere."""

from __future__ import annotations

import pytest

from scoring.format import fmt_level_gap, fmt_percent, fmt_score, fmt_target, join, respondents


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.25, "2.3"), (2.35, "2.4"), (3, "3.0"), (10 / 3, "3.3"), (1.75, "1.8"), (0.05, "0.1")],
)
def test_scores_have_one_decimal_and_halves_round_up(value, text):
    assert fmt_score(value) == text


def test_small_formatters():
    assert (fmt_target(4.0), fmt_target(3.5)) == ("4", "3.5")
    assert (fmt_level_gap(1.0), fmt_level_gap(1.5), fmt_level_gap(0.96)) == (
        "1.0 level",
        "1.5 levels",
        "1.0 level",
    )
    assert (fmt_percent(0.3), fmt_percent(2 / 7), fmt_percent(0.125)) == ("30 %", "29 %", "13 %")
    assert (respondents(1), respondents(2)) == ("one respondent", "2 respondents")
    assert (join([]), join(["a"]), join(["a", "b"]), join(["a", "b", "c"])) == (
        "",
        "a",
        "a and b",
        "a, b and c",
    )
