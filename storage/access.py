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
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage import codes
from storage.engine import reading
from storage.schema import admins, workshops

__all__ = [
    "ACCESS",
    "ANYONE",
    "KINDS",
    "KIND_NAMES",
    "AccessDenied",
    "Grant",
    "Kind",
    "allowed",
    "facilitator_grant",
    "grant_holds",
    "require",
    "require_admin",
    "require_facilitator",
    "unlock_workshop",
]

Kind = Literal["anyone", "participant", "owner", "facilitator", "admin"]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
KIND_NAMES: Final = MappingProxyType(
    {
        "anyone": "Anyone (no code)",
        "participant": "Participant",
        "owner": "Assessment owner",
        "facilitator": "Facilitator",
        "admin": "Administrator",
    }
)


@dataclass(frozen=True, slots=True)
class Grant:
    """What one session has shown. Secrets are kept out of ``repr``.

    Attributes:
        kind: which of the four kinds of people (or ``anyone``).
        workshop_id, join_code, secret: a facilitator's workshop, its stored
            join code (no dash) and its grant secret, all three checked on use.
        token: a participant's or an owner's token (only its hash is stored).
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
_NOT_PARTICIPANT: Final = _ALL - {"participant"}


def _only(*kinds: Kind) -> frozenset[Kind]:
    return frozenset(kinds)


#: Every page, download, action and command × the kinds of people it is open to.
#: "owner" and "facilitator" mean: of that assessment, of that workshop. A page open to
#: everyone may still show nothing without the right code (the dashboard asks for a key).
#: `docs/security.md` prints this table; `tests/unit/storage/test_access.py` keeps them equal.
ACCESS: Final[MappingProxyType[str, frozenset[Kind]]] = MappingProxyType(
    {
        # Pages
        "page:home": _NOT_PARTICIPANT,
        "page:start": _NOT_PARTICIPANT,
        "page:survey": _only("owner"),
        "page:results": _only("owner"),
        "page:workshop_open": _NOT_PARTICIPANT,
        "page:dashboard": _only("facilitator"),
        "page:join": _ALL,
        "page:take": _only("participant"),
        "page:compare": _only("admin"),
        "page:areas": _only("admin"),
        "page:essays": _NOT_PARTICIPANT,
        "page:method": _NOT_PARTICIPANT,
        "page:admin": _NOT_PARTICIPANT,
        # Downloads
        "download:assessment": _only("owner"),
        "download:workshop": _only("facilitator"),
        "download:compare": _only("admin"),
        "download:area_export": _only("admin"),
        # Actions
        "action:publish_assessment": _only("owner"),
        "action:publish_round": _only("facilitator"),
        "action:run_rounds": _only("facilitator"),
        "action:lock_joining": _only("facilitator"),
        "action:delete_workshop": _only("facilitator", "admin"),
        "action:delete_assessment": _only("owner", "admin"),
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


def unlock_workshop(engine: Engine, code: object, key: object) -> Grant | None:
    """The facilitator's grant when ``key`` opens the workshop ``code`` names; else None.

    Costs one PBKDF2 hash when the code names a workshop and the key is well formed
    (the only expensive step; callers bound how often a session may try).
    """
    stored, typed = codes.normalise_code(code), codes.normalise_key(key)
    if stored is None or typed is None:
        return None
    query = sa.select(workshops.c.id, workshops.c.key_salt, workshops.c.key_hash).where(
        workshops.c.join_code == stored
    )
    with reading(engine) as conn:
        row = conn.execute(query).first()
        if row is None or not codes.key_matches(typed, row.key_salt, row.key_hash):
            return None
        return facilitator_grant(conn, row.id)
