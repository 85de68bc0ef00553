"""Who can join a workshop, and unlocks that cannot go stale, in AppTest (issue 12):
the key shown once; a deleted workshop's unlock opening nothing of the next one; lock
joining, the join rate limit and seat codes on the join page; the dashboard's Joining tab."""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from storage import make_engine
from storage.core.engine import writing
from storage.core.schema import workshops
from storage.results.lifecycle import delete_workshop
from storage.workshop import participants as participants_module
from storage.workshop.rooms import find_workshop, get_workshop, lock_joining
from storage.workshop.seats import make_seats, use_seat_codes
from tests.app.conftest import as_read, button, open_page, rerun_on
from tests.app.test_workshop import DASH, JOIN, OPEN, TAKE, dashboard, join, open_workshop
from tests.unit.storage.factories import host
from ui.text import JOINER


def engine() -> sa.Engine:
    return make_engine(os.environ["DATABASE_URL"])


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "subheader", "code")
    return "\n".join(str(e.value) for kind in kinds for e in at.get(kind))


def tab(at: AppTest, name: str):
    return next(t for t in at.tabs if t.label == name)


# --- The key, shown once ------------------------------------------------------------


def opened_here() -> tuple[AppTest, str, str]:
    """The session that opened a workshop, on the run right after: (it, join code, key)."""
    at = open_page(OPEN)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input("Leadership team")
    fields["Name of the area"].input("Calderdale Council")
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert not at.exception, [e.value for e in at.exception]
    return at, at.metric[0].value, at.code[0].value


def test_the_key_is_shown_once_and_the_session_keeps_no_copy():
    at, code, key = opened_here()
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", key)
    assert "shown once" in texts(at)
    bare = key.replace("-", "")
    state = repr(at.session_state.to_dict())
    assert key not in state  # shown, and already gone from the state
    assert bare not in state
    button(at, "I have written the key down").click()
    rerun_on(at, OPEN)
    assert not at.code
    assert at.metric[0].value == code  # the join code, link and QR stay
    assert "was shown once" in texts(at)
    rerun_on(at, "app_pages/home.py")
    back = rerun_on(at, OPEN)  # leaving and coming back
    assert not back.code
    assert key not in texts(back)
    assert bare not in texts(back)
    assert back.metric[0].value == code
    back.query_params["w"] = code
    dash = rerun_on(back, DASH)  # this tab stays unlocked (it holds the grant, not the key)
    assert "Close round 1" in labels(dash)


# --- Stale unlock --------------------------------------------------------------------


def give_id(old_id: int, code: str) -> None:
    """As an older SQLite database did: the next workshop gets a deleted workshop's id."""
    with writing(engine()) as conn:
        new = find_workshop(engine(), code)
        assert new is not None
        conn.execute(sa.update(workshops).where(workshops.c.id == new.id).values(id=old_id))


def test_a_stale_unlock_opens_nothing_of_the_workshop_that_gets_its_id():
    """A tab unlocked A; A is deleted and B opened with A's id (old SQLite): the tab cannot
    see B's dashboard or use its controls, and is asked for B's key."""
    code_a, key_a = open_workshop()
    tab_a = dashboard(code_a, key_a)
    assert "Close round 1" in labels(tab_a)
    a = find_workshop(engine(), code_a)
    delete_workshop(engine(), a.id, key_a)
    code_b, key_b = open_workshop()
    give_id(a.id, code_b)
    assert get_workshop(engine(), a.id).join_code == code_b
    tab_a.query_params["w"] = code_b
    stale = rerun_on(tab_a, DASH)
    assert not stale.exception, [e.value for e in stale.exception]
    assert "Facilitator key" in [t.label for t in stale.text_input]
    for control in ("Close round 1", "Lock joining", "Make seat codes", "Record"):
        assert control not in labels(stale)
    assert not stale.get("download_button")
    assert not stale.tabs
    assert "facilitator_grants" not in repr(stale.session_state.to_dict()) or (
        a.id not in stale.session_state["facilitator_grants"]
    )  # the stale grant is forgotten
    fresh = dashboard(code_b, key_b)  # B's own key still opens B
    assert "Close round 1" in labels(fresh)


def test_the_opening_tabs_unlock_goes_stale_too():
    at, code_a, key_a = opened_here()
    a = find_workshop(engine(), code_a)
    delete_workshop(engine(), a.id, key_a)
    code_b, _ = open_workshop()
    give_id(a.id, code_b)
    at.query_params["w"] = code_b
    stale = rerun_on(at, DASH)
    assert "Facilitator key" in [t.label for t in stale.text_input]
    assert "Close round 1" not in labels(stale)


def test_deleting_forgets_the_unlock():
    code, key = open_workshop(k=2)
    dash = dashboard(code, key)
    fields = {t.key: t for t in dash.text_input if t.key}
    fields["delete_code"].input(code)
    fields["delete_key"].input(key)
    button(dash, "Delete this workshop permanently").click()
    rerun_on(dash, DASH)
    assert find_workshop(engine(), code) is None
    assert not dash.session_state["facilitator_grants"]


# --- The join page ----------------------------------------------------------------


def join_page(code: str) -> AppTest:
    at = open_page(JOIN, code=code)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_join_page_says_what_the_facilitator_and_room_see():
    code, _ = open_workshop(k=4)
    at = join_page(code)
    said = at.info[0].value
    assert "groups of at least 4 people" in said
    assert "never one person's answers" in said
    assert "under a code like P7" in said
    assert "the date but not the time" in said
    assert "never a name" in said


def test_locked_joining_is_said_plainly_and_refused():
    code, _ = open_workshop()
    first = join_page(code)  # the page was open before the lock
    workshop = find_workshop(engine(), code)
    lock_joining(engine(), host(engine(), workshop.id), workshop.id, True)
    at = join_page(code)
    assert at.warning[0].value == (
        "Joining is closed: the facilitator has stopped new people joining this workshop."
    )
    assert "Join" not in labels(at)
    button(first, "Join").click()  # pressed on the page loaded before the lock
    rerun_on(first, JOIN)
    assert "Joining is closed" in first.warning[0].value
    assert not first.query_params.get("p")
    assert find_participants(code) == []


def test_the_set_up_names_a_role_with_little_to_judge():
    """A quick check with every role offered: residents can judge only a few of its
    questions, and the facilitator is told so when the workshop opens."""
    at, _, _ = opened_here()
    notes = [i.value for i in at.info if str(i.value).startswith("Resident")]
    assert len(notes) == 1
    assert "of the 20 questions" in notes[0]
    assert not any(str(i.value).startswith("Senior officer") for i in at.info)


def test_the_join_page_says_how_many_questions_a_role_gets():
    code, _ = open_workshop()
    at = join_page(code)
    assert not [c for c in at.caption if "You will be asked" in c.value]  # no role yet
    at.selectbox[0].set_value("resident")
    rerun_on(at, JOIN)
    said = next(c.value for c in at.caption if "You will be asked" in c.value)
    assert re.fullmatch(
        r"You will be asked \d+ of the 20 questions, those the role you chose \(Resident\) can "
        r"judge from its own side: about \d+ minutes?\.",
        as_read(said),
    )
    at.selectbox[0].set_value("senior_officer")
    rerun_on(at, JOIN)
    assert any("You will be asked all 20 questions" in c.value for c in at.caption)


def test_nobody_joins_without_choosing_a_role():
    """No role is chosen for a person: pressing Join without one asks for it, joins nobody."""
    code, _ = open_workshop()
    at = join_page(code)
    assert at.selectbox[0].value is None
    button(at, "Join").click()
    rerun_on(at, JOIN)
    assert at.warning[0].value == "Choose the role that best describes you, then press Join."
    assert not at.query_params.get("p")
    assert find_participants(code) == []


def test_many_joins_at_once_are_told_to_try_again(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(participants_module, "JOIN_LIMIT", 2)
    code, _ = open_workshop()
    join(code)
    join(code)
    at = join_page(code)
    at.selectbox[0].set_value("resident")
    button(at, "Join").click()
    rerun_on(at, JOIN)
    assert at.error[0].value == (
        "Could not join: many people are joining at once; please try again in a few seconds."
    )
    assert not at.query_params.get("p")


def test_the_same_session_gets_its_own_participant_back():
    code, _ = open_workshop()
    me = join(code)
    token = str(me.query_params["p"])
    me.query_params.pop("p")
    me.query_params["code"] = code
    again = rerun_on(me, JOIN)  # the join page again, same tab: back to the same answers
    assert str(again.query_params.get("p")) == token
    assert len(find_participants(code)) == 1


def find_participants(code: str) -> list[int]:
    from storage.core.schema import participants

    workshop = find_workshop(engine(), code)
    with engine().connect() as conn:
        return list(
            conn.scalars(
                sa.select(participants.c.id).where(participants.c.workshop_id == workshop.id)
            )
        )


def test_another_tab_comes_back_with_its_code():
    code, _ = open_workshop()
    me = join(code)
    token = str(me.query_params["p"])
    other = join_page(code)  # a new tab: no session, no link
    spaced = " ".join(token[i : i + 4] for i in range(0, len(token), 4))  # as shown
    next(t for t in other.text_input if t.label == "Your code").input(spaced)
    button(other, "Back to my answers").click()
    rerun_on(other, JOIN)
    assert str(other.query_params.get("p")) == token
    assert len(find_participants(code)) == 1
    wrong = join_page(code)
    next(t for t in wrong.text_input if t.label == "Your code").input("x" * 22)
    button(wrong, "Back to my answers").click()
    rerun_on(wrong, JOIN)
    assert "not a code Ladder knows" in wrong.error[0].value


def seat_room(n: int = 3) -> tuple[str, list[str]]:
    code, _ = open_workshop()
    workshop = find_workshop(engine(), code)
    grant = host(engine(), workshop.id)
    made = make_seats(engine(), grant, workshop.id, n)
    use_seat_codes(engine(), grant, workshop.id, True)
    return code, made


def join_with_seat(code: str, seat: str) -> AppTest:
    at = join_page(code)
    next(t for t in at.text_input if t.label == "Seat code").input(seat)
    at.selectbox[0].set_value("resident")
    button(at, "Join").click()
    return rerun_on(at, JOIN)


def test_seat_codes_wrong_refused_used_refused():
    code, seats = seat_room()
    at = join_page(code)
    at.selectbox[0].set_value("resident")
    button(at, "Join").click()  # no seat code
    rerun_on(at, JOIN)
    assert "asks for a seat code" in at.error[0].value
    wrong = join_with_seat(code, "ZZZZ-ZZZZ")
    assert "not one of this workshop's seat codes" in wrong.error[0].value
    assert not wrong.query_params.get("p")
    first = join_with_seat(code, seats[0])
    token = str(first.query_params["p"])
    phone = join_with_seat(code, seats[0].lower().replace("-", " "))  # used already
    assert "used already" in phone.error[0].value
    assert not phone.query_params.get("p")  # the facilitator's cards open nobody's answers
    second = join_with_seat(code, seats[1])
    assert str(second.query_params["p"]) != token
    assert len(find_participants(code)) == 2
    answers = open_page(TAKE, p=token)
    assert not answers.exception
    assert any((b.key or "").startswith("pick_") for b in answers.button)  # the questions


# --- The dashboard's Joining tab -----------------------------------------------------


def test_the_joining_tab_sets_expected_locks_and_makes_seat_codes():
    code, key = open_workshop()
    dash = dashboard(code, key)
    assert "Joining" in [t.label for t in dash.tabs]
    joining = tab(dash, "Joining")
    joining.number_input[0].set_value(1)
    next(b for b in joining.button if b.label == "Save").click()
    dash = rerun_on(dash, DASH)
    assert get_workshop(engine(), find_workshop(engine(), code).id).expected == 1
    join(code)
    join(code)
    dash = rerun_on(dash, DASH)
    assert "2 of the 1 people expected have joined." in texts(dash)
    assert any("More people have joined (2) than you expected (1)" in w.value for w in dash.warning)
    button(dash, "Lock joining").click()
    dash = rerun_on(dash, DASH)
    assert "Joining is locked" in texts(dash)
    assert "Joining is closed" in join_page(code).warning[0].value
    button(dash, "Unlock joining").click()
    dash = rerun_on(dash, DASH)
    assert not find_workshop(engine(), code).joining_locked
    joining = tab(dash, "Joining")
    joining.number_input[1].set_value(4)
    button(dash, "Make seat codes").click()
    dash = rerun_on(dash, DASH)
    listed = [c.value for c in tab(dash, "Joining").code]
    assert listed
    codes = listed[0].split("\n")
    assert len(codes) == 4
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in codes)
    assert "Seat cards to print (HTML)" in [d.label for d in dash.get("download_button")]
    button(dash, "Ask for seat codes").click()
    dash = rerun_on(dash, DASH)
    assert find_workshop(engine(), code).seat_codes
    assert str(join_with_seat(code, codes[0]).query_params.get("p"))
    assert "1 taken" in texts(rerun_on(dash, DASH))


def test_the_joining_tab_is_behind_the_key():
    code, _ = open_workshop()
    locked = dashboard(code, None)
    assert not locked.tabs
    assert "Lock joining" not in labels(locked)
    assert "have joined" not in texts(locked)


def test_wrong_keys_in_a_row_make_the_next_try_wait():
    code, key = open_workshop()
    at = open_page(DASH, w=code)
    for _ in range(5):
        next(t for t in at.text_input if t.label == "Facilitator key").input("A" * 20)
        button(at, "Unlock").click()
        rerun_on(at, DASH)
        assert "does not open this workshop" in at.error[0].value
    next(t for t in at.text_input if t.label == "Facilitator key").input(key)
    button(at, "Unlock").click()
    rerun_on(at, DASH)
    assert "Too many wrong keys" in at.error[0].value  # even the right key waits its turn
    assert "Close round 1" not in labels(at)


def test_a_hostile_title_is_shown_as_typed_never_as_markdown():
    hostile = "[x](javascript:alert(1)) **bold** :red[hi]"
    at = open_page(OPEN)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input(hostile)
    fields["Name of the area"].input("Calderdale Council")
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    code = at.metric[0].value
    shown = [at.success[0].value, join_page(code).subheader[0].value]
    for text in shown:
        assert not re.search(r"(?<!\\)[\[\]]", text)  # no bracket left live
        assert r"\*\*bold\*\*" in text
        assert f":{JOINER}red" in text  # Streamlit's colour code, stopped by a joiner
        assert hostile in as_read(text)


def test_people_expected_are_set_when_opening():
    at = open_page(OPEN)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input("Leadership team")
    fields["Name of the area"].input("Calderdale Council")
    next(n for n in at.number_input if n.label == "People expected (optional)").set_value(12)
    # Three roles: twelve people across all eight would be warned about first (k = 3).
    roles = next(m for m in at.multiselect if m.label == "Roles in the room")
    roles.set_value(["councillor", "senior_officer", "resident"])
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert not [w for w in at.warning if w.value.startswith("With 12 people")]
    code = at.metric[0].value
    assert find_workshop(engine(), code).expected == 12
    at.query_params["w"] = code
    dash = rerun_on(at, DASH)
    assert "0 of the 12 people expected have joined." in texts(dash)
    assert not dash.warning
