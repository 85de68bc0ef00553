"""The theme x criterion heatmap's table: which criteria each theme's practice exercises.

Why: every theme question carries one criterion tag, so the answers to a
theme's questions can be laid out by criterion. The heatmap is a picture of
the raw answers (pooled medians), not a score: tags never change a score.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.rules import answer_codes, is_numeric

__all__ = [
    "HEATMAP_CELL_COLUMNS",
    "cells_of",
    "heatmap_cells",
    "heatmap_frame",
    "pivot_cells",
    "tag_answers",
]

HEATMAP_CELL_COLUMNS: tuple[str, ...] = ("theme", "criterion", "items", "answers", "median")


def tag_answers(bank: Bank, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per answer: question, its dimension, criterion tag, equity flag, answer code.

    Raises:
        ValueError: a question id not in the bank, or a value that is not an answer.
    """
    codes, uniques = pd.factorize(answers["question_id"].astype(str), use_na_sentinel=False)
    unknown = [u for u in uniques if not bank.has_question(u)]
    if unknown:
        raise ValueError(f"question id {unknown[0]!r} is not in the bank")
    questions = [bank.question(u) for u in uniques]
    return pd.DataFrame(
        {
            "question": np.asarray(uniques, dtype=object)[codes],
            "dimension": np.array([q.dimension for q in questions], dtype=object)[codes],
            "criterion": np.array([q.criterion for q in questions], dtype=object)[codes],
            "equity": np.array([q.equity for q in questions], dtype=bool)[codes],
            "code": answer_codes(answers["answer"]),
        }
    )


def heatmap_cells(bank: Bank, answers: pd.DataFrame) -> pd.DataFrame:
    """Theme x criterion cells, long: `HEATMAP_CELL_COLUMNS`.

    One row per (theme asked, criterion), themes and criteria in bank order.
    ``items`` counts the theme's questions tagged with the criterion (0: "no
    question"), ``answers`` the numeric answers to them pooled over respondents
    (0 with items > 0: "not answered"), ``median`` their median (NaN when none).
    Equity questions are left out, as they are of the theme's score.
    """
    return cells_of(bank, tag_answers(bank, answers))


def cells_of(bank: Bank, coded: pd.DataFrame) -> pd.DataFrame:
    """`heatmap_cells` from answers already tagged by `tag_answers`."""
    asked = set(coded["dimension"].unique())
    themes = [t.id for t in bank.themes if t.id in asked]
    numeric = coded[is_numeric(coded["code"].to_numpy()) & ~coded["equity"].to_numpy()]
    levels = numeric.groupby(["dimension", "criterion"])["code"]
    medians = levels.median().to_dict()
    n_answers = levels.size().to_dict()
    rows = []
    for theme in themes:
        tags = [q.criterion for q in bank.questions_in(theme) if not q.equity]
        for criterion in (c.id for c in bank.criteria):
            rows.append(
                (
                    theme,
                    criterion,
                    tags.count(criterion),
                    int(n_answers.get((theme, criterion), 0)),
                    float(medians.get((theme, criterion), math.nan)),
                )
            )
    frame = pd.DataFrame(rows, columns=list(HEATMAP_CELL_COLUMNS))
    return frame.astype({"theme": "str", "criterion": "str", "items": "int64", "answers": "int64"})


def heatmap_frame(bank: Bank, answers: pd.DataFrame) -> pd.DataFrame:
    """Theme x criterion medians: rows = themes asked (bank order), columns = criteria.

    A cell is the median of the numeric answers to that theme's questions
    tagged with that criterion, pooled over respondents; NaN where there is no
    such question or no numeric answer (`heatmap_cells` tells the two apart).
    """
    return pivot_cells(bank, heatmap_cells(bank, answers))


def pivot_cells(bank: Bank, cells: pd.DataFrame) -> pd.DataFrame:
    """`heatmap_cells` as the wide `heatmap_frame` (themes x criteria, bank order)."""
    criteria = [c.id for c in bank.criteria]
    themes = list(dict.fromkeys(cells["theme"]))
    frame = cells.pivot(index="theme", columns="criterion", values="median")
    frame = frame.reindex(index=themes, columns=criteria).astype(float)
    frame.index.name, frame.columns.name = "theme", "criterion"
    return frame
