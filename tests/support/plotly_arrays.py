"""A figure's arrays as numbers: plotly sends a numpy array as base64 (``{"dtype": "f8",
"bdata": "..."}``), a list as a list; tests and benchmarks count and read either."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np


def array_of(value: Any) -> np.ndarray:
    """``value`` (a trace's ``x``, ``y``...) from a figure's JSON, as a numpy array."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return data.reshape([int(n) for n in str(shape).split(",")]) if shape else data
    return np.asarray(value)
