"""Who may see and change what: the access table, the grants people hold, and the checks.

Why: every page, download and command must check who is asking, and a new page
must not be able to forget. So the rule lives here, in the core, in two forms:

- `ACCESS`, the table ``docs/security.md`` prints (a test keeps the two equal):
  each page, download, action and command, and the kinds of people allowed;
- the checks the storage functions that return or change data call with the
  caller's `Grant` (`require_admin`, `require_facilitator`), so a page that
  skipped the table would still be refused by the data it asks for.

A `Grant` is what a session holds after showing something: a join code then a
participant token (*participant*), a resume code (*owner*), one workshop's key
(*facilitator*), or a sign-in (*admin*). Anyone else is `ANYONE`. Grants live on
the server (Streamlit's session state), never in the browser.

A facilitator's grant is bound to the workshop's id, its join code and a
per-workshop secret that is never shown: a workshop deleted and another
opened cannot inherit the unlock, even if a database gave the id out twice.
Checking a grant is one indexed read; only unlocking costs a key hash.

Guessing a workshop's key is slow and seen (issue 13, item 3). Wrong keys are
counted per workshop in the database (``key_attempts``, so every server
process and replica shares the count, raised by one atomic statement): after
`KEY_LOCK_AFTER` in a row the workshop's key entry is locked for
`KEY_FIRST_LOCK`, doubling with each further wrong key up to
`KEY_LONGEST_LOCK`, and while it is locked no key is hashed at all
(`KeyLocked` says until when); the right key resets the count. A facilitator
who already holds a grant is never locked out: grants are checked, not keys.
Wrong keys refused while locked are counted too, and the facilitator is told
once, the next time they open the dashboard (`take_key_notice`). Each wrong
key is logged ("ladder" logger) with the workshop's id and the count, never
what was typed. The hash itself runs in `storage.core.codes`'s bounded pool.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from types import MappingProxyType
from typing import Final, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import codes
from storage.core.engine import dialect_insert, reading, writing
from storage.core.schema import (
    admins,
    key_attempts,
    now,
    participants,
    room_screens,
    workshops,
)
from storage.core.throttle import Locked, backoff
from storage.core.tokens import hash_token

__all__ = [
    "ACCESS",
    "ANYONE",
    "KEY_FIRST_LOCK",
    "KEY_LOCK_AFTER",
    "KEY_LONGEST_LOCK",
    "KINDS",
    "KIND_NAMES",
    "AccessDenied",
    "Grant",
    "KeyLocked",
    "KeyNotice",
    "Kind",
    "allowed",
    "facilitator_grant",
    "grant_holds",
    "key_lock_for",
    "key_opens",
    "require",
    "require_admin",
    "require_facilitator",
    "require_room",
    "room_reach",
    "take_key_notice",
    "unlock_workshop",
    "within_reach",
]

log = logging.getLogger("ladder")

KEY_LOCK_AFTER: Final = 10  # wrong keys in a row before a workshop's key entry locks
KEY_FIRST_LOCK: Final = timedelta(minutes=5)
KEY_LONGEST_LOCK: Final = timedelta(hours=1)

Kind = Literal["anyone", "participant", "owner", "facilitator", "room", "admin"]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
KIND_NAMES: Final = MappingProxyType(
    {
        "anyone": "Anyone (no code)",
        "participant": "Participant",
        "owner": "Assessment owner",
        "facilitator": "Facilitator",
        "room": "Room screen",
        "admin": "Administrator",
    }
)


@dataclass(frozen=True, slots=True)
class Grant:
    """What one session has shown. Secrets are kept out of ``repr``.

    Attributes:
        kind: which of the four kinds of people (or ``anyone``), or ``room``: a room
            screen, which holds one workshop's room link and sees only its room view.
        workshop_id, join_code, secret: a facilitator's workshop, its stored
            join code (no dash) and its grant secret, all three checked on use.
        token: a participant's, an owner's or a room link's token (only its hash is stored).
        admin: the administrator's e-mail address or user name.
        via: how the administrator signed in: ``"local"`` or ``"oidc"``.
    """

    kind: Kind
    workshop_id: int | None = None
    join_code: str | None = None
    secret: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    admin: str | None = None
    via: str | None = None


ANYONE: Final = Grant("anyone")


class AccessDenied(Exception):
    """The caller's grant does not allow this. ``message`` is one line a person can read,
    and never says whether the thing asked for exists."""

    def __init__(self, what: str, who: str = "") -> None:
        self.what = what
        self.message = f"{what} is open only to {who}" if who else f"{what} is not open to you"
        super().__init__(self.message)


_ALL: Final = frozenset(KINDS)
_NOT_PARTICIPANT: Final = _ALL - {"participant", "room"}


def _only(*kinds: Kind) -> frozenset[Kind]:
    return frozenset(kinds)


#: Every page, download, action and command × the kinds of people it is open to.
#: "owner" and "facilitator" mean: of that assessment, of that workshop. A page open to
#: everyone may still show nothing without the right code (the dashboard asks for a key).
#: `docs/security.md` prints this table; tests/unit/storage/core/test_access_doc.py keeps
#: them equal.
ACCESS: Final[MappingProxyType[str, frozenset[Kind]]] = MappingProxyType(
    {
        # Pages
        "page:home": _NOT_PARTICIPANT,
        "page:start": _NOT_PARTICIPANT,
        "page:survey": _only("owner"),
        "page:results": _only("owner", "admin"),
        "page:workshop_open": _NOT_PARTICIPANT,
        "page:dashboard": _only("facilitator"),
        "page:room": _only("facilitator", "room"),
        "page:join": _ALL - {"room"},
        "page:take": _only("participant"),
        "page:compare": _only("admin"),
        "page:areas": _only("admin"),
        "page:area_home": _only("admin"),
        "page:essays": _NOT_PARTICIPANT,
        "page:method": _NOT_PARTICIPANT,
        "page:context": _NOT_PARTICIPANT,
        "page:admin": _NOT_PARTICIPANT,
        # Downloads
        "download:assessment": _only("owner"),
        "download:workshop": _only("facilitator"),
        "download:compare": _only("admin"),
        "download:area_export": _only("admin"),
        "download:published": _only("admin"),
        # Actions
        "action:publish_assessment": _only("owner"),
        "action:publish_round": _only("facilitator"),
        "action:run_rounds": _only("facilitator"),
        "action:lock_joining": _only("facilitator"),
        "action:drive_room": _only("facilitator"),
        "action:delete_workshop": _only("facilitator", "admin"),
        "action:delete_assessment": _only("owner", "admin"),
        "action:plan_actions": _only("owner", "facilitator", "admin"),
        "action:import_results": _only("admin"),
        "action:demo_data": _only("admin"),
        "action:comparison_groups": _only("admin"),
        "action:withdraw_entries": _only("admin"),
        "action:edit_areas": _only("admin"),
        "action:manage_admins": _only("admin"),
        # Commands (`python -m storage ...`): whoever can run them holds the server's
        # database, which is an administrator's position.
        "command:storage": _only("admin"),
    }
)


def allowed(name: str, kind: Kind) -> bool:
    """Whether ``kind`` may use the page, download, action or command ``name``.

    Raises:
        KeyError: ``name`` is not in `ACCESS` (a bug: every entry point is listed).
    """
    return kind in ACCESS[name]


def require(name: str, grant: Grant) -> None:
    """Refuse (`AccessDenied`) unless ``grant``'s kind may use ``name``."""
    if not allowed(name, grant.kind):
        raise AccessDenied(_WHAT.get(name.split(":", 1)[0], "This"), _who(ACCESS[name]))


_WHAT = {"page": "This page", "download": "This download", "action": "This", "command": "This"}


def _who(kinds: frozenset[Kind]) -> str:
    return " and ".join(KIND_NAMES[k].lower() + "s" for k in KINDS if k in kinds)


# --- Checks on data --------------------------------------------------------------


def require_admin(conn: Connection, grant: Grant, what: str = "This") -> None:
    """Refuse unless ``grant`` is an administrator's that still holds.

    A local account must still exist (removing it ends its sessions at their
    next request); an OpenID Connect sign-in was checked against the allow-list
    when it was made; the command line's grant (``via="cli"``,
    `storage.cli.COMMAND_LINE`) is held by whoever runs ``python -m storage``
    on the server, that is whoever holds the database, and is never made by a page.
    """
    if grant.kind != "admin" or not grant.admin:
        raise AccessDenied(what, "administrators")
    if grant.via == "local":
        found = conn.scalar(sa.select(admins.c.id).where(admins.c.email == grant.admin))
        if found is None:
            raise AccessDenied(what, "administrators")


def require_facilitator(conn: Connection, grant: Grant, workshop_id: int) -> None:
    """Refuse unless ``grant`` unlocked this very workshop: same id, same join code,
    same secret. A stale unlock (the workshop deleted, its id given again) fails."""
    if not grant_holds(conn, grant, workshop_id):
        raise AccessDenied("This workshop's dashboard", "its facilitator")


def room_reach(conn: Connection, grant: Grant, workshop_id: int) -> int | None:
    """How far ``grant`` sees into this workshop's room: None for its facilitator (every
    round), else, for its room screen or one of its participants, the last round whose
    results the facilitator has revealed to the room (0: none yet). Checked in one or two
    indexed reads.

    Raises:
        AccessDenied: ``grant`` is neither (the refusal never says whether the workshop exists).
    """
    if grant_holds(conn, grant, workshop_id):
        return None
    if grant.kind == "participant" and grant.workshop_id == workshop_id and grant.token:
        # a participant of this workshop sees what the room was shown, as the room does
        joined = sa.select(participants.c.id).where(
            participants.c.token_hash == hash_token(grant.token),
            participants.c.workshop_id == workshop_id,
        )
        if conn.scalar(joined) is not None:
            shown = sa.select(room_screens.c.revealed_round).where(
                room_screens.c.workshop_id == workshop_id
            )
            return int(conn.scalar(shown) or 0)
    if grant.kind == "room" and grant.workshop_id == workshop_id and grant.token:
        query = sa.select(room_screens.c.token_hash, room_screens.c.revealed_round).where(
            room_screens.c.workshop_id == workshop_id
        )
        row = conn.execute(query).first()
        # the link's token must still be the one stored: a new link ends the old
        if (
            row is not None
            and row.token_hash
            and hmac.compare_digest(row.token_hash, hash_token(grant.token))
        ):
            return int(row.revealed_round or 0)
    raise AccessDenied(
        "This workshop's room view", "its facilitator, its room and its participants"
    )


def require_room(conn: Connection, grant: Grant, workshop_id: int, round: int) -> None:
    """Refuse unless ``grant`` may see the room's view of ``round`` (`room_reach`)."""
    within_reach(room_reach(conn, grant, workshop_id), round)


def within_reach(reach: int | None, round: int) -> None:
    """Refuse a round beyond a `room_reach` (the facilitator's None reaches every round)."""
    if reach is not None and round > reach:
        raise AccessDenied("This round's results", "the room once the facilitator reveals them")


def grant_holds(conn: Connection, grant: Grant, workshop_id: int) -> bool:
    """Whether ``grant`` is a facilitator's grant for ``workshop_id`` that still holds."""
    if grant.kind != "facilitator" or grant.workshop_id != workshop_id:
        return False
    if not (grant.join_code and grant.secret):
        return False
    query = sa.select(workshops.c.join_code, workshops.c.grant_secret).where(
        workshops.c.id == workshop_id
    )
    row = conn.execute(query).first()
    if row is None or not row.grant_secret:
        return False
    same_code = hmac.compare_digest(row.join_code, grant.join_code)
    return same_code and hmac.compare_digest(row.grant_secret, grant.secret)


def facilitator_grant(conn: Connection, workshop_id: int) -> Grant | None:
    """The grant for a workshop whose key has just been checked (or which was just opened)."""
    query = sa.select(workshops.c.join_code, workshops.c.grant_secret).where(
        workshops.c.id == workshop_id
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return Grant(
        "facilitator", workshop_id=workshop_id, join_code=row.join_code, secret=row.grant_secret
    )


# --- Facilitator keys: checked in the key pool, counted, locked -------------------------


class KeyLocked(Locked):
    """The workshop's key entry is locked after too many wrong keys; nothing was checked
    (`storage.core.throttle.Locked`: ``until``, ``seconds`` and a ``message``)."""

    what = "Too many wrong keys have been tried for this workshop"


@dataclass(frozen=True, slots=True)
class KeyNotice:
    """What the facilitator is told once: ``wrong`` keys tried since they last looked, and
    the latest time key entry was locked until in that while (None: it never locked)."""

    wrong: int
    locked_until: datetime | None


def key_lock_for(failures: int) -> timedelta | None:
    """How long key entry locks after ``failures`` wrong keys in a row (None: not locked)."""
    seconds = backoff(
        failures, KEY_LOCK_AFTER, KEY_FIRST_LOCK.total_seconds(), KEY_LONGEST_LOCK.total_seconds()
    )
    return timedelta(seconds=seconds) if seconds else None


def _key_rows() -> sa.Select:
    return sa.select(
        workshops.c.id, workshops.c.key_salt, workshops.c.key_hash, key_attempts.c.locked_until
    ).select_from(workshops.outerjoin(key_attempts, key_attempts.c.workshop_id == workshops.c.id))


def _opens(
    engine: Engine, row: sa.Row, typed: str, meanwhile: Callable[[int], object] | None = None
) -> bool:
    """Whether ``typed`` is the key of the workshop in ``row`` (a `_key_rows` row): refused
    unhashed while locked, hashed in the key pool otherwise (``meanwhile(workshop id)``
    run while it hashes); a wrong key counted."""
    at = now()
    if row.locked_until is not None and row.locked_until > at:
        _count(engine, row.id, at, locked=True)
        raise KeyLocked(row.locked_until, at)
    ahead = None if meanwhile is None else partial(meanwhile, row.id)
    if codes.key_matches(typed, row.key_salt, row.key_hash, ahead):
        with writing(engine) as conn:  # a right key: counting starts again
            conn.execute(
                sa.update(key_attempts)
                .where(key_attempts.c.workshop_id == row.id, key_attempts.c.failures > 0)
                .values(failures=0)
            )
        return True
    _count(engine, row.id, at, locked=False)
    return False


def _count(engine: Engine, workshop_id: int, at: datetime, *, locked: bool) -> None:
    """One more wrong key for the workshop, in one atomic statement (two servers counting at
    once both count); locks key entry when the count calls for it. Logs the count only."""
    step = 0 if locked else 1  # refused while locked: seen by the facilitator, not counted on
    with writing(engine) as conn:
        insert = dialect_insert(conn.dialect.name, key_attempts).values(
            workshop_id=workshop_id, failures=step, unseen=1
        )
        upsert = insert.on_conflict_do_update(
            index_elements=[key_attempts.c.workshop_id],
            set_={
                "failures": key_attempts.c.failures + step,
                "unseen": key_attempts.c.unseen + 1,
            },
        ).returning(key_attempts.c.failures, key_attempts.c.unseen)
        failures, unseen = conn.execute(upsert).one()
        wait = None if locked else key_lock_for(failures)
        if wait is not None:
            conn.execute(
                sa.update(key_attempts)
                .where(key_attempts.c.workshop_id == workshop_id)
                .values(locked_until=at + wait, unseen_lock=at + wait)
            )
    if locked:
        log.warning(
            "facilitator key for workshop %d refused unchecked: key entry is locked "
            "(%d wrong keys since its facilitator last looked)",
            workshop_id,
            unseen,
        )
    else:
        log.warning(
            "wrong facilitator key for workshop %d: %d in a row, %d since its facilitator "
            "last looked%s",
            workshop_id,
            failures,
            unseen,
            f"; key entry locked for {wait}" if wait is not None else "",
        )


def key_opens(engine: Engine, workshop_id: int, key: object) -> bool:
    """Whether ``key`` (case, spaces and dashes ignored) is this workshop's facilitator key.

    A wrong key is counted; a malformed one cannot match and costs nothing.

    Raises:
        KeyLocked: the workshop's key entry is locked; nothing was hashed.
        storage.core.codes.KeyBusy: too many key checks are waiting already.
    """
    typed = codes.normalise_key(key)
    if typed is None or not isinstance(workshop_id, int) or isinstance(workshop_id, bool):
        return False
    with reading(engine) as conn:
        row = conn.execute(_key_rows().where(workshops.c.id == workshop_id)).first()
    return row is not None and _opens(engine, row, typed)


def unlock_workshop(
    engine: Engine, code: object, key: object, meanwhile: Callable[[int], object] | None = None
) -> Grant | None:
    """The facilitator's grant when ``key`` opens the workshop ``code`` names; else None.

    Costs one PBKDF2 hash, in the key pool, when the code names a workshop whose key
    entry is not locked and the key is well formed; a wrong key is counted (`key_opens`).
    While it hashes, this thread runs ``meanwhile(workshop id)``: work that hands nothing
    to the caller (`storage.workshop.roomviews.read_ahead`), so the page that follows a
    right key waits once, not twice. It runs only when a key is hashed.

    Raises:
        KeyLocked: the workshop's key entry is locked; nothing was hashed.
        storage.core.codes.KeyBusy: too many key checks are waiting already.
    """
    stored, typed = codes.normalise_code(code), codes.normalise_key(key)
    if stored is None or typed is None:
        return None
    with reading(engine) as conn:
        row = conn.execute(_key_rows().where(workshops.c.join_code == stored)).first()
    if row is None or not _opens(engine, row, typed, meanwhile):
        return None
    with reading(engine) as conn:
        return facilitator_grant(conn, row.id)


def take_key_notice(engine: Engine, grant: Grant, workshop_id: int) -> KeyNotice | None:
    """The wrong keys tried since the facilitator last looked, once: taking it clears it.

    One indexed read when there is nothing to tell. Wrong keys counted while this runs
    are kept for next time (the count taken is subtracted, not zeroed).

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    query = sa.select(key_attempts.c.unseen, key_attempts.c.unseen_lock).where(
        key_attempts.c.workshop_id == workshop_id
    )
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        row = conn.execute(query).first()
    if row is None or row.unseen <= 0:
        return None
    with writing(engine) as conn:
        row = conn.execute(query.with_for_update()).first()
        if row is None or row.unseen <= 0:
            return None
        conn.execute(
            sa.update(key_attempts)
            .where(key_attempts.c.workshop_id == workshop_id)
            .values(unseen=key_attempts.c.unseen - row.unseen, unseen_lock=None)
        )
    return KeyNotice(row.unseen, row.unseen_lock)
