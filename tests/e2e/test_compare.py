"""Comparing areas in Chromium: refused without sign-in; an administrator signs in, imports
three areas over two years, compares and downloads."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from storage import make_engine, migrate
from storage.core.admins import add_admin
from tests.e2e.journey import BANK, choose
from tests.e2e.test_admin_signin import local_sign_in
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
AREAS = ("Ashford Test Borough", "Brackley Test Ward", "Corby Test Partnership")
ANALYST, PASS = "analyst@council.example", "a long and memorable passphrase"
CHOOSE = "Results to compare (2 to 8)"
#: The report's appendix: its sections, which begin on a page of their own.
APPENDIX = re.compile(
    r'<section id="(differences|scores|change-numbers|left-out|method)".*?</section>', re.S
)


def results_csv(path: Path) -> Path:
    """Three areas, two yearly rounds, six respondents each, on the quick check."""
    rng = random.Random(20101201)
    lines = ["respondent_id,question_id,answer,area,round,role,submitted_at"]
    for a, area in enumerate(AREAS):
        for year, round_ in ((2025, 1), (2026, 2)):
            for r in range(6):
                for q in BANK.form_questions("quick"):
                    level = min(5, max(1, 2 + a // 2 + (round_ - 1) + rng.choice((-1, 0, 0, 1))))
                    lines.append(
                        f"{area[:1]}{r}-{year},{q.id},{level},{area},{round_},other,"
                        f"{year}-03-15T10:00:00Z"
                    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def server(chromium: Path, tmp_path: Path):
    """A server of its own: the comparison starts from an empty database with one
    administrator (a local account, made as ``python -m storage admin add`` makes one)."""
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    env = server_env(tmp_path)
    engine = make_engine(env["DATABASE_URL"])
    migrate(engine)
    add_admin(engine, ANALYST, PASS)
    engine.dispose()
    with serving(command, port, env, tmp_path / "server.log") as base:
        yield base


def test_import_three_areas_over_two_years_and_compare(server: str, page: Page, tmp_path: Path):
    page.goto(f"{server}/compare")
    expect(
        page.get_by_text(re.compile("open only to administrators|not open to you"))
    ).to_be_visible()
    expect(page.get_by_text("Import results from elsewhere")).to_have_count(0)
    page.goto(f"{server}/admin")
    local_sign_in(page, ANALYST, PASS)
    page.get_by_role("link", name="Compare areas").first.click()  # the session keeps the sign-in
    expect(page.get_by_text(re.compile("nothing to compare yet"))).to_be_visible()
    page.get_by_text("Import results from elsewhere").click()
    page.locator('input[type="file"]').set_input_files(str(results_csv(tmp_path / "areas.csv")))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 6 assessments from areas.csv.")).to_be_visible()
    expect(page.get_by_role("heading", name="What differs")).to_be_visible()
    # Chosen by itself: the three areas' latest results, overlaid on one radar.
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Differences from Ashford Test Borough"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Change over time"))).to_have_count(0)
    # Ashford's earlier result added: its change over time appears.
    choose(page, CHOOSE, re.compile(r"^Ashford Test Borough · 2025"))
    page.keyboard.press("Escape")
    expect(
        page.get_by_role("heading", name=re.compile("Change over time: Ashford Test Borough"))
    ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Comparison report (HTML)").click()
    report = tmp_path / "comparison.html"
    download.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    for area in AREAS[:2]:
        assert area in html
    assert "Change over time" in html


def test_the_demo_compares_by_itself_and_its_report_body_is_four_pages(
    server: str, page: Page, chromium: Path, tmp_path: Path
):
    """Issue 17: demo loaded, a readable comparison appears without choosing anything: the
    largest differences in sentences first, the profiles, the heatmap by name; the report
    prints its body in at most four pages before its appendix."""
    from reports.pdf import html_to_pdf

    page.set_viewport_size({"width": 1280, "height": 4000})
    page.goto(f"{server}/admin")
    local_sign_in(page, ANALYST, PASS)
    page.get_by_role("link", name="Compare areas").first.click()
    page.get_by_role("button", name="Load the demo data (fictional areas)").click()
    expect(page.get_by_role("heading", name="What differs")).to_be_visible()
    chips = page.get_by_role("button", name=re.compile(r"^Remove Demo: .*Council"))
    expect(chips).to_have_count(3)  # three like areas, chosen by the page
    findings = page.locator("li:visible").filter(has_text=re.compile("the noise"))
    expect(findings.first).to_be_visible()
    assert findings.count() <= 3
    expect(page.get_by_text("Every score at a glance")).to_be_visible()
    heatmap = page.locator(".js-plotly-plot").nth(2)
    expect(heatmap.get_by_text("T16 Localism, community power and assets")).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="Comparison report (HTML)").click()
    html = (download.value.path()).read_text(encoding="utf-8")
    assert "Appendix: every score" in html
    body = APPENDIX.sub("", html)
    assert "Appendix" not in body.split("</nav>", 1)[-1]  # the contents list aside
    pdf = html_to_pdf(body, chromium=chromium)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 2 <= pages <= 4, pages
    (tmp_path / "report-body.pdf").write_bytes(pdf)
