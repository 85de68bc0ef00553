"""Seat codes: one printed code per person, for rooms where who joins matters.

Why: a join code read out in a room travels; anyone holding it can join, and
two made-up people can lift a one-person role over k so that the role's figures
show the real person's answers (issue 12, "Filling the room"). With seat codes
on, joining needs one of the codes the facilitator printed as well, one code a
person, and each code joins once. A used code does not give its participant
back: the facilitator can list every code, so that would be a way into one
person's answers. People come back through their own link or the code shown
under their questions.

A code is 8 characters of the join-code alphabet (30 ** 8, about 2 ** 39:
guessing one of a room's codes is hopeless), shown as ``ABCD-EFGH`` and typed
any way. Codes are stored as they are (the facilitator may reprint them);
listing, making and switching them on take the facilitator's grant. The
participant a seat holds is never listed, only how many seats are taken.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage import validate
from storage.access import Grant
from storage.codes import CODE_ALPHABET, normalise_typed
from storage.engine import reading, writing
from storage.errors import InputError
from storage.rooms import facilitating, set_workshop
from storage.schema import SEAT_LENGTH, seats

__all__ = [
    "SEAT_MAX",
    "Seats",
    "claim_seat",
    "find_seat",
    "format_seat",
    "make_seats",
    "normalise_seat",
    "seats_of",
    "use_seat_codes",
]

#: The most seat codes one workshop may have.
SEAT_MAX: Final = 1000
_GROUP: Final = 4


@dataclass(frozen=True, slots=True)
class Seats:
    """A workshop's seat codes as its facilitator sees them.

    Attributes:
        on: whether joining needs a seat code.
        codes: every code, formatted ("ABCD-EFGH"), in alphabetical order.
        taken: how many codes someone has joined with (never which, nor who).
    """

    on: bool
    codes: tuple[str, ...]
    taken: int


def normalise_seat(text: object) -> str | None:
    """The stored form of a typed seat code ("abcd efgh" -> "ABCDEFGH"), or None: typed as
    join codes and keys are (`storage.codes.normalise_typed`, look-alikes refused)."""
    return normalise_typed(text, SEAT_LENGTH)


def format_seat(code: str) -> str:
    """A stored seat code as printed: "ABCDEFGH" -> "ABCD-EFGH"."""
    return f"{code[:_GROUP]}-{code[_GROUP:]}"


def make_seats(engine: Engine, grant: Grant, workshop_id: int, n: int) -> list[str]:
    """``n`` new seat codes for the workshop (formatted, to print); earlier codes stay.

    Making codes does not switch them on (`use_seat_codes` does), so a room can
    print its cards before asking for them.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``n`` is not a whole number from 1, or the workshop would
            have more than `SEAT_MAX` codes.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InputError("seats", f"{n!r} is not a number of seat codes; please give 1 or more")
    with writing(engine) as conn:
        facilitating(conn, grant, workshop_id)
        have = set(conn.scalars(sa.select(seats.c.code).where(seats.c.workshop_id == workshop_id)))
        if len(have) + n > SEAT_MAX:
            raise InputError(
                "seats",
                f"this workshop has {len(have)} seat codes; {n} more would pass the "
                f"{SEAT_MAX} a workshop may have",
            )
        made: list[str] = []
        while len(made) < n:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(SEAT_LENGTH))
            if code not in have:
                have.add(code)
                made.append(code)
        conn.execute(sa.insert(seats), [{"workshop_id": workshop_id, "code": c} for c in made])
    return [format_seat(c) for c in made]


def use_seat_codes(engine: Engine, grant: Grant, workshop_id: int, on: bool) -> None:
    """Ask (``on``) or stop asking for a seat code when people join.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    set_workshop(engine, grant, workshop_id, seat_codes=bool(on))


def seats_of(engine: Engine, grant: Grant, workshop_id: int) -> Seats:
    """The workshop's seat codes, to print, and how many are taken.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    query = sa.select(seats.c.code, seats.c.participant_id).where(
        seats.c.workshop_id == workshop_id
    )
    with reading(engine) as conn:
        workshop = facilitating(conn, grant, workshop_id, lock=False)
        rows = conn.execute(query.order_by(seats.c.code)).all()
    taken = sum(1 for r in rows if r.participant_id is not None)
    return Seats(workshop.seat_codes, tuple(format_seat(r.code) for r in rows), taken)


# --- Shared with storage.participants --------------------------------------------


def find_seat(conn: Connection, workshop_id: int, typed: object) -> sa.Row[Any, Any]:
    """The seat (``code``, ``participant_id``) a typed code names in this workshop.

    Raises:
        InputError: ``seat``: none typed, or not one of this workshop's codes.
    """
    if typed is None or (isinstance(typed, str) and not typed.strip()):
        raise InputError(
            "seat code",
            "this workshop asks for a seat code; please type the code on the card you were given",
        )
    code = normalise_seat(typed)
    row = None
    if code is not None:
        query = sa.select(seats.c.code, seats.c.participant_id).where(
            seats.c.workshop_id == workshop_id, seats.c.code == code
        )
        row = conn.execute(query).first()
    if row is None:
        raise InputError(
            "seat code",
            "that is not one of this workshop's seat codes; please check the card and type "
            "it again (8 letters and digits, like ABCD-EFGH)",
        )
    return row


def claim_seat(conn: Connection, workshop_id: int, code: str, participant_id: int) -> None:
    """Give a free seat to the participant who just joined with it."""
    conn.execute(
        sa.update(seats)
        .where(
            seats.c.workshop_id == workshop_id,
            seats.c.code == code,
            seats.c.participant_id.is_(None),
        )
        .values(participant_id=participant_id)
    )
