"""PDF through headless Chromium: real bytes when it is there, a clear sentence when not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from reports import pdf
from reports.html import render_report
from reports.pdf import PdfUnavailable, find_chromium, html_to_pdf
from scoring.assessment.results import build_results
from tests.support.machine import require_browser
from tests.unit.reports.factories import HOSTILE, full_answers, meta_for, shipped

MISSING = (
    "PDF needs Chromium, which is not installed on this server; download the HTML report and "
    "print it from your browser."
)
SMALL_PAGE = "<!DOCTYPE html><html><body><p>Hello</p></body></html>"


def fake_browser(tmp_path: Path, body: str) -> Path:
    """A stand-in for Chromium: a shell script with this body."""
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_missing_chromium_says_what_to_do_instead() -> None:
    with pytest.raises(PdfUnavailable) as caught:
        html_to_pdf(SMALL_PAGE, chromium=Path("/nonexistent"))
    message = str(caught.value)
    assert message.startswith("PDF needs Chromium, which is not installed on this server")
    assert message.endswith("download the HTML report and print it from your browser.")
    assert "/nonexistent" in message


def test_no_chromium_found_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    with pytest.raises(PdfUnavailable) as caught:
        html_to_pdf(SMALL_PAGE)
    assert str(caught.value) == MISSING


def test_find_chromium_prefers_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LADDER_CHROMIUM", str(tmp_path / "my-chrome"))
    assert find_chromium() == tmp_path / "my-chrome"


def test_find_chromium_then_debian_then_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LADDER_CHROMIUM", raising=False)
    debian = fake_browser(tmp_path, "exit 0")
    monkeypatch.setattr(pdf, "DEBIAN_CHROMIUM", debian)
    assert find_chromium() == debian
    monkeypatch.setattr(pdf, "DEBIAN_CHROMIUM", tmp_path / "absent")
    seen: list[str] = []

    def which(name: str) -> str | None:
        seen.append(name)
        return "/opt/chrome/google-chrome" if name == "google-chrome" else None

    monkeypatch.setattr(shutil, "which", which)
    assert find_chromium() == Path("/opt/chrome/google-chrome")
    assert seen == ["chromium", "chromium-browser", "google-chrome"]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert find_chromium() is None


def test_a_failing_browser_is_reported_in_one_line(tmp_path: Path) -> None:
    browser = fake_browser(
        tmp_path,
        "echo '/usr/bin/chromium: 9: [: 1: unexpected operator' >&2\n"
        "echo 'ERROR:dbus/bus.cc:408] Failed to connect to the bus' >&2\n"
        "echo 'Cannot open display: the sky fell' >&2\nexit 3",
    )
    with pytest.raises(PdfUnavailable) as caught:
        html_to_pdf(SMALL_PAGE, chromium=browser)
    message = str(caught.value)
    assert message == (
        "Chromium could not print the report (exit code 3: Cannot open display: the sky fell); "
        "download the HTML report and print it from your browser."
    )
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_browser_that_writes_no_pdf_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(PdfUnavailable, match=r"exit code 0: no error output"):
        html_to_pdf(SMALL_PAGE, chromium=fake_browser(tmp_path, "exit 0"))


def test_a_hanging_browser_is_stopped_with_its_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    browser = fake_browser(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait")
    start = time.perf_counter()
    with pytest.raises(PdfUnavailable) as caught:
        html_to_pdf(SMALL_PAGE, chromium=browser, timeout=1)
    assert time.perf_counter() - start < 10
    assert "took longer than 1 seconds" in str(caught.value)
    child = int(pid_file.read_text())
    time.sleep(0.2)
    assert not _alive(child), "the browser's child process was left running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and ") Z " in status.read_text())  # a zombie is gone


def test_real_chromium_prints_the_report_with_its_charts(tmp_path: Path) -> None:
    chromium = require_browser()
    bank, corpus = shipped()
    answers = full_answers(bank)
    results = build_results(bank, corpus, answers)
    html = render_report(results, corpus, meta_for(results, bank), answers, bank)
    data = html_to_pdf(html, chromium=chromium)
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # no poppler: count the page objects instead
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
        assert pages > 1
        return
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert text.count("\f") > 1  # one form feed per page
    assert f"Borsetshire {HOSTILE}" in text
    assert "Weakest dimension" in text
    assert "Next-practice criteria: median scores" in text  # drawn by plotly.js: it ran
    assert "Page 1 of" in text
