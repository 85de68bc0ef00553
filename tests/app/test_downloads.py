"""ui/downloads.py: a PDF that cannot be made is one plain sentence; the why goes to the log."""

from __future__ import annotations

import logging
import os

import pytest

from questions import load_instrument
from storage import AnswerInput, find_response, make_engine, save_draft, submit_response
from tests.app.conftest import open_page, rerun_on, start
from ui.downloads import PDF_NOT_MADE

RESULTS = "app_pages/results.py"


def test_no_pdf_says_so_plainly_and_logs_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With Chromium missing, the message once named the server's path to it."""
    secret_path = "/srv/ladder/private/chromium-missing"
    monkeypatch.setenv("LADDER_CHROMIUM", secret_path)
    token = start(open_page("app_pages/start.py"))
    engine = make_engine(os.environ["DATABASE_URL"])
    response = find_response(engine, token)
    assert response is not None
    quick = load_instrument().bank.form_questions("quick")
    save_draft(engine, response.id, {q.id: AnswerInput("3") for q in quick}, {}, 0)
    submit_response(engine, response.id)
    engine.dispose()
    at = open_page(RESULTS, r=token)
    [pdf] = [b for b in at.button if b.label == "Make a PDF of the report"]
    with caplog.at_level(logging.WARNING, logger="ladder"):
        pdf.click()
        at = rerun_on(at, RESULTS)
    shown = [w.value for w in at.warning]
    assert PDF_NOT_MADE in shown
    assert all(secret_path not in text for text in shown)
    assert secret_path in caplog.text
