"""A workshop in AppTest: open, join by code, answer privately, the dashboard behind its key,
rounds, agreed levels, paper and group answers, downloads."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from questions import load_instrument
from questions.survey import one_by_one, steps_for
from tests.app.conftest import button, open_page, rerun_on

BANK = load_instrument().bank
#: What a senior officer (``join``'s role) is asked on the quick check: the questions that
#: role can judge (``answerable_by``).
ASKED = len(one_by_one(steps_for(BANK, BANK.form("quick").dimensions), "senior_officer"))
OPEN, DASH, JOIN, TAKE = (
    "app_pages/workshop_open.py",
    "app_pages/dashboard.py",
    "app_pages/join.py",
    "app_pages/take.py",
)


def open_workshop(k: int = 3, rule: str | None = None) -> tuple[str, str]:
    """Open a quick-check workshop (with a consensus ``rule`` when given); returns (join
    code, facilitator key)."""
    at = open_page(OPEN)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input("Leadership team")
    fields["Name of the area"].input("Calderdale Council")
    at.number_input[0].set_value(k)
    if rule is not None:
        next(s for s in at.selectbox if s.label.startswith("When the room counts")).set_value(rule)
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert not at.exception, [e.value for e in at.exception]
    return at.metric[0].value, at.code[0].value


def dashboard(code: str, key: str | None) -> AppTest:
    at = open_page(DASH, w=code)
    if key is not None:
        next(t for t in at.text_input if t.label == "Facilitator key").input(key)
        button(at, "Unlock").click()
        rerun_on(at, DASH)
    return at


def join(code: str, role: str = "senior_officer") -> AppTest:
    """Someone joins on the join page, choosing ``role``; their questions' page."""
    at = open_page(JOIN, code=code)
    at.selectbox[0].set_value(role)
    button(at, "Join").click()
    rerun_on(at, JOIN)
    token = at.query_params.get("p")
    assert token, "joining gives a participant token in the URL"
    return open_page(TAKE, p=str(token))


def tap(at: AppTest, level: str) -> AppTest:
    """Choose ``level`` (1-5, dk, na) for the question on screen, as a thumb would: it is
    saved and the next question follows."""
    next(
        b for b in at.button if (b.key or "").startswith("pick_") and b.key.endswith(f"_{level}")
    ).click()
    return rerun_on(at, TAKE)


def on_screen(at: AppTest) -> str | None:
    """The id of the question on screen (None: the start or the sending screen)."""
    keys = [b.key for b in at.button if (b.key or "").startswith("pick_")]
    return keys[0].removeprefix("pick_").rsplit("_", 1)[0] if keys else None


def chosen(at: AppTest) -> str | None:
    """The answer chosen for the question on screen: its button is the primary one."""
    picks = [b for b in at.button if (b.key or "").startswith("pick_")]
    marked = [b.key.rsplit("_", 1)[1] for b in picks if b.proto.type == "primary"]
    return marked[0] if marked else None


def answer_all(at: AppTest, level: str, questions: int = 3) -> None:
    """Answer the next ``questions`` questions (the first dimension's three) at ``level``."""
    for _ in range(questions):
        tap(at, level)


def engine_here():
    import os

    from storage import make_engine

    return make_engine(os.environ["DATABASE_URL"])


def sends(
    code: str,
    role: str = "senior_officer",
    level: str = "4",
    send: bool = True,
    evidence: str | None = None,
) -> int:
    """Someone joins and answers the whole quick check (through storage, as the phone's page
    does), then sends; returns their participant id. Faster than the pages, which
    `test_after_send_the_confirmation_comes_first_and_the_page_goes_to_the_top` covers."""
    from storage import current_response, find_workshop, join_workshop
    from storage.core.drafts import save_draft, submit_response
    from storage.core.model import AnswerInput

    engine = engine_here()
    workshop = find_workshop(engine, code)
    participant, _ = join_workshop(engine, workshop.id, role)
    given = {
        q.id: AnswerInput(level, None, evidence)
        for d in BANK.form("quick").dimensions
        for q in BANK.questions_in(d)
    }
    response = current_response(engine, participant.id)
    save_draft(engine, response.id, given, {}, step=1, allow_submitted=True)
    if send:
        submit_response(engine, response.id)
    engine.dispose()
    return participant.id


def room_table(at: AppTest) -> list:
    """The room's dimension table on the dashboard, as plain rows."""
    return at.dataframe[0].value.astype(str).values.tolist()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_the_key_the_dashboard_shows_nothing_of_the_room():
    code, key = open_workshop()
    for _ in range(3):
        sends(code)
    locked = dashboard(code, None)
    assert not locked.metric
    assert not locked.get("plotly_chart")
    assert not locked.get("download_button")
    assert "Close round 1" not in [b.label for b in locked.button]
    wrong = dashboard(code, "WRONG-KEY00-00000-00000")
    assert "does not open this workshop" in wrong.error[0].value
    assert not wrong.get("plotly_chart")
    unlocked = dashboard(code, key)
    assert not unlocked.exception, [e.value for e in unlocked.exception]
    assert unlocked.get("plotly_chart")
    assert "Close round 1" in [b.label for b in unlocked.button]
    # The page goes on in the run that checked the key: the key's form is taken away.
    assert "Unlock" not in [b.label for b in unlocked.button]
    assert not [s for s in unlocked.subheader if "facilitator key" in s.value]
    assert not unlocked.error


def test_a_wrong_join_code_is_told_plainly_and_reveals_nothing():
    open_workshop()
    at = open_page(JOIN, code="ZZZ-ZZZZ")
    assert "no workshop with that code" in at.error[0].value
    assert not at.subheader
    assert not at.selectbox
    dash = open_page(DASH, w="ZZZ-ZZZZ")
    assert "no workshop with that code" in dash.error[0].value


def test_below_k_only_counts_show_then_the_room_appears():
    code, key = open_workshop(k=3)
    sends(code, level="2")
    sends(code, "councillor", "5")
    dash = dashboard(code, key)
    assert "1 more needed" in dash.info[0].value
    assert not dash.get("plotly_chart")
    assert not dash.metric  # no role has k people: no count per role
    sends(code, "councillor", "5")
    dash = dashboard(code, key)
    assert dash.get("plotly_chart")
    text = " ".join(m.value for m in dash.markdown)
    assert "3 people have answered" in text


def test_drafts_never_reach_the_room():
    code, key = open_workshop(k=3)
    for _ in range(3):
        sends(code, send=False)  # answered every question, never pressed Send
    dash = dashboard(code, key)
    text = " ".join(m.value for m in dash.markdown)
    assert "0 people have answered so far" in text
    assert not dash.get("plotly_chart")
    assert "Where we split" not in [h.value for h in dash.subheader]
    assert "3 more needed" in dash.info[0].value


def test_roles_under_k_show_no_count_and_no_figures():
    code, key = open_workshop(k=3)
    for _ in range(3):
        sends(code, "councillor", "2")
    sends(code, "resident", "5")
    dash = dashboard(code, key)
    assert metrics(dash) == {"Councillor": "3"}  # the one resident has no counter
    captions = " ".join(c.value for c in dash.caption)
    assert "Not shown on their own (fewer than 3 people): Resident." in captions
    sends(code, "partner", "4")
    sends(code, "vcfs", "4")
    dash = dashboard(code, key)
    assert "Resident" not in metrics(dash)
    assert metrics(dash)["Other roles"] == "3"  # the small roles pooled, once they reach 3
    assert "They count together as Other roles." in " ".join(c.value for c in dash.caption)


def test_the_room_changes_only_after_k_more_people():
    code, key = open_workshop(k=3)
    for level in ("2", "3", "4"):
        sends(code, level=level)
    dash = dashboard(code, key)
    shown = room_table(dash)
    sends(code, level="5")  # a fourth person
    dash = rerun_on(dash, DASH)
    assert "4 people have answered so far" in " ".join(m.value for m in dash.markdown)
    assert room_table(dash) == shown  # the figures did not move for one person
    sends(code, level="5")
    dash = rerun_on(dash, DASH)
    assert room_table(dash) == shown
    sends(code, level="5")  # the sixth: three people differ from what the room saw
    dash = rerun_on(dash, DASH)
    assert room_table(dash) != shown


def test_rounds_close_and_reopen_with_answers_prefilled():
    code, key = open_workshop(k=2)
    people = [join(code), join(code)]
    for p in people:
        answer_all(p, "3")
    dash = dashboard(code, key)
    button(dash, "Close round 1").click()
    rerun_on(dash, DASH)
    assert "Round 1 has closed" in rerun_on(people[0], TAKE).info[0].value
    button(dash, "Open round 2").click()
    rerun_on(dash, DASH)
    again = rerun_on(people[0], TAKE)
    button(again, "Go through my answers").click()
    rerun_on(again, TAKE)
    assert chosen(again) == "3"  # round 1 carried over
    tap(again, "5")
    dash = rerun_on(dash, DASH)
    assert any("What moved from round 1 to round 2" in s.value for s in dash.subheader)


def test_agreed_levels_paper_import_and_downloads():
    code, key = open_workshop(k=2)
    for _ in range(2):
        answer_all(join(code), "4")
    dash = dashboard(code, key)
    form_note = next(t for t in dash.text_area if t.label.startswith("Note"))
    form_note.input("<script>alert(1)</script> agreed after discussion")
    next(s for s in dash.selectbox if s.label == "Level").set_value(3)
    button(dash, "Record").click()
    rerun_on(dash, DASH)
    assert any("Recorded for P1" in s.value for s in dash.success)
    labels = [b.label for b in dash.get("download_button")]
    assert "Workshop report (HTML)" in labels
    assert "Answers (CSV)" in labels
    assert not [label for label in labels if "area" in label.lower()]  # no whole-area export
    assert not dash.exception


def test_deleting_a_workshop_needs_its_code_and_key_and_removes_everything():
    import os

    from storage import find_workshop, make_engine, workshop_answers
    from tests.unit.storage.factories import host

    code, key = open_workshop(k=2)
    for _ in range(2):
        answer_all(join(code), "4")
    dash = dashboard(code, key)
    engine = make_engine(os.environ["DATABASE_URL"])
    workshop = find_workshop(engine, code)
    fields = {t.key: t for t in dash.text_input if t.key}
    fields["delete_code"].input(code)
    fields["delete_key"].input("NOT-THE-KEY")
    button(dash, "Delete this workshop permanently").click()
    rerun_on(dash, DASH)
    assert find_workshop(engine, code) is not None  # a wrong key deletes nothing
    assert len(workshop_answers(engine, host(engine, workshop.id), workshop.id)) == 6
    fields = {t.key: t for t in dash.text_input if t.key}
    fields["delete_key"].input(key)
    button(dash, "Delete this workshop permanently").click()
    rerun_on(dash, DASH)
    assert find_workshop(engine, code) is None
    assert not dash.exception


def steps_through(at: AppTest, level: str) -> None:
    """Answer every question of the quick check, up to the screen that sends (not yet Send)."""
    answer_all(at, level, len(BANK.form_questions("quick")))
    assert on_screen(at) is None
    assert "Send my answers" in [b.label for b in at.button]


def first_element(at: AppTest):
    """What a participant sees first: the page's first element in the main area."""
    return next(iter(at.main.children.values()))


def test_the_join_page_has_a_button_that_leads_to_the_role_choice():
    code, _ = open_workshop()
    at = open_page(JOIN)
    assert "Find the workshop" in [b.label for b in at.button]
    assert not at.selectbox
    button(at, "Find the workshop").click()  # nothing typed: told what to do
    rerun_on(at, JOIN)
    assert "Type the code" in at.warning[0].value
    next(t for t in at.text_input if t.label == "Workshop code").input(code.lower())
    button(at, "Find the workshop").click()
    rerun_on(at, JOIN)
    assert at.subheader[0].value == "Leadership team"
    assert [s.label for s in at.selectbox] == ["Which best describes you?"]
    assert at.query_params.get("code") == code.lower()  # the same page as the QR link's
    at.selectbox[0].set_value("resident")
    button(at, "Join").click()
    rerun_on(at, JOIN)
    assert at.query_params.get("p"), "Join leads to the questions"


def test_one_question_per_screen_with_large_answers_and_no_codes():
    code, _ = open_workshop()
    at = join(code)
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "Looking ahead" not in text
    assert not at.selectbox
    assert not at.checkbox
    assert not at.radio
    assert not at.title
    first = BANK.questions_in("P1")[0]
    assert on_screen(at) == first.id
    assert any(first.text in m.value for m in at.markdown)  # the question, as its heading
    assert any(BANK.dimension("P1").name == c.value for c in at.caption)
    picks = [b for b in at.button if (b.key or "").startswith("pick_")]
    assert [b.key.rsplit("_", 1)[1] for b in picks] == ["1", "2", "3", "4", "5", "dk", "na"]
    assert picks[2].label.startswith("3 · ")
    assert f"Question 1 of {ASKED}" in " ".join(p.proto.text for p in at.get("progress"))
    labels = [w.label for w in (*at.get("button_group"), *at.text_area)]
    assert labels == ["How sure are you of this answer?", "What would show it (optional)"]
    assert not [label for label in labels if "P1" in label]
    assert [b.label for b in at.button if b.key in ("back", "ahead")] == ["Back", "Skip"]
    assert next(b for b in at.button if b.key == "back").disabled


def test_a_tap_saves_moves_on_and_back_returns():
    from storage import current_response, find_participant, load_draft

    code, _ = open_workshop()
    at = join(code)
    first, second = (q.id for q in BANK.questions_in("P1")[:2])
    tap(at, "4")
    assert on_screen(at) == second
    engine = engine_here()
    me = find_participant(engine, str(at.query_params["p"]))
    draft = load_draft(engine, current_response(engine, me.id).id)
    engine.dispose()
    assert {q: a.answer for q, a in draft.answers.items()} == {first: "4"}
    assert draft.status == "draft"  # saved, not sent
    button(at, "Back").click()
    rerun_on(at, TAKE)
    assert (on_screen(at), chosen(at)) == (first, "4")
    assert next(b for b in at.button if b.key == "ahead").label == "Next"
    tap(at, "dk")
    assert on_screen(at) == second
    button(at, "Back").click()
    rerun_on(at, TAKE)
    assert chosen(at) == "dk"


def test_after_send_the_confirmation_comes_first_and_the_page_goes_to_the_top():
    code, _ = open_workshop()
    at = join(code)
    steps_through(at, "3")
    said = " ".join(m.value for m in at.markdown)
    assert f"You have answered all {ASKED} questions." in said
    button(at, "Send my answers").click()
    rerun_on(at, TAKE)
    top = first_element(at)
    assert top.type == "success"
    assert top.value.startswith("Your answers are in — thank you.")
    assert "until the facilitator closes the round" in top.value
    assert on_screen(at) is None  # not dropped into the first question
    assert any("scrollTop" in h.proto.body for h in at.get("html"))
    button(at, "Change my answers").click()
    rerun_on(at, TAKE)
    assert (on_screen(at), chosen(at)) == (BANK.questions_in("P1")[0].id, "3")  # as sent
    assert at.success[0].value.startswith("Your answers are in.")
    again = open_page(TAKE, p=str(at.query_params["p"]))  # a refresh: still sent
    assert first_element(again).value.startswith("Your answers are in — thank you.")


def close_and_open(code: str, key: str) -> None:
    dash = dashboard(code, key)
    button(dash, "Close round 1").click()
    rerun_on(dash, DASH)
    button(dash, "Open round 2").click()
    rerun_on(dash, DASH)


def test_between_rounds_the_page_says_what_to_do_and_round_two_starts_with_nothing_changed():
    code, key = open_workshop(k=2)
    person = join(code)
    steps_through(person, "4")
    button(person, "Send my answers").click()
    rerun_on(person, TAKE)
    dash = dashboard(code, key)
    button(dash, "Close round 1").click()
    rerun_on(dash, DASH)
    waiting = rerun_on(person, TAKE)
    assert "Round 1 has closed" in waiting.info[0].value
    assert any("What now" in m.value for m in waiting.markdown)
    assert "Check for the next round" in [b.label for b in waiting.button]
    button(dash, "Open round 2").click()
    rerun_on(dash, DASH)
    round2 = rerun_on(person, TAKE)
    assert round2.subheader[0].value == "Round 2"
    assert any("already filled in" in m.value for m in round2.markdown)
    assert on_screen(round2) is None
    assert "round 2" in round2.caption[0].value
    button(round2, "Send — nothing changed").click()
    rerun_on(round2, TAKE)
    assert first_element(round2).value.startswith("Your answers are in — thank you.")
    dash = rerun_on(dash, DASH)
    assert any("Round 2: 1 people have answered so far" in m.value for m in dash.markdown)


def test_round_two_shows_my_answer_and_where_the_room_sat_once_revealed():
    from storage import drive_room, find_workshop
    from tests.unit.storage.factories import host

    code, key = open_workshop(k=3)
    for level in ("2", "3", "4"):
        sends(code, level=level)
    person = join(code)
    answer_all(person, "5", 1)
    close_and_open(code, key)
    person = rerun_on(person, TAKE)
    button(person, "Go through my answers").click()
    rerun_on(person, TAKE)
    said = " ".join(m.value for m in person.markdown)
    assert "Last round you said: 5 · " in said
    assert "were not shown" in said  # the facilitator never revealed round 1
    assert "Most of the room" not in said
    engine = engine_here()
    workshop = find_workshop(engine, code)
    drive_room(engine, host(engine, workshop.id), workshop.id, reveal=True)  # round 2 now
    engine.dispose()
    # Showing the room round 2's results shows the rounds before it too ("what moved").
    said = " ".join(m.value for m in rerun_on(person, TAKE).markdown)
    assert "Last round you said: 5 · " in said
    assert "Most of the room was at levels 2 to 4." in said  # the room's view: the three who sent
    assert next(b for b in person.button if b.key == "ahead").label == "Keep my answer"


def test_a_round_under_k_shows_nothing():
    from storage import current_response
    from storage.core.drafts import submit_response

    code, key = open_workshop(k=3)
    people = [sends(code, level="2") for _ in range(3)]
    dash = dashboard(code, key)
    assert dash.get("plotly_chart")  # round 1: three sent
    button(dash, "Close round 1").click()
    rerun_on(dash, DASH)
    button(dash, "Open round 2").click()
    dash = rerun_on(dash, DASH)
    engine = engine_here()
    for participant in people[:2]:  # two send round 2 (their round-1 answers, carried over)
        submit_response(engine, current_response(engine, participant).id)
    engine.dispose()
    dash = rerun_on(dash, DASH)
    text = " ".join(m.value for m in dash.markdown)
    assert "Round 2: 2 people have answered so far." in text
    assert not dash.get("plotly_chart")
    assert not dash.metric  # no count by role either
    assert "1 more needed" in dash.info[0].value
    assert not dash.exception


def test_the_answers_download_holds_only_what_the_room_saw(monkeypatch, download_data):
    """The side door of issue 12: the CSV and Excel carried every row, with role, evidence
    and a time to the microsecond. Now: the room's view only, dates, no role under k."""
    from datetime import date

    import ui.workshop.facilitation

    exported = []
    real = ui.workshop.facilitation.workshop_answers_csv
    monkeypatch.setattr(
        ui.workshop.facilitation,
        "workshop_answers_csv",
        lambda frame: exported.append(frame.copy()) or real(frame),
    )
    code, key = open_workshop(k=3)
    for _ in range(3):
        sends(code, "councillor", "2", evidence="minutes of May")
    sends(code, "resident", "5", evidence="my own street")
    sends(code, "partner", "4", send=False, evidence="a draft note")
    dash = dashboard(code, key)
    assert not dash.exception, [e.value for e in dash.exception]
    download_data["Answers (CSV)"]()  # built when its button is pressed
    rows = exported[-1]
    assert set(rows["respondent_id"]) == {"P1", "P2", "P3", "P4"}  # not the draft (P5)
    assert set(rows["role"]) == {"councillor", ""}  # the one resident: no role
    assert {type(d) for d in rows["submitted_at"]} == {date}
    assert set(rows["evidence"].dropna()) == {"minutes of May", "my own street"}
    sends(code, "resident", "1", evidence="sent after the view")  # one more: no new view
    dash = rerun_on(dash, DASH)
    download_data["Answers (CSV)"]()
    assert "sent after the view" not in set(exported[-1]["evidence"].dropna())
    text = real(exported[-1]).decode("utf-8-sig")
    assert not re.search(r"\d{2}:\d{2}", text)  # dates, never times


def test_what_moved_between_rounds_is_drawn_from_the_rooms_views_only():
    """Round 2 opens with everyone's round-1 answers carried over as drafts. A draft changed
    but not sent never reaches the room, so "What moved" must not show it (it once read
    every answer, drafts included, and moved as each person typed)."""
    from storage import current_response
    from storage.core.drafts import save_draft
    from storage.core.model import AnswerInput

    code, key = open_workshop(k=3)
    people = [sends(code, level="2") for _ in range(3)]
    dash = dashboard(code, key)
    button(dash, "Close round 1").click()
    rerun_on(dash, DASH)
    button(dash, "Open round 2").click()
    dash = rerun_on(dash, DASH)
    engine = engine_here()
    for participant in people:  # all three move to 5 in their drafts, and send nothing
        response = current_response(engine, participant)
        given = {q.id: AnswerInput("5") for q in BANK.form_questions("quick")}
        save_draft(engine, response.id, given, {}, step=1)
    engine.dispose()
    dash = rerun_on(dash, DASH)
    assert any("What moved from round 1 to round 2" in s.value for s in dash.subheader)
    shown = " ".join(m.value for m in dash.markdown) + " ".join(
        d.value.to_string() for d in dash.dataframe
    )
    assert "5.0" not in shown  # the drafts' level appears nowhere on the page
    assert not dash.exception


def test_the_rounds_tab_publishes_a_closed_round_to_compare():
    from storage.core.access import Grant
    from storage.results.compare import comparable_assessments

    code, key = open_workshop(k=3)
    for _ in range(3):
        sends(code, level="3")
    dash = dashboard(code, key)
    assert not [b for b in dash.button if b.label.startswith("Publish round")]  # still open
    button(dash, "Close round 1").click()
    dash = rerun_on(dash, DASH)
    button(dash, "Publish round 1 to Compare").click()
    dash = rerun_on(dash, DASH)
    assert not dash.exception, [e.value for e in dash.exception]
    assert any(b.label == "Withdraw round 1 from Compare" for b in dash.button)
    engine = engine_here()
    listed = comparable_assessments(engine, Grant("admin", admin="cli", via="cli"))
    engine.dispose()
    assert list(listed["respondents"]) == [3]


def test_deleting_while_key_entry_is_locked_says_locked_not_wrong_key():
    import os

    from storage import find_workshop, make_engine
    from storage.core.access import KEY_LOCK_AFTER, unlock_workshop

    code, key = open_workshop(k=2)
    dash = dashboard(code, key)
    engine = make_engine(os.environ["DATABASE_URL"])
    wrong = ("2" if key[0] != "2" else "3") + key[1:]  # well formed, one letter off
    for _ in range(KEY_LOCK_AFTER):
        assert unlock_workshop(engine, code, wrong) is None
    fields = {t.key: t for t in dash.text_input if t.key}
    fields["delete_code"].input(code)
    fields["delete_key"].input(key)  # even the right key: entry is locked
    button(dash, "Delete this workshop permanently").click()
    rerun_on(dash, DASH)
    assert find_workshop(engine, code) is not None
    said = " ".join(t.value for t in dash.toast)
    assert "Too many wrong keys" in said
    assert "does not open" not in said
    assert key not in said
    engine.dispose()


def test_what_the_dashboard_keeps_between_views_is_bounded_per_round(monkeypatch) -> None:
    from common.memo import Memo
    from ui.workshop import dashboard

    assert isinstance(dashboard._CARRIED, Memo)  # bounded: common.memo's tests
    monkeypatch.setattr(dashboard, "_CARRIED", Memo(2))
    first = dashboard._CARRIED.kept((1, 1), dict)
    assert dashboard._CARRIED.kept((1, 1), dict) is first
    assert dashboard._CARRIED.kept((1, 2), dict) is not first
    dashboard._CARRIED.kept((2, 1), dict)
    assert len(dashboard._CARRIED) == 2
    assert (1, 1) not in dashboard._CARRIED  # the least recently used went first


def test_the_consensus_rule_chosen_when_opening_classes_the_room_and_is_said_in_words():
    from scoring.consensus import RULES, rule_sentence
    from storage import find_workshop

    at = open_page(OPEN)
    offered = next(s for s in at.selectbox if s.label.startswith("When the room counts"))
    assert offered.options == [r.title for r in RULES.values()]
    assert offered.value == "ladder"
    code, key = open_workshop(rule="rand-ucla")
    workshop = find_workshop(engine_here(), code)
    assert workshop is not None
    assert workshop.consensus_rule == "rand-ucla"
    for _ in range(3):
        sends(code)
    dash = dashboard(code, key)
    assert not dash.exception, [e.value for e in dash.exception]
    captions = [c.value for c in dash.caption]
    assert rule_sentence("rand-ucla") in captions
    assert rule_sentence("ladder") not in captions


def test_k_out_of_reach_is_said_before_opening_and_a_second_press_opens():
    at = open_page(OPEN)
    assert "Smallest group ever shown (k)" in [n.label for n in at.number_input]
    assert any("not the room, not a role" in c.value for c in at.caption)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input("Small team")
    fields["Name of the area"].input("Calderdale Council")
    next(n for n in at.number_input if n.label.startswith("People expected")).set_value(2)
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert at.warning[0].value.startswith("With 2 people expected and k = 3")
    assert not at.metric  # not opened yet: the facilitator may change the form
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert at.metric[0].label == "Join code"
    assert "open_warned" not in at.session_state  # the next workshop is warned afresh


#: What no participant- or room-facing page may say (issue 15, Done-when).
JARGON = re.compile(r"rwg|ad_md|\bq1\b|\bq3\b|n =", re.IGNORECASE)


def page_words(at: AppTest) -> str:
    """What the page says (its fixed style and scripts, which nobody reads, left out)."""
    said = [e for e in at.main if type(e).__name__ != "Html" and getattr(e, "type", "") != "html"]
    parts = [str(getattr(e, "value", "") or "") for e in said]
    parts += [str(getattr(e, "label", "") or "") for e in said]
    parts += [b.label for b in at.button] + [m.value for m in at.markdown]
    parts += [c.value for c in at.caption] + [s.value for s in at.subheader]
    return " ".join(parts)


def test_participant_and_room_pages_speak_plainly():
    from storage import drive_room, find_workshop, make_room_link
    from tests.unit.storage.factories import host

    code, key = open_workshop(k=3)
    for level in ("1", "1", "5"):
        sends(code, level=level)
    seen = [open_page(JOIN, code=code)]
    person = join(code)
    seen.append(person)
    steps_through(person, "3")
    seen.append(person)
    button(person, "Send my answers").click()
    seen.append(rerun_on(person, TAKE))
    engine = engine_here()
    workshop = find_workshop(engine, code)
    grant = host(engine, workshop.id)
    drive_room(engine, grant, workshop.id, reveal=True)
    token = make_room_link(engine, grant, workshop.id)
    for screen in ("answered", "agree", "split", "roles", "moved", "agreed"):
        drive_room(engine, grant, workshop.id, screen=screen)
        seen.append(open_page("app_pages/room.py", screen=token))
    engine.dispose()
    close_and_open(code, key)
    round2 = rerun_on(person, TAKE)
    seen.append(round2)
    button(round2, "Go through my answers").click()
    seen.append(rerun_on(round2, TAKE))
    assert "Most of the room was at levels" in page_words(seen[-1])
    for at in seen:
        words = page_words(at)
        found = JARGON.search(words)
        assert found is None, words[max(0, found.start() - 80) : found.end() + 80]


def test_the_facilitator_records_what_the_room_agreed_to_do():
    """From the agreed levels, an action: the agreed dimension comes first, the plan shows
    what was typed as typed, and its status can be moved on."""
    code, key = open_workshop(k=2)
    for _ in range(2):
        answer_all(join(code), "4")
    dash = dashboard(code, key)
    next(s for s in dash.selectbox if s.label == "Dimension").set_value("P3")
    next(s for s in dash.selectbox if s.label == "Level").set_value(3)
    button(dash, "Record").click()
    rerun_on(dash, DASH)
    assert not any(s.label == "For which dimension" for s in dash.selectbox)  # asked for
    next(t for t in dash.toggle if t.label == "Record what the room agreed to do").set_value(True)
    rerun_on(dash, DASH)
    which = next(s for s in dash.selectbox if s.label == "For which dimension")
    assert which.value == "P3"  # the dimension the room agreed a level for, first
    next(t for t in dash.text_input if t.label == "What you will do").input(
        "Ask **residents** <b>which</b> budgets matter"
    )
    next(t for t in dash.text_input if t.label == "Who does it").input("Community team")
    button(dash, "Record the action").click()
    rerun_on(dash, DASH)
    assert not dash.exception, [e.value for e in dash.exception]
    shown = [t for t in dash.dataframe if "Action" in t.value.columns]
    assert shown[0].value["Action"].tolist() == ["Ask **residents** <b>which</b> budgets matter"]
    status = next(s for s in dash.selectbox if s.label == "How it stands")
    status.set_value("under_way")
    button(dash, "Save").click()
    rerun_on(dash, DASH)
    shown = [t for t in dash.dataframe if "Action" in t.value.columns]
    assert shown[0].value["Status"].tolist() == ["Under way"]
    report = next(b for b in dash.get("download_button") if b.label == "Workshop report (HTML)")
    assert report is not None


def test_the_next_workshop_opens_from_the_last_and_asks_how_its_actions_stand():
    """From the last dashboard: the next workshop opens with a key of its own, shown once;
    its dashboard starts with "Last time you agreed to…" and records how each stands."""
    code, key = open_workshop(k=2)
    dash = dashboard(code, key)
    next(t for t in dash.toggle if t.label == "Record what the room agreed to do").set_value(True)
    rerun_on(dash, DASH)
    assert not any(s.value == "Last time you agreed to…" for s in dash.subheader)
    next(t for t in dash.text_input if t.label == "What you will do").input("Ask <i>residents</i>")
    next(t for t in dash.text_input if t.label == "Who does it").input("Community team")
    button(dash, "Record the action").click()
    rerun_on(dash, DASH)
    next(t for t in dash.text_input if t.label == "Title of the next workshop").input("")
    button(dash, "Open the next workshop").click()
    rerun_on(dash, DASH)
    assert any("title" in e.value.lower() for e in dash.error), [e.value for e in dash.error]
    next(t for t in dash.text_input if t.label == "Title of the next workshop").input("Spring")
    button(dash, "Open the next workshop").click()
    dash.run()  # switches to the page that shows the new code and its key, once
    assert not dash.exception, [e.value for e in dash.exception]
    new_code, new_key = dash.metric[0].value, dash.code[0].value
    assert new_code != code
    assert new_key != key
    assert any("Spring" in s.value for s in dash.success)
    nxt = dashboard(new_code, new_key)
    assert not nxt.exception, [e.value for e in nxt.exception]
    assert next(s.value for s in nxt.subheader) == "Last time you agreed to…"
    assert "**Ask \\<i\\>residents\\</i\\>**" in [m.value for m in nxt.markdown]  # as typed
    status = next(r for r in nxt.radio if r.label == "How it stands")
    status.set_value("done")
    next(t for t in nxt.text_input if t.label == "A note (optional)").input("At the fair")
    button(nxt, "Save how they stand").click()
    rerun_on(nxt, DASH)
    assert not any(s.value == "Last time you agreed to…" for s in nxt.subheader)
    summary = next(e for e in nxt.expander if e.label.startswith("Actions agreed last time"))
    table = next(t for t in summary.dataframe if "Action" in t.value.columns).value
    assert table["Action"].tolist() == ["Ask <i>residents</i>"]
    assert table["Status"].tolist() == ["Done"]
    locked = dashboard(new_code, None)  # without the key: nothing of the plan
    assert not any("residents" in m.value for m in locked.markdown)
