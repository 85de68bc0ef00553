"""Participants: join a workshop by its code, come back by token, answer in each round.

Why: people join on their phones with no name asked. Each gets a pseudonym
(P1, P2 ... in joining order, the same in every round) and a resume token
for their URL, of which only the SHA-256 is kept. Round 2 starts from each
person's round-1 answers, so re-scoring after discussion means changing a few.

Concurrency: joining numbers people under a lock on the workshop's row
(SQLite: the write lock), so a hundred people joining at once get a hundred
different pseudonyms; two tabs opening the same round get one response.

Filling the room (issue 12): nobody new joins while the facilitator has locked
joining; at most `JOIN_LIMIT` people join one workshop in any `JOIN_WINDOW`
(more when the facilitator expects a bigger room), so a script cannot pour
made-up people in; with seat codes on (`storage.workshop.seats`) joining needs a free
seat code, and each code joins once.
Coming back is never a new join: the participant link (``?p=``), or the code
shown under the questions.

Pages import all of this from `storage`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.access import Grant
from storage.core.engine import reading, writing
from storage.core.errors import InputError
from storage.core.model import Participant, ParticipantKind, Response, Status
from storage.core.repo import columns_of
from storage.core.schema import answers, now, participants, plans, responses, workshops
from storage.core.tokens import clean_token, hash_token, new_token
from storage.workshop.rooms import facilitating, offered_role, workshop_in
from storage.workshop.seats import claim_seat, find_seat

__all__ = [
    "JOIN_LIMIT",
    "JOIN_WINDOW",
    "add_participants",
    "count_joined",
    "current_response",
    "find_participant",
    "insert_responses",
    "join_workshop",
]

RESPONSE_ATTEMPTS = 3
#: Joins one workshop takes in any `JOIN_WINDOW`: a room of 50 scanning the QR code at
#: the same moment gets in (the load test ramps 50 people in 10 s); a script adding
#: made-up people is held to a few a second. A workshop expecting more people allows
#: a fifth more than it expects.
JOIN_LIMIT: Final = 60
JOIN_WINDOW: Final = timedelta(seconds=10)
BUSY = "many people are joining at once; please try again in a few seconds"
#: A seat code joins once. Why not "the same code gives the same person back": the
#: facilitator holds every code, so a code that reopened a participant would let them read
#: that person's answers. Coming back goes through the person's own link or code.
SEAT_USED = (
    "that seat code has been used already; to come back to your answers, open the link you "
    'joined with, or type the code shown under your questions in "Been here before?"'
)
LOCKED = (
    "the facilitator has closed joining for this workshop; if you should be in it, "
    "ask them to open it again"
)


def join_workshop(
    engine: Engine, workshop_id: int, role: str, kind: str = "person", seat: object = None
) -> tuple[Participant, str]:
    """A new participant with the next pseudonym, and the resume token for their URL.

    The token is returned once; only its SHA-256 is stored. No name is asked or kept.
    With seat codes on, ``seat`` (typed any way) must be one of the workshop's seat
    codes that nobody has used: each code joins one person, once.

    Raises:
        InputError: naming ``joining`` (the facilitator locked joining, or too many
            people are joining at once: try again in a few seconds), ``seat code``
            (needed and missing, not this workshop's, or used already), ``role``
            (not offered), or
            ``workshop_id`` or ``kind``.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    role = validate.identifier("role", role)
    checked_kind = validate.participant_kind(kind)
    token = new_token()
    with writing(engine) as conn:
        workshop = workshop_in(conn, workshop_id, lock=True)
        code = None
        if workshop.seat_codes:
            found = find_seat(conn, workshop.id, seat)
            if found.participant_id is not None:
                raise InputError("seat code", SEAT_USED)
            code = found.code
        if workshop.joining_locked:
            raise InputError("joining", LOCKED)
        offered_role(workshop, role)
        if _joined_lately(conn, workshop.id) >= _limit(workshop.expected):
            raise InputError("joining", BUSY)
        [participant] = add_participants(conn, workshop.id, [(role, checked_kind)], [token])
        if code is not None:
            claim_seat(conn, workshop.id, code, participant.id)
    return participant, token


def count_joined(engine: Engine, grant: Grant, workshop_id: int) -> int:
    """How many people have joined the workshop themselves (not table groups or paper).

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        facilitating(conn, grant, workshop_id, lock=False)
        return int(conn.scalar(_people(workshop_id)) or 0)


def _people(workshop_id: int) -> sa.Select[Any]:
    return (
        sa.select(sa.func.count())
        .select_from(participants)
        .where(participants.c.workshop_id == workshop_id, participants.c.kind == "person")
    )


def _joined_lately(conn: Connection, workshop_id: int) -> int:
    since = now() - JOIN_WINDOW
    return int(conn.scalar(_people(workshop_id).where(participants.c.created_at >= since)) or 0)


def _limit(expected: int | None) -> int:
    return max(JOIN_LIMIT, (expected or 0) * 6 // 5)


def _participant(conn: Connection, participant_id: int) -> Participant:
    query = sa.select(*columns_of(participants, Participant)).where(
        participants.c.id == participant_id
    )
    return Participant(**conn.execute(query).one()._mapping)


def find_participant(engine: Engine, token: object) -> Participant | None:
    """The participant a resume token names, or None (unknown or malformed; never raises)."""
    cleaned = clean_token(token)
    if cleaned is None:
        return None
    query = sa.select(*columns_of(participants, Participant)).where(
        participants.c.token_hash == hash_token(cleaned)
    )
    with reading(engine) as conn:
        row = conn.execute(query).first()
    return None if row is None else Participant(**row._mapping)


def current_response(engine: Engine, participant_id: int) -> Response:
    """The participant's response in the workshop's current round, created on first call.

    A new response is a draft prefilled, in the same transaction, with the
    answers and plans of the participant's latest earlier round. Two tabs
    calling at once get the same response: the second insert meets the
    unique (participant, round) index and retries, finding the first.

    Raises:
        InputError: ``participant_id`` names no participant.
    """
    participant_id = validate.record_id("participant_id", participant_id)
    with reading(engine) as conn:  # every page rerun asks: answer without the write lock
        _, found = _lookup(conn, participant_id)
    if found is not None:
        return found
    for attempt in range(1, RESPONSE_ATTEMPTS + 1):
        try:
            with writing(engine) as conn:
                return _current_response(conn, participant_id)
        except sa.exc.IntegrityError:
            if attempt == RESPONSE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def earlier_answers(engine: Engine, participant_id: int) -> dict[str, str]:
    """The participant's own answers (question id -> answer) in their latest round before the
    workshop's current one; empty in round 1 or when they gave none. Their own answers only:
    the page has found the participant by their token.

    Raises:
        InputError: ``participant_id`` names no participant.
    """
    participant_id = validate.record_id("participant_id", participant_id)
    with reading(engine) as conn:
        head, _ = _lookup(conn, participant_id)
        earlier = conn.scalar(
            sa.select(responses.c.id)
            .where(
                responses.c.participant_id == participant_id,
                responses.c.round < head.current_round,
            )
            .order_by(responses.c.round.desc())
            .limit(1)
        )
        if earlier is None:
            return {}
        query = sa.select(answers.c.question_id, answers.c.answer).where(
            answers.c.response_id == earlier
        )
        return {row.question_id: row.answer for row in conn.execute(query) if row.answer}


def _lookup(conn: Connection, participant_id: int) -> tuple[sa.Row[Any, Any, Any], Response | None]:
    """The participant's role, workshop round and assessment, and their response in that round."""
    head_query = (
        sa.select(participants.c.role, workshops.c.current_round, workshops.c.assessment_id)
        .join_from(participants, workshops)
        .where(participants.c.id == participant_id)
    )
    head = conn.execute(head_query).first()
    if head is None:
        raise InputError("participant_id", f"there is no participant with id {participant_id}")
    query = sa.select(*columns_of(responses, Response)).where(
        responses.c.participant_id == participant_id, responses.c.round == head.current_round
    )
    found = conn.execute(query).first()
    return head, None if found is None else Response(**found._mapping)


def _current_response(conn: Connection, participant_id: int) -> Response:
    head, found = _lookup(conn, participant_id)
    if found is not None:
        return found
    stamp = now()
    [response] = insert_responses(
        conn, head.assessment_id, [(participant_id, head.role, head.current_round)], "draft", stamp
    )
    _prefill(conn, participant_id, response.id, head.current_round, stamp)
    return response


def _prefill(
    conn: Connection, participant_id: int, response_id: int, round_: int, stamp: Any
) -> None:
    """Copy the answers and plans of the participant's latest earlier round into a new response."""
    earlier = conn.scalar(
        sa.select(responses.c.id)
        .where(responses.c.participant_id == participant_id, responses.c.round < round_)
        .order_by(responses.c.round.desc())
        .limit(1)
    )
    if earlier is None:
        return
    for table, columns in (
        (answers, ("question_id", "answer", "confidence", "evidence")),
        (plans, ("dimension_id", "target", "priority")),
    ):
        query = sa.select(*(table.c[c] for c in columns)).where(table.c.response_id == earlier)
        rows = [
            {**row._mapping, "response_id": response_id, "updated_at": stamp}
            for row in conn.execute(query)
        ]
        if rows:
            conn.execute(sa.insert(table), rows)


# --- Shared with storage.workshop.paper ----------------------------------------------------


def add_participants(
    conn: Connection,
    workshop_id: int,
    people: Sequence[tuple[str, ParticipantKind]],
    tokens: Sequence[str] | None = None,
) -> list[Participant]:
    """New participants (role, kind), pseudonyms continuing P1, P2 ... in the given order.

    The caller holds the workshop's row lock (`workshop_in` with ``lock``), so
    no one else numbers at the same time. Without ``tokens`` (groups, paper)
    each gets the hash of a token nobody is given: the row can never be resumed.
    """
    if not people:
        return []
    count = conn.execute(
        sa.select(sa.func.count())
        .select_from(participants)
        .where(participants.c.workshop_id == workshop_id)
    ).scalar_one()
    stamp = now()
    tokens = tokens if tokens is not None else [new_token() for _ in people]
    rows: list[dict[str, Any]] = [
        {
            "workshop_id": workshop_id,
            "pseudonym": f"P{count + n}",
            "role": role,
            "kind": kind,
            "created_at": stamp,
        }
        for n, (role, kind) in enumerate(people, start=1)
    ]
    insert = sa.insert(participants).returning(participants.c.id, sort_by_parameter_order=True)
    hashed = [{**row, "token_hash": hash_token(t)} for row, t in zip(rows, tokens, strict=True)]
    ids = list(conn.scalars(insert, hashed))
    return [Participant(id=i, **row) for i, row in zip(ids, rows, strict=True)]


def insert_responses(
    conn: Connection,
    assessment_id: int,
    items: Sequence[tuple[int, str, int]],
    status: Status,
    stamp: Any,
) -> list[Response]:
    """New responses for (participant_id, role, round), with no answers yet.

    Each response keeps the hash of a token nobody is given (the column is
    required and unique): workshop responses are reached through their participant.
    """
    values = [
        {
            "assessment_id": assessment_id,
            "role": role,
            "round": round_,
            "step": 0,
            "status": status,
            "created_at": stamp,
            "updated_at": stamp,
            "submitted_at": stamp if status == "submitted" else None,
        }
        for _, role, round_ in items
    ]
    rows = [
        {**v, "participant_id": item[0], "token_hash": hash_token(new_token())}
        for v, item in zip(values, items, strict=True)
    ]
    insert = sa.insert(responses).returning(responses.c.id, sort_by_parameter_order=True)
    ids = list(conn.scalars(insert, rows))
    return [Response(id=i, **v) for i, v in zip(ids, values, strict=True)]
