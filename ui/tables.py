"""Tables as people read them: plain headings, scores to one decimal, blanks for missing.

Why: the frames the scoring code returns keep the names analysts export
(``n_reference``, ``agreed_label``) and every decimal; st.dataframe would show
those names, "None" for a missing value and 3.6667 for a median. The tables of
scores (results, workshop dashboard, compare) go through `show`: it picks and
orders the columns (`Column`), gives them headings people read, rounds numbers
half up as the sentences do (2.25 -> 2.3), writes missing text and flags as ""
or "Yes", and tells the table widget to leave a missing number blank. Numbers
stay numbers, so a column still sorts and aligns as numbers. Downloads never
come through here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from scoring.format import round_half_up

__all__ = ["Column", "column_config", "readable", "show"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column as people read it.

    ``source`` is the frame's column, ``heading`` what the table calls it.
    A column of decimals is rounded to ``decimals`` places (1 for scores, 0
    for counts and percentages); whole numbers and text are left as they are.
    ``help`` is shown when the pointer rests on the heading; ``width``
    ("small", "medium", "large" or pixels) gives a column of prose its room.
    """

    source: str
    heading: str
    decimals: int = 1
    help: str | None = None
    width: str | int | None = None


def readable(table: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """`columns` of `table`, in that order, under their headings, with their cells made readable.

    Decimals are rounded half up (``decimals`` 0 gives nullable whole numbers);
    flags read "Yes" or ""; text is ``str`` with "" for missing. Missing numbers
    stay missing (NaN or <NA>): `show` draws them blank.

    Raises:
        KeyError: a source column the table does not have.
        ValueError: two columns with one heading.
    """
    headings = [c.heading for c in columns]
    if len(set(headings)) != len(headings):
        raise ValueError(f"each column needs its own heading, not {headings}")
    missing = [c.source for c in columns if c.source not in table.columns]
    if missing:
        raise KeyError(f"the table has no column {missing[0]!r}")
    out = pd.DataFrame(index=range(len(table)))
    for c in columns:
        out[c.heading] = _cells(table[c.source].reset_index(drop=True), c.decimals)
    return out


def column_config(table: pd.DataFrame, columns: Sequence[Column]) -> dict[str, Any]:
    """How the table widget shows each column of ``readable(...)``: scores with their
    decimals (2 shows as "2.0" beside "2.3"), each heading's help, and widths."""
    config: dict[str, Any] = {}
    for c in columns:
        if pd.api.types.is_float_dtype(table[c.heading]):
            number = f"%.{c.decimals}f"
            config[c.heading] = st.column_config.NumberColumn(
                help=c.help, width=c.width, format=number
            )
        elif c.help or c.width:
            config[c.heading] = st.column_config.Column(help=c.help, width=c.width)
    return config


def show(table: pd.DataFrame, columns: Sequence[Column], **options: Any) -> None:
    """Draw `table` for people (see `readable`); missing cells are blank, never "None"."""
    show_readable(readable(table, columns), columns, **options)


def show_readable(view: pd.DataFrame, columns: Sequence[Column], **options: Any) -> None:
    """Draw a table `readable` has already made (a page that keeps it between reruns)."""
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        placeholder="",
        column_config=column_config(view, columns),
        **options,
    )


def _cells(values: pd.Series, decimals: int) -> pd.Series:
    if pd.api.types.is_integer_dtype(values):
        return values
    if pd.api.types.is_float_dtype(values):
        rounded = [math.nan if pd.isna(v) else float(round_half_up(v, decimals)) for v in values]
        column = pd.Series(rounded, dtype="float64")
        return column.astype("Int64") if decimals == 0 else column
    return pd.Series([_text(v) for v in values], dtype=object)


def _text(value: object) -> str:
    """A cell as text: missing is "", a flag is "Yes" or ""."""
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else ""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value)
