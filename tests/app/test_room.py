"""The room view in AppTest: the facilitator's console makes the room link, chooses the
screen and reveals results; the room page follows through the database; a wrong or old
link opens nothing; the room page has no menu and no controls."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from common.screens import SCREEN_TITLES
from tests.app.conftest import button, open_page, rerun_on
from tests.app.test_workshop import DASH, dashboard, engine_here, open_workshop, sends

ROOM = "app_pages/room.py"


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def room_link(at: AppTest) -> str:
    """The console's room link, once made."""
    return next(c.value for c in at.code if "room?screen=" in c.value)


def make_link(at: AppTest) -> str:
    button(at, "Make the room link").click()
    rerun_on(at, DASH)
    token = parse_qs(urlsplit(room_link(at)).query)["screen"][0]
    assert len(token) == 22
    return token


def choose(at: AppTest, screen: str) -> None:
    next(r for r in at.radio if r.label == "The room sees").set_value(screen)
    rerun_on(at, DASH)


def reveal(at: AppTest, on: bool) -> None:
    next(t for t in at.toggle if t.label.startswith("Show round")).set_value(on)
    rerun_on(at, DASH)


def test_the_console_drives_the_room_view_and_results_wait_for_reveal() -> None:
    code, key = open_workshop()
    for level in ("1", "1", "5", "5"):
        sends(code, level=level)
    at = dashboard(code, key)
    token = make_link(at)
    room = open_page(ROOM, screen=token)
    assert not room.exception, [e.value for e in room.exception]
    assert "Join the workshop" in text_of(room)  # the first screen, with the code
    assert any(code.replace("-", "") in m.value.replace("-", "") for m in room.markdown)
    assert not room.button
    assert not room.text_input
    assert not room.radio
    assert not room.toggle
    choose(at, "split")
    room.run()
    assert "Results not shown yet" in text_of(room)
    assert SCREEN_TITLES["split"] not in text_of(room)
    reveal(at, True)
    room.run()
    assert SCREEN_TITLES["split"] in text_of(room)
    assert "at levels 1–2" in text_of(room)
    choose(at, "answered")
    room.run()
    assert "4 people have sent answers to round 1" in text_of(room)
    reveal(at, False)
    choose(at, "agree")
    room.run()
    assert "Results not shown yet" in text_of(room)


def test_a_new_link_stops_the_old_and_a_wrong_link_opens_nothing() -> None:
    code, key = open_workshop()
    at = dashboard(code, key)
    old = make_link(at)
    button(at, "Make a new room link").click()
    rerun_on(at, DASH)
    new = parse_qs(urlsplit(room_link(at)).query)["screen"][0]
    assert new != old
    for token in (old, "A" * 22, "<script>alert(1)</script>", "x" * 5000):
        room = open_page(ROOM, screen=token)
        assert not room.exception
        assert "This room link does not open a room view." in text_of(room)
        assert "Join the workshop" not in text_of(room)
    assert "Join the workshop" in text_of(open_page(ROOM, screen=new))


def test_without_a_link_the_room_view_asks_for_the_facilitator_key() -> None:
    code, key = open_workshop()
    room = open_page(ROOM, w=code)
    assert not room.exception
    assert any(t.label == "Facilitator key" for t in room.text_input)
    assert "Join the workshop" not in text_of(room)
    next(t for t in room.text_input if t.label == "Facilitator key").input(key)
    button(room, "Unlock").click()
    rerun_on(room, ROOM)
    assert "Join the workshop" in text_of(room)


def test_a_deleted_workshops_link_opens_nothing() -> None:
    from storage import find_workshop
    from storage.results.lifecycle import delete_workshop

    code, key = open_workshop()
    token = make_link(dashboard(code, key))
    engine = engine_here()
    delete_workshop(engine, find_workshop(engine, code).id, key)
    engine.dispose()
    assert "This room link does not open a room view." in text_of(open_page(ROOM, screen=token))
