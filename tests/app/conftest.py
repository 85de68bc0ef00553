"""AppTest helpers shared by the page tests.

Each test gets its own SQLite database and a fresh resource cache, so no test
sees another's answers, and none touches data/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(autouse=True)
def fresh_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("LADDER_BANK", raising=False)
    monkeypatch.delenv("LADDER_CORPUS", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ladder.db'}")
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def open_page(page: str, **query: str) -> AppTest:
    """A fresh session (like a new tab) on one page, with these query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def rerun_on(at: AppTest, page: str) -> AppTest:
    """Run again on ``page`` (AppTest returns to the main page after a switch otherwise)."""
    at.switch_page(page)
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def start(at: AppTest, name: str = "Calderdale Council", form: str = "quick", ons: str = "") -> str:
    """On the start page: fill the form, press Start; the resume token now in the URL."""
    fields = {t.label: t for t in at.text_input}
    fields["Name of the area"].input(name)
    fields["ONS code (optional)"].input(ons)
    next(r for r in at.radio if r.label == "How much do you want to answer?").set_value(form)
    button(at, "Start").click()
    rerun_on(at, "app_pages/start.py")
    assert not at.exception, [e.value for e in at.exception]
    return str(at.query_params.get("r") or "")


def finished_quick(name: str = "Calderdale Council") -> str:
    """A quick self-assessment for ``name`` started on the page, every question answered 3
    and finished (through storage, as the survey page would); its resume token."""
    import os

    from questions import load_instrument
    from storage import AnswerInput, find_response, make_engine, save_draft, submit_response

    token = start(open_page("app_pages/start.py"), name=name)
    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        response = find_response(engine, token)
        assert response is not None
        quick = load_instrument().bank.form_questions("quick")
        save_draft(engine, response.id, {q.id: AnswerInput("3") for q in quick}, {}, 0)
        submit_response(engine, response.id)
    finally:
        engine.dispose()
    return token


def as_read(markdown: str) -> str:
    """What a person reads: Markdown source with `ui.text.literal`'s backslash escapes
    and its invisible word joiners taken out (text from people, the bank and errors is
    shown escaped, so as typed)."""
    import re

    from ui.text import JOINER

    return re.sub(r"\\(.)", r"\1", markdown).replace(JOINER, "")


@pytest.fixture
def download_data(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Each download button's data by label, as the page gave it on its latest run: a
    callable is what a click would build (AppTest has no server to call it)."""
    from streamlit.delta_generator import DeltaGenerator

    given: dict[str, object] = {}
    real = DeltaGenerator.download_button

    def spy(self: DeltaGenerator, label: str, data: object, *args: object, **kwargs: object):
        given[label] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: spy(st._main, *a, **k))
    return given
