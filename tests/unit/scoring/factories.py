"""Small banks and answer frames built in Python, for the scoring tests.

Why: scoring must not depend on the YAML loader; a bank built here shows, in a
line, the weights and dimensions a hand-computed case relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from questions.model import Bank, Citation, Dimension, Question, Role, Scale

SCALE = Scale(
    levels=((1, "Not yet"), (2, "Emerging"), (3, "Developing"), (4, "Embedded"), (5, "Leading")),
    options=(("dk", "Don't know"), ("na", "Not applicable")),
)

#: dimension -> {question id: weight}. T1's items carry criterion P1 (a theme item's P tag).
SMALL: dict[str, dict[str, float]] = {
    "P1": {"p1a": 1.0, "p1b": 1.0, "p1c": 2.0},
    "P2": {"p2a": 1.0, "p2b": 1.0, "p2c": 1.0, "p2d": 1.0},
    "T1": {"t1a": 1.0, "t1b": 0.5},
}


def make_bank(spec: Mapping[str, Mapping[str, float]] = SMALL) -> Bank:
    """A bank from {dimension: {question: weight}}; ids starting "T" are themes."""
    criteria = tuple(_dimension(d, "criterion") for d in spec if not d.startswith("T"))
    themes = tuple(_dimension(d, "theme") for d in spec if d.startswith("T"))
    first_criterion = criteria[0].id
    questions = tuple(
        Question(
            id=qid,
            dimension=dim,
            criterion=first_criterion if dim.startswith("T") else dim,
            text=f"Question {qid}",
            levels=("one", "two", "three", "four", "five"),
            evidence="What shows it?",
            essays=(Citation("intro", 6),),
            weight=weight,
        )
        for dim, items in spec.items()
        for qid, weight in items.items()
    )
    return Bank("test", "1", "Test bank", SCALE, (), criteria, themes, (), questions)


def _dimension(dim_id: str, kind: Any) -> Dimension:
    return Dimension(dim_id, kind, f"Dimension {dim_id}", "summary", ("intro",), ("step",))


def frame(rows: Iterable[tuple[Any, ...]], *extra: str) -> pd.DataFrame:
    """An answers frame from (respondent_id, question_id, answer, *extra) tuples."""
    columns = ["respondent_id", "question_id", "answer", *extra]
    return pd.DataFrame([list(r) for r in rows], columns=columns, dtype=object)


def from_mappings(
    answers: Mapping[str, Mapping[str, Any]], **extra: Mapping[str, Any]
) -> pd.DataFrame:
    """An answers frame from {respondent: {question: answer}} (+ per-respondent columns)."""
    rows = [
        (rid, qid, value, *(column[rid] for column in extra.values()))
        for rid, items in answers.items()
        for qid, value in items.items()
    ]
    return frame(rows, *extra)


def hostile_bank(payload: str) -> Bank:
    """P1, P2 and T1 (two questions) with `payload` in every text a person or council can
    write: level labels, dimension names, next steps, question text and role labels."""
    bank = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1, "t1b": 1}})

    def named(d: Dimension) -> Dimension:
        return replace(d, name=f"{payload} {d.id}", next_steps=(payload,))

    return replace(
        bank,
        title=payload,
        scale=Scale(tuple((lv, f"{payload} {lv}") for lv, _ in SCALE.levels), SCALE.options),
        criteria=tuple(named(d) for d in bank.criteria),
        themes=tuple(named(d) for d in bank.themes),
        questions=tuple(replace(q, text=f"{payload} {q.id}") for q in bank.questions),
        roles=(Role("councillor", payload), Role("resident", f"{payload} r")),
    )
