"""The results of one assessment: every dimension's score, the headline, the
priorities, the summary in words and the theme x criterion heatmap.

Why: the results page, the reports and the exports all show the same
results; building them once, here, as plain frozen data keeps the page thin
and the numbers identical everywhere. Every score comes from
`scoring.engine` (one code path for numbers); this module only arranges,
labels and ranks them.

The tables behind the charts: `results_table` is the table behind both radar
charts in `scoring.assessment.figures` (and `figures.radar_table` gives one family's
slice); `heatmap_frame` / `heatmap_cells` are the tables behind the heatmap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corpus.model import Corpus
from questions.model import Bank, Scale
from scoring.assessment.model import DimensionResult, Headline
from scoring.assessment.plans import PLAN_COLUMNS, plan_summary
from scoring.assessment.priorities import Priority, rank_priorities
from scoring.assessment.text import summary_sentences
from scoring.assessment.theme_criteria import (
    HEATMAP_CELL_COLUMNS,
    cells_of,
    heatmap_cells,
    heatmap_frame,
    pivot_cells,
    tag_answers,
)
from scoring.engine import group_scores, reach_scores
from scoring.format import TIE_TOLERANCE, round_half_up
from scoring.rules import NA, is_numeric, level_label

__all__ = [
    "HEATMAP_CELL_COLUMNS",
    "PLAN_COLUMNS",
    "TABLE_COLUMNS",
    "Priority",
    "Results",
    "build_results",
    "heatmap_cells",
    "heatmap_frame",
    "results_table",
]

TABLE_COLUMNS: tuple[str, ...] = (
    "ID",
    "Dimension",
    "Family",
    "Score",
    "Level",
    "n",
    "Coverage %",
    "Don't know %",
    "Target",
    "Gap",
    "Priority",
    "Reach",
    "Reach gap",
)


@dataclass(frozen=True, slots=True, eq=False)
class Results:
    """Everything the results page shows, for one assessment.

    ``rows`` are the dimensions asked, in bank order (criteria, then themes).
    ``form`` is the smallest bank form holding every dimension asked (None if
    none does). ``heatmap`` is `heatmap_frame`'s table; ``heatmap_cells`` its long
    form with item counts. Treat the frames as read-only.
    """

    bank_id: str
    bank_version: str
    bank_hash: str
    form: str | None
    n_respondents: int
    scale: Scale
    rows: tuple[DimensionResult, ...]
    headline: Headline
    priorities: tuple[Priority, ...]
    summary: tuple[str, ...]
    heatmap: pd.DataFrame = field(repr=False)
    heatmap_cells: pd.DataFrame = field(repr=False)

    def row(self, dimension_id: str) -> DimensionResult:
        """The result of one dimension; KeyError if it was not asked."""
        for r in self.rows:
            if r.id == dimension_id:
                return r
        raise KeyError(dimension_id)


def build_results(
    bank: Bank,
    corpus: Corpus,
    answers: pd.DataFrame,
    plans: pd.DataFrame | None = None,
    form: str | None = None,
) -> Results:
    """Build the results of one assessment (one or several respondents, one round).

    Args:
        answers: long answers (``respondent_id``, ``question_id``, ``answer``,
            any other columns ignored), as `scoring.engine.group_scores` takes them.
        plans: ``respondent_id``, ``dimension_id``, ``target`` (1-5 or blank),
            ``priority`` (bool); None or no rows for no plans.
        form: the form the assessment used; inferred from the answers when None.

    Raises:
        ValueError: an unknown question or dimension id, a bad answer, target or
            priority, or a respondent answering one question twice.
    """
    scores = group_scores(answers, bank)
    reach = reach_scores(answers, bank)
    tagged = tag_answers(bank, answers)
    counts = _question_counts(tagged)
    targets = plan_summary(plans, bank)
    rows = tuple(
        _dimension_result(bank, record, counts, targets, reach)
        for record in scores.to_dict("records")
    )
    headline = _headline(rows, bank.scale)
    n_respondents = int(answers["respondent_id"].nunique())
    cells = cells_of(bank, tagged)
    return Results(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        form=form if form is not None else _infer_form(bank, rows),
        n_respondents=n_respondents,
        scale=bank.scale,
        rows=rows,
        headline=headline,
        priorities=rank_priorities(rows, bank, corpus),
        summary=summary_sentences(rows, headline, n_respondents),
        heatmap=pivot_cells(bank, cells),
        heatmap_cells=cells,
    )


def _number(value: Any) -> float | None:
    """A statistic as a float, or None for blank (NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def _label(score: float | None, scale: Scale) -> str | None:
    return (level_label(score, scale) or None) if score is not None else None


def _dimension_result(
    bank: Bank,
    record: dict[str, Any],
    counts: dict[str, tuple[int, int, int]],
    targets: dict[str, tuple[float | None, bool]],
    reach: pd.DataFrame,
) -> DimensionResult:
    dimension = bank.dimension(record["dimension"])
    score = _number(record["median"])
    target, priority = targets.get(dimension.id, (None, False))
    gap = None if target is None or score is None else max(target - score, 0.0)
    reach_score = reach_of(reach, dimension.id)
    asked, answered, applicable = counts.get(dimension.id, (0, 0, 0))
    return DimensionResult(
        id=dimension.id,
        kind=dimension.kind,
        name=dimension.name,
        strand=dimension.strand,
        score=score,
        level=_label(score, bank.scale),
        n=int(record["n"]),
        q1=_number(record["q1"]),
        q3=_number(record["q3"]),
        coverage=_number(record["coverage"]),
        dk_share=_number(record["dk_share"]),
        dk_flag=bool(record["dk_flag"]),
        questions=asked,
        answered=answered,
        applicable=applicable,
        target=target,
        priority=priority,
        gap=gap,
        reach=reach_score,
        reach_level=_label(reach_score, bank.scale),
        reach_gap=None if reach_score is None or score is None else reach_score - score,
    )


def reach_of(reach: pd.DataFrame, dimension_id: str) -> float | None:
    """A theme's reach score from a `scoring.engine.reach_scores` frame (None if absent)."""
    match = reach.loc[reach["dimension"] == dimension_id, "median"]
    return _number(match.iloc[0]) if len(match) else None


def _headline(rows: Sequence[DimensionResult], scale: Scale) -> Headline:
    scores = [r.score for r in rows if r.score is not None]
    if not scores:
        return Headline(None, None, (), None, 0, len(rows))
    median = float(np.median(scores))
    low = min(scores)
    weakest = tuple(r for r in rows if r.score is not None and r.score - low <= TIE_TOLERANCE)
    return Headline(median, _label(median, scale), weakest, low, len(scores), len(rows))


def _infer_form(bank: Bank, rows: Sequence[DimensionResult]) -> str | None:
    asked = {r.id for r in rows}
    fits = [f for f in bank.forms if asked and asked <= set(f.dimensions)]
    return min(fits, key=lambda f: len(f.dimensions)).id if fits else None


def _question_counts(tagged: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """Per dimension: scored questions asked, given a level by anyone, not all n/a."""
    coded = tagged[~tagged["equity"]]
    coded = coded.assign(
        numeric=is_numeric(coded["code"].to_numpy()), applicable=coded["code"] != NA
    )
    per_question = coded.groupby(["dimension", "question"], sort=False)[
        ["numeric", "applicable"]
    ].any()
    per_dimension = per_question.groupby(level="dimension", sort=False).agg(["size", "sum"])
    return {
        str(d): (
            int(row[("numeric", "size")]),
            int(row[("numeric", "sum")]),
            int(row[("applicable", "sum")]),
        )
        for d, row in per_dimension.iterrows()
    }


def results_table(results: Results) -> pd.DataFrame:
    """The rows as a table people read (`TABLE_COLUMNS`), in bank order.

    Scores, targets and gaps have one decimal (halves up, as in the summary);
    percentages are whole; blank statistics are NaN and a blank level "".
    """
    return pd.DataFrame(
        [
            (
                r.id,
                r.name,
                "Criterion" if r.kind == "criterion" else "Theme",
                _rounded(r.score),
                r.level or "",
                r.n,
                _percent(r.coverage),
                _percent(r.dk_share),
                _rounded(r.target),
                _rounded(r.gap),
                r.priority,
                _rounded(r.reach),
                _rounded(r.reach_gap),
            )
            for r in results.rows
        ],
        columns=list(TABLE_COLUMNS),
    ).astype({"n": "int64", "Priority": "bool"})


def _rounded(value: float | None) -> float:
    return math.nan if value is None else float(round_half_up(value))


def _percent(share: float | None) -> float:
    return math.nan if share is None else float(round_half_up(share * 100, 0))
