"""Comparing areas in Chromium: import three areas over two years, compare, download."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.journey import BANK
from tests.support.postgres import free_port
from tests.support.server import make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
AREAS = ("Ashford Test Borough", "Brackley Test Ward", "Corby Test Partnership")


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
    """A server of its own: the comparison starts from an empty database."""
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    with serving(command, port, server_env(tmp_path), tmp_path / "server.log") as base:
        yield base


def test_import_three_areas_over_two_years_and_compare(server: str, page: Page, tmp_path: Path):
    page.goto(f"{server}/compare")
    expect(page.get_by_text(re.compile("nothing to compare yet"))).to_be_visible()
    page.get_by_text("Import results from elsewhere").click()
    page.locator('input[type="file"]').set_input_files(str(results_csv(tmp_path / "areas.csv")))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 6 assessments from areas.csv.")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="What differs")).to_be_visible()
    # Overlaid radars: one line per assessment, both families (criteria only on the quick check).
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Differences from Ashford Test Borough"))).to_be_visible()
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
