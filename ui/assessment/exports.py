"""Downloads on the results page: answers, scores, workbook, JSON, the HTML report and its PDF.

Why: councils want files they can keep, print and publish. Each file is made
by `reports` from the same results the page shows, when its button is pressed
(`ui.downloads`), after the resume code is checked again; the PDF needs Chromium
and takes a second or two, so it is made only when asked for.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from reports.exports import answers_csv, excel_workbook, results_json, scores_csv
from reports.html import render_report
from reports.meta import ReportMeta
from storage import find_response
from ui import state
from ui.assessment.current import Visit
from ui.downloads import XLSX, NotYours, checked, encoded, offer
from ui.store import engine

PDF = state.PDF_REPORT.key


def _meta(visit: Visit, bank: object) -> ReportMeta:
    created = visit.draft.assessment.created_at
    return ReportMeta.for_results(
        visit.results,
        bank,
        area_name=visit.area.name,
        area_kind=visit.area.kind,
        ons_code=visit.area.ons_code,
        assessment_date=visit.draft.assessment.held_on
        or (created.date() if created else date.today()),
    )


def render_downloads(visit: Visit, loaded: object) -> None:
    bank, corpus = loaded.bank, loaded.corpus
    meta = _meta(visit, bank)
    st.subheader("Take it away")
    st.caption(
        "The report is one file that opens in any browser, with no internet connection needed. "
        "Spreadsheets hold every answer and score."
    )
    db, token, response_id = engine(), visit.here.token, visit.draft.response_id

    def still_theirs() -> None:
        """The resume code still opens these answers (they may have been deleted since)."""
        response = find_response(db, token)
        if response is None or response.id != response_id:
            raise NotYours("the resume code no longer opens these answers")

    def html() -> str:
        return render_report(visit.results, corpus, meta, visit.answers, bank, static=True)

    files = [
        ("Report (HTML)", encoded(html), "html", "text/html"),
        (
            "Workbook (Excel)",
            lambda: excel_workbook(visit.results, visit.answers, meta, bank),
            "xlsx",
            XLSX,
        ),
        ("Answers (CSV)", lambda: answers_csv(visit.answers), "answers.csv", "text/csv"),
        (
            "Scores (CSV)",
            lambda: scores_csv(visit.results, visit.answers, bank),
            "scores.csv",
            "text/csv",
        ),
        (
            "Everything (JSON)",
            lambda: results_json(visit.results, visit.answers, meta),
            "json",
            "application/json",
        ),
    ]
    offer(
        meta,
        [(label, checked(still_theirs, build), end, mime) for label, build, end, mime in files],
        html,
        PDF,
    )
