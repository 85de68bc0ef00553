"""At most two PDFs print at once, and the same report is printed once (issue 13, item 4).

Why: each PDF is a headless Chromium of about ten processes and 100-250 MB
(`reports.pdf`). Six sessions asking at once started some sixty processes and
1.4 GB, enough to take a small council server down. So, in each server
process:

- at most `SLOTS` Chromiums run at once; a request that gets no turn within
  `WAIT_SECONDS` raises `PdfBusy` (the page says "try again shortly"), so the
  number waiting is bounded by the people asking, never the processes;
- a request for a report already being printed waits for that print rather
  than starting another (the same HTML, compared by its SHA-256);
- the last `CACHE_ENTRIES` PDFs (at most `CACHE_BYTES` together) are kept by
  that hash, so asking again (a rerun, a second click, a colleague on the same
  report) returns the same bytes at once.

The bound is per process: a deployment of several replicas runs at most
``SLOTS`` per replica (docs/deployment.md). Failures are not kept: the next
request tries again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from reports.pdf import PdfUnavailable, html_to_pdf

__all__ = [
    "CACHE_BYTES",
    "CACHE_ENTRIES",
    "SLOTS",
    "WAIT_SECONDS",
    "PdfBusy",
    "Printer",
    "make_pdf",
]

#: Chromiums printing at once in one server process.
SLOTS = 2
#: How long a request waits for a turn before it is told to try again.
WAIT_SECONDS = 20.0
#: Finished PDFs kept by the hash of their HTML, and their most bytes together.
CACHE_ENTRIES = 16
CACHE_BYTES = 64 * 1024 * 1024


class PdfBusy(PdfUnavailable):
    """Every printer stayed busy for the whole wait; trying again shortly will work.

    A `PdfUnavailable`, so a caller that knows only that still falls back to
    the HTML report; `ui.downloads` tells people to try again instead.
    """


@dataclass
class _Print:
    """One report being printed: whoever asks for the same HTML meanwhile waits on it."""

    done: threading.Event = field(default_factory=threading.Event)
    data: bytes = b""
    error: PdfUnavailable | None = None


class Printer:
    """Prints HTML to PDF with at most ``slots`` renders at once and no render done twice.

    ``render`` is `reports.pdf.html_to_pdf` in the app; tests and the
    benchmark pass their own. ``slots=None`` means no bound (the benchmark's
    "before").
    """

    def __init__(
        self,
        render: Callable[[str], bytes] = html_to_pdf,
        slots: int | None = SLOTS,
        wait: float = WAIT_SECONDS,
        cache_entries: int = CACHE_ENTRIES,
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        self._render = render
        self._turns = threading.BoundedSemaphore(slots) if slots is not None else None
        self._wait = wait
        self._cache_entries = cache_entries
        self._cache_bytes = cache_bytes
        self._lock = threading.Lock()
        self._printing: dict[str, _Print] = {}
        self._done: OrderedDict[str, bytes] = OrderedDict()

    def pdf(self, html: str, wait: float | None = None) -> bytes:
        """The PDF of ``html``: kept, joined to a print under way, or printed in a free turn.

        Raises:
            PdfBusy: no turn came free within ``wait`` seconds (default: the printer's).
            PdfUnavailable: Chromium is missing or failed (`reports.pdf.html_to_pdf`).
        """
        patience = self._wait if wait is None else wait
        key = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
        mine = _Print()  # used only if no print of this HTML is under way
        with self._lock:
            kept = self._done.get(key)
            if kept is not None:
                self._done.move_to_end(key)
                return kept
            under_way = self._printing.get(key)
            if under_way is None:
                self._printing[key] = mine
        if under_way is not None:
            return _result(under_way)  # its printer ends it, well or badly, in bounded time
        try:
            mine.data = self._print(html, patience)
        except PdfUnavailable as exc:
            mine.error = exc
        except BaseException:
            mine.error = PdfUnavailable("the PDF could not be made (an unexpected error)")
            raise
        finally:
            with self._lock:
                del self._printing[key]
                if mine.error is None:
                    self._keep(key, mine.data)
            mine.done.set()
        return _result(mine)

    def _print(self, html: str, patience: float) -> bytes:
        if self._turns is None:
            return self._render(html)
        if not self._turns.acquire(timeout=patience):
            raise PdfBusy(
                f"every PDF printer was busy for {patience:g} seconds; please try again shortly"
            )
        try:
            return self._render(html)
        finally:
            self._turns.release()

    def _keep(self, key: str, data: bytes) -> None:
        """Keep ``data`` as the newest; drop the oldest past the count or the bytes (lock held)."""
        if len(data) > self._cache_bytes:
            return
        self._done[key] = data
        total = sum(len(d) for d in self._done.values())
        while len(self._done) > self._cache_entries or total > self._cache_bytes:
            _, dropped = self._done.popitem(last=False)
            total -= len(dropped)


def _result(job: _Print) -> bytes:
    job.done.wait()
    if job.error is not None:  # a copy each: threads never share one traceback
        raise type(job.error)(*job.error.args)
    return job.data


#: The server process's one printer: every page's PDF goes through it.
PRINTER = Printer()


def make_pdf(html: str, wait: float | None = None) -> bytes:
    """The report's PDF through the process's `PRINTER`; see `Printer.pdf`."""
    return PRINTER.pdf(html, wait)
