"""One row of download buttons and the PDF on request: the same on every page that exports.

Why: results, workshops and comparisons each offer files and a PDF of their
report; one helper keeps the buttons, names and the PDF message alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from reports.meta import ReportMeta, report_filename
from reports.pdf import PdfUnavailable
from reports.printing import WAIT_SECONDS, PdfBusy, make_pdf
from ui.store import log

#: (button label, bytes, file name ending, MIME type)
File = tuple[str, bytes, str, str]
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


def offer(meta: ReportMeta, files: Sequence[File], html: str, pdf_key: str) -> None:
    """The files as download buttons, then a button that prints ``html`` to PDF."""
    columns = st.columns(_COLUMNS)
    for i, (label, data, extension, mime) in enumerate(files):
        columns[i % _COLUMNS].download_button(
            label,
            data,
            file_name=report_filename(meta, extension),
            mime=mime,
            width="stretch",
            on_click="ignore",
        )
    if columns[len(files) % _COLUMNS].button("Make a PDF of the report", width="stretch"):
        with st.spinner(
            "Printing the report to PDF (if others are printing, yours waits its turn)…"
        ):
            try:
                st.session_state[pdf_key] = make_pdf(html)
            except PdfBusy:
                st.session_state[pdf_key] = None
                st.info(PDF_BUSY)
            except PdfUnavailable as exc:  # the detail (paths, Chromium's words) is the log's
                st.session_state[pdf_key] = None
                log.warning("PDF not made: %s", exc)
                st.warning(PDF_NOT_MADE)
    if st.session_state.get(pdf_key):
        st.download_button(
            "Download the PDF",
            st.session_state[pdf_key],
            file_name=report_filename(meta, "pdf"),
            mime="application/pdf",
            type="primary",
            on_click="ignore",
        )
