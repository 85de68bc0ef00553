"""Downloads on the results page: answers, scores, workbook, JSON, the HTML report and its PDF;
and a published result's report and scores for an administrator, from the area's home.

Why: councils want files they can keep, print and publish. Each file is made
by `reports` from the same results the page shows, when its button is pressed
(`ui.downloads`), after the resume code (or the administrator's grant) is checked again; the
PDF needs Chromium and takes a second or two, so it is made only when asked for. Every file
carries the action plan.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from corpus.model import Corpus
from questions.model import Bank
from reports.exports import answers_csv, excel_workbook, results_json, scores_csv
from reports.html import render_report
from reports.meta import ReportMeta
from scoring.assessment.results import Results
from storage import Area, Assessment, Grant, Plan, find_response, plan_of, published_result
from ui import state
from ui.assessment.current import Visit
from ui.downloads import XLSX, NotYours, checked, encoded, offer
from ui.store import engine

PDF = state.PDF_REPORT.key


def _meta(results: Results, bank: Bank, area: Area, assessment: Assessment) -> ReportMeta:
    created = assessment.created_at
    return ReportMeta.for_results(
        results,
        bank,
        area_name=area.name,
        area_kind=area.kind,
        ons_code=area.ons_code,
        assessment_date=assessment.held_on or (created.date() if created else date.today()),
    )


def render_downloads(visit: Visit, loaded: object) -> None:
    bank, corpus = loaded.bank, loaded.corpus
    meta = _meta(visit.results, bank, visit.area, visit.draft.assessment)
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

    def plan() -> Plan:
        return plan_of(db, Grant("owner", token=token))  # read with the same resume code

    def html() -> str:
        return render_report(
            visit.results, corpus, meta, visit.answers, bank, static=True, plan=plan()
        )

    files = [
        ("Report (HTML)", encoded(html), "html", "text/html"),
        (
            "Workbook (Excel)",
            lambda: excel_workbook(visit.results, visit.answers, meta, bank, plan()),
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
            lambda: results_json(visit.results, visit.answers, meta, plan(), bank),
            "json",
            "application/json",
        ),
    ]
    offer(
        meta,
        [(label, checked(still_theirs, build), end, mime) for label, build, end, mime in files],
        html,
        PDF,
        ("response", response_id),
    )


def published_downloads(
    grant: Grant,
    assessment: Assessment,
    area: Area,
    results: Results,
    answers: pd.DataFrame,
    loaded: tuple[Bank, Corpus],
) -> None:
    """A published result's report (HTML and PDF) and scores, for an administrator who opened
    it from the area's home: what the page shows, with the action plan, and never the
    owner's evidence notes nor anyone's answers (`download:published`). Each file checks
    the grant again, as the page did (`storage.published_result`)."""
    bank, corpus = loaded
    meta = _meta(results, bank, area, assessment)
    db, wanted = engine(), assessment.id
    st.subheader("Take it away")
    st.caption(
        "The report of the published result, as this page shows it, with the action plan; the "
        "evidence notes stay with the people who wrote them. The scores as a spreadsheet."
    )

    def still_published() -> None:
        published_result(db, grant, wanted)  # raises when withdrawn, or the grant has gone

    def html() -> str:
        plan = plan_of(db, grant, wanted)
        return render_report(
            results, corpus, meta, answers, bank, static=True, plan=plan, notes=False
        )

    files = [
        ("Report (HTML)", encoded(html), "html", "text/html"),
        ("Scores (CSV)", lambda: scores_csv(results, answers, bank), "scores.csv", "text/csv"),
    ]
    offer(
        meta,
        [(label, checked(still_published, build), end, mime) for label, build, end, mime in files],
        checked(still_published, html),
        state.PDF_PUBLISHED.key,
        wanted,
    )
