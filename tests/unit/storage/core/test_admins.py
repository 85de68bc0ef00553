"""Local administrators: accounts, passphrases, back-off after failures, the set-up link and
the OpenID Connect allow-list rule; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from sqlalchemy.engine import Engine

from storage.core import admins as module
from storage.core.access import AccessDenied, Grant, require_admin
from storage.core.admins import (
    LOCK_AFTER,
    LockedOut,
    add_admin,
    allowed_by_list,
    clean_email,
    has_admins,
    list_admins,
    lock_for,
    redeem_setup,
    remove_admin,
    setup_token,
    setup_valid,
    sign_in,
    split_list,
)
from storage.core.errors import InputError
from storage.core.schema import admin_setup, admins
from storage.core.tokens import hash_token

PASS = "correct horse battery staple"
REAL_HASHER = module._HASHER


class Clock:
    """A settable ``now`` for storage.core.admins (locks are about time)."""

    def __init__(self) -> None:
        self.at = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """argon2id with small costs, so the tests run quickly (the real settings are checked
    by `test_the_real_hasher_is_argon2id_with_its_recommended_costs`)."""
    monkeypatch.setattr(
        module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    module._dummy_hash.cache_clear()
    module._UNKNOWN.clear()
    yield
    module._dummy_hash.cache_clear()
    module._UNKNOWN.clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(module, "now", made)
    return made


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every hash a passphrase was checked against, in order."""
    seen: list[str] = []
    verify = module._verify

    def counting(hashed: str, passphrase: str) -> bool:
        seen.append(hashed)
        return verify(hashed, passphrase)

    monkeypatch.setattr(module, "_verify", counting)
    return seen


def test_the_real_hasher_is_argon2id_with_its_recommended_costs() -> None:
    assert REAL_HASHER.type is Type.ID
    assert REAL_HASHER.memory_cost >= 64 * 1024
    assert REAL_HASHER.time_cost >= 3


# --- Accounts ------------------------------------------------------------------------


def test_add_list_and_remove(engine: Engine) -> None:
    assert not has_admins(engine)
    assert list_admins(engine) == []
    add_admin(engine, "  Chief.Exec@Council.GOV.uk ", PASS)
    add_admin(engine, "ops", PASS)
    assert has_admins(engine)
    assert list_admins(engine) == ["chief.exec@council.gov.uk", "ops"]
    assert remove_admin(engine, "CHIEF.EXEC@council.gov.uk") is True
    assert remove_admin(engine, "chief.exec@council.gov.uk") is False
    assert remove_admin(engine, "no one at all") is False
    assert list_admins(engine) == ["ops"]


def test_only_an_argon2id_hash_is_stored(engine: Engine) -> None:
    add_admin(engine, "ops", PASS)
    with engine.connect() as conn:
        row = conn.execute(sa.select(admins)).one()
    assert row.passphrase_hash.startswith("$argon2id$")
    assert PASS not in row.passphrase_hash
    assert (row.failures, row.locked_until) == (0, None)


def test_one_account_per_name(engine: Engine) -> None:
    add_admin(engine, "ops@council.gov.uk", PASS)
    with pytest.raises(InputError) as caught:
        add_admin(engine, "OPS@council.gov.uk ", "another passphrase here")
    assert caught.value.field == "email"
    assert "already an administrator" in caught.value.message
    assert list_admins(engine) == ["ops@council.gov.uk"]


@pytest.mark.parametrize(
    ("email", "passphrase", "field", "words"),
    [
        ("", PASS, "email", "please give an e-mail address or a user name"),
        ("   ", PASS, "email", "please give"),
        ("two words", PASS, "email", "must not contain spaces"),
        ("tab\there", PASS, "email", "must not contain spaces"),
        ("a" * 255, PASS, "email", "at most 254 characters"),
        ("ops", "short", "passphrase", "at least 12 characters"),
        ("ops", "x" * 11, "passphrase", "at least 12 characters"),
        ("ops", "x" * 1025, "passphrase", "at most 1024 characters"),
    ],
)
def test_bad_names_and_passphrases_are_refused_naming_the_field(
    engine: Engine, email: str, passphrase: str, field: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        add_admin(engine, email, passphrase)
    assert caught.value.field == field
    assert words in caught.value.message
    assert "\n" not in caught.value.format()
    assert not has_admins(engine)


def test_twelve_and_1024_characters_are_accepted(engine: Engine) -> None:
    add_admin(engine, "short", "x" * 12)
    add_admin(engine, "long", "y" * 1024)
    assert sign_in(engine, "short", "x" * 12) is not None
    assert sign_in(engine, "long", "y" * 1024) is not None


def test_clean_email() -> None:
    assert clean_email(" A@B.C ") == "a@b.c"
    with pytest.raises(InputError) as caught:
        clean_email(None, "who")
    assert caught.value.field == "who"


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b"], ids=["RLO", "ZWSP"])
def test_an_email_with_an_invisible_or_right_to_left_character_is_refused(hidden: str) -> None:
    with pytest.raises(InputError) as caught:
        clean_email(f"admin{hidden}@example.org")
    assert caught.value.field == "email"
    assert "invisible or right-to-left control character" in caught.value.message


def test_an_email_is_stored_as_nfc() -> None:
    assert clean_email(" Rene\u0301@Example.org ") == "ren\u00e9@example.org"


# --- Signing in ------------------------------------------------------------------------


def test_sign_in_gives_the_administrators_grant(engine: Engine) -> None:
    add_admin(engine, "ops@council.gov.uk", PASS)
    grant = sign_in(engine, " OPS@Council.gov.uk", PASS)
    assert grant == Grant("admin", admin="ops@council.gov.uk", via="local")
    with engine.connect() as conn:
        require_admin(conn, grant)  # the core accepts it


def test_wrong_passphrases_and_unknown_names_get_nothing(engine: Engine) -> None:
    add_admin(engine, "ops", PASS)
    assert sign_in(engine, "ops", PASS + "!") is None
    assert sign_in(engine, "ops", PASS.upper()) is None
    assert sign_in(engine, "ops", "") is None
    assert sign_in(engine, "ops", None) is None
    assert sign_in(engine, "ops", "x" * 5000) is None
    assert sign_in(engine, "nobody", PASS) is None
    assert sign_in(engine, "", PASS) is None
    assert sign_in(engine, 42, PASS) is None


def test_a_removed_account_ends_its_sessions(engine: Engine) -> None:
    add_admin(engine, "ops", PASS)
    grant = sign_in(engine, "ops", PASS)
    assert grant is not None
    remove_admin(engine, "ops")
    with engine.connect() as conn, pytest.raises(AccessDenied):
        require_admin(conn, grant)


def test_an_unknown_name_costs_the_same_check_as_a_known_one(
    engine: Engine, checks: list[str]
) -> None:
    add_admin(engine, "ops", PASS)
    sign_in(engine, "ops", "wrong passphrase!")
    sign_in(engine, "nobody", "wrong passphrase!")
    sign_in(engine, "not a name", "wrong passphrase!")
    assert len(checks) == 3
    real, dummy, blank = checks
    assert real != dummy == blank
    assert dummy.startswith("$argon2id$")  # the same kind of hash, the same costs
    assert dummy.split("$")[3] == real.split("$")[3]


def test_the_lock_doubles_and_stops_at_fifteen_minutes() -> None:
    assert [lock_for(n) for n in range(LOCK_AFTER)] == [None] * LOCK_AFTER
    seconds = [lock_for(n).total_seconds() for n in range(LOCK_AFTER, LOCK_AFTER + 8)]
    assert seconds == [30, 60, 120, 240, 480, 900, 900, 900]
    assert lock_for(10_000) == timedelta(minutes=15)


def test_failures_lock_the_account_and_a_success_resets(
    engine: Engine, clock: Clock, checks: list[str]
) -> None:
    add_admin(engine, "ops", PASS)
    for _ in range(LOCK_AFTER):
        assert sign_in(engine, "ops", "wrong passphrase!") is None
    assert len(checks) == LOCK_AFTER
    with pytest.raises(LockedOut) as caught:
        sign_in(engine, "ops", PASS)  # even the right passphrase waits
    assert len(checks) == LOCK_AFTER  # and nothing was checked
    assert caught.value.seconds == 30
    assert caught.value.message == (
        "Too many failed sign-ins for this name: please wait 30 seconds and try again "
        "(after 11:00:30 UTC)."
    )
    clock.advance(29)
    with pytest.raises(LockedOut) as caught:
        sign_in(engine, "ops", PASS)
    assert caught.value.seconds == 1
    assert "please wait 1 second and" in caught.value.message
    clock.advance(1)
    assert sign_in(engine, "ops", "wrong again, sorry") is None  # checked, and locked longer
    with pytest.raises(LockedOut) as caught:
        sign_in(engine, "ops", PASS)
    assert caught.value.seconds == 60
    clock.advance(60)
    assert sign_in(engine, "ops", PASS) is not None
    with engine.connect() as conn:
        row = conn.execute(sa.select(admins.c.failures, admins.c.locked_until)).one()
    assert (row.failures, row.locked_until) == (0, None)
    assert sign_in(engine, "ops", "wrong passphrase!") is None  # counting starts again
    assert sign_in(engine, "ops", PASS) is not None


def test_the_lock_is_kept_in_the_database(engine: Engine, clock: Clock) -> None:
    add_admin(engine, "ops", PASS)
    for _ in range(LOCK_AFTER):
        sign_in(engine, "ops", "wrong passphrase!")
    with engine.connect() as conn:
        row = conn.execute(sa.select(admins.c.failures, admins.c.locked_until)).one()
    assert row.failures == LOCK_AFTER
    assert row.locked_until == clock.at + timedelta(seconds=30)


def test_long_locks_are_said_in_minutes(engine: Engine, clock: Clock) -> None:
    add_admin(engine, "ops", PASS)
    for _ in range(LOCK_AFTER + 5):  # the fifth failure after the first lock: 15 minutes
        assert sign_in(engine, "ops", "wrong passphrase!") is None
        with engine.connect() as conn:
            until = conn.scalar(sa.select(admins.c.locked_until))
        if until is not None:
            clock.at = until
    clock.at -= timedelta(minutes=15)
    with pytest.raises(LockedOut) as caught:
        sign_in(engine, "ops", PASS)
    assert caught.value.seconds == 900
    assert "please wait 15 minutes" in caught.value.message


def test_unknown_names_back_off_the_same_way(clock: Clock, engine: Engine) -> None:
    for _ in range(LOCK_AFTER):
        assert sign_in(engine, "nobody@council.gov.uk", "wrong passphrase!") is None
    with pytest.raises(LockedOut) as caught:
        sign_in(engine, "Nobody@council.gov.uk", "wrong passphrase!")
    assert caught.value.seconds == 30
    assert sign_in(engine, "somebody-else", "wrong passphrase!") is None  # others are not
    clock.advance(30)
    assert sign_in(engine, "nobody@council.gov.uk", "wrong passphrase!") is None


def test_the_memory_of_unknown_names_is_bounded() -> None:
    assert module._UNKNOWN.size == module._UNKNOWN_REMEMBERED  # storage.core.throttle.Throttle


def test_an_account_added_with_a_weaker_setting_is_rehashed_on_sign_in(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_admin(engine, "ops", PASS)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(module, "_HASHER", stronger)
    assert sign_in(engine, "ops", PASS) is not None
    with engine.connect() as conn:
        hashed = conn.scalar(sa.select(admins.c.passphrase_hash))
    assert not stronger.check_needs_rehash(hashed)
    assert sign_in(engine, "ops", PASS) is not None


# --- The set-up link ------------------------------------------------------------------------


def test_the_set_up_link_makes_the_first_administrator_once(engine: Engine) -> None:
    token = setup_token(engine)
    assert token is not None
    with engine.connect() as conn:
        stored = list(conn.scalars(sa.select(admin_setup.c.token_hash)))
    assert stored == [hash_token(token)]  # only its hash
    assert setup_valid(engine, token)
    grant = redeem_setup(engine, token, " First@Council.gov.uk", PASS)
    assert grant == Grant("admin", admin="first@council.gov.uk", via="local")
    assert list_admins(engine) == ["first@council.gov.uk"]
    assert not setup_valid(engine, token)
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(admin_setup)) == 0
    with pytest.raises(InputError) as caught:
        redeem_setup(engine, token, "second", PASS)
    assert caught.value.field == "setup"
    assert "has been used" in caught.value.message
    assert list_admins(engine) == ["first@council.gov.uk"]
    assert sign_in(engine, "first@council.gov.uk", PASS) == grant


def test_no_set_up_link_once_an_administrator_exists(engine: Engine) -> None:
    token = setup_token(engine)
    add_admin(engine, "ops", PASS)
    assert setup_token(engine) is None
    assert not setup_valid(engine, token)
    with pytest.raises(InputError) as caught:
        redeem_setup(engine, token, "intruder", PASS)
    assert caught.value.field == "setup"
    assert list_admins(engine) == ["ops"]


def test_every_link_made_works_until_one_is_used(engine: Engine) -> None:
    first, second = setup_token(engine), setup_token(engine)
    assert first != second
    assert setup_valid(engine, first)
    assert setup_valid(engine, second)
    redeem_setup(engine, second, "ops", PASS)
    assert not setup_valid(engine, first)
    with pytest.raises(InputError):
        redeem_setup(engine, first, "other", PASS)


def test_an_expired_link_is_refused_and_cleared(engine: Engine, clock: Clock) -> None:
    token = setup_token(engine)
    clock.advance(24 * 3600 - 1)
    assert setup_valid(engine, token)
    clock.advance(1)
    assert not setup_valid(engine, token)
    with pytest.raises(InputError) as caught:
        redeem_setup(engine, token, "ops", PASS)
    assert caught.value.field == "setup"
    assert not has_admins(engine)
    fresh = setup_token(engine)  # clears the expired one
    with engine.connect() as conn:
        assert list(conn.scalars(sa.select(admin_setup.c.token_hash))) == [hash_token(fresh)]


def test_an_unexpired_link_is_good_for_a_day(engine: Engine, clock: Clock) -> None:
    token = setup_token(engine)
    clock.advance(24 * 3600 - 1)
    assert redeem_setup(engine, token, "ops", PASS).admin == "ops"


@pytest.mark.parametrize("token", ["", "not a token", None, "A" * 22, "A" * 23])
def test_anything_but_a_made_token_is_refused(engine: Engine, token: object) -> None:
    setup_token(engine)
    assert not setup_valid(engine, token)
    with pytest.raises(InputError) as caught:
        redeem_setup(engine, token, "ops", PASS)
    assert caught.value.field == "setup"
    assert not has_admins(engine)


def test_a_bad_passphrase_leaves_the_link_good(engine: Engine) -> None:
    token = setup_token(engine)
    with pytest.raises(InputError) as caught:
        redeem_setup(engine, token, "ops", "too short")
    assert caught.value.field == "passphrase"
    assert setup_valid(engine, token)
    redeem_setup(engine, token, "ops", PASS)
    assert has_admins(engine)


# --- The allow-list ------------------------------------------------------------------------------


def test_split_list() -> None:
    assert split_list(" A@x.uk, b@y.uk ,,") == ["a@x.uk", "b@y.uk"]
    assert split_list("a@x.uk\nb@y.uk c@z.uk") == ["a@x.uk", "b@y.uk", "c@z.uk"]
    assert split_list(["One@x.uk", " ", "two"]) == ["one@x.uk", "two"]
    assert split_list(None) == []
    assert split_list(3) == []


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("chief@council.gov.uk", True),  # on the list of addresses
        ("CHIEF@Council.gov.uk ", True),
        ("anyone@it.council.gov.uk", True),  # at a listed domain
        ("Anyone@IT.Council.gov.uk", True),
        ("anyone@partner.org.uk", True),  # the domain given as @partner.org.uk
        ("other@council.gov.uk", False),  # the address list is exact
        ("x@sub.it.council.gov.uk", False),  # a subdomain is another domain
        ("x@evil-it.council.gov.uk", False),
        ("it.council.gov.uk", False),
        ("@it.council.gov.uk", False),
        ("x@", False),
        ("", False),
        (None, False),
    ],
)
def test_allowed_by_list(email: object, expected: bool) -> None:
    emails = ["Chief@council.gov.uk"]
    domains = ["it.council.gov.uk", "@partner.org.uk"]
    assert allowed_by_list(email, emails, domains) is expected


def test_an_empty_list_allows_no_one() -> None:
    assert not allowed_by_list("chief@council.gov.uk", [], [])


def test_two_redeemers_at_once_make_one_administrator(db_url: str, engine: Engine) -> None:
    """Two tabs press "Create administrator" at the same moment, with two good links."""
    import threading

    from storage.core.engine import make_engine

    tokens = [setup_token(engine), setup_token(engine)]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def redeem(token: str | None, name: str) -> None:
        own = make_engine(db_url)
        try:
            start.wait()
            redeem_setup(own, token, name, PASS)
            outcomes.append("made")
        except InputError as exc:
            outcomes.append(exc.field)
        finally:
            own.dispose()

    threads = [
        threading.Thread(target=redeem, args=(t, n))
        for t, n in zip(tokens, ["first", "second"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["made", "setup"]
    assert len(list_admins(engine)) == 1
