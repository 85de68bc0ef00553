"""Guessing is slow and seen (issue 13, item 3), in AppTest: join codes, participants' codes,
resume codes and facilitator keys that match nothing make the next try wait (per session and
per client address), a mistype or two never does; a workshop's key entry locked after wrong
keys says so, and its facilitator is told once; the logs never hold what was typed."""

from __future__ import annotations

import logging
import os

import pytest
from streamlit.testing.v1 import AppTest

import ui.access
from storage import make_engine
from storage.core.access import KEY_LOCK_AFTER, unlock_workshop
from tests.app.conftest import as_read, button, open_page, rerun_on
from tests.app.test_admin import Clock  # a settable monotonic clock
from tests.app.test_workshop import DASH, JOIN, dashboard, open_workshop

START = "app_pages/start.py"
NOWHERE = "ZZZ-ZZZZ"  # a well-formed join code no workshop has
WRONG_KEY = "ABCDE-FGHJK-MNPQR-STVWX"
WRONG_TOKEN = "AbCd eFgH iJkL mNoP qRsT uV"


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Refused guesses hold their page (ui.access.slow_down); here they are counted instead."""
    held: list[float] = []
    monkeypatch.setattr(ui.access, "_sleep", held.append)
    monkeypatch.setattr(ui.access, "_spread", lambda: 1.0)
    return held


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock()
    monkeypatch.setattr(ui.access, "_clock", made)
    return made


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def find(at: AppTest, code: str) -> AppTest:
    """On the join page: type a workshop code and press Find the workshop."""
    next(t for t in at.text_input if t.label == "Workshop code").input(code)
    button(at, "Find the workshop").click()
    return rerun_on(at, JOIN)


def wrong_code(n: int) -> str:
    """The n-th of several different well-formed join codes that open nothing."""
    letters = "ABCDEFGHJK"
    return f"ZZZ-ZZ{letters[n // 10]}{letters[n % 10]}"


def test_a_mistype_or_two_costs_nothing_but_a_guesser_waits(clock: Clock) -> None:
    code, _ = open_workshop()
    at = open_page(JOIN)
    for n in range(2):
        find(at, wrong_code(n))
        assert errors(at) == ["There is no workshop with that code. Check it with the facilitator."]
    find(at, code)  # the right code after two slips: straight in
    assert not at.error
    assert [b.label for b in at.button if b.label == "Join"] == ["Join"]

    at = open_page(JOIN)
    for n in range(3):
        find(at, wrong_code(n))
    find(at, code)  # the fourth try, even the right code, waits its turn
    assert "Too many codes that matched nothing: please wait 4 seconds" in as_read(errors(at)[0])
    assert "Join" not in [b.label for b in at.button]
    clock.at += 4
    find(at, code)
    assert not at.error
    assert "Join" in [b.label for b in at.button]


def test_the_same_wrong_code_again_is_not_counted_again(clock: Clock) -> None:
    at = open_page(JOIN, code=NOWHERE)
    for _ in range(5):  # the page running again with the code still in its address
        at = rerun_on(at, JOIN)
        assert "There is no workshop with that code" in errors(at)[0]


def test_new_sessions_from_one_address_meet_its_count(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script opening a fresh session for each guess still waits: the address counts."""
    code, _ = open_workshop()
    monkeypatch.setattr(ui.access, "client_address", lambda: "203.0.113.7")
    free = ui.access.ADDRESS_TRIES["join"][0]
    for n in range(free):
        at = open_page(JOIN, code=wrong_code(n))
        assert "There is no workshop with that code" in errors(at)[0]
    at = open_page(JOIN, code=code)
    assert "Too many codes that matched nothing" in errors(at)[0]
    monkeypatch.setattr(ui.access, "client_address", lambda: "198.51.100.9")
    at = open_page(JOIN, code=code)  # another address is not held back
    assert not at.error


def try_codes(page: str, field: str, press: str, refused: str) -> None:
    """Three different wrong codes are refused as such; the fourth waits."""
    at = open_page(page)
    tries = ["AbCd eFgH iJkL mNoP qRsT u" + c for c in "VWXY"]
    for n, typed in enumerate(tries):
        next(t for t in at.text_input if t.label == field).input(typed)
        button(at, press).click()
        at = rerun_on(at, page)
        said = refused if n < 3 else "Too many codes that matched nothing"
        assert said in errors(at)[0]


def test_participants_codes_that_match_nothing_wait_too(clock: Clock) -> None:
    try_codes(JOIN, "Your code", "Back to my answers", "That is not a code Ladder knows")


def test_resume_codes_that_match_nothing_wait(clock: Clock) -> None:
    try_codes(START, "Resume code", "Resume", "does not match any answers here")


def test_a_locked_key_entry_says_so_and_the_facilitator_is_told_once() -> None:
    code, key = open_workshop()
    facilitator = dashboard(code, key)  # unlocked before the guessing starts
    assert "Close round 1" in [b.label for b in facilitator.button]
    engine = make_engine(os.environ["DATABASE_URL"])
    for _ in range(KEY_LOCK_AFTER):
        assert unlock_workshop(engine, code, WRONG_KEY) is None
    engine.dispose()

    stranger = dashboard(code, key)  # even the right key, from a new session, waits
    assert "Too many wrong keys have been tried for this workshop" in errors(stranger)[0]
    assert "Close round 1" not in [b.label for b in stranger.button]

    facilitator = rerun_on(facilitator, DASH)  # the grant held keeps working
    assert "Close round 1" in [b.label for b in facilitator.button]
    told = [str(w.value) for w in facilitator.warning if "Since you last unlocked" in w.value]
    assert len(told) == 1
    assert told[0].startswith(
        f"Since you last unlocked, {KEY_LOCK_AFTER + 1} wrong keys were tried; key entry was "
        "locked until "
    )
    facilitator = rerun_on(facilitator, DASH)
    assert not [w for w in facilitator.warning if "Since you last unlocked" in w.value]


def test_what_was_typed_never_reaches_the_log(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    code, _ = open_workshop()
    with caplog.at_level(logging.WARNING, logger="ladder"):
        at = open_page(JOIN, code=NOWHERE)
        at = dashboard(code, WRONG_KEY)
        at = open_page(START)
        next(t for t in at.text_input if t.label == "Resume code").input(WRONG_TOKEN)
        button(at, "Resume").click()
        rerun_on(at, START)
    lines = [r.getMessage() for r in caplog.records if r.name == "ladder"]
    assert any("join code matched nothing: 1 in a row" in line for line in lines)
    assert any("facilitator key matched nothing" in line for line in lines)
    assert any("wrong facilitator key for workshop" in line for line in lines)
    assert any("resume code matched nothing" in line for line in lines)
    typed = [NOWHERE, "ZZZZZZZ", WRONG_KEY, WRONG_KEY.replace("-", ""), WRONG_TOKEN]
    typed.append(WRONG_TOKEN.replace(" ", ""))
    for line in lines:
        for value in typed:
            assert value not in line


def test_a_refused_guess_holds_its_page_a_moment(clock: Clock, no_pauses: list[float]) -> None:
    at = open_page(JOIN)
    for n in range(3):
        find(at, wrong_code(n))
    find(at, wrong_code(3))
    assert no_pauses == [ui.access.MISSED_PAUSE] * 3 + [ui.access.HELD_PAUSE]
    code, _ = open_workshop()
    no_pauses.clear()
    dashboard(code, WRONG_KEY)
    assert no_pauses == [ui.access.MISSED_PAUSE]


def test_pauses_are_spread_so_guessers_fall_out_of_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guessers that start together and wait the same fixed pause arrive together every
    time; a spread pause scatters them."""
    held: list[float] = []
    monkeypatch.setattr(ui.access, "_sleep", held.append)
    import random
    from functools import partial

    monkeypatch.setattr(ui.access, "_spread", partial(random.Random(7).uniform, 0.5, 1.5))
    for _ in range(50):
        ui.access.slow_down(10.0)
    assert min(held) >= 5.0
    assert max(held) <= 15.0
    assert len({round(h, 3) for h in held}) > 40
