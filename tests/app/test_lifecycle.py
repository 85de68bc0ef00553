"""Deleting one's answers from the results page."""

from __future__ import annotations

from storage import database_url, find_response, list_assessments, make_engine
from tests.app.conftest import button, open_page, rerun_on, start


def _confirm(at, text: str):
    next(t for t in at.text_input if t.label == "Type DELETE to confirm").input(text)
    button(at, "Delete these answers permanently").click()
    return rerun_on(at, "app_pages/results.py")


def test_deleting_from_the_results_page():
    at = open_page("app_pages/start.py")
    token = start(at)
    rerun_on(at, "app_pages/results.py")
    assert not at.exception
    engine = make_engine(database_url())
    assert find_response(engine, token) is not None

    _confirm(at, "delete")  # not in capitals: refused, nothing deleted
    assert not at.exception
    assert any("Type DELETE" in e.value for e in at.error)
    assert find_response(engine, token) is not None

    _confirm(at, "DELETE")
    assert not at.exception
    assert any("have been deleted" in s.value for s in at.success)
    assert find_response(engine, token) is None
    assert list_assessments(engine) == []
    assert at.query_params.get("r") in (None, "", [])
    engine.dispose()
