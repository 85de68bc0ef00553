"""Where the room sat on each question (scoring.workshop.bands): only questions k or more
gave a level; the band widened to whole levels; said in words a phone can show."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.workshop.bands import Band, band_parts, band_words, item_bands, own_words


def answers(**levels: list[str]) -> pd.DataFrame:
    rows = [(q, a) for q, given in levels.items() for a in given]
    return pd.DataFrame(rows, columns=["question_id", "answer"])


def test_bands_rest_on_levels_only_and_need_k_people() -> None:
    bands = item_bands(answers(a=["1", "2", "2", "4", "dk", "5", "na"], b=["3", "3", "dk"]), 3)
    assert bands == {"a": Band(n=5, low=2, middle=2.0, high=4)}  # b: two levels, under k
    assert item_bands(answers(a=["dk", "na", "dk"]), 3) == {}
    assert item_bands(answers(), 3) == {}


@pytest.mark.parametrize("seed", range(20))
def test_the_band_holds_numpys_quartiles_widened_to_whole_levels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    given = [str(v) for v in rng.integers(1, 6, size=int(rng.integers(3, 30)))]
    band = item_bands(answers(q=given), 3)["q"]
    values = np.array(given, dtype=float)
    q1, q3 = np.quantile(values, [0.25, 0.75])
    assert band.low <= q1 <= band.high
    assert band.low <= q3 <= band.high
    assert band.high - band.low <= q3 - q1 + 2  # widened by less than a level at each end
    assert band.middle == np.median(values)
    assert band.n == len(given)


def test_words_and_parts() -> None:
    assert band_words(Band(5, 2, 3.0, 4)) == "Most of the room was at levels 2 to 4."
    assert band_words(Band(5, 3, 3.0, 3)) == "Most of the room was at level 3."
    assert "Too few people" in band_words(None)
    assert band_parts(Band(5, 2, 3.0, 4)) == ((1,), (2, 3, 4), (5,))
    assert band_parts(Band(5, 1, 1.0, 5)) == ((), (1, 2, 3, 4, 5), ())
    labels = {"3": "3 · Developing", "dk": "Don't know"}
    assert own_words({"a": "3"}, "a", labels) == "Last round you said: 3 · Developing."
    assert own_words({"a": "dk"}, "a", labels) == "Last round you said: Don't know."
    assert own_words({}, "a", labels) == ""
