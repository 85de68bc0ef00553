"""Order statistics of many small groups at once.

Why: a group score is the median (and quartiles) of a few hundred respondent
scores, for every group and dimension. Sorting once and indexing into the
sorted segments is far cheaper than a pandas groupby per statistic, and the
formulas below reproduce numpy's own `median` and linear `quantile` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class SegmentStats:
    """Statistics per segment (cell); NaN where a segment is empty."""

    n: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    q1: np.ndarray
    q3: np.ndarray
    min: np.ndarray
    max: np.ndarray


def segment_stats(keys: np.ndarray, values: np.ndarray, size: int) -> SegmentStats:
    """Describe `values` grouped by integer `keys` in ``range(size)``.

    Quartiles use linear interpolation between order statistics (numpy's
    default); the median of an even count is the mean of the middle two.
    """
    order = np.lexsort((values, keys))
    ordered = values[order].astype(np.float64)
    n = np.bincount(keys, minlength=size)
    start = np.cumsum(n) - n
    filled = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(keys, weights=values, minlength=size) / n
    return SegmentStats(
        n=n,
        median=_median(ordered, start, n, filled),
        mean=np.where(filled, mean, np.nan),
        q1=_quantile(ordered, start, n, filled, 0.25),
        q3=_quantile(ordered, start, n, filled, 0.75),
        min=_pick(ordered, start, filled),
        max=_pick(ordered, start + n - 1, filled),
    )


def _pick(ordered: np.ndarray, position: np.ndarray, filled: np.ndarray) -> np.ndarray:
    out = np.full(len(position), np.nan)
    out[filled] = ordered[position[filled]]
    return out


def _median(
    ordered: np.ndarray, start: np.ndarray, n: np.ndarray, filled: np.ndarray
) -> np.ndarray:
    low = _pick(ordered, start + (n - 1) // 2, filled)
    high = _pick(ordered, start + n // 2, filled)
    return (low + high) / 2


def _quantile(
    ordered: np.ndarray, start: np.ndarray, n: np.ndarray, filled: np.ndarray, q: float
) -> np.ndarray:
    """numpy's 'linear' method: lerp between order statistics at q x (n - 1)."""
    virtual = q * (n - 1)
    below = np.floor(virtual).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(n - 1, 0))
    t = virtual - below
    a = _pick(ordered, start + below, filled)
    b = _pick(ordered, start + above, filled)
    diff = b - a
    # numpy's _lerp computes from the nearer end so that t = 1 gives b exactly.
    return np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)
