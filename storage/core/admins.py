"""Administrators: local accounts with passphrases, the one-time set-up link, the allow-list.

Why: an administrator sees every area's results, so signing in must hold up against
guessing. Production councils sign in through their own identity provider (OpenID
Connect, `ui.admin`); this module is the embedded default that lets ``make run`` work on
a laptop with no provider, and the allow-list rule both ways share.

- Accounts live in the ``admins`` table: an e-mail address or user name (stripped,
  lower-cased, unique) and an argon2id hash of the passphrase (`argon2-cffi`).
- Failed sign-ins back off per account: after `LOCK_AFTER` failures in a row the
  account is locked for `FIRST_LOCK`, doubling with each further failure up to
  `LONGEST_LOCK`; a success resets the count. While locked no passphrase is checked
  at all (cheap to refuse) and the refusal says when to try again.
- Which accounts exist does not show: a name with no account costs the same argon2
  check (against a dummy hash) and backs off the same way (counted in this process's
  memory), so neither timing nor a lock tells a guesser anything.
- The set-up link: while no administrator exists, `setup_token` makes a random token
  (only its SHA-256 is stored, with an expiry); `redeem_setup` makes the first
  administrator with it, once, and forgets every set-up token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from typing import Final

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from storage.core.access import Grant
from storage.core.engine import reading, writing
from storage.core.errors import InputError
from storage.core.schema import EMAIL_LENGTH, admin_setup, admins, now
from storage.core.throttle import Locked, Throttle, backoff
from storage.core.tokens import clean_token, hash_token, new_token
from storage.core.validate import visible

__all__ = [
    "FIRST_LOCK",
    "LOCK_AFTER",
    "LONGEST_LOCK",
    "MAX_PASSPHRASE",
    "MIN_PASSPHRASE",
    "SETUP_LIFETIME",
    "LockedOut",
    "add_admin",
    "allowed_by_list",
    "clean_email",
    "has_admins",
    "list_admins",
    "lock_for",
    "redeem_setup",
    "remove_admin",
    "setup_token",
    "setup_valid",
    "sign_in",
    "split_list",
]

MIN_PASSPHRASE: Final = 12
MAX_PASSPHRASE: Final = 1024
LOCK_AFTER: Final = 5  # failures in a row before the first lock
FIRST_LOCK: Final = timedelta(seconds=30)
LONGEST_LOCK: Final = timedelta(minutes=15)
SETUP_LIFETIME: Final = timedelta(hours=24)
_UNKNOWN_REMEMBERED: Final = 10_000  # names without an account whose failures are counted

#: argon2id with argon2-cffi's defaults (RFC 9106's second recommended setting, 64 MiB).
_HASHER = PasswordHasher()
_NAME = re.compile(r"[^\s\x00-\x1f\x7f]+")


class LockedOut(Locked):
    """Too many failed sign-ins for this name; nothing was checked (`storage.core.throttle.Locked`:
    ``until``, ``seconds`` and a ``message`` saying when to try again)."""

    what = "Too many failed sign-ins for this name"


# --- Names and passphrases -----------------------------------------------------


def clean_email(value: object, field: str = "email") -> str:
    """The e-mail address or user name as stored: stripped, lower-cased and in Unicode NFC.

    Raises:
        InputError: blank, too long, or with spaces, control characters, bidi controls
            or other format characters (zero-width ones) in it.
    """
    text = value.strip().lower() if isinstance(value, str) else ""
    if not text:
        raise InputError(field, "please give an e-mail address or a user name")
    text = visible(field, text, "e-mail address or user name")
    if len(text) > EMAIL_LENGTH:
        raise InputError(field, f"is too long; at most {EMAIL_LENGTH} characters, please")
    if not _NAME.fullmatch(text):
        raise InputError(field, "must not contain spaces or control characters")
    return text


def _clean_passphrase(value: object, field: str = "passphrase") -> str:
    """The passphrase as hashed (Unicode NFC, so the same words typed on two devices match).

    Raises:
        InputError: shorter than `MIN_PASSPHRASE` or longer than `MAX_PASSPHRASE` characters.
    """
    text = unicodedata.normalize("NFC", value) if isinstance(value, str) else ""
    if len(text) < MIN_PASSPHRASE:
        raise InputError(
            field,
            f"is too short: at least {MIN_PASSPHRASE} characters, please (a few words "
            "you will remember make a good one)",
        )
    if len(text) > MAX_PASSPHRASE:
        raise InputError(field, f"is too long: at most {MAX_PASSPHRASE} characters, please")
    return text


# --- Accounts --------------------------------------------------------------------


def add_admin(engine: Engine, email: str, passphrase: str) -> None:
    """Make a local administrator account.

    Raises:
        InputError: a bad name or passphrase, or an administrator of that name already.
    """
    name = clean_email(email)
    hashed = _HASHER.hash(_clean_passphrase(passphrase))
    taken = InputError("email", f"there is already an administrator called {name!r}")
    try:
        with writing(engine) as conn:
            if conn.scalar(sa.select(admins.c.id).where(admins.c.email == name)) is not None:
                raise taken
            _insert(conn, name, hashed)
    except sa.exc.IntegrityError:  # added at the same moment elsewhere (PostgreSQL)
        raise taken from None


def _insert(conn: sa.Connection, name: str, hashed: str) -> None:
    conn.execute(
        sa.insert(admins).values(
            email=name, passphrase_hash=hashed, created_at=now(), failures=0, locked_until=None
        )
    )


def remove_admin(engine: Engine, email: str) -> bool:
    """Remove a local administrator; whether there was one. Their sessions end at their
    next request (`storage.core.access.require_admin` looks the account up)."""
    try:
        name = clean_email(email)
    except InputError:
        return False
    with writing(engine) as conn:
        return conn.execute(sa.delete(admins).where(admins.c.email == name)).rowcount > 0


def list_admins(engine: Engine) -> list[str]:
    """Every local administrator's e-mail address or user name, sorted."""
    with reading(engine) as conn:
        return list(conn.scalars(sa.select(admins.c.email).order_by(admins.c.email)))


def has_admins(engine: Engine) -> bool:
    """Whether any local administrator exists."""
    with reading(engine) as conn:
        return conn.scalar(sa.select(admins.c.id).limit(1)) is not None


# --- Signing in --------------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    """A hash made like the real ones, for names without an account to be checked against."""
    return _HASHER.hash(new_token())


def _verify(hashed: str, passphrase: str) -> bool:
    try:
        return _HASHER.verify(hashed, passphrase)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def lock_for(failures: int) -> timedelta | None:
    """How long a name is locked after ``failures`` failures in a row (None: not locked)."""
    seconds = backoff(
        failures, LOCK_AFTER, FIRST_LOCK.total_seconds(), LONGEST_LOCK.total_seconds()
    )
    return timedelta(seconds=seconds) if seconds else None


#: Failures of names with no account, in this process's memory (the oldest forgotten).
#: Why: were only real accounts locked, five wrong guesses would tell a stranger whether
#: an account exists. Its clock is `now` (looked up on each call), as the accounts' is.
_UNKNOWN = Throttle(
    LOCK_AFTER,
    FIRST_LOCK.total_seconds(),
    LONGEST_LOCK.total_seconds(),
    size=_UNKNOWN_REMEMBERED,
    clock=lambda: now().timestamp(),
)


def sign_in(engine: Engine, email: object, passphrase: object) -> Grant | None:
    """The administrator's grant if ``passphrase`` is this account's; None otherwise.

    Costs one argon2 check, the same whether or not the account exists. A wrong
    passphrase counts a failure; `LOCK_AFTER` in a row lock the name (see `lock_for`).

    Raises:
        LockedOut: the name is locked; nothing was checked, and no failure counted.
    """
    try:
        name = clean_email(email)
    except InputError:
        name = ""
    typed = unicodedata.normalize("NFC", passphrase) if isinstance(passphrase, str) else ""
    at = now()
    row = None
    if name:
        with reading(engine) as conn:
            query = sa.select(admins.c.id, admins.c.passphrase_hash, admins.c.locked_until).where(
                admins.c.email == name
            )
            row = conn.execute(query).first()
    if row is not None:
        locked_until = row.locked_until
    else:
        wait = _UNKNOWN.wait(name)
        locked_until = at + timedelta(seconds=wait) if wait else None
    if locked_until is not None and locked_until > at:
        raise LockedOut(locked_until, at)
    fits = 0 < len(typed) <= MAX_PASSPHRASE
    stored = row.passphrase_hash if row is not None else _dummy_hash()
    good = _verify(stored, typed if fits else "-") and fits and row is not None
    if row is None:
        if name:
            _UNKNOWN.failed(name)
        return None
    return _record(engine, row.id, name, typed if good else None, stored)


def _record(
    engine: Engine, admin_id: int, name: str, good: str | None, stored: str
) -> Grant | None:
    """Count a failure (``good`` None) or reset the count (and rehash if the settings moved on)."""
    with writing(engine) as conn:
        if good is None:
            failures = conn.scalar(
                sa.update(admins)
                .where(admins.c.id == admin_id)
                .values(failures=admins.c.failures + 1)
                .returning(admins.c.failures)
            )
            wait = lock_for(failures or 0)
            if wait is not None:
                conn.execute(
                    sa.update(admins)
                    .where(admins.c.id == admin_id)
                    .values(locked_until=now() + wait)
                )
            return None
        values: dict[str, object] = {"failures": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(stored):
            values["passphrase_hash"] = _HASHER.hash(good)
        conn.execute(sa.update(admins).where(admins.c.id == admin_id).values(**values))
    return Grant("admin", admin=name, via="local")


# --- The set-up link -------------------------------------------------------------------


def setup_token(engine: Engine, lifetime: timedelta = SETUP_LIFETIME) -> str | None:
    """A new one-time set-up token while no administrator exists; None once one does.

    Only the token's SHA-256 is stored. Tokens made earlier stay good until they expire
    or one of them is used (two servers started at once each print a link that works);
    expired ones are deleted here.
    """
    token = new_token()
    at = now()
    with writing(engine) as conn:
        conn.execute(sa.delete(admin_setup).where(admin_setup.c.expires_at <= at))
        if conn.scalar(sa.select(admins.c.id).limit(1)) is not None:
            return None
        conn.execute(
            sa.insert(admin_setup).values(
                token_hash=hash_token(token), created_at=at, expires_at=at + lifetime
            )
        )
    return token


def setup_valid(engine: Engine, token: object) -> bool:
    """Whether ``token`` would make the first administrator now (unused, unexpired, and
    no administrator yet)."""
    cleaned = clean_token(token)
    if cleaned is None:
        return False
    with reading(engine) as conn:
        return _setup_open(conn, cleaned)


def _setup_open(conn: sa.Connection, token: str) -> bool:
    if conn.scalar(sa.select(admins.c.id).limit(1)) is not None:
        return False
    expires = conn.scalar(
        sa.select(admin_setup.c.expires_at).where(admin_setup.c.token_hash == hash_token(token))
    )
    return expires is not None and expires > now()


def redeem_setup(engine: Engine, token: object, email: str, passphrase: str) -> Grant:
    """Make the first administrator with a set-up token, and forget every set-up token.

    Raises:
        InputError: a bad name or passphrase (the token stays good), or a token that is
            not one, has expired or was used, or an administrator already exists
            (field ``setup``).
    """
    name = clean_email(email)
    hashed = _HASHER.hash(_clean_passphrase(passphrase))
    cleaned = clean_token(token)
    refused = InputError(
        "setup",
        "this set-up link has expired, has been used, or is not a set-up link; an "
        "administrator can sign in, or whoever runs Ladder can make one with "
        "python -m storage admin add",
    )
    if cleaned is None:
        raise refused
    try:
        with writing(engine) as conn:
            # Every token goes in one statement, first: a second redeemer at the same moment
            # waits for these rows (PostgreSQL) and then finds none; SQLite's BEGIN IMMEDIATE
            # queues it anyway. A refusal rolls the deletion back.
            gone = conn.execute(
                sa.delete(admin_setup)
                .where(admin_setup.c.expires_at > now())
                .returning(admin_setup.c.token_hash)
            )
            if hash_token(cleaned) not in set(gone.scalars()):
                raise refused
            if conn.scalar(sa.select(admins.c.id).limit(1)) is not None:
                raise refused
            _insert(conn, name, hashed)
            conn.execute(sa.delete(admin_setup))
    except sa.exc.IntegrityError:  # an administrator of that name made at the same moment
        raise refused from None
    return Grant("admin", admin=name, via="local")


# --- The allow-list for OpenID Connect sign-ins --------------------------------------------


def split_list(value: object) -> list[str]:
    """A setting's entries: a list, or text separated by commas (or spaces, or new lines);
    stripped, lower-cased, blanks dropped."""
    if isinstance(value, str):
        items: Iterable[object] = re.split(r"[,\s]+", value)
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return []
    return [str(item).strip().lower() for item in items if str(item).strip()]


def allowed_by_list(email: object, emails: Iterable[str], domains: Iterable[str]) -> bool:
    """Whether ``email`` is on the list: one of ``emails``, or at exactly one of ``domains``
    (``@council.gov.uk`` and ``council.gov.uk`` mean the same; a subdomain is another)."""
    if not isinstance(email, str):
        return False
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not (local and at and domain):
        return False
    if address in {e.strip().lower() for e in emails}:
        return True
    return domain in {d.strip().lower().lstrip("@") for d in domains}
