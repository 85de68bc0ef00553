"""What the room view shows: the screen the facilitator chose, whether results are revealed,
and the room link a second machine opens it with (issue 15, item 1).

Why: the room view runs on the projector, often on another machine than the facilitator's
console, so the console's choices must live in the database, not in a browser session:
the room view reads them every couple of seconds. Results are hidden until the
facilitator reveals them, so nobody's early answers anchor the room; opening the next
round hides them again until that round is revealed.

The room link carries a random token (``?screen=…``, 128 bits); the database keeps only its
SHA-256, and making a new link ends the old one. Whoever holds the link sees exactly what
the room sees, and nothing else: `storage.core.access.room_reach` lets a room screen's
grant read the room's view only of rounds whose results are revealed, with k and the
no-differencing rule applied as for the dashboard (`storage.workshop.roomviews`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from common.screens import RESULT_SCREENS
from storage.core import validate
from storage.core.access import Grant, room_reach
from storage.core.engine import dialect_insert, reading, writing
from storage.core.model import Workshop
from storage.core.schema import now, participants, responses, room_screens
from storage.core.tokens import clean_token, hash_token, new_token
from storage.workshop.rooms import facilitating, workshop_in

__all__ = ["RoomScreen", "drive_room", "make_room_link", "room_grant", "room_screen"]


@dataclass(frozen=True, slots=True)
class RoomScreen:
    """What the room view shows now.

    Attributes:
        workshop: the workshop (its record carries no key or secret; its join code is
            shown to the room anyway).
        screen: the screen the facilitator chose (`common.screens.ROOM_SCREENS`).
        revealed_round: the last round whose results the room may see (0: none yet).
        sent: people who have sent their answers in the current round (a count only).
    """

    workshop: Workshop
    screen: str
    revealed_round: int
    sent: int

    @property
    def round(self) -> int:
        return self.workshop.current_round

    @property
    def joining_open(self) -> bool:
        """Whether people can still join (the join code stays on screen)."""
        return not self.workshop.joining_locked

    @property
    def revealed(self) -> bool:
        """Whether the current round's results are revealed to the room."""
        return self.revealed_round >= self.round

    @property
    def shows_results(self) -> bool:
        """Whether the chosen screen is a results screen the room may see now."""
        return self.screen in RESULT_SCREENS and self.revealed


def room_screen(engine: Engine, grant: Grant, workshop_id: int) -> RoomScreen:
    """What the room view shows now, for the facilitator or the workshop's room screen.

    Raises:
        AccessDenied: ``grant`` is neither (never saying whether the workshop exists).
        InputError: ``workshop_id`` names no workshop.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        room_reach(conn, grant, workshop_id)
        return _screen(conn, workshop_id)


def drive_room(
    engine: Engine,
    grant: Grant,
    workshop_id: int,
    *,
    screen: str | None = None,
    reveal: bool | None = None,
) -> RoomScreen:
    """Put ``screen`` on the room view and/or reveal (True) or hide (False) the current
    round's results; the facilitator's only.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``screen`` is not a room screen.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    values: dict[str, object] = {}
    if screen is not None:
        values["screen"] = validate.room_screen(screen)
    with writing(engine) as conn:
        workshop = facilitating(conn, grant, workshop_id)
        if reveal:
            values["revealed_round"] = workshop.current_round
        elif reveal is not None:  # hide this round's results; earlier rounds stay as they were
            shown = _screen(conn, workshop_id).revealed_round
            values["revealed_round"] = min(shown, workshop.current_round - 1)
        if values:
            _upsert(conn, workshop_id, values)
        return _screen(conn, workshop_id)


def make_room_link(engine: Engine, grant: Grant, workshop_id: int) -> str:
    """A new room link's token (the old link, if any, stops working); the facilitator's only.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    token = new_token()
    with writing(engine) as conn:
        facilitating(conn, grant, workshop_id)
        _upsert(conn, workshop_id, {"token_hash": hash_token(token)})
    return token


def room_grant(engine: Engine, typed: object) -> Grant | None:
    """The room screen's grant for a room link's token, or None when it opens nothing (not
    a token, or not the current link of any workshop). One indexed read; no slow hash,
    since a 128-bit random token cannot be guessed."""
    token = clean_token(typed)
    if token is None:
        return None
    query = sa.select(room_screens.c.workshop_id).where(
        room_screens.c.token_hash == hash_token(token)
    )
    with reading(engine) as conn:
        workshop_id = conn.scalar(query)
    if workshop_id is None:
        return None
    return Grant("room", workshop_id=int(workshop_id), token=token)


def _upsert(conn: Connection, workshop_id: int, values: dict[str, object]) -> None:
    row = {"workshop_id": workshop_id, "changed_at": now(), **values}
    insert = dialect_insert(conn.dialect.name, room_screens).values(row)
    changed = {c: insert.excluded[c] for c in row if c != "workshop_id"}
    conn.execute(insert.on_conflict_do_update(index_elements=["workshop_id"], set_=changed))


def _screen(conn: Connection, workshop_id: int) -> RoomScreen:
    workshop = workshop_in(conn, workshop_id)
    row = conn.execute(
        sa.select(room_screens.c.screen, room_screens.c.revealed_round).where(
            room_screens.c.workshop_id == workshop_id
        )
    ).first()
    sent = conn.scalar(
        sa.select(sa.func.count(responses.c.id))
        .select_from(responses.join(participants))
        .where(
            participants.c.workshop_id == workshop_id,
            responses.c.round == workshop.current_round,
            responses.c.status == "submitted",
        )
    )
    return RoomScreen(
        workshop=workshop,
        screen=row.screen if row is not None else "join",
        revealed_round=int(row.revealed_round or 0) if row is not None else 0,
        sent=int(sent or 0),
    )
