"""A workshop's room: open it, find it by its code, unlock it, and run its rounds.

Why: the second job (design.md). A facilitator opens a workshop and reads
out a join code; participants (`storage.workshop.participants`) answer privately in
the current round until the facilitator closes it, discuss, and score again
in the next. The facilitator key is checked here; only its salted hash is
stored (`storage.core.codes`).

Closing a round takes the workshop's row lock, and saves take a share lock
on it (`storage.core.drafts`), so a close waits for saves under way and no save
lands after it.

Everything that changes a workshop (its rounds, who may join) takes the
facilitator's `storage.core.access.Grant` and checks it in the same transaction
(`facilitating`): a page that forgot to ask for the key is still refused.

Pages import all of this from `storage`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from common.consensus import DEFAULT_RULE
from storage.core import codes, validate
from storage.core.access import Grant, key_opens, require_facilitator
from storage.core.engine import inserted_id, reading, writing
from storage.core.errors import InputError
from storage.core.model import Workshop
from storage.core.repo import insert_assessment
from storage.core.schema import assessments, follow_ups, now, workshops

__all__ = [
    "EXPECTED_MAX",
    "MODULES_FORM",
    "can_answer",
    "check_key",
    "close_round",
    "facilitating",
    "find_workshop",
    "get_workshop",
    "list_workshops",
    "lock_joining",
    "offered_role",
    "open_next_round",
    "open_workshop",
    "set_expected",
    "set_workshop",
    "workshop_in",
    "workshop_query",
    "workshop_record",
]

#: The assessment's ``form_id`` when a workshop asks several modules rather than one form.
MODULES_FORM = "modules"
CODE_ATTEMPTS = 5  # a join code collides about once in 20 billion; five tries is plenty
#: The most people a facilitator may say they expect (a large conference hall).
EXPECTED_MAX = 2000

_WORKSHOP = (
    *(c for c in workshops.c if c.name not in {"key_salt", "key_hash", "grant_secret"}),
    assessments.c.area_id,
)


def _workshop(row: sa.Row[Any]) -> Workshop:
    return _record(dict(row._mapping))


def _record(values: dict[str, Any]) -> Workshop:
    values["join_code"] = codes.format_code(values["join_code"])
    values["dimensions"] = tuple(json.loads(values["dimensions"]))
    values["roles"] = tuple(json.loads(values["roles"]))
    for flag in ("round_open", "joining_locked", "seat_codes"):
        values[flag] = bool(values[flag])
    return Workshop(**values)


def _workshops() -> sa.Select[Any]:
    return sa.select(*_WORKSHOP).join_from(workshops, assessments)


def workshop_query() -> sa.Select[Any]:
    """The query a `Workshop` is read with (add columns or conditions to it); `workshop_record`
    makes the record from its row. For storage modules that read a workshop in a larger query."""
    return _workshops()


def workshop_record(row: sa.Row[Any]) -> Workshop:
    """The `Workshop` of a `workshop_query` row (extra columns are ignored)."""
    return _record({c.name: row._mapping[c.name] for c in _WORKSHOP})


# --- Opening and finding -------------------------------------------------------


def open_workshop(
    engine: Engine,
    area_id: int,
    bank_hash: str,
    title: str,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int = 3,
    form_id: str | None = None,
    expected: int | None = None,
    consensus_rule: str = DEFAULT_RULE,
    follows: int | None = None,
) -> tuple[Workshop, str]:
    """A new workshop (and its assessment, of kind 'workshop'), and its facilitator key.

    The key is returned once, formatted for writing down ("ABCDE-FGHJK-...");
    only a salted hash of it is stored. ``dimensions`` and ``roles`` keep
    their order; a repeated id is asked once. Round 1 is open at once.
    ``expected`` is how many people the facilitator expects (None: not said).
    ``consensus_rule`` is when a question counts as agreed (`common.consensus`).
    ``follows``: the assessment this one follows up, recorded in the same transaction (its
    actions are then asked about first); only `storage.results.actions.open_next_workshop`
    passes it, after checking that its caller holds that assessment.

    Raises:
        InputError: naming ``title``, ``dimensions``, ``roles``, ``k``,
            ``form_id``, ``expected``, ``consensus_rule``, ``area_id`` or
            ``content_hash`` (the bank).
    """
    stamp = now()
    checked: dict[str, Any] = {
        "title": validate.workshop_title(title),
        "dimensions": validate.identifiers("dimensions", dimensions),
        "form_id": None if form_id is None else validate.identifier("form_id", form_id),
        "roles": validate.identifiers("roles", roles),
        "k": validate.k(k),
        "expected": _expected(expected),
        "consensus_rule": validate.consensus_rule(consensus_rule),
        "current_round": 1,
        "round_open": True,
        "created_at": stamp,
    }
    assessment_values: dict[str, Any] = {
        "area_id": validate.record_id("area_id", area_id),
        "kind": "workshop",
        "title": checked["title"],
        "form_id": checked["form_id"] or MODULES_FORM,
        "bank_hash": validate.content_hash(bank_hash),
        "held_on": None,
        "created_at": stamp,
    }
    key, salt = codes.new_key(), codes.new_salt()
    stored = {
        **checked,
        "dimensions": json.dumps(list(checked["dimensions"])),
        "roles": json.dumps(list(checked["roles"])),
        "key_salt": salt,
        "key_hash": codes.hash_key(key, salt),
        "grant_secret": codes.new_salt(),
    }
    for attempt in range(1, CODE_ATTEMPTS + 1):
        code = codes.new_code()
        try:
            with writing(engine) as conn:
                assessment = insert_assessment(conn, assessment_values)
                row = {**stored, "assessment_id": assessment.id, "join_code": code}
                workshop_id = inserted_id(conn, sa.insert(workshops).values(row))
                if follows is not None:
                    conn.execute(
                        sa.insert(follow_ups).values(
                            assessment_id=assessment.id, follows_id=follows
                        )
                    )
        except sa.exc.IntegrityError:
            if attempt == CODE_ATTEMPTS or not _code_taken(engine, code):
                raise
            continue
        workshop = Workshop(
            id=workshop_id,
            assessment_id=assessment.id,
            area_id=assessment.area_id,
            join_code=codes.format_code(code),
            **checked,
        )
        return workshop, codes.format_key(key)
    raise AssertionError("unreachable")  # pragma: no cover


def _code_taken(engine: Engine, code: str) -> bool:
    with reading(engine) as conn:
        query = sa.select(workshops.c.id).where(workshops.c.join_code == code)
        return conn.execute(query).first() is not None


def find_workshop(engine: Engine, code: object) -> Workshop | None:
    """The workshop a join code opens, typed any way ("abc defg"); None if none (never raises).

    A malformed code is None without touching the database, and an unknown one
    is None too: the caller says "no workshop with that code" and nothing else.
    """
    stored = codes.normalise_code(code)
    if stored is None:
        return None
    with reading(engine) as conn:
        row = conn.execute(_workshops().where(workshops.c.join_code == stored)).first()
    return None if row is None else _workshop(row)


def get_workshop(engine: Engine, workshop_id: int) -> Workshop | None:
    if not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
        return None
    with reading(engine) as conn:
        row = conn.execute(_workshops().where(workshops.c.id == workshop_id)).first()
    return None if row is None else _workshop(row)


def list_workshops(engine: Engine, area_id: int | None = None) -> list[Workshop]:
    """Workshops (of one area, or all), newest first."""
    query = _workshops().order_by(workshops.c.created_at.desc(), workshops.c.id.desc())
    if area_id is not None:
        query = query.where(assessments.c.area_id == area_id)
    with reading(engine) as conn:
        return [_workshop(row) for row in conn.execute(query)]


def check_key(engine: Engine, workshop_id: int, key: object) -> bool:
    """Whether ``key`` (case, spaces and dashes ignored) is this workshop's facilitator key.

    `storage.core.access.key_opens`: hashed in the key pool, a wrong key counted, and refused
    unhashed (`storage.core.access.KeyLocked`) while the workshop's key entry is locked.
    """
    return key_opens(engine, workshop_id, key)


def can_answer(workshop: Workshop) -> bool:
    """Whether participants may answer (and amend) now: the current round is open."""
    return workshop.round_open


# --- Rounds ---------------------------------------------------------------------


def close_round(engine: Engine, grant: Grant, workshop_id: int) -> None:
    """Close the current round: answers in it can no longer change (closing twice is fine).

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    set_workshop(engine, grant, workshop_id, round_open=False)


def open_next_round(engine: Engine, grant: Grant, workshop_id: int) -> int:
    """Open the next round and return its number; the current round must be closed first.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``round`` when the current round is still open.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with writing(engine) as conn:
        workshop = facilitating(conn, grant, workshop_id)
        current = workshop.current_round
        if workshop.round_open:
            raise InputError(
                "round",
                f"round {current} is still open; please close it before opening round "
                f"{current + 1}",
            )
        conn.execute(
            sa.update(workshops)
            .where(workshops.c.id == workshop_id)
            .values(current_round=current + 1, round_open=True)
        )
    return current + 1


# --- Who may join ----------------------------------------------------------------


def lock_joining(engine: Engine, grant: Grant, workshop_id: int, locked: bool) -> None:
    """Stop (``locked``) or allow again new people joining; those in the room stay in.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    set_workshop(engine, grant, workshop_id, joining_locked=bool(locked))


def set_expected(engine: Engine, grant: Grant, workshop_id: int, n: int | None) -> None:
    """Say how many people the room should hold (None: not said); the dashboard
    warns when more than that have joined.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``expected`` is not a whole number from 1 to `EXPECTED_MAX`.
    """
    set_workshop(engine, grant, workshop_id, expected=_expected(n))


def _expected(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= EXPECTED_MAX:
        return value
    raise InputError(
        "expected",
        f"{value!r} is not a number of people; please give a whole number from 1 to "
        f"{EXPECTED_MAX}, or leave it blank",
    )


# --- Shared with storage.workshop: participants, paper and agreements ---


def workshop_in(conn: Connection, workshop_id: int, lock: bool = False) -> Workshop:
    """The workshop, read in the caller's transaction; ``lock`` holds its row until commit.

    Raises:
        InputError: ``workshop_id`` names no workshop.
    """
    query = _workshops().where(workshops.c.id == workshop_id)
    if lock:
        query = query.with_for_update(key_share=True, of=workshops)
    row = conn.execute(query).first()
    if row is None:
        raise InputError("workshop_id", f"there is no workshop with id {workshop_id}")
    return _workshop(row)


def set_workshop(engine: Engine, grant: Grant, workshop_id: int, **values: object) -> None:
    """Set some of a workshop's columns (already checked by the caller), once ``grant`` is
    shown to be its facilitator's: the one way the dashboard's switches change a workshop.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with writing(engine) as conn:
        facilitating(conn, grant, workshop_id)
        conn.execute(sa.update(workshops).where(workshops.c.id == workshop_id).values(**values))


def facilitating(conn: Connection, grant: Grant, workshop_id: int, lock: bool = True) -> Workshop:
    """The workshop, once ``grant`` is shown to be its facilitator's (same id, join
    code and secret: a stale unlock is refused); ``lock`` (writes) holds its row until commit.

    Raises:
        AccessDenied: ``grant`` does not hold for this workshop (or there is none:
            the refusal never says which).
    """
    require_facilitator(conn, grant, workshop_id)
    return workshop_in(conn, workshop_id, lock=lock)


def offered_role(workshop: Workshop, role: str) -> None:
    if role not in workshop.roles:
        raise InputError(
            "role",
            f"{role!r} is not a role offered in this workshop; please choose one of "
            f"{', '.join(workshop.roles)}",
        )
