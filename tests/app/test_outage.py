"""Outages say the truth (issue 13, item 6): a participant whose answer cannot be saved is
told "not saved — try again in a moment" (never "join a workshop"), and what they gave is
saved once the database answers again, without their typing it again."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import ui.assessment.survey
import ui.workshop.entry
from storage import StorageError, find_participant, load_draft
from tests.app.conftest import button, rerun_on
from tests.app.test_workshop import (
    TAKE,
    chosen,
    engine_here,
    join,
    on_screen,
    open_workshop,
    tap,
)
from ui.store import NOT_SAVED, UNREACHABLE


def _down(*_args: object, **_kwargs: object) -> None:
    raise StorageError("cannot use the database at postgresql://ladder@db.internal/ladder")


def _page_text(at: AppTest) -> str:
    return " ".join(str(getattr(el, "value", "")) for el in at.main)


def _saved(token: str) -> dict[str, str]:
    engine = engine_here()
    try:
        from storage import current_response

        me = find_participant(engine, token)
        assert me is not None
        draft = load_draft(engine, current_response(engine, me.id).id)
        return {q: a.answer for q, a in draft.answers.items() if a.answer}
    finally:
        engine.dispose()


def test_a_participant_is_told_not_saved_and_nothing_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _key = open_workshop()
    at = join(code)
    token = str(at.query_params["p"])
    first = on_screen(at)
    tap(at, "3")
    second = on_screen(at)
    assert _saved(token) == {first: "3"}

    # The database goes away: reads and writes fail.
    with monkeypatch.context() as away:
        away.setattr(ui.assessment.survey, "save_draft", _down)
        away.setattr(ui.workshop.entry, "find_participant", _down)
        tap(at, "4")
        assert not at.exception, [e.value for e in at.exception]
        shown = " ".join(e.value for e in at.error)
        assert NOT_SAVED in shown
        page = _page_text(at)
        assert "Join a workshop" not in page
        assert "postgresql" not in page
        assert "db.internal" not in page
        assert _saved(token) == {first: "3"}

        # Trying again while it is still away says the same, and keeps the answer.
        button(at, "Try again").click()
        rerun_on(at, TAKE)
        assert NOT_SAVED in " ".join(e.value for e in at.error)

    # The database is back: the next run saves what was given, unasked.
    button(at, "Try again").click()
    rerun_on(at, TAKE)
    assert not at.exception, [e.value for e in at.exception]
    assert _saved(token) == {first: "3", second: "4"}
    assert any("could not be saved a moment ago are in" in s.value for s in at.success)
    assert (on_screen(at), chosen(at)) == (second, "4")  # not moved on past an unsaved answer
    assert not at.error


def test_opening_the_page_while_the_database_is_away_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _key = open_workshop()
    at = join(code)
    monkeypatch.setattr(ui.workshop.entry, "find_participant", _down)
    rerun_on(at, TAKE)
    assert not at.exception
    assert UNREACHABLE in " ".join(e.value for e in at.error)
    assert "Join a workshop" not in _page_text(at)


def test_a_self_assessment_keeps_an_answer_given_while_the_database_was_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.assessment.journey
    from storage import find_draft
    from tests.app.conftest import open_page, start

    token = start(open_page("app_pages/start.py"))
    at = open_page("app_pages/survey.py", r=token)
    question = next(r.key for r in at.radio if (r.key or "").startswith("a|")).split("|", 1)[1]
    with monkeypatch.context() as away:
        away.setattr(ui.assessment.survey, "save_draft", _down)
        away.setattr(ui.assessment.journey, "find_draft", _down)
        next(r for r in at.radio if r.key == f"a|{question}").set_value("2")
        rerun_on(at, "app_pages/survey.py")
        assert not at.exception
        assert NOT_SAVED in " ".join(e.value for e in at.error)
    button(at, "Try again").click()
    rerun_on(at, "app_pages/survey.py")
    engine = engine_here()
    try:
        draft = find_draft(engine, token)
        assert draft is not None
        assert draft.answers[question].answer == "2"
    finally:
        engine.dispose()


def test_the_dashboard_says_when_the_room_cannot_be_refreshed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The room's view refreshes itself in a fragment, which runs outside app.py's catch:
    it says the database is away rather than showing an error box."""
    import storage
    from tests.app.test_workshop import DASH, dashboard

    code, key = open_workshop()
    at = dashboard(code, key)
    assert not at.exception
    monkeypatch.setattr(storage, "room_view", _down)  # the page reads it from the front door
    rerun_on(at, DASH)
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "The room's view cannot be refreshed just now." in said
    assert UNREACHABLE in said
    assert "db.internal" not in _page_text(at)
