"""Consensus rules: each one as its source states it, checked against plain Python."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from scoring.agreement import classify
from scoring.consensus import DEFAULT_RULE, RULES, rule_named, rule_sentence


def reference(ratings: list[int], dk: int, rule: str) -> str:
    """The class as a person would work it out, one rating at a time."""
    n = len(ratings)
    if n < 3 or dk / (n + dk) >= 0.3:
        return "insufficient"
    if sum(r <= 2 for r in ratings) >= n / 3 and sum(r >= 4 for r in ratings) >= n / 3:
        return "polarised"
    median = statistics.median(ratings)
    outside = sum(abs(r - median) > 1 for r in ratings)
    mean_distance = sum(abs(r - median) for r in ratings) / n
    q1, q3 = np.quantile(ratings, [0.25, 0.75])
    agreed = {
        "ladder": outside / n <= 0.25 and mean_distance <= 5 / 6 + 1e-12,
        "scirocco": outside < n / 3,
        "rand-ucla": outside <= _rand_table(n),
        "iqr": q3 - q1 <= 1 + 1e-12,
        "within-one": (n - outside) / n >= 0.75,
    }[rule]
    return "consensus" if agreed else "spread"


def _rand_table(n: int) -> int:
    """The published RAND/UCLA table (panels of 8 to 25), carried on in its steps."""
    table = {range(8, 11): 2, range(11, 14): 3, range(14, 17): 4, range(17, 20): 5}
    table |= {range(20, 23): 6, range(23, 26): 7}
    for panel, most in table.items():
        if n in panel:
            return most
    return (n - 2) // 3  # below 8 and above 25: the same steps of three


@pytest.mark.parametrize("rule", list(RULES))
def test_every_rule_classifies_as_worked_out_by_hand(rule: str) -> None:
    rng = np.random.default_rng(sum(map(ord, rule)))
    for _ in range(3000):
        n = int(rng.integers(1, 30))
        centre = int(rng.integers(1, 6))
        ratings = np.clip(centre + rng.integers(-2, 3, n) * rng.integers(0, 2, n), 1, 5)
        ratings = [int(r) for r in ratings]
        dk = int(rng.integers(0, 4))
        assert classify(ratings, dk, rule) == reference(ratings, dk, rule), (ratings, dk)


def test_the_rand_ucla_steps_are_the_published_table() -> None:
    for n in range(8, 26):
        tight = [3] * (n - _rand_table(n)) + [5] * _rand_table(n)
        loose = [3] * (n - _rand_table(n) - 1) + [5] * (_rand_table(n) + 1)
        assert classify(tight, rule="rand-ucla") == "consensus", n
        assert classify(loose, rule="rand-ucla") != "consensus", n


def test_scirocco_allows_three_of_twelve_outside_and_not_four() -> None:
    assert classify([3] * 9 + [5] * 3, rule="scirocco") == "consensus"
    assert classify([3] * 8 + [5] * 4, rule="scirocco") == "spread"


def test_the_rules_differ_where_their_sources_do() -> None:
    """One room, five readings: the choice of rule matters, which is why it is recorded."""
    ratings = [1, 3, 3, 3, 4, 5]  # two of six more than one level from the middle (3)
    assert {rule: classify(ratings, rule=rule) for rule in RULES} == {
        "ladder": "spread",  # a third outside: more than a quarter
        "scirocco": "spread",  # two is not fewer than a third of six
        "rand-ucla": "spread",  # six people: at most one outside
        "iqr": "consensus",  # the middle half runs from 3 to 3.75
        "within-one": "spread",  # four in six, not three in four
    }
    tight = [1, 2, 3, 3, 3, 3, 4, 5]  # two of eight outside, the middle half 2.75 to 3.25
    assert {classify(tight, rule=rule) for rule in RULES} == {"consensus"}


def test_the_default_rule_is_ladders_and_every_rule_says_what_it_does() -> None:
    assert DEFAULT_RULE == "ladder"
    assert next(iter(RULES)) == DEFAULT_RULE
    for rule in RULES.values():
        assert rule.title
        assert rule.words
        assert rule.source
        assert "rwg" not in rule.words
        assert "ad_md" not in rule.words


def test_an_unknown_rule_is_named_with_the_rules_there_are() -> None:
    assert rule_named(" IQR ").name == "iqr"
    for bad in ("delphi", "", None, 3):
        with pytest.raises(ValueError, match=r"there is no consensus rule.*ladder, scirocco"):
            rule_named(bad)
    with pytest.raises(ValueError, match="no consensus rule"):
        classify([3, 3, 3], rule="nope")


def test_the_method_pages_worked_example_parts_the_rules_as_it_says() -> None:
    """docs/method.md: four rules agree on its worked example, the middle half does not."""
    worked = [2, 3, 3, 3, 4, 4, 2, 5]
    classes = {rule: classify(worked, rule=rule) for rule in RULES}
    assert classes.pop("iqr") == "spread"  # the middle half runs from 2.75 to 4
    assert set(classes.values()) == {"consensus"}


def test_the_rule_is_said_in_one_plain_sentence() -> None:
    assert rule_sentence("within-one") == (
        "This workshop's rule for agreement is \u201cThree in four within one level\u201d: "
        "the room agrees on a question when at least three answers in four are within one "
        "level of the middle answer."
    )
    for name in RULES:
        said = rule_sentence(name)
        assert said.endswith(".")
        assert not said.endswith("..")
        for jargon in ("rwg", "ad_md", "q1", "q3", "n ="):
            assert jargon not in said
