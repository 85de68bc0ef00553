"""Tables as people read them: missing text shown as an empty cell, numbers left as numbers.

Why: st.dataframe shows a missing value as the word "None"; blanking every
column with text would make numeric columns mixed, which the table widget
cannot send. One helper for every table on every page.
"""

from __future__ import annotations

import pandas as pd


def blank_missing(table: pd.DataFrame) -> pd.DataFrame:
    """Missing values in text columns become empty strings; numeric columns keep NaN."""
    out = table.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out
