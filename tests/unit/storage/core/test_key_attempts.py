"""Guessing a workshop's key is slow and seen (issue 13, item 3): wrong keys are counted per
workshop in the database, key entry locks after `KEY_LOCK_AFTER` in a row (nothing hashed
while locked), the right key resets the count, grants already held stay good, and the
facilitator is told once; on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core import access, codes
from storage.core.access import (
    ANYONE,
    KEY_LOCK_AFTER,
    AccessDenied,
    KeyLocked,
    KeyNotice,
    grant_holds,
    key_lock_for,
    take_key_notice,
    unlock_workshop,
)
from storage.core.engine import make_engine, reading
from storage.core.errors import InputError
from storage.core.model import Workshop
from storage.core.schema import key_attempts
from storage.results.lifecycle import delete_workshop
from storage.workshop.rooms import check_key
from tests.unit.storage.core.test_admins import Clock  # a settable `now`

WRONG = "ABCDE-FGHJK-MNPQR-STVWX"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """PBKDF2 with few rounds, so dozens of wrong keys take no time (set before opening)."""
    monkeypatch.setattr(codes, "KEY_ITERATIONS", 1000)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(access, "now", made)
    return made


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every key hashed from here on (the salt it was hashed with)."""
    seen: list[str] = []
    real = codes.hash_key

    def spy(key: str, salt: str) -> str:
        seen.append(salt)
        return real(key, salt)

    monkeypatch.setattr(codes, "hash_key", spy)
    return seen


def attempts(engine: Engine, workshop_id: int) -> sa.Row | None:
    with reading(engine) as conn:
        query = sa.select(key_attempts).where(key_attempts.c.workshop_id == workshop_id)
        return conn.execute(query).first()


def guess(engine: Engine, workshop: Workshop, times: int) -> None:
    for _ in range(times):
        assert unlock_workshop(engine, workshop.join_code, WRONG) is None


def test_key_entry_locks_after_ten_wrong_keys_and_then_hashes_nothing(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock, hashes: list[str]
) -> None:
    workshop, key = opened
    guess(engine, workshop, KEY_LOCK_AFTER)
    assert len(hashes) == KEY_LOCK_AFTER
    for typed in (key, WRONG, key):  # even the right key waits
        with pytest.raises(KeyLocked) as caught:
            unlock_workshop(engine, workshop.join_code, typed)
    assert len(hashes) == KEY_LOCK_AFTER  # nothing hashed while locked
    assert caught.value.seconds == 300
    assert caught.value.until == clock.at + timedelta(minutes=5)
    assert caught.value.message == (
        "Too many wrong keys have been tried for this workshop: please wait 5 minutes and "
        "try again (after 11:05:00 UTC)."
    )
    with pytest.raises(KeyLocked):  # every way of checking the key is locked
        check_key(engine, workshop.id, key)
    with pytest.raises(InputError, match="Too many wrong keys"):
        delete_workshop(engine, workshop.id, key)
    assert len(hashes) == KEY_LOCK_AFTER
    clock.advance(300)
    assert unlock_workshop(engine, workshop.join_code, key) is not None


def test_the_lock_grows_with_each_wrong_key_up_to_an_hour(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock
) -> None:
    workshop, _ = opened
    guess(engine, workshop, KEY_LOCK_AFTER)
    locks = []
    for _ in range(6):
        row = attempts(engine, workshop.id)
        assert row is not None
        locks.append(row.locked_until - clock.at)
        clock.at = row.locked_until
        guess(engine, workshop, 1)
    assert [lock.total_seconds() / 60 for lock in locks] == [5, 10, 20, 40, 60, 60]
    assert key_lock_for(KEY_LOCK_AFTER - 1) is None
    assert key_lock_for(10**6) == timedelta(hours=1)


def test_the_right_key_resets_the_count(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock
) -> None:
    workshop, key = opened
    guess(engine, workshop, KEY_LOCK_AFTER - 1)
    assert unlock_workshop(engine, workshop.join_code, key) is not None
    row = attempts(engine, workshop.id)
    assert row is not None
    assert (row.failures, row.locked_until) == (0, None)
    guess(engine, workshop, KEY_LOCK_AFTER - 1)  # nine more: still not locked
    assert unlock_workshop(engine, workshop.join_code, key) is not None


def test_a_facilitator_holding_a_grant_is_not_locked_out(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock
) -> None:
    workshop, key = opened
    grant = unlock_workshop(engine, workshop.join_code, key)
    assert grant is not None
    guess(engine, workshop, KEY_LOCK_AFTER)
    with pytest.raises(KeyLocked):
        unlock_workshop(engine, workshop.join_code, key)
    with reading(engine) as conn:
        assert grant_holds(conn, grant, workshop.id)


def test_the_facilitator_is_told_once_of_every_wrong_key_and_the_lock(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock
) -> None:
    workshop, key = opened
    grant = unlock_workshop(engine, workshop.join_code, key)
    assert grant is not None
    assert take_key_notice(engine, grant, workshop.id) is None  # nothing to tell
    guess(engine, workshop, KEY_LOCK_AFTER)
    for _ in range(5):  # refused while locked: counted for the facilitator too
        with pytest.raises(KeyLocked):
            unlock_workshop(engine, workshop.join_code, WRONG)
    with pytest.raises(AccessDenied):
        take_key_notice(engine, ANYONE, workshop.id)
    notice = take_key_notice(engine, grant, workshop.id)
    assert notice == KeyNotice(KEY_LOCK_AFTER + 5, clock.at + timedelta(minutes=5))
    assert take_key_notice(engine, grant, workshop.id) is None  # once
    clock.advance(300)
    guess(engine, workshop, 1)  # the eleventh in a row: locked again, for longer
    assert take_key_notice(engine, grant, workshop.id) == KeyNotice(
        1, clock.at + timedelta(minutes=10)
    )
    clock.advance(600)
    assert unlock_workshop(engine, workshop.join_code, key) is not None
    guess(engine, workshop, 2)
    assert take_key_notice(engine, grant, workshop.id) == KeyNotice(2, None)


def test_two_servers_count_into_one_lock(db_url: str, opened: tuple[Workshop, str]) -> None:
    """Two engines (two processes or replicas) on one database, guessing at once."""
    workshop, key = opened
    engines = [make_engine(db_url), make_engine(db_url)]
    refused: list[BaseException] = []

    def guesser(engine: Engine) -> None:
        for _ in range(KEY_LOCK_AFTER // 2):
            try:
                guess(engine, workshop, 1)
            except BaseException as exc:  # a lost count would show as a missing lock below
                refused.append(exc)

    threads = [threading.Thread(target=guesser, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert refused == []
    row = attempts(engines[0], workshop.id)
    assert row is not None
    assert (row.failures, row.unseen) == (KEY_LOCK_AFTER, KEY_LOCK_AFTER)
    with pytest.raises(KeyLocked):
        unlock_workshop(engines[1], workshop.join_code, key)
    for e in engines:
        e.dispose()


def test_wrong_keys_are_logged_without_the_key(
    engine: Engine, opened: tuple[Workshop, str], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    workshop, _ = opened
    with caplog.at_level(logging.WARNING, logger="ladder"):
        guess(engine, workshop, KEY_LOCK_AFTER)
        with pytest.raises(KeyLocked):
            unlock_workshop(engine, workshop.join_code, WRONG)
    lines = [r.getMessage() for r in caplog.records if r.name == "ladder"]
    assert len(lines) == KEY_LOCK_AFTER + 1
    assert f"workshop {workshop.id}: 1 in a row" in lines[0]
    assert f"workshop {workshop.id}: {KEY_LOCK_AFTER} in a row" in lines[-2]
    assert "locked" in lines[-2]
    assert "refused unchecked" in lines[-1]
    for line in lines:
        assert WRONG not in line
        assert codes.normalise_key(WRONG) not in line
        assert workshop.join_code not in line


def test_a_malformed_key_or_an_unknown_code_counts_nothing(
    engine: Engine, workshop: Workshop
) -> None:
    assert unlock_workshop(engine, workshop.join_code, "not a key") is None
    assert unlock_workshop(engine, "ZZZ-ZZZZ", WRONG) is None
    assert attempts(engine, workshop.id) is None
