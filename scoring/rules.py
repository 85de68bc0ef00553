"""The normative scoring rules, written once.

Why: design.md ("Scoring (normative)") is followed by the batch engine, the
single-respondent path, the agreement statistics and the answers reader. Each
rule lives here as a small function that works on plain integers *and* on
numpy arrays, so the vectorised and the plain-Python paths cannot drift apart.

Answers are coded as small integers: levels 1-5 keep their value, and the
three non-numeric answers get codes 0 (blank), 6 (dk) and 7 (na). A code
table of width ``N_CODES`` then gives every count with one ``np.bincount``.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import pandas as pd

from questions.model import Question, Scale

BLANK: Final = 0
DK: Final = 6
NA: Final = 7
N_CODES: Final = 8
LEVEL_MIN: Final = 1
LEVEL_MAX: Final = 5

#: Normalised answer text -> code. Excel writes whole numbers as "3.0" at times.
ANSWER_TEXT: Final[dict[str, int]] = {
    **{str(level): level for level in range(LEVEL_MIN, LEVEL_MAX + 1)},
    **{f"{level}.0": level for level in range(LEVEL_MIN, LEVEL_MAX + 1)},
    "dk": DK,
    "na": NA,
    "": BLANK,
}

#: Code -> canonical answer text, as the reader stores it.
CODE_TEXT: Final[dict[int, str]] = {
    **{level: str(level) for level in range(LEVEL_MIN, LEVEL_MAX + 1)},
    DK: "dk",
    NA: "na",
    BLANK: "",
}

#: Suffix of the hidden dimension that collects a theme's equity items. Why: the
#: design reports equity ("does this reach the most deprived and least heard?")
#: as a gap beside the theme score, never added into it, so equity items are
#: scored in a slot of their own, named "<theme id>:reach".
REACH_SUFFIX: Final = ":reach"

#: A dk share of 3/10 or more is flagged (kept as a fraction for exact tests).
DK_FLAG_SHARE: Final = (3, 10)

# Tiny nudge so that a half computed as 2.4999999999999996 still rounds up.
_HALF_EPSILON: Final = 1e-9


def scored_dimension(question: Question) -> str:
    """The dimension a question's answers are scored in: its own, or its theme's reach slot."""
    return f"{question.dimension}{REACH_SUFFIX}" if question.equity else question.dimension


def answer_code(value: Any) -> int:
    """Code one answer (1-5, "dk", "na", blank/None/NaN); raise ValueError otherwise.

    Why: answers reach us as CSV text, as ints from the survey widgets and as
    floats from spreadsheets; one function decides what counts as an answer.
    """
    if value is None or value is pd.NA:
        return BLANK
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{value!r} is not an answer")
    if isinstance(value, (int, np.integer)):
        if LEVEL_MIN <= value <= LEVEL_MAX:
            return int(value)
        raise ValueError(f"{value!r} is not an answer")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return BLANK
        if float(value).is_integer() and LEVEL_MIN <= value <= LEVEL_MAX:
            return int(value)
        raise ValueError(f"{value!r} is not an answer")
    if isinstance(value, str):
        code = ANSWER_TEXT.get(value.strip().lower())
        if code is not None:
            return code
    raise ValueError(f"{value!r} is not an answer")


def answer_codes(values: pd.Series | np.ndarray | list[Any]) -> np.ndarray:
    """Vectorised `answer_code`: one int8 code per value.

    Why: a million answers hold only a handful of distinct values, so we
    factorize once and code the few uniques in Python.
    """
    if isinstance(values, list):
        values = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.empty(len(uniques) + 1, dtype=np.int8)
    for i, unique in enumerate(uniques):
        lookup[i] = answer_code(unique)
    lookup[-1] = BLANK  # factorize's -1 sentinel (None, NaN) indexes the last slot
    return lookup[codes]


def is_numeric(code: Any) -> Any:
    """True for the five levels: dk, na and blank are never numeric."""
    return (code >= LEVEL_MIN) & (code <= LEVEL_MAX)


def is_defined(answered: Any, applicable: Any) -> Any:
    """The half rule: a score needs answered x 2 >= applicable and applicable > 0.

    Works on ints and on numpy arrays (element-wise).
    """
    return (applicable > 0) & (2 * answered >= applicable)


def coverage(numeric: Any, dk: Any) -> Any:
    """numeric / (numeric + dk); NaN when nothing was answered or marked dk."""
    denominator = np.asarray(numeric + dk, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(denominator > 0, np.asarray(numeric, float) / denominator, np.nan)
    return share if share.ndim else float(share)


def dk_share(numeric: Any, dk: Any) -> Any:
    """dk / (numeric + dk) - the complement of coverage; NaN when both are 0."""
    denominator = np.asarray(numeric + dk, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(denominator > 0, np.asarray(dk, float) / denominator, np.nan)
    return share if share.ndim else float(share)


def dk_flagged(numeric: Any, dk: Any) -> Any:
    """dk share >= 30 %, compared in integers so exactly 30 % is flagged."""
    top, bottom = DK_FLAG_SHARE
    return (numeric + dk > 0) & (bottom * dk >= top * (numeric + dk))


def nearest_level(score: float | None) -> int | None:
    """The nearest level 1-5, halves rounding up (2.5 -> 3); None for no score."""
    if score is None or math.isnan(score):
        return None
    level = math.floor(score + 0.5 + _HALF_EPSILON)
    return min(max(level, LEVEL_MIN), LEVEL_MAX)


def level_label(score: float | None, scale: Scale) -> str:
    """Label of the nearest level ("Developing" for 2.5); "" when there is no score."""
    level = nearest_level(score)
    return "" if level is None else scale.level_label(level)


def level_labels(scores: pd.Series, scale: Scale) -> pd.Series:
    """Vectorised `level_label` for a column of scores (blank stays blank)."""
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    levels = np.clip(np.floor(values + 0.5 + _HALF_EPSILON), LEVEL_MIN, LEVEL_MAX)
    labels = dict(scale.levels)
    text = [labels[int(v)] if not math.isnan(v) else "" for v in levels]
    return pd.Series(text, index=scores.index, dtype="str", name=scores.name)
