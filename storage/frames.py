"""An assessment's or a workshop's answers and plans as tables, ready for `scoring` and exports.

Why: scoring, agreement and the CSV export all speak the long answers format
(design.md "Interfaces that stay stable"). Storage produces exactly that, so
a saved assessment and an uploaded CSV are scored by the same code. People
appear as R1, R2, ... in the order they started (in a workshop: as their
pseudonym P1, P2 ..., the same in every round): stable within the assessment,
meaningless outside it, and never their resume token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scoring.answers import STORED_COLUMNS
from storage import validate
from storage.access import Grant, require_facilitator
from storage.engine import plain_rows, reading
from storage.errors import InputError
from storage.rooms import workshop_in
from storage.schema import RESPONSE_STATUSES, answers, participants, plans, responses

__all__ = [
    "ANSWER_FRAME_COLUMNS",
    "PARTICIPATION_COLUMNS",
    "PLAN_FRAME_COLUMNS",
    "answers_frame",
    "participation",
    "plans_frame",
    "workshop_answers",
]

ANSWER_FRAME_COLUMNS: tuple[str, ...] = STORED_COLUMNS
PLAN_FRAME_COLUMNS: tuple[str, ...] = ("respondent_id", "dimension_id", "target", "priority")
PARTICIPATION_COLUMNS: tuple[str, ...] = ("role", "joined", "answered_any", "submitted")
_TEXT = "str"
_TIME = "datetime64[us, UTC]"
_ANSWER_TYPES = (_TEXT, _TEXT, _TEXT, _TEXT, "int64", _TEXT, _TEXT, "object")


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
    return _long_frame([(names[r[0]], *r[1:]) for r in rows])


def workshop_answers(
    engine: Engine, grant: Grant, workshop_id: int, rounds: Sequence[int] | None = None
) -> pd.DataFrame:
    """Every participant's answers in the workshop (drafts included), in `ANSWER_FRAME_COLUMNS`,
    for the workshop's facilitator only.

    Not what the room sees: the dashboard and the downloads read
    `storage.roomviews.room_view` (sent answers, k and no differencing). This is
    the workshop's raw record, e.g. for tests and for a facilitator's own checks.
    ``respondent_id`` is the participant's pseudonym, the same in every round.
    Rows by round, then joining order, then question id. ``rounds`` keeps only
    those rounds (all when None).

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``workshop_id`` names no workshop, or ``rounds`` is not
            a list of round numbers.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    chosen = None if rounds is None else _rounds(rounds)
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        return workshop_rows(conn, workshop_id, chosen)


def workshop_rows(
    conn: Connection,
    workshop_id: int,
    rounds: Sequence[int] | None = None,
    sent_only: bool = False,
) -> pd.DataFrame:
    """`workshop_answers` without the grant check, in the caller's connection.

    Internal: only for storage modules that have checked access themselves
    (`storage.compare` reads published, closed rounds this way). Drafts included
    unless ``sent_only`` (then only responses with status 'submitted', as the room
    sees them: see `storage.roomviews`).

    Raises:
        InputError: ``workshop_id`` names no workshop, or ``rounds`` is not
            a list of round numbers.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    where = [participants.c.workshop_id == workshop_id]
    if rounds is not None:
        where.append(responses.c.round.in_(_rounds(rounds)))
    if sent_only:
        where.append(responses.c.status == "submitted")
    order = (responses.c.round, participants.c.id)
    # Why two queries: a response's columns are read once, not once per answer (a
    # 300-person room has 300 responses and 22,000 answers).
    heads = (
        sa.select(
            responses.c.id,
            participants.c.pseudonym,
            responses.c.role,
            responses.c.round,
            responses.c.submitted_at,
        )
        .join_from(responses, participants)
        .where(*where)
        .order_by(*order)
    )
    body = (
        sa.select(
            answers.c.response_id,
            answers.c.question_id,
            answers.c.answer,
            answers.c.confidence,
            answers.c.evidence,
        )
        .join_from(answers, responses)
        .join(participants)
        .where(*where)
        .order_by(*order, answers.c.question_id)
    )
    workshop_in(conn, workshop_id)
    head_rows = conn.execute(heads).all()
    body_rows = plain_rows(conn, body)  # text columns only: no conversion needed
    return _expanded_frame(head_rows, body_rows)


def participation(engine: Engine, grant: Grant, workshop_id: int, round: int) -> pd.DataFrame:
    """Submissions by role in one round: `PARTICIPATION_COLUMNS`, one row per role.

    For the facilitator only (``grant`` is checked), and for storage's own checks: no page
    shows it, because a count per role under k is not shown (the dashboard counts people
    from `storage.roomviews`).

    ``joined`` counts everyone in the workshop with the role (people, groups
    and paper forms; they join once, for every round); ``answered_any`` those
    with at least one answer given in the round (dk and na count; blanks do
    not); ``submitted`` those whose response in the round is submitted. Every
    role offered has a row, in the workshop's order (zeros included), then
    any other role present (paper forms default to 'other').
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    round_ = validate.round_number(round)
    answered = sa.exists().where(answers.c.response_id == responses.c.id, answers.c.answer != "")
    in_round = sa.and_(responses.c.participant_id == participants.c.id, responses.c.round == round_)
    query = (
        sa.select(participants.c.role, responses.c.status, answered.label("answered"))
        .select_from(participants.outerjoin(responses, in_round))
        .where(participants.c.workshop_id == workshop_id)
    )
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        workshop = workshop_in(conn, workshop_id)
        rows = conn.execute(query).all()
    extra = sorted({r.role for r in rows} - set(workshop.roles))
    counts = {role: [0, 0, 0] for role in (*workshop.roles, *extra)}
    for row in rows:
        tally = counts[row.role]
        tally[0] += 1
        tally[1] += bool(row.answered)
        tally[2] += row.status == "submitted"
    return pd.DataFrame(
        {
            "role": pd.Series(list(counts), dtype=_TEXT),
            **{
                name: pd.Series([c[i] for c in counts.values()], dtype="int64")
                for i, name in enumerate(PARTICIPATION_COLUMNS[1:])
            },
        }
    )


def _long_frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Rows of `ANSWER_FRAME_COLUMNS` values as a typed frame (empty rows: empty columns)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(ANSWER_FRAME_COLUMNS)
    frame = pd.DataFrame(
        {
            name: pd.Series(list(values), dtype=dtype)
            for name, values, dtype in zip(
                ANSWER_FRAME_COLUMNS, columns, _ANSWER_TYPES, strict=True
            )
        }
    )
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).astype(_TIME)
    return frame


def _expanded_frame(heads: Sequence[Sequence[Any]], body: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The long frame from response rows (id, respondent, role, round, submitted_at) and
    answer rows (response id, question, answer, confidence, evidence)."""
    head_columns = list(zip(*heads, strict=True)) if heads else [()] * 5
    head = pd.DataFrame(
        {
            "respondent_id": pd.Series(head_columns[1], dtype=_TEXT),
            "role": pd.Series(head_columns[2], dtype=_TEXT),
            "round": pd.Series(head_columns[3], dtype="int64"),
            "submitted_at": pd.to_datetime(
                pd.Series(head_columns[4], dtype="object"), utc=True
            ).astype(_TIME),
        }
    )
    position = {response_id: i for i, response_id in enumerate(head_columns[0])}
    columns = list(zip(*body, strict=True)) if body else [()] * 5
    each = head.take([position[response_id] for response_id in columns[0]])
    each = each.reset_index(drop=True)
    return pd.DataFrame(
        {
            "respondent_id": each["respondent_id"],
            "question_id": pd.Series(columns[1], dtype=_TEXT),
            "answer": pd.Series(columns[2], dtype=_TEXT),
            "role": each["role"],
            "round": each["round"],
            "confidence": pd.Series(columns[3], dtype=_TEXT),
            "evidence": pd.Series(columns[4], dtype=_TEXT),
            "submitted_at": each["submitted_at"],
        }
    )


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


def _rounds(rounds: object) -> list[int]:
    if isinstance(rounds, str | bytes) or not isinstance(rounds, Iterable):
        raise InputError("rounds", f"expected a list of round numbers, not {type(rounds).__name__}")
    return [validate.round_number(r, "rounds") for r in rounds]


def _statuses(statuses: Iterable[str]) -> list[str]:
    wanted = [statuses] if isinstance(statuses, str) else list(statuses)
    candidates: list[str | None] = [*wanted] or [None]  # none chosen: say so
    for status in candidates:
        if status not in RESPONSE_STATUSES:
            raise InputError(
                "statuses", f"{status!r} is not a status; please choose draft, submitted or both"
            )
    return wanted
