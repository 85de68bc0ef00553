"""The preparation stage: answers as integer codes, ready for the arithmetic.

Why: scoring a million answers is fast only when every string has become an
integer - respondent, question, group and answer. This module does that once
(`prepare`) and keeps it apart from the arithmetic in `scoring.engine`, so the
benchmark can time each part, and agreement reuses the same coding.

Vocabulary: a *group* is one combination of the ``by`` columns (a single group
when there are none); a *unit* is one respondent within one group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.errors import UserError
from questions.model import Bank
from scoring.rules import REACH_SUFFIX, answer_codes, scored_dimension

ANSWER_COLUMNS: tuple[str, ...] = ("respondent_id", "question_id", "answer")

# Above this many unit x question cells, duplicates are found by sorting instead.
_DENSE_LIMIT = 50_000_000


class DuplicateAnswerError(UserError, ValueError):
    """One respondent answered one question twice within a group.

    Attributes:
        respondent, question: the ids concerned.
        rows: index labels of the first two such rows (CSV row numbers when
            the frame came from `scoring.answers`).
    """

    def __init__(self, respondent: object, question: str, rows: tuple[object, object]) -> None:
        self.respondent = respondent
        self.question = question
        self.rows = rows
        super().__init__(
            f"respondent {respondent!r} answered {question!r} twice in one group "
            f"(rows {rows[0]} and {rows[1]})"
        )


@dataclass(frozen=True, slots=True)
class Coded:
    """Answers coded as integers, plus the bank's lookup arrays.

    Attributes:
        by: the grouping columns.
        groups: one row per group (sorted by value), with the ``by`` columns.
        unit_group: group code of each unit.
        unit_respondent: respondent id of each unit; units sort by (group, id).
        unit: unit code of each answer row.
        question: question code of each answer row (index into ``questions``).
        answer: answer code of each row (see `scoring.rules`).
        question_dimension: dimension code of each question.
        question_weight: weight of each question.
        dimensions: dimension ids in bank order (criteria, then themes).
        questions: question ids in bank order.
    """

    by: tuple[str, ...]
    groups: pd.DataFrame
    unit_group: np.ndarray
    unit_respondent: np.ndarray
    unit: np.ndarray
    question: np.ndarray
    answer: np.ndarray
    question_dimension: np.ndarray
    question_weight: np.ndarray
    dimensions: tuple[str, ...]
    questions: tuple[str, ...]

    @property
    def n_units(self) -> int:
        return len(self.unit_group)

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    @property
    def row_group(self) -> np.ndarray:
        """Group code of each answer row."""
        return self.unit_group[self.unit]


def prepare(answers: pd.DataFrame, bank: Bank, by: Sequence[str] = ()) -> Coded:
    """Code an answers frame against a bank.

    Args:
        answers: one row per answer, with ``respondent_id``, ``question_id``,
            ``answer`` (1-5, "dk", "na", blank/None) and any ``by`` columns.
        bank: the bank the answers were given against.
        by: columns whose value combinations form the groups.

    Raises:
        ValueError: a missing column, a question id not in the bank, or a
            value that is not an answer.
        DuplicateAnswerError: a respondent answered a question twice in a group.
    """
    by = tuple(dict.fromkeys(by))
    missing = [c for c in (*ANSWER_COLUMNS, *by) if c not in answers.columns]
    if missing:
        raise ValueError(f"the answers have no column(s) {', '.join(map(repr, missing))}")
    dimensions = scored_dimensions(bank)
    dimension_code = {d: i for i, d in enumerate(dimensions)}
    questions = tuple(q.id for q in bank.questions)
    question = _question_codes(answers["question_id"], questions)
    row_group, groups = _group_codes(answers, by)
    unit, unit_group, unit_respondent = _unit_codes(
        answers["respondent_id"], row_group, len(groups)
    )
    coded = Coded(
        by=by,
        groups=groups,
        unit_group=unit_group,
        unit_respondent=unit_respondent,
        unit=unit,
        question=question,
        answer=answer_codes(answers["answer"]),
        question_dimension=np.array(
            [dimension_code[scored_dimension(q)] for q in bank.questions], dtype=np.int64
        ),
        question_weight=np.array([q.weight for q in bank.questions], dtype=np.float64),
        dimensions=dimensions,
        questions=questions,
    )
    _check_duplicates(coded, answers.index)
    return coded


def coded_once(answers: pd.DataFrame, bank: Bank, by: Sequence[str], coded: Coded | None) -> Coded:
    """``coded`` when given (the caller coded ``answers`` once for several consumers), else
    ``prepare(answers, bank, by)``.

    Raises:
        ValueError: ``coded`` was grouped by other columns than ``by``, or has another
            number of rows than ``answers``, or was coded against another bank's questions.
    """
    if coded is None:
        return prepare(answers, bank, by)
    if coded.by != tuple(dict.fromkeys(by)):
        raise ValueError(f"the answers were coded by {list(coded.by)}, not by {list(by)}")
    if len(coded.answer) != len(answers) or coded.questions != tuple(q.id for q in bank.questions):
        raise ValueError("the coded answers are not these answers against this bank")
    return coded


def scored_dimensions(bank: Bank) -> tuple[str, ...]:
    """Bank dimensions in bank order, then the reach slots of themes with equity items."""
    reach = dict.fromkeys(scored_dimension(q) for q in bank.questions if q.equity)
    return tuple(d.id for d in bank.dimensions) + tuple(reach)


def is_reach(dimensions: pd.Series) -> pd.Series:
    """True for rows of a reach slot (see `scoring.rules.REACH_SUFFIX`)."""
    return dimensions.astype(str).str.endswith(REACH_SUFFIX)


def _question_codes(ids: pd.Series, questions: tuple[str, ...]) -> np.ndarray:
    """Question code per row; every id must be in the bank."""
    codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    position = {q: i for i, q in enumerate(questions)}
    unknown = [u for u in uniques if u not in position]
    if unknown:
        raise ValueError(f"question id {unknown[0]!r} is not in the bank")
    lookup = np.array([position[u] for u in uniques], dtype=np.int64)
    return lookup[codes]


def _group_codes(answers: pd.DataFrame, by: tuple[str, ...]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group code per row, with groups numbered in sorted order of their values."""
    rows = len(answers)
    if not by:
        groups = pd.DataFrame(index=pd.RangeIndex(1 if rows else 0))
        return np.zeros(rows, dtype=np.int64), groups
    keys = answers[list(by)]
    if len(by) == 1:  # one column (a role, a round, a label): its sorted codes are the groups
        # The numbering groupby gives (sorted, missing last, a category's own order, only
        # the values present), several times faster: this runs on every new room view.
        codes = pd.factorize(keys[by[0]], sort=True, use_na_sentinel=False)[0].astype(np.int64)
    else:
        grouped = keys.groupby(list(by), sort=True, dropna=False, observed=True)
        codes = grouped.ngroup().to_numpy(dtype=np.int64)
    groups = keys.iloc[first_rows(codes)].reset_index(drop=True)
    return codes, groups


def first_rows(codes: np.ndarray) -> np.ndarray:
    """For codes numbering groups 0..n-1 (each present), the first row of each group.

    Why not ``np.unique(codes, return_index=True)``: the same answer without sorting every
    row, about eight times faster on a room's 70,000 answers.
    """
    first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def _unit_codes(
    respondents: pd.Series, row_group: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit code per row, and each unit's group and respondent id."""
    codes, uniques = pd.factorize(respondents, sort=True, use_na_sentinel=False)
    codes = codes.astype(np.int64)
    labels = np.asarray(uniques, dtype=object)
    if n_groups <= 1:
        return codes, np.zeros(len(labels), dtype=np.int64), labels
    key = row_group * len(labels) + codes
    size = n_groups * len(labels)
    if size <= _DENSE_LIMIT:  # the keys in use, numbered in order, without sorting the rows
        present = np.bincount(key, minlength=size) > 0
        keys = np.flatnonzero(present)
        unit = (np.cumsum(present) - 1)[key]
    else:
        keys, unit = np.unique(key, return_inverse=True)
    return unit.astype(np.int64), keys // len(labels), labels[keys % len(labels)]


def _check_duplicates(coded: Coded, index: pd.Index) -> None:
    """Refuse two answers from one respondent to one question in one group."""
    n_questions = len(coded.questions)
    key = coded.unit * n_questions + coded.question
    if coded.n_units * n_questions <= _DENSE_LIMIT:
        repeated = np.flatnonzero(np.bincount(key, minlength=coded.n_units * n_questions) > 1)
    else:
        values, counts = np.unique(key, return_counts=True)
        repeated = values[counts > 1]
    if repeated.size == 0:
        return
    order = np.argsort(key, kind="stable")
    later = order[np.flatnonzero(key[order][1:] == key[order][:-1]) + 1]
    second = int(later.min())  # the earliest row that repeats an earlier one
    first = int(np.flatnonzero(key == key[second])[0])
    unit = int(coded.unit[first])
    raise DuplicateAnswerError(
        coded.unit_respondent[unit],
        coded.questions[coded.question[first]],
        (index[first], index[second]),
    )


def with_groups(coded: Coded, group: np.ndarray, columns: dict[str, Any]) -> pd.DataFrame:
    """A frame of `columns`, led by the ``by`` columns of each row's group code."""
    frame = pd.DataFrame(columns)
    if not coded.by:
        return frame
    keys = coded.groups.iloc[group].reset_index(drop=True)
    return pd.concat([keys, frame], axis=1)
