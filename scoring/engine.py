"""Respondent and group dimension scores (design.md "Scoring (normative)").

Why: the same rules score one submission (plain Python, microseconds) and a
million answers (numpy, a few `bincount` calls). Both paths call the rule
helpers in `scoring.rules`, and a property test checks they agree.

Pipeline for the batch path: `prepare` (coding, in `scoring.coding`) ->
`tally` (the arithmetic) -> `respondent_frame` / `group_frame` (tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.coding import Coded, coded_once, is_reach, prepare, with_groups
from scoring.rules import (
    DK,
    LEVEL_MAX,
    LEVEL_MIN,
    N_CODES,
    NA,
    REACH_SUFFIX,
    answer_code,
    coverage,
    dk_flagged,
    dk_share,
    is_defined,
    is_numeric,
    level_label,
    level_labels,
)
from scoring.stats import segment_stats

__all__ = [
    "GROUP_COLUMNS",
    "RESPONDENT_COLUMNS",
    "RespondentScore",
    "Tally",
    "group_frame",
    "group_scores",
    "level_label",
    "level_labels",
    "reach_scores",
    "regrouped_scores",
    "respondent_frame",
    "respondent_scores",
    "score_respondent",
    "tally",
]

RESPONDENT_COLUMNS: tuple[str, ...] = (
    "respondent_id",
    "dimension",
    "score",
    "answered",
    "applicable",
    "dk",
)
GROUP_COLUMNS: tuple[str, ...] = (
    "dimension",
    "n",
    "median",
    "mean",
    "q1",
    "q3",
    "min",
    "max",
    "coverage",
    "dk_share",
    "dk_flag",
)


@dataclass(frozen=True, slots=True)
class RespondentScore:
    """One respondent's score on one dimension; ``score`` is None when undefined."""

    dimension: str
    score: float | None
    answered: int
    applicable: int
    dk: int


@dataclass(frozen=True, slots=True)
class Tally:
    """Per cell (unit x dimension, row-major) counts and the respondent score.

    ``score`` is NaN where the half rule leaves it undefined; ``asked`` is 0 for
    dimensions the respondent never saw.
    """

    n_dimensions: int
    asked: np.ndarray
    answered: np.ndarray
    applicable: np.ndarray
    dk: np.ndarray
    score: np.ndarray


def tally(coded: Coded) -> Tally:
    """The arithmetic: weighted sums and answer counts per (unit, dimension).

    Why: three `np.bincount` calls over integer cell codes do all the work;
    everything else is element-wise on the (much smaller) cell arrays.
    """
    n_dims = len(coded.dimensions)
    size = coded.n_units * n_dims
    cell = coded.unit * n_dims + coded.question_dimension[coded.question]
    counts = np.bincount(cell * N_CODES + coded.answer, minlength=size * N_CODES)
    counts = counts.reshape(size, N_CODES)
    weight = coded.question_weight[coded.question] * is_numeric(coded.answer)
    weight_sum = np.bincount(cell, weights=weight, minlength=size)
    weighted_sum = np.bincount(cell, weights=weight * coded.answer, minlength=size)
    asked = counts.sum(axis=1)
    answered = counts[:, LEVEL_MIN : LEVEL_MAX + 1].sum(axis=1)
    applicable = asked - counts[:, NA]
    defined = is_defined(answered, applicable) & (weight_sum > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(defined, weighted_sum / weight_sum, np.nan)
    return Tally(n_dims, asked, answered, applicable, counts[:, DK], score)


def respondent_scores(answers: pd.DataFrame, bank: Bank, by: Sequence[str] = ()) -> pd.DataFrame:
    """One row per (group, respondent, dimension asked): the respondent's score.

    Columns: the ``by`` columns, then `RESPONDENT_COLUMNS`; ``score`` is NaN
    when undefined. Rows sort by group, respondent id, then bank order.
    """
    coded = prepare(answers, bank, by)
    return _bank_rows(respondent_frame(coded, tally(coded)))


def group_scores(
    answers: pd.DataFrame,
    bank: Bank,
    by: Sequence[str] = (),
    *,
    coded: Coded | None = None,
    tallied: Tally | None = None,
) -> pd.DataFrame:
    """One row per (group, dimension asked in it): the group's score and spread.

    Columns: the ``by`` columns, then `GROUP_COLUMNS`. ``median`` is the group
    score; statistics of an empty set (n = 0) are NaN, as is ``coverage``
    when nobody answered or said dk. ``coded``: the answers already coded
    (`scoring.coding.prepare` with the same bank and ``by``), not coded again;
    ``tallied``: with ``coded``, its `tally`, not summed again.
    """
    coded = coded_once(answers, bank, by, coded)
    return _bank_rows(group_frame(coded, tallied if tallied is not None else tally(coded)))


def regrouped_scores(
    coded: Coded, tallied: Tally, unit_group: np.ndarray, groups: Sequence[str], column: str
) -> pd.DataFrame:
    """`group_scores` of the same units put in other groups, from their `tally` as it is.

    Why: a workshop scores the room, then each role's view of the same people; each
    person's scores are the same in both, so the roles need only be grouped again, not
    coded and summed again.

    Args:
        coded, tallied: the answers as coded and tallied once.
        unit_group: for each unit of ``coded``, its new group (an index into ``groups``),
            or -1 for a unit in none (left out).
        groups: the new groups' names; ``column`` holds them in the result, in place of
            ``coded``'s ``by`` columns.

    Raises:
        ValueError: ``unit_group`` is not one group (or -1) per unit.
    """
    unit_group = np.asarray(unit_group, dtype=np.int64)
    if len(unit_group) != coded.n_units or (
        len(unit_group) and not (unit_group.min() >= -1 and unit_group.max() < len(groups))
    ):
        raise ValueError("unit_group must give each unit a group of groups, or -1")
    keep = unit_group >= 0
    cells = np.repeat(keep, tallied.n_dimensions)
    kept = Tally(
        tallied.n_dimensions,
        *(getattr(tallied, a)[cells] for a in ("asked", "answered", "applicable", "dk", "score")),
    )
    group, columns = _group_columns(unit_group[keep], len(groups), kept, coded.dimensions)
    names = np.asarray(list(groups), dtype=object)
    return _bank_rows(pd.DataFrame({column: names[group], **columns}))


def reach_scores(answers: pd.DataFrame, bank: Bank, by: Sequence[str] = ()) -> pd.DataFrame:
    """Like `group_scores`, from the equity items only: one row per (group, theme) asked.

    Why: equity is a gap shown beside a theme's score, never part of it, so
    it is scored on its own under the same rules (``dimension`` = theme id).
    """
    coded = prepare(answers, bank, by)
    frame = group_frame(coded, tally(coded))
    frame = frame[is_reach(frame["dimension"])].reset_index(drop=True)
    frame["dimension"] = frame["dimension"].str.removesuffix(REACH_SUFFIX)
    return frame


def _bank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the hidden reach slots: equity items never count in a dimension's score."""
    reach = is_reach(frame["dimension"])
    return frame[~reach].reset_index(drop=True) if reach.any() else frame


def respondent_frame(coded: Coded, tallied: Tally) -> pd.DataFrame:
    """Tabulate a `Tally` per respondent (see `respondent_scores`)."""
    cells = np.flatnonzero(tallied.asked > 0)
    unit, dim = np.divmod(cells, tallied.n_dimensions)
    columns = {
        "respondent_id": coded.unit_respondent[unit],
        "dimension": np.asarray(coded.dimensions, dtype=object)[dim],
        "score": tallied.score[cells],
        "answered": tallied.answered[cells],
        "applicable": tallied.applicable[cells],
        "dk": tallied.dk[cells],
    }
    return with_groups(coded, coded.unit_group[unit], columns)


def group_frame(coded: Coded, tallied: Tally) -> pd.DataFrame:
    """Tabulate a `Tally` per group and dimension (see `group_scores`)."""
    group, columns = _group_columns(coded.unit_group, coded.n_groups, tallied, coded.dimensions)
    return with_groups(coded, group, columns)


def _group_columns(
    unit_group: np.ndarray, n_groups: int, tallied: Tally, dimensions: tuple[str, ...]
) -> tuple[np.ndarray, dict[str, Any]]:
    """Each (group, dimension) cell asked: its group code and `GROUP_COLUMNS`."""
    n_dims = tallied.n_dimensions
    size = n_groups * n_dims
    group_cell = np.repeat(unit_group, n_dims) * n_dims + np.tile(
        np.arange(n_dims), len(unit_group)
    )
    asked = np.bincount(group_cell, weights=tallied.asked, minlength=size)
    numeric = np.bincount(group_cell, weights=tallied.answered, minlength=size).astype(np.int64)
    dk = np.bincount(group_cell, weights=tallied.dk, minlength=size).astype(np.int64)
    defined = ~np.isnan(tallied.score)
    stats = segment_stats(group_cell[defined], tallied.score[defined], size)
    cells = np.flatnonzero(asked > 0)
    group, dim = np.divmod(cells, n_dims)
    columns = {
        "dimension": np.asarray(dimensions, dtype=object)[dim],
        "n": stats.n[cells],
        "median": stats.median[cells],
        "mean": stats.mean[cells],
        "q1": stats.q1[cells],
        "q3": stats.q3[cells],
        "min": stats.min[cells],
        "max": stats.max[cells],
        "coverage": coverage(numeric[cells], dk[cells]),
        "dk_share": dk_share(numeric[cells], dk[cells]),
        "dk_flag": dk_flagged(numeric[cells], dk[cells]),
    }
    return group, columns


def score_respondent(bank: Bank, answers: Mapping[str, Any]) -> dict[str, RespondentScore]:
    """Score one respondent's answers ({question_id: 1-5, "dk", "na" or None}).

    Why: a single submission is scored on every rerun of the results page;
    plain Python is ~100x cheaper than building a DataFrame for it. Every key
    counts as asked. Returns the dimensions asked, in bank order.

    Raises:
        ValueError: a question id not in the bank, or a value that is not an answer.
    """
    sums: dict[str, tuple[float, float, int, int, int]] = {}
    for question_id, value in answers.items():
        if not bank.has_question(question_id):
            raise ValueError(f"question id {question_id!r} is not in the bank")
        question = bank.question(question_id)
        code = answer_code(value)
        if question.equity:
            continue  # reported beside the theme, never in its score
        weight_sum, weighted_sum, answered, applicable, dk = sums.get(
            question.dimension, (0.0, 0.0, 0, 0, 0)
        )
        numeric = bool(is_numeric(code))
        sums[question.dimension] = (
            weight_sum + question.weight * numeric,
            weighted_sum + question.weight * code * numeric,
            answered + numeric,
            applicable + (code != NA),
            dk + (code == DK),
        )
    return {d.id: _respondent_score(d.id, *sums[d.id]) for d in bank.dimensions if d.id in sums}


def _respondent_score(
    dimension: str, weight_sum: float, weighted_sum: float, answered: int, applicable: int, dk: int
) -> RespondentScore:
    defined = bool(is_defined(answered, applicable)) and weight_sum > 0
    score = weighted_sum / weight_sum if defined else None
    return RespondentScore(dimension, score, int(answered), int(applicable), int(dk))
