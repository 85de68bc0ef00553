"""Join codes and facilitator keys: readable aloud, typed any way, keys only as salted hashes."""

from __future__ import annotations

import hashlib
import re
import threading
import time

import pytest

from storage.core import codes
from storage.core.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    KEY_ITERATIONS,
    KEY_LENGTH,
    KeyBusy,
    format_code,
    format_key,
    hash_key,
    key_matches,
    new_code,
    new_key,
    new_salt,
    normalise_code,
    normalise_key,
)


def test_the_alphabet_has_no_look_alikes() -> None:
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 30
    assert CODE_ALPHABET.upper() == CODE_ALPHABET
    assert all(c.isascii() and c.isalnum() for c in CODE_ALPHABET)


def test_codes_carry_at_least_30_random_bits() -> None:
    assert CODE_LENGTH == 7
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2**30
    assert len(CODE_ALPHABET) ** KEY_LENGTH >= 2**96


def test_new_codes_are_seven_alphabet_characters_and_differ() -> None:
    made = [new_code() for _ in range(2000)]
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in made)
    assert len(set(made)) >= 1999  # a collision among 2000 has odds of about 1 in 10,000
    assert set("".join(made)) == set(CODE_ALPHABET)  # every character gets used


def test_codes_are_shown_three_dash_four() -> None:
    assert format_code("ABCDEFG") == "ABC-DEFG"
    code = new_code()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{4}", format_code(code))
    assert normalise_code(format_code(code)) == code


@pytest.mark.parametrize(
    "typed",
    ["ABC-DEFG", "abc-defg", "abcdefg", " ABC DEFG ", "a b c d e f g", "ABC–DEFG", "AB-CD-EFG\n"],
)
def test_typed_codes_are_normalised(typed: str) -> None:
    assert normalise_code(typed) == "ABCDEFG"


@pytest.mark.parametrize(
    "typed",
    [
        None,
        42,
        b"ABCDEFG",
        "",
        "ABC-DEF",
        "ABC-DEFGH",
        "ABC-DEF0",  # zero is not in the alphabet
        "ABC-DEFO",
        "ABC-DEF1",
        "ABC-DEFI",
        "ABC-DEFL",
        "ABC_DEFG",
        "ABC.DEFG",
        "ÀBC-DEFG",
        "ABC-DEF\u0663",  # an Arabic-Indic three
        "x" * 10_000,
    ],
)
def test_malformed_codes_are_none(typed: object) -> None:
    assert normalise_code(typed) is None


def test_keys_are_twenty_characters_in_groups_of_five() -> None:
    key = new_key()
    assert len(key) == KEY_LENGTH
    assert set(key) <= set(CODE_ALPHABET)
    shown = format_key(key)
    assert re.fullmatch(r"([2-9A-Z]{5}-){3}[2-9A-Z]{5}", shown)
    assert normalise_key(shown) == key
    assert normalise_key(shown.lower().replace("-", " ")) == key
    assert normalise_key(shown[:-1]) is None
    assert normalise_key(None) is None
    assert len({new_key() for _ in range(100)}) == 100


def test_key_hash_is_salted_pbkdf2_sha256() -> None:
    assert KEY_ITERATIONS >= 100_000
    key, salt = new_key(), new_salt()
    assert re.fullmatch(r"[0-9a-f]{32}", salt)
    assert new_salt() != salt
    expected = hashlib.pbkdf2_hmac("sha256", key.encode(), bytes.fromhex(salt), KEY_ITERATIONS)
    assert hash_key(key, salt) == expected.hex()
    assert hash_key(key, new_salt()) != hash_key(key, salt)  # the same key, another workshop


def test_key_matches_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    key, salt = new_key(), new_salt()
    stored = hash_key(key, salt)
    assert key_matches(key, salt, stored)
    assert not key_matches(new_key(), salt, stored)
    compared: list[tuple[str, str]] = []

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(codes.hmac, "compare_digest", spy)
    assert key_matches(key, salt, stored)
    assert compared == [(stored, stored)]


@pytest.mark.parametrize(
    "hidden",
    [
        "\u200b",  # zero-width space
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
        "\u200d",  # zero-width joiner
        "\ufeff",  # byte order mark
        "\u0301",  # a combining accent
    ],
    ids=["ZWSP", "RLO", "LRI", "ZWJ", "BOM", "combining"],
)
def test_a_code_or_key_with_an_invisible_character_matches_nothing(hidden: str) -> None:
    assert normalise_code("ABC-DEFG") == "ABCDEFG"
    assert normalise_key("ABCDE-FGHJK-MNPQR-STVWX") == "ABCDEFGHJKMNPQRSTVWX"
    for where in (0, 3, 5, 8):
        assert normalise_code("ABC-DEFG"[:where] + hidden + "ABC-DEFG"[where:]) is None
    assert normalise_key("ABCDE-FGHJK-" + hidden + "MNPQR-STVWX") is None


@pytest.mark.parametrize(
    "typed",
    ["\u017fBC-DEFG", "\ufb05BC-DEF", "\uff21BC-DEFG"],
    ids=["long s upper-cases to S", "ligature upper-cases to ST", "full-width A"],
)
def test_a_code_typed_with_look_alikes_matches_nothing(typed: str) -> None:
    assert normalise_code(typed) is None


def test_keys_are_hashed_in_the_key_pool_not_the_callers_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key, salt = new_key(), new_salt()
    stored = hash_key(key, salt)
    threads: list[str] = []
    real = codes.hash_key

    def spy(k: str, s: str) -> str:
        threads.append(threading.current_thread().name)
        return real(k, s)

    monkeypatch.setattr(codes, "hash_key", spy)
    assert key_matches(key, salt, stored)
    assert len(threads) == 1
    assert threads[0].startswith("ladder-key")
    assert threads[0] != threading.current_thread().name


def test_a_full_key_pool_refuses_at_once_then_recovers(monkeypatch: pytest.MonkeyPatch) -> None:
    key, salt = new_key(), new_salt()
    stored = hash_key(key, salt)
    go = threading.Event()
    real = codes.hash_key

    def slow(k: str, s: str) -> str:
        go.wait(10)
        return real(k, s)

    monkeypatch.setattr(codes, "hash_key", slow)
    results: list[bool] = []
    waiting = [
        threading.Thread(target=lambda: results.append(key_matches(key, salt, stored)))
        for _ in range(codes.KEY_WORKERS + codes.KEY_WAITING)
    ]
    for t in waiting:
        t.start()
    deadline = time.monotonic() + 10
    while codes._SLOTS._value and time.monotonic() < deadline:  # every slot taken
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(KeyBusy, match="busy"):
        key_matches(key, salt, stored)
    assert time.monotonic() - started < 0.5  # refused at once, not queued
    go.set()
    for t in waiting:
        t.join(10)
    assert results == [True] * len(waiting)  # those already waiting were all checked
    assert key_matches(key, salt, stored)  # and the pool takes checks again


def test_meanwhile_runs_in_the_callers_thread_while_the_key_hashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The caller's own work overlaps the hash: it runs before the hash has finished."""
    key, salt = new_key(), new_salt()
    stored = hash_key(key, salt)
    hashing, done = threading.Event(), threading.Event()
    real = codes.hash_key

    def slow(k: str, s: str) -> str:
        hashing.set()
        assert done.wait(10)  # the caller's work ran while this hash was under way
        return real(k, s)

    monkeypatch.setattr(codes, "hash_key", slow)
    ran: list[str] = []

    def meanwhile() -> None:
        assert hashing.wait(10)
        ran.append(threading.current_thread().name)
        done.set()

    assert key_matches(key, salt, stored, meanwhile)
    assert ran == [threading.current_thread().name]
    assert not key_matches(new_key(), salt, stored, meanwhile=lambda: None)


def test_meanwhile_failing_still_waits_for_the_hash_and_frees_its_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key, salt = new_key(), new_salt()
    free = codes._SLOTS._value

    def broken() -> None:
        raise RuntimeError("a bug in the caller's work")

    with pytest.raises(RuntimeError, match="a bug"):
        key_matches(key, salt, hash_key(key, salt), broken)
    assert codes._SLOTS._value == free
