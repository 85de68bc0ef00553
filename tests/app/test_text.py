"""ui/text.py: names and bank text are shown as typed, never as Markdown."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from questions import load_instrument
from storage import AnswerInput, find_response, make_engine, save_draft, submit_response
from tests.app.conftest import finished_quick, open_page, start
from ui.text import literal

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = "![t](http://host/x.png) [Verify key](http://host) **Ward** #1"


def test_what_would_start_markdown_is_escaped_and_prose_is_left_alone() -> None:
    """How each payload looks in a browser is tests/e2e/test_literal_text.py; here, the
    escapes themselves, and prose untouched (a widget label is a screen reader's name)."""
    escaped = literal(HOSTILE)
    assert "\\[" in escaped
    assert "\\*\\*" in escaped
    assert "http\u2060://" in escaped
    assert literal("# Big").startswith("\\#")
    for prose in ("Calderdale Council", "Leeds (West): 2.5 out of 5.", "P2.3 — e.g. 2026/27!"):
        assert literal(prose) == prose


def test_an_area_named_in_markdown_is_shown_as_typed_on_its_results() -> None:
    """The results title once turned such a name into an image and a link."""
    token = finished_quick(HOSTILE)
    at = open_page("app_pages/results.py", r=token)
    assert not at.exception
    [title] = [t.value for t in at.title]
    assert title == f"Results: {literal(HOSTILE)}"  # escaped: Markdown draws it as typed


IMAGE_AND_LINK = "![t](http://127.0.0.1:9/x.png) [Verify key](http://evil.example)"


def shown_text(at) -> list[str]:
    """Every title, heading, caption, markdown and message the page drew (their Markdown)."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "success", "error")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def assert_no_live_markdown(texts: list[str]) -> None:
    """No bracket of an image or a link is left unescaped (the browser test,
    tests/e2e/test_literal_text.py, shows what escaped text looks like)."""
    for text in texts:
        assert not re.search(r"(?<!\\)[\[\]]", text), text
        assert "http://" not in text, text  # a bare address would be linked


def test_a_workshop_and_area_named_in_markdown_are_shown_as_typed_on_its_dashboard() -> None:
    """The dashboard's title, join line and captions draw the names as typed, never an image
    or a link; the charts carry them only escaped."""
    from tests.app.conftest import button, rerun_on
    from tests.app.test_workshop import OPEN, dashboard, sends

    at = open_page(OPEN)
    fields = {t.label: t for t in at.text_input}
    fields["Workshop title"].input(IMAGE_AND_LINK)
    fields["Name of the area"].input(IMAGE_AND_LINK)
    at.number_input[0].set_value(3)
    button(at, "Open the workshop").click()
    rerun_on(at, OPEN)
    assert not at.exception, [e.value for e in at.exception]
    code, key = at.metric[0].value, at.code[0].value
    for role in ("senior_officer", "councillor", "resident"):
        sends(code, role, "3")
    dash = dashboard(code, key)
    assert not dash.exception, [e.value for e in dash.exception]
    assert dash.get("plotly_chart"), "the room is shown"
    [title] = [t.value for t in dash.title]
    assert title == literal(IMAGE_AND_LINK)
    texts = shown_text(dash)
    assert_no_live_markdown(texts)


def test_the_results_page_shows_only_escaped_names() -> None:
    token = start(open_page("app_pages/start.py"), name=IMAGE_AND_LINK)
    engine = make_engine(os.environ["DATABASE_URL"])
    response = find_response(engine, token)
    assert response is not None
    quick = load_instrument().bank.form_questions("quick")
    save_draft(engine, response.id, {q.id: AnswerInput("3") for q in quick}, {}, 0)
    submit_response(engine, response.id)
    engine.dispose()
    at = open_page("app_pages/results.py", r=token)
    assert not at.exception
    texts = shown_text(at)
    assert literal(IMAGE_AND_LINK) in " ".join(texts)
    assert_no_live_markdown(texts)


def test_areas_named_in_markdown_are_shown_as_typed_on_compare() -> None:
    """The comparison's sentences, headings and messages name the areas as typed (they once
    drew the image and the link)."""
    from scoring.answers import parse_answers
    from storage import import_assessments, save_bank
    from tests.app.conftest import APP, rerun_on
    from tests.app.test_compare import ADMIN, BANK, PAGE, answers_frame, raw
    from tests.app.test_compare import open_page as open_signed_in

    at = open_signed_in(PAGE)  # creates and migrates the database
    engine = make_engine(os.environ["DATABASE_URL"])
    areas = ("![t](http://127.0.0.1:9/x.png) North", "[Verify key](http://evil.example) South")
    data = answers_frame(BANK, areas, (1, 2)).to_csv(index=False).encode()
    bank_hash = save_bank(engine, BANK, (APP.parent / "questions" / "bank.yaml").read_text())
    import_assessments(engine, ADMIN, parse_answers(data, "areas.csv", BANK), BANK, bank_hash, "a")
    engine.dispose()
    at = rerun_on(at, PAGE)
    at.multiselect[0].set_value(raw(at.multiselect[0].options))
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    texts = shown_text(at)
    assert any(literal(areas[0]) in t for t in texts)
    assert_no_live_markdown(texts)


def test_bank_text_in_markdown_is_shown_as_typed_on_the_survey(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A question, its level words and its dimension's summary written with Markdown
    (W411 warns; the bank still loads) are shown as typed on the survey step."""
    from tests.app.conftest import as_read

    source = (ROOT / "questions" / "bank.yaml").read_text(encoding="utf-8")
    question = load_instrument().bank.question("P1.1").text
    assert source.count(question) == 1
    path = tmp_path / "bank.yaml"
    path.write_text(source.replace(question, IMAGE_AND_LINK), encoding="utf-8")
    monkeypatch.setenv("LADDER_BANK", str(path))
    token = start(open_page("app_pages/start.py"))
    at = open_page("app_pages/survey.py", r=token)
    assert not at.exception
    [radio] = [r for r in at.radio if r.key == "a|P1.1"]
    assert radio.label == literal(IMAGE_AND_LINK)
    assert as_read(radio.label) == IMAGE_AND_LINK
    assert_no_live_markdown([radio.label, *(str(o) for o in radio.options)])


def test_a_long_text_is_escaped_alike_but_not_kept() -> None:
    """The cache keeps short texts (names, the bank); a long one, such as an error quoting
    a file's cell, is escaped the same way and never fills it."""
    import ui.text

    long = "**cell** " * 1000
    before = ui.text._literal.cache_info().currsize
    assert literal(long) == ui.text._escape(long)
    assert literal(long).startswith("\\*\\*cell\\*\\*")
    assert ui.text._literal.cache_info().currsize == before
    literal(f"**short** {id(long)}")  # a text not seen before
    assert ui.text._literal.cache_info().currsize == before + 1
