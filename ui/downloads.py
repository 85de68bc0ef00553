"""One row of download buttons and the PDF on request: the same on every page that exports.

Why: results, workshops and comparisons each offer files and a PDF of their
report; one helper keeps the buttons, names and the PDF message alike.

Each file is made only when its button is pressed: a button's data is a function
(`Build`) that Streamlit calls on the click, in a thread of its own, so a page run
builds no file and the browser fetches none it was not asked for (issue 14: a
workshop's workbook alone took seconds with 300 people, on every run). Such a
function runs outside the page's script, so it must not read the session: whoever
is asking is captured when the page is drawn (a grant, a resume token) and checked
again by storage when the file is built (`checked`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import wraps
from typing import TypeVar

import streamlit as st

from reports.meta import ReportMeta, report_filename
from reports.pdf import PdfUnavailable
from reports.printing import WAIT_SECONDS, PdfBusy, make_pdf
from ui.store import log

T = TypeVar("T")
#: Makes one file's contents when its button is pressed.
Build = Callable[[], bytes]
#: (button label, what builds the file, file name ending, MIME type)
File = tuple[str, Build, str, str]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_COLUMNS = 4
#: What a person is told when no PDF could be made; why (a path, Chromium's own words) goes to
#: the server's log, never to the page.
PDF_NOT_MADE = (
    "Ladder could not make the PDF just now. Download the HTML report and print it from your "
    "browser; whoever runs Ladder can see why in the server's log."
)
#: What a person is told when every PDF printer stayed busy while they waited
#: (`reports.printing`: at most two print at once).
PDF_BUSY = (
    f"Other reports were being made for the {WAIT_SECONDS:g} seconds yours waited, so it has "
    "not started; please try again in a moment. The HTML report can be downloaded now."
)


class NotYours(Exception):
    """The file was asked for by someone who may no longer have it (a resume code deleted
    since the page was drawn); storage's own refusals (`AccessDenied`) pass through too."""


def checked(check: Callable[[], None], make: Callable[[], T]) -> Callable[[], T]:
    """``make``, run only after ``check()`` (which raises to refuse) has passed: the access
    check happens when the file is built, not only when its button was drawn."""

    @wraps(make)
    def build() -> T:
        check()
        return make()

    return build


def encoded(make: Callable[[], str]) -> Build:
    """A builder of text, as a builder of its UTF-8 bytes."""
    return lambda: make().encode("utf-8")


def offer(
    meta: ReportMeta,
    files: Sequence[File],
    html: Callable[[], str],
    pdf_key: str,
    of: Hashable,
) -> None:
    """The files as download buttons (each built on its click), then a button that prints
    the report ``html()`` makes to PDF. ``of`` names what the report is of (an assessment, a
    workshop's round, the results compared): the PDF is kept with it, and offered only while
    the page shows the same thing, never under another result's name."""
    columns = st.columns(_COLUMNS)
    for i, (label, build, extension, mime) in enumerate(files):
        columns[i % _COLUMNS].download_button(
            label,
            build,
            file_name=report_filename(meta, extension),
            mime=mime,
            width="stretch",
            on_click="ignore",
        )
    if columns[len(files) % _COLUMNS].button("Make a PDF of the report", width="stretch"):
        st.session_state[pdf_key] = None
        with st.spinner(
            "Printing the report to PDF (if others are printing, yours waits its turn)…"
        ):
            try:
                st.session_state[pdf_key] = (of, make_pdf(html()))
            except PdfBusy:
                st.info(PDF_BUSY)
            except PdfUnavailable as exc:  # the detail (paths, Chromium's words) is the log's
                log.warning("PDF not made: %s", exc)
                st.warning(PDF_NOT_MADE)
    kept = st.session_state.get(pdf_key)
    if kept and kept[0] == of:
        st.download_button(
            "Download the PDF",
            kept[1],
            file_name=report_filename(meta, "pdf"),
            mime="application/pdf",
            type="primary",
            on_click="ignore",
        )
