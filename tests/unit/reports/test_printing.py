"""At most two PDFs print at once; the same report prints once (issue 13, item 4).

Six sessions asking for PDFs at once once started some sixty Chromium
processes (1.4 GB). These tests fire many requests at once and count how
many renders ran together: with a fake renderer for the exhaustive cases, and
with real Chromium (counted where `reports.pdf` launches it) for one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reports import pdf, printing
from reports.pdf import PdfUnavailable
from reports.printing import PdfBusy, Printer, make_pdf
from tests.support.machine import require_browser


class FakeChromium:
    """A renderer that records how many run at once and which pages it printed."""

    def __init__(self, seconds: float = 0.05, fail: bool = False) -> None:
        self.seconds = seconds
        self.fail = fail
        self.running = 0
        self.most = 0
        self.printed: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __call__(self, html: str) -> bytes:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.printed[html] += 1
        try:
            time.sleep(self.seconds)
            if self.fail:
                raise PdfUnavailable("Chromium could not print the report")
            return b"%PDF-1.4 " + html.encode()
        finally:
            with self._lock:
                self.running -= 1


def page(n: int) -> str:
    return f"<!DOCTYPE html><html><body><p>Report {n}</p></body></html>"


def flood(ask: Callable[[str], bytes], pages: list[str]) -> list[bytes | str]:
    """Every page requested at once, one thread each; each a PDF's bytes or "busy"."""
    start = threading.Barrier(len(pages))

    def one(html: str) -> bytes | str:
        start.wait()
        try:
            return ask(html)
        except PdfBusy:
            return "busy"

    with ThreadPoolExecutor(len(pages)) as pool:
        return list(pool.map(one, pages))


#: 20 requests: reports 0-4 asked for four times each; every one of them at once.
TWENTY = [page(i % 5) for i in range(20)]


def test_twenty_requests_at_once_never_run_more_than_two_renderers() -> None:
    chromium = FakeChromium()
    printer = Printer(chromium, wait=30)
    outcomes = flood(printer.pdf, TWENTY)
    assert chromium.most <= 2
    assert chromium.most == 2  # the two turns were used: the bound, not a queue of one
    assert chromium.printed == Counter({page(i): 1 for i in range(5)})  # each report once
    assert outcomes == [b"%PDF-1.4 " + html.encode() for html in TWENTY]


def test_without_the_bound_the_same_flood_runs_every_renderer_at_once() -> None:
    """What the bound prevents (the benchmark's "before"): all twenty distinct reports at once."""
    chromium = FakeChromium(seconds=0.3)
    flood(Printer(chromium, slots=None).pdf, [page(i) for i in range(20)])
    assert chromium.most > 2


def test_a_request_that_gets_no_turn_is_told_busy_quickly() -> None:
    chromium = FakeChromium(seconds=0.5)
    printer = Printer(chromium, slots=2, wait=0.05)
    outcomes = flood(printer.pdf, [page(i) for i in range(6)])
    assert chromium.most <= 2
    assert outcomes.count("busy") == 4
    assert sum(1 for o in outcomes if isinstance(o, bytes) and o.startswith(b"%PDF")) == 2


def test_busy_is_a_pdf_unavailable_so_older_callers_fall_back_to_html() -> None:
    assert issubclass(PdfBusy, PdfUnavailable)


def test_an_identical_request_after_the_first_returns_the_same_bytes_without_printing() -> None:
    chromium = FakeChromium()
    printer = Printer(chromium)
    first = printer.pdf(page(1))
    assert printer.pdf(page(1)) is first
    assert chromium.printed[page(1)] == 1


def test_the_kept_pdfs_are_bounded_by_count_and_by_bytes() -> None:
    chromium = FakeChromium(seconds=0)
    printer = Printer(chromium, cache_entries=3)
    for i in range(5):
        printer.pdf(page(i))
    printer.pdf(page(4))  # newest: kept
    printer.pdf(page(0))  # oldest: dropped, printed again
    assert chromium.printed[page(4)] == 1
    assert chromium.printed[page(0)] == 2
    small = Printer(chromium, cache_bytes=len(b"%PDF-1.4 " + page(7).encode()) + 1)
    small.pdf(page(7))
    small.pdf(page(8))  # the two together are too many bytes: report 7 goes
    small.pdf(page(7))
    assert chromium.printed[page(7)] == 2


def test_a_failure_reaches_everyone_waiting_on_it_and_is_not_kept() -> None:
    chromium = FakeChromium(fail=True)
    printer = Printer(chromium)
    outcomes: list[str] = []

    def ask() -> None:
        try:
            printer.pdf(page(1))
        except PdfUnavailable as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["Chromium could not print the report"] * 5
    assert chromium.printed[page(1)] == 1
    chromium.fail = False
    assert printer.pdf(page(1)).startswith(b"%PDF")  # tried again, not the failure kept


def test_a_bug_in_the_renderer_frees_the_turn_and_the_waiters() -> None:
    def broken(html: str) -> bytes:
        raise RuntimeError("a bug")

    printer = Printer(broken, slots=1, wait=0.5)
    with pytest.raises(RuntimeError):
        printer.pdf(page(1))
    fixed = Printer(FakeChromium(), slots=1, wait=0.5)
    assert fixed.pdf(page(1)).startswith(b"%PDF")
    with pytest.raises(RuntimeError):  # the turn came back: not PdfBusy
        printer.pdf(page(2))


def test_twenty_real_chromium_requests_at_once_run_at_most_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the app's own `make_pdf`, counted where `reports.pdf` launches Chromium."""
    chromium = require_browser()
    monkeypatch.setenv("LADDER_CHROMIUM", str(chromium))
    monkeypatch.setattr(printing, "PRINTER", Printer())  # nothing kept from other tests
    launched: Counter[str] = Counter()
    running = 0
    most = 0
    lock = threading.Lock()
    real_run = pdf._run

    def counted(command: list[str], timeout: float) -> tuple[int, str]:
        nonlocal running, most
        page_file = Path(command[-1].removeprefix("file://"))
        with lock:
            running += 1
            most = max(most, running)
            launched[page_file.read_text(encoding="utf-8")] += 1
        try:
            return real_run(command, timeout)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(pdf, "_run", counted)
    pages = [page(i % 4) for i in range(20)]
    outcomes = flood(make_pdf, pages)
    assert most <= 2
    assert launched == Counter({page(i): 1 for i in range(4)})
    assert all(o == "busy" or (isinstance(o, bytes) and o.startswith(b"%PDF-")) for o in outcomes)
    pdfs = [o for o in outcomes if isinstance(o, bytes)]
    assert len(pdfs) == 20  # four small pages print well inside the 20-second wait
