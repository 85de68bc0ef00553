"""Resume tokens: the only key a respondent holds to their draft.

Why: the survey URL carries the token (``?r=...``) so a refresh, a closed
tab or a server restart brings the respondent back. Whoever has the token
can read and change the draft, so it is random (128 bits), and the database
keeps only its SHA-256: a copy of the database does not let anyone resume
someone else's answers. No salt is needed: 128 random bits cannot be guessed
from their hash, and an unsalted hash can be looked up directly.
"""

from __future__ import annotations

import hashlib
import re
import secrets

__all__ = ["TOKEN_LENGTH", "clean_token", "hash_token", "new_token", "spaced_token"]

TOKEN_BYTES = 16
TOKEN_LENGTH = 22  # url-safe base64 of 16 bytes, without padding
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}", re.ASCII)


def new_token() -> str:
    """A fresh token: 22 characters from A-Z, a-z, 0-9, '-' and '_' (safe in a URL as is)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def clean_token(text: object) -> str | None:
    """The token in ``text`` (spaces and line breaks ignored), or None if it is not one.

    Why: a person may copy a token from an email with a line break in it, or
    type it from paper in the spaced form `spaced_token` prints. Zero-width and
    right-to-left characters are not spaces (and not in the token's alphabet), so a
    token with one in it does not match.
    """
    if not isinstance(text, str):
        return None
    token = "".join(text.split())
    return token if _TOKEN.fullmatch(token) else None


def hash_token(token: str) -> str:
    """The SHA-256 (hex) that the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def spaced_token(token: str) -> str:
    """The token in groups of four for reading aloud or copying by hand ("AbCd eFgH ... xY")."""
    return " ".join(token[i : i + 4] for i in range(0, len(token), 4))
