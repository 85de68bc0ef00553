"""How far a group agrees on each item and dimension (design.md "Agreement (normative)").

Why: a median alone hides a split room. Every statistic here comes from the
five level counts of an item, so the batch path (one `bincount` for all
groups and items) and the single-item path (`item_stats`, `classify`) share
one function, `_from_counts`, and the class boundaries are decided in exact
integer arithmetic - 0.25, 5/6 and 0.3 are never lost to rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.coding import Coded, coded_once, is_reach, with_groups
from scoring.consensus import DEFAULT_RULE, Counts, rule_named
from scoring.rules import DK, LEVEL_MAX, LEVEL_MIN, N_CODES, answer_code, is_numeric

CLASSES: tuple[str, ...] = ("insufficient", "polarised", "consensus", "spread")
ITEM_AGREEMENT_COLUMNS: tuple[str, ...] = (
    "question_id",
    "n",
    "dk",
    "median",
    "ad_md",
    "rwg",
    "outside_core",
    "class",
)
DIMENSION_AGREEMENT_COLUMNS: tuple[str, ...] = ("dimension", "rwg_star", "ad_md_mean", "items")

_LEVELS = np.arange(LEVEL_MIN, LEVEL_MAX + 1, dtype=np.int64)
_SIGMA2_UNIFORM = 2.0  # (A^2 - 1) / 12 for A = 5 levels


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Agreement on one item in one group; None where a statistic is blank."""

    n: int
    dk: int
    median: float | None
    ad_md: float | None
    rwg: float | None
    outside_core: float | None
    variance: float | None
    agreement_class: str


def item_stats(ratings: Sequence[Any], dk: int = 0, rule: str = DEFAULT_RULE) -> ItemAgreement:
    """Agreement statistics of one item's numeric ratings (1-5) plus a dk count; ``rule``
    names the consensus rule (`scoring.consensus.RULES`)."""
    codes = [answer_code(r) for r in ratings]
    if not all(is_numeric(c) for c in codes):
        raise ValueError("ratings must be levels 1-5; count dk separately")
    level_counts = np.bincount(
        np.asarray(codes, dtype=np.int64) - LEVEL_MIN, minlength=len(_LEVELS)
    )[None, :]
    stats = _from_counts(level_counts, np.array([dk]), rule)

    def blank_or(name: str) -> float | None:
        value = float(stats[name][0])
        return None if np.isnan(value) else value

    return ItemAgreement(
        n=len(codes),
        dk=dk,
        median=blank_or("median"),
        ad_md=blank_or("ad_md"),
        rwg=blank_or("rwg"),
        outside_core=blank_or("outside_core"),
        variance=blank_or("variance"),
        agreement_class=str(stats["class"][0]),
    )


def classify(ratings: Sequence[Any], dk: int = 0, rule: str = DEFAULT_RULE) -> str:
    """The agreement class of one item: insufficient, polarised, consensus or spread."""
    return item_stats(ratings, dk, rule).agreement_class


def item_agreement(
    answers: pd.DataFrame,
    bank: Bank,
    by: Sequence[str] = (),
    *,
    coded: Coded | None = None,
    rule: str = DEFAULT_RULE,
) -> pd.DataFrame:
    """One row per (group, question asked in it), columns ``by`` + `ITEM_AGREEMENT_COLUMNS`.

    Rows sort by group, then bank order of questions. Blank statistics are NaN.
    ``coded``: the answers already coded (`scoring.coding.prepare` with the same bank
    and ``by``), so several consumers of one frame code it once. ``rule``: the consensus
    rule that decides ``class`` (`scoring.consensus.RULES`; ValueError for another name).
    """
    coded = coded_once(answers, bank, by, coded)
    cells, group, question, stats = _item_cells(coded, rule)
    columns = {
        "question_id": np.asarray(coded.questions, dtype=object)[question],
        **{name: stats[name][cells] for name in ITEM_AGREEMENT_COLUMNS[1:]},
    }
    return with_groups(coded, group, columns)


def dimension_agreement(
    answers: pd.DataFrame, bank: Bank, by: Sequence[str] = (), *, coded: Coded | None = None
) -> pd.DataFrame:
    """One row per (group, dimension asked in it), columns ``by`` + `DIMENSION_AGREEMENT_COLUMNS`.

    ``rwg_star`` = 1 - mean item variance / 2 (Lindell's r*wg(J), may be
    negative) and ``ad_md_mean`` = mean item ad_md, both over the dimension's
    items with at least two ratings; ``items`` counts those items. Both are
    NaN when ``items`` is 0. ``coded``: as `item_agreement`.
    """
    coded = coded_once(answers, bank, by, coded)
    cells, group, question, stats = _item_cells(coded)
    n_dims = len(coded.dimensions)
    size = coded.n_groups * n_dims
    group_dim = group * n_dims + coded.question_dimension[question]
    used = stats["n"][cells] >= 2
    items = np.bincount(group_dim[used], minlength=size)
    variance = np.bincount(group_dim[used], weights=stats["variance"][cells][used], minlength=size)
    ad_md = np.bincount(group_dim[used], weights=stats["ad_md"][cells][used], minlength=size)
    present = np.unique(group_dim)
    with np.errstate(invalid="ignore", divide="ignore"):
        columns = {
            "dimension": np.asarray(coded.dimensions, dtype=object)[present % n_dims],
            "rwg_star": 1 - variance[present] / items[present] / _SIGMA2_UNIFORM,
            "ad_md_mean": ad_md[present] / items[present],
            "items": items[present],
        }
    frame = with_groups(coded, present // n_dims, columns)
    return frame[~is_reach(frame["dimension"])].reset_index(drop=True)


def _item_cells(
    coded: Coded, rule: str = DEFAULT_RULE
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Level counts per (group, question) cell and their statistics."""
    n_questions = len(coded.questions)
    size = coded.n_groups * n_questions
    cell = coded.row_group * n_questions + coded.question
    counts = np.bincount(cell * N_CODES + coded.answer, minlength=size * N_CODES)
    counts = counts.reshape(size, N_CODES)
    cells = np.flatnonzero(counts.sum(axis=1) > 0)
    stats = _from_counts(counts[:, LEVEL_MIN : LEVEL_MAX + 1], counts[:, DK], rule)
    group, question = np.divmod(cells, n_questions)
    return cells, group, question, stats


def _from_counts(
    level_counts: np.ndarray, dk: np.ndarray, rule: str = DEFAULT_RULE
) -> dict[str, np.ndarray]:
    """All item statistics from level counts (rows x 5) and dk counts (rows); ``rule``
    decides consensus (`scoring.consensus`), the other classes are the same for every rule.

    Why: medians of levels are half-integers, so twice the median, twice the
    absolute deviations and the outside-core count are exact integers, and
    each class boundary is an integer comparison.
    """
    n = level_counts.sum(axis=1)
    cumulative = level_counts.cumsum(axis=1)

    def level_at(position: np.ndarray) -> np.ndarray:  # the sorted ratings, indexed
        return LEVEL_MIN + (cumulative <= position[:, None]).sum(axis=1)

    twice_median = level_at((n - 1) // 2) + level_at(n // 2)
    distance2 = np.abs(2 * _LEVELS[None, :] - twice_median[:, None])  # 2 x |x - median|
    abs_dev2 = (level_counts * distance2).sum(axis=1)
    outside = (level_counts * (distance2 > 2)).sum(axis=1)
    total = (level_counts * _LEVELS).sum(axis=1)
    squares = (level_counts * _LEVELS**2).sum(axis=1)
    has = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(n >= 2, (n * squares - total**2) / (n * (n - 1.0)), np.nan)
        stats = {
            "n": n,
            "dk": dk,
            "median": np.where(has, twice_median / 2, np.nan),
            "ad_md": np.where(has, abs_dev2 / (2.0 * n), np.nan),
            "rwg": np.where(n >= 2, np.maximum(0.0, 1 - variance / _SIGMA2_UNIFORM), np.nan),
            "outside_core": np.where(has, outside / n, np.nan),
            "variance": variance,
        }
    low = level_counts[:, :2].sum(axis=1)  # ratings <= 2
    high = level_counts[:, 3:].sum(axis=1)  # ratings >= 4
    consensus = rule_named(rule).test(Counts(level_counts, n, outside, abs_dev2))
    conditions = [
        (n < 3) | (10 * dk >= 3 * (n + dk)),
        (3 * low >= n) & (3 * high >= n),
        consensus,
    ]
    stats["class"] = np.select(conditions, CLASSES[:3], default=CLASSES[3])
    return stats
