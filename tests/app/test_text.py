"""ui/text.py: names and bank text are shown as typed, never as Markdown."""

from __future__ import annotations

import os

from questions import load_instrument
from storage import AnswerInput, find_response, make_engine, save_draft, submit_response
from tests.app.conftest import open_page, start
from ui.text import literal

HOSTILE = "![t](http://host/x.png) [Verify key](http://host) **Ward** #1"


def test_every_markdown_character_is_escaped() -> None:
    escaped = literal(HOSTILE)
    assert "\\[" in escaped
    assert "\\!" in escaped
    assert "\\*\\*" in escaped
    assert literal("Calderdale Council") == "Calderdale Council"


def test_an_area_named_in_markdown_is_shown_as_typed_on_its_results() -> None:
    """The results title once turned such a name into an image and a link."""
    token = start(open_page("app_pages/start.py"), name=HOSTILE)
    engine = make_engine(os.environ["DATABASE_URL"])
    response = find_response(engine, token)
    assert response is not None
    quick = load_instrument().bank.form_questions("quick")
    save_draft(engine, response.id, {q.id: AnswerInput("3") for q in quick}, {}, 0)
    submit_response(engine, response.id)
    engine.dispose()
    at = open_page("app_pages/results.py", r=token)
    assert not at.exception
    [title] = [t.value for t in at.title]
    assert title == f"Results: {literal(HOSTILE)}"  # escaped: Markdown draws it as typed
