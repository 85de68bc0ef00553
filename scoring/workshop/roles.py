"""How roles see it: each role's median per dimension, and where roles differ by a level.

Why: the gap between groups is often a workshop's most useful finding
(domain_anchors.md L9), and the riskiest for anonymity. Role medians come from
`scoring.engine.group_scores` by role; this module only decides which roles
may be shown (k people or more) and measures the gap between the shown ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.coding import first_rows
from scoring.engine import group_scores
from scoring.format import TIE_TOLERANCE

__all__ = [
    "GAP_COLUMNS",
    "NO_ROLE",
    "NO_ROLE_LABEL",
    "ROLE_COLUMNS",
    "role_column",
    "role_gaps",
    "role_medians",
    "role_order",
]

ROLE_COLUMNS: tuple[str, ...] = ("dimension", "role", "label", "n", "median")
GAP_COLUMNS: tuple[str, ...] = ("dimension", "name", "lowest", "highest", "gap", "gap_flag")
#: The role of a respondent whose rows carry none, and how it is named.
NO_ROLE = ""
NO_ROLE_LABEL = "Role not given"


def role_column(frame: pd.DataFrame) -> pd.Series:
    """Each row's role as stripped text ("" for none); one role per person (their first).

    Why numpy: a workshop has a handful of roles but thousands of rows, so the
    few distinct roles are cleaned once and each person's first row picks theirs.
    """
    if "role" not in frame.columns or frame.empty:
        return pd.Series(
            pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), [NO_ROLE]),
            index=frame.index,
        )
    person, _ = pd.factorize(frame["respondent_id"], use_na_sentinel=False)
    role, uniques = pd.factorize(frame["role"], use_na_sentinel=True)
    clean, names = pd.factorize(
        np.array([*(str(u).strip() for u in uniques), NO_ROLE], dtype=object), sort=True
    )
    first_row = first_rows(person)
    codes = clean[role[first_row][person]]
    categories = pd.Index(np.asarray(names, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, categories), index=frame.index)


def role_order(offered: Sequence[str], found: pd.Series) -> tuple[str, ...]:
    """Offered roles in their order, then any other found (sorted; no role last)."""
    order = list(dict.fromkeys(offered))
    extra = sorted(set(found) - set(order), key=lambda r: (r == NO_ROLE, r))
    return tuple(order + extra)


def role_medians(
    bank: Bank,
    frame: pd.DataFrame,
    dims: tuple[str, ...],
    shown: tuple[str, ...],
    labels: Mapping[str, str],
    k: int,
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Shown roles x workshop dimensions, from `group_scores` of ``frame`` by role (or
    ``scores``: those scores, worked out already)."""
    if not shown:
        return pd.DataFrame(columns=list(ROLE_COLUMNS))
    if scores is None:  # each role apart; the hidden are dropped below
        scores = group_scores(frame, bank, by=["role"])
    grid = pd.MultiIndex.from_product([dims, shown], names=["dimension", "role"])
    table = scores.set_index(["dimension", "role"])[["n", "median"]].reindex(grid).reset_index()
    table["n"] = table["n"].fillna(0).astype("int64")
    table["median"] = table["median"].astype(float).where(table["n"] >= k)
    table["label"] = table["role"].map(dict(labels))
    return table[list(ROLE_COLUMNS)]


def role_gaps(
    bank: Bank, medians: pd.DataFrame, dims: tuple[str, ...], shown: tuple[str, ...]
) -> pd.DataFrame:
    """Per dimension: the lowest and highest shown role median (first in role order on ties)."""
    values = np.full((len(dims), len(shown)), np.nan)
    if len(medians):
        values = (
            medians.pivot(index="dimension", columns="role", values="median")
            .reindex(index=list(dims), columns=list(shown))
            .to_numpy(dtype=float)
        )
    present = ~np.isnan(values)
    padded = np.column_stack([values, np.full(len(dims), np.nan)])  # never an empty row
    low = np.where(np.isnan(padded), np.inf, padded).argmin(axis=1)
    high = np.where(np.isnan(padded), -np.inf, padded).argmax(axis=1)
    rows_at = np.arange(len(dims))
    compared = present.sum(axis=1) >= 2
    gap = np.where(compared, padded[rows_at, high] - padded[rows_at, low], np.nan)
    roles = np.asarray([*shown, ""], dtype=object)
    table = pd.DataFrame(
        {
            "dimension": list(dims),
            "name": [bank.dimension(d).name for d in dims],
            "lowest": np.where(compared, roles[low], ""),
            "highest": np.where(compared, roles[high], ""),
            "gap": gap,
            "gap_flag": compared & (gap >= 1 - TIE_TOLERANCE),
        }
    )
    return table[list(GAP_COLUMNS)]
