"""The self-assessment journey in Chromium against a real server.

The quick check from the start page to the downloaded reports; a refresh and a
server restart in the middle of the survey; the report offline; hostile text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.journey import (
    BANK,
    answer,
    answered,
    choose,
    evidence,
    next_step,
    start,
    step_heading,
)
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1))"


def test_quick_check_to_results_essays_and_reports(server: str, page: Page, tmp_path: Path):
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    start(page, server)
    dimensions = BANK.form("quick").dimensions
    for i, dim in enumerate(dimensions):
        step_heading(page, dim)
        for q in BANK.questions_in(dim):
            answer(page, q.id, "2" if dim in ("P3", "P4") else "4")
        if dim == "P1":
            evidence(page, BANK.questions_in(dim)[0].id).fill(HOSTILE)
            evidence(page, BANK.questions_in(dim)[0].id).blur()
        if dim == "P3":
            choose(page, re.compile("Where do you aim to be"), re.compile(r"^4 · "))
            page.get_by_text(re.compile("one of our priorities")).click()
        if i < len(dimensions) - 1:
            next_step(page, dimensions[i + 1])
    page.get_by_role("button", name="Finish and see results").click()
    page.wait_for_url(re.compile(r".*/results\?r=.*"))
    expect(page.get_by_role("heading", name="Results: Calderdale Council")).to_be_visible()
    expect(page.get_by_text("4.0 · Embedded")).to_be_visible()  # median of 4,4,2,2,4,4
    expect(page.get_by_text("2.0 · Emerging").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^1\. P3 "))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^3\. "))).to_be_visible()  # three priorities
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(3)  # both radars and the heatmap
    page.get_by_text(re.compile(r"^Evidence notes")).click()
    assert not alerts

    with page.expect_download() as html_download:
        page.get_by_role("button", name="Report (HTML)").click()
    html_file = tmp_path / "report.html"
    html_download.value.save_as(html_file)
    html = html_file.read_text(encoding="utf-8")
    assert "Calderdale Council" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page.get_by_role("button", name="Make a PDF of the report").click()
    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("button", name="Download the PDF").click()
    pdf_file = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_file)
    assert pdf_file.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name=re.compile("Acting ahead|'Big society'")).first.click()
    expect(page.get_by_role("heading", name="Questions that draw on it")).to_be_visible()
    expect(page.get_by_text(re.compile(r"your score"))).not_to_have_count(0)


def test_the_report_opens_offline_and_runs_no_script_from_text(
    server: str, page: Page, browser: Browser, tmp_path: Path
):
    start(page, server, area="<img src=x onerror=alert(1)> Ward")
    for q in BANK.questions_in("P1"):
        answer(page, q.id, "5")
    field = evidence(page, BANK.questions_in("P1")[0].id)
    field.fill(HOSTILE)
    field.blur()
    page.wait_for_timeout(500)
    expect(page.get_by_text("<img src=x onerror=alert(1)>", exact=False)).to_have_count(0)
    page.goto(page.url.replace("/survey", "/results"))
    expect(page.get_by_role("heading", name=re.compile("^Results: <img"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Report (HTML)").click()
    report = tmp_path / "offline.html"
    download.value.save_as(report)

    offline = browser.new_context(offline=True)
    requests: list[str] = []
    alerts: list[str] = []
    try:
        viewer = offline.new_page()
        viewer.on("request", lambda r: requests.append(r.url))
        viewer.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
        viewer.goto(report.as_uri())
        # The charts are pictures drawn once (reports.drawing): shown with nothing fetched.
        pictures = viewer.locator("img.chart-picture")
        expect(pictures.first).to_be_visible()
        assert pictures.evaluate_all("a => a.every(i => i.complete && i.naturalWidth > 0)")
        expect(viewer.get_by_text(HOSTILE).first).to_be_visible()
        viewer.wait_for_timeout(500)
    finally:
        offline.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert alerts == []


def test_refresh_mid_survey_keeps_every_answer(server: str, page: Page):
    token = start(page, server)
    answer(page, "P1.1", "3")
    answer(page, "P1.2", "dk")
    next_step(page, "P2")
    answer(page, "P2.1", "5")
    page.reload()
    step_heading(page, "P2")
    assert answered(page, "P2.1") == "5"
    page.get_by_role("button", name="Back").click()
    step_heading(page, "P1")
    assert [answered(page, q) for q in ("P1.1", "P1.2", "P1.3")] == ["3", "dk", None]
    assert token in page.url


@pytest.mark.usefixtures("chromium")
def test_a_server_restart_mid_survey_loses_nothing(page: Page, tmp_path: Path):
    env = server_env(tmp_path)  # one database file, kept across both servers
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    with serving(command, port, env, tmp_path / "first.log") as base:
        start(page, base)
        answer(page, "P1.1", "4")
        answer(page, "P1.3", "na")
        next_step(page, "P2")
        answer(page, "P2.2", "2")
        url = page.url
    with serving(command, port, env, tmp_path / "second.log"):
        page.goto(url)
        step_heading(page, "P2")
        assert answered(page, "P2.2") == "2"
        page.get_by_role("button", name="Back").click()
        step_heading(page, "P1")
        assert [answered(page, q) for q in ("P1.1", "P1.2", "P1.3")] == ["4", None, "na"]
