"""ui/downloads.py: a PDF that cannot be made is one plain sentence; the why goes to the log."""

from __future__ import annotations

import logging

import pytest

from tests.app.conftest import finished_quick, open_page, rerun_on
from ui.downloads import PDF_NOT_MADE

RESULTS = "app_pages/results.py"


def test_no_pdf_says_so_plainly_and_logs_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With Chromium missing, the message once named the server's path to it."""
    secret_path = "/srv/ladder/private/chromium-missing"
    monkeypatch.setenv("LADDER_CHROMIUM", secret_path)
    token = finished_quick()
    at = open_page(RESULTS, r=token)
    [pdf] = [b for b in at.button if b.label == "Make a PDF of the report"]
    with caplog.at_level(logging.WARNING, logger="ladder"):
        pdf.click()
        at = rerun_on(at, RESULTS)
    shown = [w.value for w in at.warning]
    assert PDF_NOT_MADE in shown
    assert all(secret_path not in text for text in shown)
    assert secret_path in caplog.text


def _same(built: dict[str, bytes], before: dict[str, bytes]) -> bool:
    """Byte for byte, but a workbook by its content: an .xlsx is a zip whose entries carry
    the time they were written (two seconds apart, two builds differ there and only there)."""
    from tests.unit.reports.test_workbook import workbook_content

    def seen(label: str, data: bytes) -> object:
        return workbook_content(data) if label.startswith("Workbook") else data

    return {k: seen(k, v) for k, v in built.items()} == {k: seen(k, v) for k, v in before.items()}


def test_the_results_page_builds_no_file_until_its_button_is_pressed(
    monkeypatch: pytest.MonkeyPatch, download_data: dict[str, object]
) -> None:
    """A page run once built every file (the HTML report alone is megabytes); now each is
    built on its click, byte for byte what the page built before, and only while the
    resume code still opens the answers."""
    import os
    from dataclasses import replace

    import ui.assessment.exports
    from questions import load_instrument
    from reports.exports import answers_csv, excel_workbook, results_json, scores_csv
    from reports.html import render_report
    from storage import find_response, make_engine
    from storage.results.lifecycle import delete_assessment
    from ui.assessment.current import Visit
    from ui.assessment.journey import Active
    from ui.downloads import NotYours

    token = finished_quick()
    builds: list[str] = []
    given: dict[str, tuple] = {}
    for name in ("render_report", "excel_workbook", "answers_csv", "scores_csv", "results_json"):
        real = getattr(ui.assessment.exports, name)

        def counted(*a, _real=real, _name=name, **k):
            builds.append(_name)
            given[_name] = a
            return _real(*a, **k)

        monkeypatch.setattr(ui.assessment.exports, name, counted)
    at = open_page(RESULTS, r=token)
    at = rerun_on(at, RESULTS)
    assert not at.exception, [e.value for e in at.exception]
    assert builds == []  # two page runs, no file built
    labels = {b.label for b in at.get("download_button")}
    assert labels == {
        "Report (HTML)", "Workbook (Excel)", "Answers (CSV)", "Scores (CSV)", "Everything (JSON)",
    }  # fmt: skip

    # What the page built on every run before: the same functions on the same results.
    loaded = load_instrument()
    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        from scoring.assessment.results import build_results
        from storage import answers_frame, get_area, load_draft, plans_frame

        response = find_response(engine, token)
        draft = load_draft(engine, response.id)
        answers = answers_frame(engine, draft.assessment.id)
        results = build_results(
            loaded.bank, loaded.corpus, answers, plans_frame(engine, draft.assessment.id),
            form=draft.assessment.form_id,
        )  # fmt: skip
        visit = Visit(
            Active(token, draft), get_area(engine, draft.assessment.area_id), answers, results
        )
        built = {label: build() for label, build in download_data.items()}
        page_meta = given["results_json"][2]  # made when the page ran: its time is then
        meta = replace(
            ui.assessment.exports._meta(
                visit.results, loaded.bank, visit.area, visit.draft.assessment
            ),
            generated_at=page_meta.generated_at,
        )
        assert meta == page_meta
        before = {
            "Report (HTML)": render_report(
                results, loaded.corpus, meta, answers, loaded.bank, static=True
            ).encode(),
            "Workbook (Excel)": excel_workbook(results, answers, meta, loaded.bank),
            "Answers (CSV)": answers_csv(answers),
            "Scores (CSV)": scores_csv(results, answers, loaded.bank),
            "Everything (JSON)": results_json(results, answers, meta),
        }  # fmt: skip
        assert _same(built, before)
        assert len(builds) == len(before)  # one build per press

        delete_assessment(engine, draft.assessment.id, token)
        with pytest.raises(NotYours):
            download_data["Answers (CSV)"]()  # the code opens nothing now: nothing is built
        assert len(builds) == len(before)
    finally:
        engine.dispose()


def test_the_dashboard_builds_no_file_until_its_button_is_pressed(
    monkeypatch: pytest.MonkeyPatch, download_data: dict[str, object]
) -> None:
    """The facilitator's every action reran the page and built the report, answers and
    workbook (seconds with 300 people); now a run builds none. A press builds from the room's
    view with the session's grant, which storage checks then: a deleted workshop gives none."""
    import os
    from datetime import date

    import ui.workshop.facilitation
    from questions import load_instrument
    from reports.meta import ReportMeta
    from reports.workshop import render_workshop_report, workshop_answers_csv, workshop_workbook
    from storage import agreements, find_workshop, get_area, make_engine
    from storage.core.access import AccessDenied
    from storage.results.lifecycle import delete_workshop
    from storage.workshop.roomviews import history_frames, room_history
    from tests.app.test_workshop import BANK, DASH, answer_all, dashboard, join, open_workshop
    from tests.unit.storage.factories import host

    builds: list[str] = []
    for name in ("render_workshop_report", "workshop_workbook", "workshop_answers_csv"):
        real = getattr(ui.workshop.facilitation, name)

        def counted(*a, _real=real, _name=name, **k):
            builds.append(_name)
            return _real(*a, **k)

        monkeypatch.setattr(ui.workshop.facilitation, name, counted)
    code, key = open_workshop(k=2)
    for _ in range(2):
        answer_all(join(code), "4")
    dash = rerun_on(dashboard(code, key), DASH)
    assert not dash.exception, [e.value for e in dash.exception]
    assert builds == []
    assert {"Workshop report (HTML)", "Answers (CSV)", "Workbook (Excel)"} <= set(download_data)

    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        w = find_workshop(engine, code)
        room = history_frames(room_history(engine, host(engine, w.id), w.id))
        area = get_area(engine, w.area_id)
        meta = ReportMeta(
            title=f"Workshop: {w.title}", area_name=area.name, area_kind=area.kind,
            ons_code=area.ons_code, form_title=BANK.form(w.form_id).title,
            assessment_date=w.created_at.date() if w.created_at else date.today(),
            generated_at=w.created_at, n_respondents=room.people, bank_title=BANK.title,
            bank_version=BANK.version, bank_hash=BANK.content_hash,
        )  # fmt: skip
        views = {"role_answers": room.role_answers, "sent": room.sent}
        args = (BANK, room.answers, w.dimensions, w.roles, w.k, agreements(engine, w.id))
        before = {
            "Workshop report (HTML)": render_workshop_report(
                meta, BANK, load_instrument().corpus, *args[1:], room.rounds, **views
            ).encode(),
            "Answers (CSV)": workshop_answers_csv(room.export),
            "Workbook (Excel)": workshop_workbook(
                meta, *args, room.rounds, **views, export=room.export
            ),
        }
        builds.clear()
        assert _same({label: download_data[label]() for label in before}, before)
        assert len(builds) == len(before)

        delete_workshop(engine, w.id, key)
        with pytest.raises(AccessDenied):
            download_data["Answers (CSV)"]()
    finally:
        engine.dispose()


def test_a_pdf_is_offered_only_beside_the_result_it_was_made_of(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Made for one result, then another result opened in the same tab: its PDF was once
    offered there, named for the other result."""
    from reports import printing

    monkeypatch.setattr(
        printing, "PRINTER", printing.Printer(lambda html: b"%PDF-1.7 made", slots=1, wait=1.0)
    )
    first, second = finished_quick(), finished_quick()
    at = open_page(RESULTS, r=first)
    [pdf] = [b for b in at.button if b.label == "Make a PDF of the report"]
    pdf.click()
    at = rerun_on(at, RESULTS)
    assert [b.label for b in at.get("download_button") if b.label == "Download the PDF"] == [
        "Download the PDF"
    ]
    at.query_params["r"] = second
    at = rerun_on(at, RESULTS)
    assert not at.exception, [e.value for e in at.exception]
    assert "Download the PDF" not in [b.label for b in at.get("download_button")]
    at.query_params["r"] = first  # back to the result it was made of: offered again
    at = rerun_on(at, RESULTS)
    assert "Download the PDF" in [b.label for b in at.get("download_button")]
