"""Bootstrap intervals and verdicts, on hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.intervals import (
    LARGER,
    NO_ESTIMATE,
    NO_SCORE,
    TOO_FEW,
    WITHIN,
    Estimate,
    bootstrap_medians,
    cell_rng,
    difference,
    estimate,
    interval_text,
    noise_verdict,
    percentile_interval,
)


def test_a_constant_group_resamples_to_its_own_value():
    draws = bootstrap_medians(np.full(6, 3.0), 500, cell_rng(1, "a"))
    assert draws.shape == (500,)
    assert set(draws) == {3.0}


def test_two_scores_give_medians_of_1_2_and_3_in_the_ratio_1_2_1():
    # Resamples of (1, 3) of size 2: (1,1) -> 1, (1,3) and (3,1) -> 2, (3,3) -> 3.
    draws = bootstrap_medians(np.array([1.0, 3.0]), 20_000, cell_rng(7, "x"))
    assert set(draws) == {1.0, 2.0, 3.0}
    shares = [np.mean(draws == v) for v in (1.0, 2.0, 3.0)]
    assert shares == pytest.approx([0.25, 0.5, 0.25], abs=0.02)
    assert percentile_interval(draws) == (1.0, 3.0)


def test_the_same_seed_and_names_give_the_same_draws_and_others_do_not():
    scores = np.array([1.0, 2.0, 2.5, 3.0, 4.0, 5.0])
    first = bootstrap_medians(scores, 300, cell_rng(5, "North", "P1"))
    again = bootstrap_medians(scores, 300, cell_rng(5, "North", "P1"))
    np.testing.assert_array_equal(first, again)
    for rng in (cell_rng(6, "North", "P1"), cell_rng(5, "South", "P1"), cell_rng(5, "P1", "North")):
        assert not np.array_equal(first, bootstrap_medians(scores, 300, rng))


def test_many_respondents_are_resampled_in_chunks_with_the_right_count():
    scores = np.arange(5000, dtype=float) % 5 + 1
    draws = bootstrap_medians(scores, 1001, cell_rng(3, "big"))
    assert draws.shape == (1001,)
    assert set(np.unique(draws)) <= {2.5, 3.0, 3.5}


def test_percentile_interval_is_numpys_linear_2_5_and_97_5_percentiles():
    # 0, 1, ..., 100: the 2.5th percentile sits at position 2.5, the 97.5th at 97.5.
    assert percentile_interval(np.arange(101, dtype=float)) == pytest.approx((2.5, 97.5))


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [(0.5, 2.0, LARGER), (-2.0, -0.5, LARGER), (0.0, 1.0, WITHIN), (-1.0, 1.0, WITHIN)],
)
def test_a_difference_exceeds_the_noise_only_when_its_interval_leaves_out_zero(low, high, verdict):
    assert noise_verdict(low, high) == verdict


def test_interval_text_rounds_halves_up_and_blanks_stay_blank():
    assert interval_text(2.25, 3.5) == "2.3–3.5"
    assert interval_text(math.nan, 3.0) == ""


def test_an_estimate_has_an_interval_from_min_n_respondents():
    five = estimate(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 3.0, 5, 400, cell_rng(1, "five"))
    four = estimate(np.array([1.0, 2.0, 3.0, 4.0]), 2.5, 5, 400, cell_rng(1, "four"))
    assert five.n == 5
    assert five.draws is not None
    assert five.low <= 3.0 <= five.high
    assert four.n == 4
    assert four.draws is None
    assert math.isnan(four.low)
    assert math.isnan(four.high)


def test_difference_pairs_the_draws_and_gives_a_verdict():
    twos = Estimate(8, 2.0, 2.0, 2.0, np.full(10, 2.0))
    fours = Estimate(8, 4.0, 4.0, 4.0, np.full(10, 4.0))
    assert difference(twos, fours, 5) == (2.0, 2.0, 2.0, LARGER)
    spread = Estimate(8, 3.0, 2.0, 4.0, np.array([2.0, 3.0, 4.0, 3.0]))
    same = Estimate(8, 3.0, 2.0, 4.0, np.array([4.0, 3.0, 2.0, 3.0]))
    change, low, high, verdict = difference(spread, same, 5)
    assert change == 0.0
    assert low < 0 < high
    assert verdict == WITHIN


def test_difference_says_when_n_is_too_small_or_there_is_no_score():
    fours = Estimate(8, 4.0, 4.0, 4.0, np.full(10, 4.0))
    few = Estimate(4, 2.0)
    change, low, high, verdict = difference(few, fours, 5)
    assert (change, verdict) == (2.0, TOO_FEW)
    assert math.isnan(low)
    assert math.isnan(high)
    assert difference(NO_ESTIMATE, fours, 5)[3] == NO_SCORE
    assert difference(fours, Estimate(0, math.nan), 5)[3] == NO_SCORE


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least one score"):
        bootstrap_medians(np.array([]), 10, cell_rng(1))
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_medians(np.array([1.0]), 0, cell_rng(1))
    with pytest.raises(ValueError, match="seed"):
        cell_rng(-1, "a")
