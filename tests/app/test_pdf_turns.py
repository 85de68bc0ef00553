"""ui/downloads.py: with every PDF printer busy, the page says to try again (issue 13, item 4)."""

from __future__ import annotations

import pytest

from reports import printing
from tests.app.conftest import finished_quick, open_page, rerun_on
from ui.downloads import PDF_BUSY, PDF_NOT_MADE

RESULTS = "app_pages/results.py"


def test_a_pdf_with_no_free_printer_says_try_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(html: str) -> bytes:
        raise AssertionError("no printer was free, so nothing may print")

    monkeypatch.setattr(printing, "PRINTER", printing.Printer(never, slots=0, wait=0.01))
    token = finished_quick()
    at = open_page(RESULTS, r=token)
    [pdf] = [b for b in at.button if b.label == "Make a PDF of the report"]
    pdf.click()
    at = rerun_on(at, RESULTS)
    assert not at.exception
    assert PDF_BUSY in [i.value for i in at.info]
    assert PDF_NOT_MADE not in [w.value for w in at.warning]
    assert "try again" in PDF_BUSY
