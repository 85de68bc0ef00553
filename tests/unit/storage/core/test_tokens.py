"""Resume tokens: random, typeable, only their hash stored."""

from __future__ import annotations

import hashlib
import re

import pytest

from storage.core.tokens import TOKEN_LENGTH, clean_token, hash_token, new_token, spaced_token


def test_new_tokens_are_22_url_safe_characters_and_differ() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in tokens)
    assert TOKEN_LENGTH == 22


def test_a_spaced_or_wrapped_token_is_cleaned_back() -> None:
    token = new_token()
    assert clean_token(spaced_token(token)) == token
    assert clean_token(f"  {token[:10]}\n{token[10:]}  ") == token
    assert spaced_token("abcdefghij") == "abcd efgh ij"


@pytest.mark.parametrize(
    "text",
    [None, 42, b"x" * 22, "", "short", "a" * 23, "a" * 21 + "!", "a" * 21 + "é", "../" * 8],
)
def test_malformed_tokens_clean_to_none(text: object) -> None:
    assert clean_token(text) is None


def test_hash_is_sha256_hex_of_the_token() -> None:
    token = new_token()
    assert hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(hash_token(token)) == 64


@pytest.mark.parametrize(
    "hidden",
    ["\u200b", "\u202e", "\u2066", "\u200d", "\ufeff"],
    ids=["ZWSP", "RLO", "LRI", "ZWJ", "BOM"],
)
def test_a_token_with_an_invisible_or_right_to_left_character_matches_nothing(
    hidden: str,
) -> None:
    token = new_token()
    assert clean_token(token) == token
    assert clean_token(token[:11] + hidden + token[11:]) is None
    assert clean_token(hidden + token) is None
