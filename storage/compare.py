"""What the compare page lists and scores: assessments with answers, and each one's answers.

Why: the third job puts assessments side by side (issue 6). The page needs
one table to choose from (area, kind, date, how many people answered, which
bank version) and, for each chosen assessment, its answers in the long
format that `scoring.engine.group_scores` takes, so the page and
``python -m scoring score`` compute the same numbers from the same rows.

A workshop is compared on its latest round with answers (the room's view
after discussion); any other assessment on all its responses, drafts
included (as `storage.frames.answers_frame` gives them).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scoring.answers import STORED_COLUMNS
from storage import validate
from storage.engine import reading
from storage.errors import InputError
from storage.frames import answers_frame, workshop_answers
from storage.schema import answers, areas, assessments, banks, responses, workshops

__all__ = ["COMPARABLE_COLUMNS", "assessment_answers", "comparable_assessments"]

COMPARABLE_COLUMNS: tuple[str, ...] = (
    "assessment_id",
    "area_id",
    "area_name",
    "area_kind",
    "ons_code",
    "parent_id",
    "parent_name",
    "kind",
    "title",
    "held_on",
    "created_at",
    "respondents",
    "bank_hash",
    "bank_version",
    "demo",
)
_TYPES = {
    "assessment_id": "int64",
    "area_id": "int64",
    "parent_id": "Int64",  # <NA> when the area has no parent
    "respondents": "int64",
    "demo": "bool",
}  # every other column is text, a date or None (object), except created_at


def comparable_assessments(engine: Engine) -> pd.DataFrame:
    """One row per assessment that has at least one respondent: `COMPARABLE_COLUMNS`.

    ``respondents`` counts responses with at least one non-blank answer (dk
    and na count), in the round `assessment_answers` uses. ``held_on`` is a
    `datetime.date` or None; ``ons_code``, ``parent_id``, ``parent_name`` and
    ``title`` may be missing (None, <NA>). Rows by area name (ignoring case),
    then date (undated last), then creation.
    """
    parent = areas.alias("parent")
    query = (
        sa.select(
            assessments.c.id.label("assessment_id"),
            assessments.c.area_id,
            areas.c.name.label("area_name"),
            areas.c.kind.label("area_kind"),
            areas.c.ons_code,
            areas.c.parent_id,
            parent.c.name.label("parent_name"),
            assessments.c.kind,
            assessments.c.title,
            assessments.c.held_on,
            assessments.c.created_at,
            assessments.c.bank_hash,
            banks.c.version.label("bank_version"),
            areas.c.demo,
        )
        .join_from(assessments, areas, assessments.c.area_id == areas.c.id)
        .join(banks, assessments.c.bank_hash == banks.c.content_hash)
        .outerjoin(parent, areas.c.parent_id == parent.c.id)
    )
    with reading(engine) as conn:
        counts = _respondents(conn)
        rows = [dict(r._mapping) for r in conn.execute(query)]
    found = []
    for row in rows:
        by_round = counts.get(row["assessment_id"], {})
        if not by_round:
            continue
        latest = by_round[max(by_round)]
        row["respondents"] = latest if row["kind"] == "workshop" else sum(by_round.values())
        found.append(row)
    found.sort(
        key=lambda r: (
            r["area_name"].casefold(),
            r["held_on"] is None,
            r["held_on"] or r["created_at"].date(),
            r["created_at"],
            r["assessment_id"],
        )
    )
    return _frame(found)


def assessment_answers(engine: Engine, assessment_id: int) -> pd.DataFrame:
    """The answers to compare for one assessment, in `scoring.answers.STORED_COLUMNS`.

    A workshop: every participant's answers in its latest round with any
    answer given (respondents P1, P2 ...). Any other kind: every response,
    drafts included (R1, R2 ...). Pass it to `scoring.engine.group_scores`.

    Raises:
        InputError: ``assessment_id`` names no assessment.
    """
    assessment_id = validate.record_id("assessment_id", assessment_id)
    with reading(engine) as conn:
        kind = conn.scalar(sa.select(assessments.c.kind).where(assessments.c.id == assessment_id))
        if kind is None:
            raise InputError("assessment_id", f"there is no assessment with id {assessment_id}")
        workshop_id = conn.scalar(
            sa.select(workshops.c.id).where(workshops.c.assessment_id == assessment_id)
        )
        rounds = _respondents(conn, assessment_id).get(assessment_id, {})
    if workshop_id is None:
        frame = answers_frame(engine, assessment_id)
    else:
        frame = workshop_answers(engine, workshop_id, [max(rounds, default=1)])
    return frame[list(STORED_COLUMNS)]


def _respondents(conn: Connection, assessment_id: int | None = None) -> dict[int, dict[int, int]]:
    """{assessment id: {round: responses with a non-blank answer}} (rounds without any left out)."""
    answered = sa.exists().where(answers.c.response_id == responses.c.id, answers.c.answer != "")
    query = (
        sa.select(responses.c.assessment_id, responses.c.round, sa.func.count())
        .where(answered)
        .group_by(responses.c.assessment_id, responses.c.round)
    )
    if assessment_id is not None:
        query = query.where(responses.c.assessment_id == assessment_id)
    found: dict[int, dict[int, int]] = {}
    for assessment, round_, count in conn.execute(query):
        found.setdefault(assessment, {})[round_] = count
    return found


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as typed columns: `_TYPES`, created_at as UTC times, the rest as objects."""
    frame = pd.DataFrame(
        {
            name: pd.Series([r[name] for r in rows], dtype=_TYPES.get(name, "object"))
            for name in COMPARABLE_COLUMNS
        }
    )
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True).astype(
        "datetime64[us, UTC]"
    )
    return frame
