"""The HTML report printed to PDF by headless Chromium, so the PDF *is* the report.

Why Chromium: the report's charts are plotly, drawn by JavaScript; a PDF
library that runs no JavaScript (WeasyPrint, ReportLab) would need a second,
image-based report to keep in step. Chromium prints the same file a
councillor opens, with its print CSS (research/tech_feasibility.md §4: about
1.3 s a report on the project machine).

The page is our own, escaped, with a CSP that forbids every fetch; Chromium
is also started without a network name resolver, a fresh profile, and no
background services, so printing cannot reach out. It is started with
``--no-sandbox`` because servers usually run it as root or in a container,
where Chromium's sandbox cannot start.

When Chromium is missing, fails or hangs, `PdfUnavailable` says so in a
sentence a person can act on; the HTML report is always the fallback.

Pages do not call `html_to_pdf` themselves: they go through
`reports.printing.make_pdf`, which lets at most two Chromiums run at once and
prints the same report once (issue 13, item 4).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["CHROMIUM_FLAGS", "QUIET_FLAGS", "PdfUnavailable", "find_chromium", "html_to_pdf"]

#: Where Debian puts Chromium; tried after ``LADDER_CHROMIUM``.
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
#: Names tried on PATH last.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: How long plotly may take to draw, in Chromium's virtual time (ms).
VIRTUAL_TIME_BUDGET_MS = 5000
#: How Chromium runs on these machines, here and wherever else it is launched (the tests and
#: the browser benchmarks): no sandbox as root, no GPU, no background traffic.
QUIET_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    *QUIET_FLAGS,
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
)
_FALLBACK = "download the HTML report and print it from your browser"
#: Chromium's harmless chatter on stderr, skipped when we quote its first error line.
_NOISE = ("unexpected operator", "dbus", "Fontconfig", "bus.cc", "dconf", "WARNING:")


class PdfUnavailable(Exception):
    """The PDF cannot be made here; the message says why and what to do instead."""


def find_chromium() -> Path | None:
    """Chromium to print with: ``LADDER_CHROMIUM``, then /usr/bin/chromium, then PATH.

    ``LADDER_CHROMIUM`` wins even when it is wrong, so a misconfigured server
    says so (in `html_to_pdf`) rather than quietly using another browser.
    """
    configured = os.environ.get("LADDER_CHROMIUM", "").strip()
    if configured:
        return Path(configured)
    if _runnable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def html_to_pdf(html: str, chromium: Path | None = None, timeout: float = 60) -> bytes:
    """Print an HTML document (the self-contained report) to A4 PDF bytes.

    Raises:
        PdfUnavailable: Chromium is missing, fails, times out or writes no PDF.
    """
    browser = chromium if chromium is not None else find_chromium()
    if browser is None or not _runnable(browser):
        where = f" (looked for {browser})" if browser is not None else ""
        raise PdfUnavailable(
            f"PDF needs Chromium, which is not installed on this server{where}; {_FALLBACK}."
        )
    with tempfile.TemporaryDirectory(prefix="ladder-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        out = folder / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            str(browser),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        returncode, stderr = _run(command, timeout)
        data = out.read_bytes() if out.is_file() else b""
    if data.startswith(b"%PDF-"):
        return data
    raise PdfUnavailable(
        f"Chromium could not print the report (exit code {returncode}: {_first_error(stderr)}); "
        f"{_FALLBACK}."
    )


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run Chromium in its own process group; on timeout, end that group (and only it)."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise PdfUnavailable(
            f"PDF needs Chromium, which could not be started here ({exc.strerror or exc}); "
            f"{_FALLBACK}."
        ) from None
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process)
        raise PdfUnavailable(
            f"Chromium took longer than {timeout:g} seconds to print the report, so it was "
            f"stopped; please try again, or {_FALLBACK}."
        ) from None
    return process.returncode, err.decode("utf-8", "replace")


def _end_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _first_error(stderr: str) -> str:
    """The first line of Chromium's stderr that is not its usual harmless chatter."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    useful = [line for line in lines if not any(n in line for n in _NOISE)]
    line = (useful or lines or ["no error output"])[0]
    return line if len(line) <= 200 else line[:199] + "…"
