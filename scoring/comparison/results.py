"""Assessments side by side: scores with intervals, differences against the noise, change.

Why: the third job (design.md "Compare areas"). An analyst puts 2-8
assessments (areas, or one area at several dates) side by side and must see
which differences exceed the noise ("Honest numbers. Median first, n always
shown, intervals where n allows"). Every median and n comes from ONE
`scoring.engine.group_scores` call on the answers of all the assessments
together, grouped by a ``label`` column, so the page, the reports and
``python -m scoring score --by area`` agree on every number; the respondent
scores the bootstrap resamples come from one `scoring.engine.respondent_scores`
call. No scoring rule is written here. The bank is the common ground of every
assessment compared (another module reconciles bank versions first).

Intervals and verdicts: `scoring.intervals`. Sentences: `scoring.comparison.text`.
Figures: `scoring.comparison.figures`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from common.memo import frame_digest, kept_with
from questions.model import Bank, Scale
from scoring.coding import ANSWER_COLUMNS
from scoring.comparison.text import change_sentences, comparison_sentences
from scoring.engine import group_scores, respondent_scores
from scoring.intervals import (
    NO_ESTIMATE,
    NO_INTERVAL,
    TOO_FEW,
    Estimate,
    cell_rng,
    difference,
    estimate,
    interval_text,
)

__all__ = [
    "DIFFERENCE_COLUMNS",
    "GROUP_COLUMNS",
    "LABEL",
    "MAX_ASSESSMENTS",
    "OVER_TIME_COLUMNS",
    "STEP_COLUMNS",
    "TABLE_COLUMNS",
    "AssessmentInfo",
    "Change",
    "Comparison",
    "change_over_time",
    "compare",
    "group_median",
]

#: The column that tells the assessments apart in the concatenated answers.
LABEL = "label"
MAX_ASSESSMENTS = 8
TABLE_COLUMNS: tuple[str, ...] = (
    "label",
    "dimension",
    "name",
    "family",
    "n",
    "median",
    "low",
    "high",
    "interval",
)
DIFFERENCE_COLUMNS: tuple[str, ...] = (
    "label",
    "reference",
    "dimension",
    "name",
    "family",
    "n_reference",
    "median_reference",
    "n",
    "median",
    "difference",
    "low",
    "high",
    "verdict",
)
OVER_TIME_COLUMNS: tuple[str, ...] = (
    "dimension",
    "name",
    "family",
    "n_first",
    "first",
    "n_last",
    "last",
    "change",
    "low",
    "high",
    "verdict",
)
STEP_COLUMNS: tuple[str, ...] = (
    "from",
    "to",
    "dimension",
    "name",
    "family",
    "n_from",
    "median_from",
    "n_to",
    "median_to",
    "change",
    "low",
    "high",
    "verdict",
)
GROUP_COLUMNS: tuple[str, ...] = ("dimension", "name", "family", "n_areas", "median")


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    """What a label stands for: the area's name and the day it was assessed (optional)."""

    area: str = ""
    assessed_on: date | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Comparison:
    """2-8 assessments side by side. Treat the frames as read-only.

    ``labels`` keep the caller's order; ``reference`` is the label the others
    are set against; ``respondents`` counts the people with any answer per
    label; ``dimensions`` are those asked anywhere, in bank order.
    ``table`` (`TABLE_COLUMNS`): per label and dimension asked in it, n, the
    median and its bootstrap interval (``low``/``high``, blank and ``interval``
    = "n too small to tell" when n < ``min_n``, "no score" when n = 0).
    ``wide``: dimensions x labels of medians; ``heatmap``: labels x dimensions.
    ``differences`` (`DIFFERENCE_COLUMNS`): every other label against the
    reference, per dimension, with the interval of the difference and a verdict.
    """

    labels: tuple[str, ...]
    reference: str
    respondents: Mapping[str, int]
    info: Mapping[str, AssessmentInfo]
    scale: Scale
    dimensions: tuple[str, ...]
    min_n: int
    n_boot: int
    seed: int
    table: pd.DataFrame = field(repr=False)
    wide: pd.DataFrame = field(repr=False)
    heatmap: pd.DataFrame = field(repr=False)
    differences: pd.DataFrame = field(repr=False)
    sentences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Change:
    """One area over time: first against last, and each step between.

    ``table`` (`OVER_TIME_COLUMNS`): per dimension the first and last medians, the
    change, the interval of the change and a verdict; ``steps``
    (`STEP_COLUMNS`): the same for each consecutive pair of dates;
    ``comparison``: the underlying `Comparison` (reference = the first date).
    """

    labels: tuple[str, ...]
    comparison: Comparison = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    steps: pd.DataFrame = field(repr=False)
    sentences: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        return self.labels[0]

    @property
    def last(self) -> str:
        return self.labels[-1]


def compare(
    bank: Bank,
    answers_by_label: Mapping[str, pd.DataFrame],
    reference: str | None = None,
    min_n: int = 5,
    n_boot: int = 2000,
    seed: int = 20101201,
    info: Mapping[str, AssessmentInfo] | None = None,
    memo: MutableMapping[Hashable, Any] | None = None,
) -> Comparison:
    """Compare 2-8 assessments, each a long answers frame, in the order given.

    Args:
        answers_by_label: label (e.g. "Northbrook Borough · 2026-03-15") ->
            answers (``respondent_id``, ``question_id``, ``answer``; other
            columns are ignored), all against `bank`.
        reference: the label the others are set against (default: the first).
        min_n: the fewest respondents with a score for an interval or a verdict.
        n_boot: bootstrap draws per interval; seed: makes every draw repeatable.
        info: optional area name and date per label.
        memo: kept by the caller between calls (a `common.memo.Memo`): the comparison,
            and each assessment's intervals, under keys naming what they rest on (the
            bank object, each label and the fingerprint of its answers, the settings).
            A page that reruns with the same entries gets the same comparison back, and
            one that adds an entry bootstraps only the new one. Equal to no memo.

    Raises:
        ValueError: fewer than 2 or more than 8 labels, a blank label, an
            unknown reference, a missing column, bad answers, or min_n < 1.
    """
    args = _args(bank, answers_by_label, reference, (min_n, n_boot, seed), info, memo)
    return _kept(args, "compare", lambda: _compare(args)[0])


def change_over_time(
    bank: Bank,
    answers_by_date: Mapping[str, pd.DataFrame],
    min_n: int = 5,
    n_boot: int = 2000,
    seed: int = 20101201,
    info: Mapping[str, AssessmentInfo] | None = None,
    memo: MutableMapping[Hashable, Any] | None = None,
) -> Change:
    """One area at 2-8 dates, oldest first: what moved from the first to the last, and by
    how much, with each step between (arguments as in `compare`)."""
    args = _args(bank, answers_by_date, None, (min_n, n_boot, seed), info, memo)
    return _kept(args, "change", lambda: _change(args))


def _change(args: _Args) -> Change:
    comparison, cells = _compare(args)
    bank, min_n = args.bank, args.min_n
    labels = comparison.labels
    meta = _dimension_meta(bank, comparison.dimensions)
    overall = _pairs(cells, labels[0], labels[-1], comparison.dimensions, meta, min_n)
    table = pd.DataFrame([row[2:] for row in overall], columns=list(OVER_TIME_COLUMNS)).astype(
        {"n_first": "int64", "n_last": "int64"}
    )
    steps = pd.DataFrame(
        [
            row
            for before, after in itertools.pairwise(labels)
            for row in _pairs(cells, before, after, comparison.dimensions, meta, min_n)
        ],
        columns=list(STEP_COLUMNS),
    ).astype({"n_from": "int64", "n_to": "int64"})
    return Change(
        labels=labels,
        comparison=comparison,
        table=table,
        steps=steps,
        sentences=change_sentences(labels, table, steps, min_n),
    )


def group_median(
    comparison: Comparison, member_labels: Sequence[str], min_areas: int = 5
) -> pd.DataFrame | None:
    """Per dimension, the median of the members' medians and how many areas it rests on.

    None (the group is hidden) when fewer than `min_areas` members have any
    score; a dimension scored by fewer than `min_areas` members is blank.
    Columns: `GROUP_COLUMNS`, in bank order.

    Raises:
        ValueError: a member that is not one of the comparison's labels.
    """
    members = list(dict.fromkeys(member_labels))
    unknown = [m for m in members if m not in comparison.labels]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not one of the assessments compared")
    wide = comparison.wide[members]
    if int(wide.notna().any(axis=0).sum()) < min_areas:
        return None
    n_areas = wide.notna().sum(axis=1).astype("int64")
    medians = wide.median(axis=1, skipna=True).where(n_areas >= min_areas)
    names, families = _names(comparison.table)
    return pd.DataFrame(
        {
            "dimension": list(wide.index),
            "name": [names[d] for d in wide.index],
            "family": [families[d] for d in wide.index],
            "n_areas": n_areas.to_numpy(),
            "median": medians.to_numpy(dtype=np.float64),
        },
        columns=list(GROUP_COLUMNS),
    )


@dataclass(frozen=True, slots=True, eq=False)
class _Args:
    """A call's arguments, as `compare` documents them."""

    bank: Bank
    answers_by_label: Mapping[str, pd.DataFrame]
    reference: str | None
    min_n: int
    n_boot: int
    seed: int
    info: Mapping[str, AssessmentInfo] | None
    memo: MutableMapping[Hashable, Any] | None
    #: label -> `_fingerprint` of its answers (only with a memo: nothing else needs it)
    prints: Mapping[str, str] = field(default_factory=dict)


def _args(
    bank: Bank,
    answers_by_label: Mapping[str, pd.DataFrame],
    reference: str | None,
    settings: tuple[int, int, int],
    info: Mapping[str, AssessmentInfo] | None,
    memo: MutableMapping[Hashable, Any] | None,
) -> _Args:
    prints = {}
    if memo is not None:  # kept with each frame (frames are not changed once handed over)
        prints = {
            label: kept_with(memo, ("fingerprint", label), a, partial(_fingerprint, label, a))
            for label, a in answers_by_label.items()
        }
    return _Args(bank, answers_by_label, reference, *settings, info, memo, prints)


def _fingerprint(label: str, answers: pd.DataFrame) -> str:
    """A digest of the scored columns' content, row by row: equal answers, equal digest.

    Raises:
        ValueError: a scored column is missing.
    """
    _require_columns(label, answers)
    return frame_digest(answers.loc[:, list(ANSWER_COLUMNS)])


T = TypeVar("T")


def _kept(args: _Args, what: str, make: Callable[[], T]) -> T:
    """``make()``, or what ``args.memo`` kept for the same call (against the same bank)."""
    info = tuple(sorted((args.info or {}).items()))
    key = (what, *_grounds(args), args.reference, info) if args.memo is not None else ()
    return kept_with(args.memo, key, args.bank, make)


def _grounds(args: _Args) -> tuple[Hashable, ...]:
    """What a call's results rest on besides the bank: the settings and each label's answers."""
    return (args.min_n, args.n_boot, args.seed, tuple(args.prints.items()))


def _cells(args: _Args, label: str, make: Callable[[], dict[str, Estimate]]) -> dict[str, Estimate]:
    """One label's estimates by dimension, kept in ``args.memo`` by what they rest on: the
    label (it seeds the draws), its answers, the bank and the settings."""
    key: tuple[Hashable, ...] = ()
    if args.memo is not None:
        key = ("cells", args.min_n, args.n_boot, args.seed, label, args.prints[label])
    return kept_with(args.memo, key, args.bank, make)


def _compare(args: _Args) -> tuple[Comparison, dict[tuple[str, str], Estimate]]:
    bank, answers_by_label, reference = args.bank, args.answers_by_label, args.reference
    min_n, n_boot, seed, info = args.min_n, args.n_boot, args.seed, args.info
    labels = _labels(answers_by_label)
    reference = labels[0] if reference is None else reference
    if reference not in labels:
        raise ValueError(f"the reference {reference!r} is not one of the assessments compared")
    if min_n < 1:
        raise ValueError(f"min_n must be at least 1, not {min_n}")
    answers = _concat(answers_by_label)
    scores = group_scores(answers, bank, by=[LABEL])
    scores = _in_label_order(scores, labels)
    per_person = respondent_scores(answers, bank, by=[LABEL])
    per_person = per_person[per_person["score"].notna()]
    samples = {
        (str(label), str(dim)): group.to_numpy(dtype=np.float64)
        for (label, dim), group in per_person.groupby([LABEL, "dimension"], sort=False)["score"]
    }
    dims = tuple(d.id for d in bank.dimensions if d.id in set(scores["dimension"]))
    meta = _dimension_meta(bank, dims)
    cells: dict[tuple[str, str], Estimate] = {}
    none = np.empty(0)
    for label, part in scores.groupby(LABEL, sort=False):

        def made(label: str = str(label), part: pd.DataFrame = part) -> dict[str, Estimate]:
            return {
                str(dim): estimate(
                    samples.get((label, str(dim)), none),
                    float(median),
                    min_n,
                    n_boot,
                    cell_rng(seed, label, str(dim)),
                )
                for dim, median in zip(part["dimension"], part["median"], strict=True)
            }

        cells |= {(str(label), d): e for d, e in _cells(args, str(label), made).items()}
    rows = []
    for label, dim, n in zip(scores[LABEL], scores["dimension"], scores["n"], strict=True):
        key = (str(label), str(dim))
        cell = cells[key]
        text = interval_text(cell.low, cell.high) if cell.draws is not None else None
        text = text or (TOO_FEW if n else NO_INTERVAL)
        rows.append((key[0], *meta[key[1]], int(n), cell.median, cell.low, cell.high, text))
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS)).astype({"n": "int64"})
    wide = (
        table.pivot(index="dimension", columns=LABEL, values="median")
        .reindex(index=list(dims), columns=list(labels))
        .astype("float64")
    )
    differences = pd.DataFrame(
        [
            (label, reference, *row[2:])
            for label in labels
            if label != reference
            for row in _pairs(cells, reference, label, dims, meta, min_n)
        ],
        columns=list(DIFFERENCE_COLUMNS),
    ).astype({"n_reference": "int64", "n": "int64"})
    respondents = {
        label: int(frame["respondent_id"].nunique()) for label, frame in answers_by_label.items()
    }
    comparison = Comparison(
        labels=labels,
        reference=reference,
        respondents=MappingProxyType(respondents),
        info=MappingProxyType(dict(info or {})),
        scale=bank.scale,
        dimensions=dims,
        min_n=min_n,
        n_boot=n_boot,
        seed=seed,
        table=table,
        wide=wide,
        heatmap=wide.T,
        differences=differences,
        sentences=comparison_sentences(labels, reference, respondents, table, differences, min_n),
    )
    return comparison, cells


def _labels(answers_by_label: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    labels = tuple(answers_by_label)
    if not 2 <= len(labels) <= MAX_ASSESSMENTS:
        raise ValueError(f"compare 2 to {MAX_ASSESSMENTS} assessments at a time, not {len(labels)}")
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"every assessment needs a label (text), not {label!r}")
    return labels


def _concat(answers_by_label: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every assessment's answers in one frame, told apart by `LABEL`."""
    parts = []
    for label, answers in answers_by_label.items():
        _require_columns(label, answers)
        part = answers.loc[:, list(ANSWER_COLUMNS)].astype(object)
        part[LABEL] = label
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _require_columns(label: str, answers: pd.DataFrame) -> None:
    missing = [c for c in ANSWER_COLUMNS if c not in answers.columns]
    if missing:
        raise ValueError(f"{label}: the answers have no column(s) {', '.join(missing)}")


def _in_label_order(scores: pd.DataFrame, labels: tuple[str, ...]) -> pd.DataFrame:
    """The engine sorts groups by value; keep the caller's order (bank order within)."""
    rank = {label: i for i, label in enumerate(labels)}
    order = np.argsort(scores[LABEL].map(rank).to_numpy(), kind="stable")
    return scores.iloc[order].reset_index(drop=True)


def _dimension_meta(bank: Bank, dims: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """dimension id -> (id, name, family)."""
    return {d: (d, bank.dimension(d).name, bank.dimension(d).kind) for d in dims}


def _names(table: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    pairs = table.drop_duplicates("dimension")
    return (
        dict(zip(pairs["dimension"], pairs["name"], strict=True)),
        dict(zip(pairs["dimension"], pairs["family"], strict=True)),
    )


def _pairs(
    cells: Mapping[tuple[str, str], Estimate],
    before: str,
    after: str,
    dims: Sequence[str],
    meta: Mapping[str, tuple[str, str, str]],
    min_n: int,
) -> list[tuple[object, ...]]:
    """Per dimension: (before, after, id, name, family, n and median of each, then the
    difference after - before, its interval and the verdict)."""
    rows: list[tuple[object, ...]] = []
    for dim in dims:
        a = cells.get((before, dim), NO_ESTIMATE)
        b = cells.get((after, dim), NO_ESTIMATE)
        rows.append(
            (before, after, *meta[dim], a.n, a.median, b.n, b.median, *difference(a, b, min_n))
        )
    return rows
