"""Bootstrap intervals for a group score, and whether a difference exceeds the noise.

Why: comparing areas or dates invites reading every half-level gap as real.
A group score is the median of its respondents' scores, so its uncertainty is
estimated the way domain_anchors.md §3.6 recommends: resample the respondents
with replacement, recompute the median, and take the middle 95 % of those
medians (a percentile bootstrap). A difference between two assessments is
judged the same way: each draw resamples both assessments independently, and
the difference of the two draws' medians is collected; if the middle 95 % of
those differences excludes 0, the difference is larger than the noise.

Every draw comes from a generator seeded by the comparison's seed *and* the
names of the assessment and the dimension (`cell_rng`), so an interval is the
same whatever else is compared beside it, on every run.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from scoring.format import TIE_TOLERANCE, fmt_score

__all__ = [
    "CONFIDENCE",
    "LARGER",
    "NO_ESTIMATE",
    "NO_INTERVAL",
    "NO_SCORE",
    "TOO_FEW",
    "VERDICTS",
    "WITHIN",
    "Estimate",
    "bootstrap_medians",
    "cell_rng",
    "difference",
    "estimate",
    "interval_text",
    "noise_verdict",
    "percentile_interval",
]

#: The share of the bootstrap distribution an interval spans.
CONFIDENCE = 0.95
#: Verdicts on one difference, as people read them.
LARGER = "larger than the noise"
WITHIN = "within the noise"
TOO_FEW = "n too small to tell"
NO_SCORE = "no score to compare"
#: A table's interval cell where nobody has a score (n = 0).
NO_INTERVAL = "no score"
VERDICTS: tuple[str, ...] = (LARGER, WITHIN, TOO_FEW, NO_SCORE)

#: Resampled values held in memory at once (draws x respondents), ~16 MB of floats.
_CHUNK_CELLS = 2_000_000


def cell_rng(seed: int, *keys: str) -> np.random.Generator:
    """A generator for one cell, from the seed and the cell's names (stable across runs)."""
    if seed < 0:
        raise ValueError(f"the seed must be a whole number of 0 or more, not {seed}")
    return np.random.default_rng([seed, *(zlib.crc32(k.encode("utf-8")) for k in keys)])


def bootstrap_medians(scores: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """`n_boot` medians of resamples (with replacement, same size) of `scores`.

    Vectorised: each chunk of draws is one integer matrix of respondent
    indices and one ``np.median`` along its rows.
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.size == 0:
        raise ValueError("a bootstrap needs at least one score")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, not {n_boot}")
    per_chunk = max(1, _CHUNK_CELLS // values.size)
    out = np.empty(n_boot, dtype=np.float64)
    for start in range(0, n_boot, per_chunk):
        stop = min(start + per_chunk, n_boot)
        draws = rng.integers(0, values.size, size=(stop - start, values.size))
        out[start:stop] = np.median(values[draws], axis=1)
    return out


def percentile_interval(draws: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The middle `confidence` share of `draws` (numpy's linear percentiles)."""
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(np.asarray(draws, dtype=np.float64), [tail, 100 - tail])
    return float(low), float(high)


def noise_verdict(low: float, high: float) -> str:
    """`LARGER` when the interval of a difference excludes 0, else `WITHIN`."""
    return LARGER if low > TIE_TOLERANCE or high < -TIE_TOLERANCE else WITHIN


def interval_text(low: float, high: float) -> str:
    """ "2.5–3.5" (one decimal, halves up); a blank end gives ""."""
    if np.isnan(low) or np.isnan(high):
        return ""
    return f"{fmt_score(low)}–{fmt_score(high)}"


@dataclass(frozen=True, slots=True, eq=False)
class Estimate:
    """One assessment's score on one dimension: n, the median, its interval, and the
    bootstrap medians behind the interval (None, and no interval, when n < min_n)."""

    n: int
    median: float
    low: float = math.nan
    high: float = math.nan
    draws: np.ndarray | None = None


#: A dimension an assessment did not ask.
NO_ESTIMATE = Estimate(0, math.nan)


def estimate(
    scores: np.ndarray, median: float, min_n: int, n_boot: int, rng: np.random.Generator
) -> Estimate:
    """The estimate of a group score from its respondents' `scores` (its `median`
    given by the engine); an interval only when there are `min_n` or more."""
    n = len(scores)
    if n < max(min_n, 1):
        return Estimate(n, median)
    draws = bootstrap_medians(scores, n_boot, rng)
    low, high = percentile_interval(draws)
    return Estimate(n, median, low, high, draws)


def difference(before: Estimate, after: Estimate, min_n: int) -> tuple[float, float, float, str]:
    """after - before: (difference, low, high, verdict).

    The interval pairs the two assessments' draws: draw i of each is an
    independent resample of its own respondents, so ``after.draws -
    before.draws`` is a bootstrap of the difference.
    """
    change = after.median - before.median
    if math.isnan(before.median) or math.isnan(after.median):
        return change, math.nan, math.nan, NO_SCORE
    if before.draws is None or after.draws is None or min(before.n, after.n) < min_n:
        return change, math.nan, math.nan, TOO_FEW
    low, high = percentile_interval(after.draws - before.draws)
    return change, low, high, noise_verdict(low, high)
