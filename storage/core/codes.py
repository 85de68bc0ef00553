"""Join codes and facilitator keys: random, easy to read aloud, and typed any way.

Why: a facilitator reads the join code out across a room and people type it
on phones, so it is short (``ABC-DEFG``) and drawn from an alphabet without
look-alikes (no 0/O, 1/I/L, and no U, which makes words). 30 ** 7 is about
2 ** 34: guessing one workshop's code is hopeless, and codes rarely collide.

The facilitator key unlocks the dashboard, rounds, imports and exports. It is
shown once and kept only as a salted PBKDF2 hash, so a copy of the database
does not open anyone's workshop. The key is 20 characters of the same
alphabet (about 98 random bits), in groups of five for writing down.

Checking a key costs one PBKDF2 (some 50 ms of CPU), so a few sessions
guessing keys at once could take every core from the participants saving
their answers (32 guessers once slowed every save from 33 ms to over a
second). So `key_matches` hashes in one small pool of worker threads
(`KEY_WORKERS`; ``hashlib.pbkdf2_hmac`` lets go of the GIL, so the rest of the
server carries on), never in the page's own thread, and at most
`KEY_WAITING` checks wait their turn: one more is refused at once with
`KeyBusy` ("busy, try again") rather than queued without limit. Opening a
workshop hashes its new key directly (`hash_key`): nobody can make it often
without opening workshops. Wrong keys in a row also lock a workshop's key
entry for a while (`storage.core.access`), and then nothing is hashed at all.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "KEY_ITERATIONS",
    "KEY_LENGTH",
    "KEY_WAITING",
    "KEY_WORKERS",
    "KeyBusy",
    "format_code",
    "format_key",
    "hash_key",
    "key_matches",
    "new_code",
    "new_key",
    "new_salt",
    "normalise_code",
    "normalise_key",
    "normalise_typed",
]

CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 7
KEY_LENGTH: Final = 20
KEY_GROUP: Final = 5
#: PBKDF2-HMAC-SHA256 rounds. Changing it makes every stored key unusable: it needs a migration.
KEY_ITERATIONS: Final = 200_000
SALT_BYTES: Final = 16
#: Threads hashing keys: one leaves the other cores to everyone else.
KEY_WORKERS: Final = 1
#: Key checks that may wait for a worker; one more is refused (`KeyBusy`).
KEY_WAITING: Final = 8
#: What people type between groups: spaces, hyphens and the dashes word processors put in.
_SEPARATORS = str.maketrans("", "", " \t\r\n-\u2010\u2011\u2012\u2013\u2014\u2212")
_ALLOWED = frozenset(CODE_ALPHABET)


def _random(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_typed(text: object, length: int) -> str | None:
    """Upper-case, separators dropped; None unless exactly ``length`` alphabet characters.

    Anything else, zero-width and right-to-left characters included, means no match.
    Only ASCII is upper-cased: the long s (U+017F) upper-cases to "S" and the ligature
    U+FB05 to "ST", so a code typed with look-alikes would otherwise match.
    """
    if not isinstance(text, str):
        return None
    cleaned = text.translate(_SEPARATORS)
    if not cleaned.isascii():
        return None
    cleaned = cleaned.upper()
    if len(cleaned) != length or not _ALLOWED.issuperset(cleaned):
        return None
    return cleaned


def new_code() -> str:
    """A fresh join code, as stored: 7 characters from `CODE_ALPHABET`, no dash."""
    return _random(CODE_LENGTH)


def normalise_code(text: object) -> str | None:
    """The stored form of a typed code ("abc defg", "ABC-DEFG" -> "ABCDEFG"), or None."""
    return normalise_typed(text, CODE_LENGTH)


def format_code(code: str) -> str:
    """A stored code as shown and read aloud: "ABCDEFG" -> "ABC-DEFG"."""
    return f"{code[:3]}-{code[3:]}"


def new_key() -> str:
    """A fresh facilitator key, as hashed: 20 characters from `CODE_ALPHABET`, no dashes."""
    return _random(KEY_LENGTH)


def normalise_key(text: object) -> str | None:
    """The hashed form of a typed key (case, spaces and dashes ignored), or None."""
    return normalise_typed(text, KEY_LENGTH)


def format_key(key: str) -> str:
    """A key as shown once to the facilitator: "ABCDE-FGHJK-MNPQR-STVWX"."""
    return "-".join(key[i : i + KEY_GROUP] for i in range(0, len(key), KEY_GROUP))


def new_salt() -> str:
    """A fresh per-workshop salt: 16 random bytes as 32 hex digits."""
    return secrets.token_hex(SALT_BYTES)


def hash_key(key: str, salt: str) -> str:
    """PBKDF2-HMAC-SHA256 of the normalised key with the workshop's salt, as 64 hex digits."""
    digest = hashlib.pbkdf2_hmac("sha256", key.encode("ascii"), bytes.fromhex(salt), KEY_ITERATIONS)
    return digest.hex()


class KeyBusy(Exception):
    """Too many key checks are waiting already; this one was not made. Try again shortly."""

    message = "The server is busy checking keys: please try again in a few seconds."

    def __init__(self) -> None:
        super().__init__(self.message)


_POOL = ThreadPoolExecutor(max_workers=KEY_WORKERS, thread_name_prefix="ladder-key")
#: Checks being hashed or waiting to be: taken without blocking, so a full pool refuses.
_SLOTS = threading.BoundedSemaphore(KEY_WORKERS + KEY_WAITING)


def key_matches(
    key: str, salt: str, expected: str, meanwhile: Callable[[], object] | None = None
) -> bool:
    """Whether ``key`` (normalised) hashes to ``expected``; compared in constant time.

    The hash runs in the key pool (see the module's notes), this thread waiting for it,
    after running ``meanwhile()`` (what the caller would otherwise do once the key opened:
    the hash holds no lock Python needs, so both run at once). ``meanwhile`` runs only
    when the key is hashed, so it is bounded as the hashing is.

    Raises:
        KeyBusy: `KEY_WORKERS` + `KEY_WAITING` checks are under way already.
    """
    if not _SLOTS.acquire(blocking=False):
        raise KeyBusy
    try:
        hashed = _POOL.submit(hash_key, key, salt)
        try:
            if meanwhile is not None:
                meanwhile()
        finally:
            digest = hashed.result()
    finally:
        _SLOTS.release()
    return hmac.compare_digest(digest, expected)
