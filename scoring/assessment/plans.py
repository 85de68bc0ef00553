"""Respondents' plans (a target level and a priority flag per dimension), pooled.

Why: in a team or a workshop each person may set their own target and mark
their own priorities; the results need one target and one flag per dimension,
worked out the same way every time: the median target, and "a priority" when
at least half of those who planned the dimension marked it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.rules import LEVEL_MAX, LEVEL_MIN

__all__ = ["PLAN_COLUMNS", "plan_summary"]

#: Columns of a plans frame; ``target`` and ``priority`` may be left out.
PLAN_COLUMNS: tuple[str, ...] = ("respondent_id", "dimension_id", "target", "priority")

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


def plan_summary(plans: pd.DataFrame | None, bank: Bank) -> dict[str, tuple[float | None, bool]]:
    """{dimension id: (median target or None, priority)} for every dimension planned.

    A respondent *planned* a dimension when their row sets a target or marks
    it a priority (an empty row does not count). ``priority`` is True when at
    least half of those who planned it marked it.

    Raises:
        ValueError: a missing column, an unknown dimension, a target outside
            1-5, a priority that is not yes/no, or a respondent planning one
            dimension twice.
    """
    if plans is None or len(plans) == 0:
        return {}
    missing = [c for c in PLAN_COLUMNS[:2] if c not in plans.columns]
    if missing:
        raise ValueError(f"the plans have no column(s) {', '.join(map(repr, missing))}")
    repeated = plans.duplicated(subset=list(PLAN_COLUMNS[:2]))
    if repeated.any():
        row = plans[repeated].iloc[0]
        raise ValueError(
            f"respondent {row['respondent_id']!r} has two plans for {row['dimension_id']!r}"
        )
    known = {d.id for d in bank.dimensions}
    targets: dict[str, list[float]] = {}
    votes: dict[str, list[bool]] = {}
    for record in plans.to_dict("records"):
        dimension = str(record["dimension_id"])
        if dimension not in known:
            raise ValueError(f"the plans name dimension {dimension!r}, which is not in the bank")
        target = _target(record.get("target"))
        priority = _flag(record.get("priority"))
        if target is None and not priority:
            continue
        if target is not None:
            targets.setdefault(dimension, []).append(target)
        votes.setdefault(dimension, []).append(priority)
    order = [d.id for d in bank.dimensions if d.id in votes]
    return {
        d: (
            float(np.median(targets[d])) if d in targets else None,
            2 * sum(votes[d]) >= len(votes[d]),
        )
        for d in order
    }


def _target(value: Any) -> float | None:
    """A target level 1-5 (a whole number), or None for blank."""
    if value is None or value is pd.NA or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"target {value!r} is not a level; please use 1-5 or blank") from None
    if math.isnan(number):
        return None
    if not (number.is_integer() and LEVEL_MIN <= number <= LEVEL_MAX):
        raise ValueError(f"target {value!r} is not a level; please use 1-5 or blank")
    return number


def _flag(value: Any) -> bool:
    """A priority flag: bool, 0/1, yes/no text; blank is False."""
    if value is None or value is pd.NA:
        return False
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return False
        if value in (0.0, 1.0):
            return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"priority {value!r} is not yes or no")
