"""Downloads on the results page: answers, scores, workbook, JSON, the HTML report and its PDF.

Why: councils want files they can keep, print and publish. Each file is made
by `reports` from the same results the page shows; the PDF needs Chromium and
takes a second or two, so it is made only when asked for.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from reports.exports import answers_csv, excel_workbook, results_json, scores_csv
from reports.html import render_report
from reports.meta import ReportMeta
from ui import state
from ui.downloads import XLSX, offer
from ui.results_state import Visit

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
    html = render_report(visit.results, corpus, meta, visit.answers, bank)
    files = [
        ("Report (HTML)", html.encode("utf-8"), "html", "text/html"),
        (
            "Workbook (Excel)",
            excel_workbook(visit.results, visit.answers, meta, bank),
            "xlsx",
            XLSX,
        ),
        ("Answers (CSV)", answers_csv(visit.answers), "answers.csv", "text/csv"),
        ("Scores (CSV)", scores_csv(visit.results, visit.answers, bank), "scores.csv", "text/csv"),
        (
            "Everything (JSON)",
            results_json(visit.results, visit.answers, meta),
            "json",
            "application/json",
        ),
    ]
    offer(meta, files, html, PDF)
