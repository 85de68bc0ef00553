"""An assessment's answers and plans as tables, ready for `scoring` and the exports.

Why: scoring, agreement and the CSV export all speak the long answers format
(design.md "Interfaces that stay stable"). Storage produces exactly that, so
a saved assessment and an uploaded CSV are scored by the same code. People
appear as R1, R2, ... in the order they started: stable within the
assessment, meaningless outside it, and never their resume token.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scoring.answers import STORED_COLUMNS
from storage import validate
from storage.engine import reading
from storage.errors import InputError
from storage.schema import RESPONSE_STATUSES, answers, plans, responses

__all__ = ["ANSWER_FRAME_COLUMNS", "PLAN_FRAME_COLUMNS", "answers_frame", "plans_frame"]

ANSWER_FRAME_COLUMNS: tuple[str, ...] = STORED_COLUMNS
PLAN_FRAME_COLUMNS: tuple[str, ...] = ("respondent_id", "dimension_id", "target", "priority")
_TEXT = "str"
_TIME = "datetime64[us, UTC]"


def answers_frame(
    engine: Engine, assessment_id: int, statuses: Iterable[str] = ("submitted", "draft")
) -> pd.DataFrame:
    """One row per saved answer of the assessment's responses with these statuses.

    Columns `ANSWER_FRAME_COLUMNS`; rows by respondent (start order), then
    question id. ``answer`` is "1"-"5", "dk", "na" or "" (not answered);
    ``round`` is an int; ``submitted_at`` is UTC (NaT for drafts); missing
    confidence or evidence is NaN. Pass it to `scoring.engine.group_scores`.
    """
    assessment_id = validate.record_id("assessment_id", assessment_id)
    wanted = _statuses(statuses)
    query = (
        sa.select(
            responses.c.id,
            answers.c.question_id,
            answers.c.answer,
            responses.c.role,
            responses.c.round,
            answers.c.confidence,
            answers.c.evidence,
            responses.c.submitted_at,
        )
        .join_from(answers, responses)
        .where(responses.c.assessment_id == assessment_id, responses.c.status.in_(wanted))
        .order_by(responses.c.id, answers.c.question_id)
    )
    with reading(engine) as conn:
        names = _pseudonyms(conn, assessment_id)
        rows = conn.execute(query).all()
    frame = pd.DataFrame(
        {
            "respondent_id": pd.Series([names[r[0]] for r in rows], dtype=_TEXT),
            "question_id": pd.Series([r[1] for r in rows], dtype=_TEXT),
            "answer": pd.Series([r[2] for r in rows], dtype=_TEXT),
            "role": pd.Series([r[3] for r in rows], dtype=_TEXT),
            "round": pd.Series([r[4] for r in rows], dtype="int64"),
            "confidence": pd.Series([r[5] for r in rows], dtype=_TEXT),
            "evidence": pd.Series([r[6] for r in rows], dtype=_TEXT),
            "submitted_at": pd.Series([r[7] for r in rows], dtype="object"),
        }
    )
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).astype(_TIME)
    return frame


def plans_frame(
    engine: Engine, assessment_id: int, statuses: Iterable[str] = ("submitted", "draft")
) -> pd.DataFrame:
    """One row per saved plan: `PLAN_FRAME_COLUMNS`, with the same R1, R2 ... as `answers_frame`.

    ``target`` is a nullable integer (``Int64``: <NA> for no target); ``priority`` a bool.
    """
    assessment_id = validate.record_id("assessment_id", assessment_id)
    wanted = _statuses(statuses)
    query = (
        sa.select(responses.c.id, plans.c.dimension_id, plans.c.target, plans.c.priority)
        .join_from(plans, responses)
        .where(responses.c.assessment_id == assessment_id, responses.c.status.in_(wanted))
        .order_by(responses.c.id, plans.c.dimension_id)
    )
    with reading(engine) as conn:
        names = _pseudonyms(conn, assessment_id)
        rows = conn.execute(query).all()
    return pd.DataFrame(
        {
            "respondent_id": pd.Series([names[r[0]] for r in rows], dtype=_TEXT),
            "dimension_id": pd.Series([r[1] for r in rows], dtype=_TEXT),
            "target": pd.Series([r[2] for r in rows], dtype="Int64"),
            "priority": pd.Series([bool(r[3]) for r in rows], dtype="bool"),
        }
    )


def _pseudonyms(conn: Connection, assessment_id: int) -> dict[int, str]:
    """R1, R2, ... for every response of the assessment, whatever its status, by start order.

    Numbering all responses (not only those selected) keeps a person's label
    the same whether or not drafts are included.
    """
    query = (
        sa.select(responses.c.id)
        .where(responses.c.assessment_id == assessment_id)
        .order_by(responses.c.id)
    )
    return {rid: f"R{n}" for n, rid in enumerate(conn.scalars(query), start=1)}


def _statuses(statuses: Iterable[str]) -> list[str]:
    wanted = [statuses] if isinstance(statuses, str) else list(statuses)
    for status in wanted or [None]:
        if status not in RESPONSE_STATUSES:
            raise InputError(
                "statuses", f"{status!r} is not a status; please choose draft, submitted or both"
            )
    return wanted
