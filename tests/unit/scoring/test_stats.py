"""Segment statistics agree with numpy's median, linear quantiles, mean, min and max."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.stats import segment_stats

VALUES = st.floats(1, 5, allow_nan=False)


@settings(deadline=None)  # timing is the benchmark's job, not the tests'
@given(st.lists(st.tuples(st.integers(0, 4), VALUES), max_size=40))
def test_segments_match_numpy(pairs):
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    values = np.array([v for _, v in pairs], dtype=np.float64)
    stats = segment_stats(keys, values, size=5)
    for key in range(5):
        chunk = values[keys == key]
        assert stats.n[key] == len(chunk)
        if len(chunk) == 0:
            assert all(
                math.isnan(getattr(stats, name)[key])
                for name in ("median", "mean", "q1", "q3", "min", "max")
            )
            continue
        assert stats.median[key] == np.median(chunk)
        assert stats.q1[key] == np.quantile(chunk, 0.25)
        assert stats.q3[key] == np.quantile(chunk, 0.75)
        assert (stats.min[key], stats.max[key]) == (chunk.min(), chunk.max())
        assert math.isclose(stats.mean[key], chunk.mean(), rel_tol=1e-12)


def test_empty_input():
    stats = segment_stats(np.array([], np.int64), np.array([]), size=2)
    assert stats.n.tolist() == [0, 0]
    assert np.isnan(stats.median).all()
