"""ui/downloads.py: a PDF that cannot be made is one plain sentence; the why goes to the log."""

from __future__ import annotations

import logging

import pytest

from tests.app.conftest import finished_quick, open_page, rerun_on
from ui.downloads import PDF_NOT_MADE

RESULTS = "app_pages/results.py"


def test_no_pdf_says_so_plainly_and_logs_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With Chromium missing, the message once named the server's path to it."""
    secret_path = "/srv/ladder/private/chromium-missing"
    monkeypatch.setenv("LADDER_CHROMIUM", secret_path)
    token = finished_quick()
    at = open_page(RESULTS, r=token)
    [pdf] = [b for b in at.button if b.label == "Make a PDF of the report"]
    with caplog.at_level(logging.WARNING, logger="ladder"):
        pdf.click()
        at = rerun_on(at, RESULTS)
    shown = [w.value for w in at.warning]
    assert PDF_NOT_MADE in shown
    assert all(secret_path not in text for text in shown)
    assert secret_path in caplog.text
