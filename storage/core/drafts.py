"""A respondent's answers and plans, saved at every step and loaded back.

Why: "nothing lost" (design.md). Every step saves the answers shown on it,
all in one transaction, so a dropped connection leaves the draft as it was
after the previous step or after this one, never half of each. Saves are
upserts: answering a question again replaces the earlier answer.

A workshop participant's response can change only while its round is open:
once the facilitator closes the round, saving or submitting into it is
refused (``InputError`` on ``round``), so the room discusses fixed numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.engine import dialect_insert, reading, writing
from storage.core.errors import InputError
from storage.core.model import AnswerInput, Assessment, Draft, PlanInput
from storage.core.repo import columns_of
from storage.core.schema import answers as answer_table
from storage.core.schema import assessments, now, participants, responses, workshops
from storage.core.schema import plans as plan_table
from storage.core.tokens import clean_token, hash_token

__all__ = ["checked_rows", "load_draft", "save_draft", "submit_response"]


def save_draft(
    engine: Engine,
    response_id: int,
    answers: Mapping[str, AnswerInput],
    plans: Mapping[str, PlanInput],
    step: int,
    *,
    allow_submitted: bool = False,
) -> None:
    """Save some answers and plans (replacing earlier ones for the same ids) and the step reached.

    Answers and plans not named are left as they were. Everything is checked
    before anything is written, and written in one transaction.

    Args:
        allow_submitted: let a submitted response change (workshops amend
            answers until the facilitator closes the round).

    Raises:
        InputError: naming the first bad field (e.g. ``answers.p1a.evidence``),
            or ``response_id`` if there is no such response, or ``round`` if it
            is a workshop response whose round has closed, or ``status`` if it
            has been submitted and ``allow_submitted`` is False.
    """
    response_id = validate.record_id("response_id", response_id)
    step = validate.step(step)
    stamp = now()
    answer_rows, plan_rows = checked_rows(answers, plans, response_id=response_id, updated_at=stamp)
    with writing(engine) as conn:
        status = _lock_status(conn, response_id)
        if status == "submitted" and not allow_submitted:
            raise InputError(
                "status", "this response has been submitted, so its answers can no longer change"
            )
        _upsert(conn, answer_table, answer_rows, ("response_id", "question_id"))
        _upsert(conn, plan_table, plan_rows, ("response_id", "dimension_id"))
        conn.execute(
            sa.update(responses)
            .where(responses.c.id == response_id)
            .values(step=step, updated_at=stamp)
        )


def submit_response(engine: Engine, response_id: int) -> None:
    """Mark the response submitted (once: submitting again keeps the first time)."""
    response_id = validate.record_id("response_id", response_id)
    with writing(engine) as conn:
        if _lock_status(conn, response_id, submitting=True) == "submitted":
            return
        stamp = now()
        conn.execute(
            sa.update(responses)
            .where(responses.c.id == response_id)
            .values(status="submitted", submitted_at=stamp, updated_at=stamp)
        )


def load_draft(engine: Engine, response_id: int) -> Draft:
    """Everything saved for a response, as one consistent snapshot.

    Raises:
        InputError: ``response_id`` names no response.
    """
    response_id = validate.record_id("response_id", response_id)
    with reading(engine) as conn:
        draft = _draft_in(conn, response_id)
    if draft is None:
        raise InputError("response_id", f"there is no response with id {response_id}")
    return draft


def find_draft(engine: Engine, token: object) -> Draft | None:
    """The draft a resume token opens, read in one transaction; None for an unknown or
    malformed token (never raises for it). Why one: the survey page reads this on every
    rerun, and each transaction is a BEGIN and a COMMIT more."""
    cleaned = clean_token(token)
    if cleaned is None:
        return None
    with reading(engine) as conn:
        response_id = conn.execute(
            sa.select(responses.c.id).where(responses.c.token_hash == hash_token(cleaned))
        ).scalar()
        return None if response_id is None else _draft_in(conn, response_id)


def _draft_in(conn: Connection, response_id: int) -> Draft | None:
    head = (
        sa.select(
            responses.c.role,
            responses.c.round,
            responses.c.step,
            responses.c.status,
            responses.c.submitted_at,
            *(c.label(f"a_{c.name}") for c in columns_of(assessments, Assessment)),
        )
        .join_from(responses, assessments)
        .where(responses.c.id == response_id)
    )
    a, p = answer_table.c, plan_table.c
    answer_query = sa.select(a.question_id, a.answer, a.confidence, a.evidence).where(
        a.response_id == response_id
    )
    plan_query = sa.select(p.dimension_id, p.target, p.priority).where(p.response_id == response_id)
    row = conn.execute(head).first()
    if row is None:
        return None
    saved_answers = {
        r.question_id: AnswerInput(r.answer, r.confidence, r.evidence)
        for r in conn.execute(answer_query)
    }
    saved_plans = {
        r.dimension_id: PlanInput(r.target, bool(r.priority)) for r in conn.execute(plan_query)
    }
    values = row._mapping
    assessment = Assessment(**{k[2:]: v for k, v in values.items() if k.startswith("a_")})
    return Draft(
        response_id=response_id,
        assessment=assessment,
        role=values["role"],
        round=values["round"],
        step=values["step"],
        status=values["status"],
        submitted_at=values["submitted_at"],
        answers=MappingProxyType(saved_answers),
        plans=MappingProxyType(saved_plans),
    )


def checked_rows(
    answers: object, plans: object, **common: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Answer and plan rows for the tables, every field checked, each with ``common`` values.

    Raises:
        InputError: naming the first bad field, e.g. ``answers.p1a.answer``.
    """
    answer_rows = [
        {**common, "question_id": qid, **_answer_values(qid, value)}
        for qid, value in _keyed("answers", answers)
    ]
    plan_rows = [
        {**common, "dimension_id": did, **_plan_values(did, value)}
        for did, value in _keyed("plans", plans)
    ]
    return answer_rows, plan_rows


def _keyed(field: str, items: object) -> list[tuple[str, Any]]:
    """The (id, value) pairs of a mapping, with every id checked."""
    if not isinstance(items, Mapping):
        raise InputError(field, f"expected a mapping of ids to inputs, not {type(items).__name__}")
    return [(validate.identifier(field, key), value) for key, value in items.items()]


def _answer_values(question_id: str, value: object) -> dict[str, Any]:
    checked = validate.answer_input(question_id, value)
    return {
        "answer": checked.answer,
        "confidence": checked.confidence,
        "evidence": checked.evidence,
    }


def _plan_values(dimension_id: str, value: object) -> dict[str, Any]:
    checked = validate.plan_input(dimension_id, value)
    return {"target": checked.target, "priority": checked.priority}


def _lock_status(conn: Connection, response_id: int, submitting: bool = False) -> str:
    """The response's status, locking its row until commit (SQLite: the write lock already does).

    A workshop response whose round has closed is refused here, unless it is
    being submitted and was submitted already (a second click changes nothing).
    """
    query = (
        sa.select(responses.c.status, responses.c.round, responses.c.participant_id)
        .where(responses.c.id == response_id)
        .with_for_update()
    )
    row = conn.execute(query).first()
    if row is None:
        raise InputError("response_id", f"there is no response with id {response_id}")
    already = submitting and row.status == "submitted"
    if row.participant_id is not None and not already:
        _refuse_closed_round(conn, row.participant_id, row.round)
    return str(row.status)


def _refuse_closed_round(conn: Connection, participant_id: int, round_: int) -> None:
    """InputError on ``round`` unless ``round_`` is the workshop's current, open round.

    Why the share lock (PostgreSQL): `storage.workshop.rooms.close_round` waits for
    saves already under way, and a save never lands after the close.
    """
    query = (
        sa.select(workshops.c.current_round, workshops.c.round_open)
        .join_from(participants, workshops)
        .where(participants.c.id == participant_id)
        .with_for_update(read=True, of=workshops)
    )
    workshop = conn.execute(query).one()
    if round_ == workshop.current_round and workshop.round_open:
        return
    then = (
        f"the workshop is now in round {workshop.current_round}"
        if round_ < workshop.current_round
        else "please wait for the facilitator to open the next round"
    )
    raise InputError(
        "round",
        f"this round has closed (round {round_}), so its answers can no longer change; {then}",
    )


def _upsert(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> None:
    """Insert the rows, or update every non-key column where the key exists already."""
    if rows:
        conn.execute(_upsert_statement(conn.dialect.name, table, key), rows)


@functools.cache
def _upsert_statement(dialect: str, table: sa.Table, key: tuple[str, ...]) -> Any:
    """The upsert, built once per dialect and table. Why: building it and its cache key
    on every save was a tenth of a participant's page run; statements are immutable."""
    insert = dialect_insert(dialect, table)
    changed = {c.name: insert.excluded[c.name] for c in table.columns if c.name not in key}
    return insert.on_conflict_do_update(index_elements=list(key), set_=changed)
