"""An area's home in Chromium (issue 17, Done-when): an administrator opens the area's home,
finds a finished self-assessment from an earlier date and opens its results, records three
actions from its priorities, starts the area's next self-assessment and is shown the
actions and asked how they stand; the timeline shows both results and the actions."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from storage import (
    AnswerInput,
    create_assessment,
    find_or_create_area,
    make_engine,
    migrate,
    publish_assessment,
    save_bank,
    save_draft,
    start_response,
    submit_response,
)
from storage.core.admins import add_admin
from tests.e2e.journey import BANK, choose
from tests.e2e.test_admin_signin import local_sign_in
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
AREA = "Kestrel Vale Council"
ANALYST, PASS = "policy@kestrel.example", "a long and memorable passphrase"
ACTIONS = ("Add up family support spend", "Pilot one redesign", "Review pilots each quarter")


@pytest.fixture
def server(chromium: Path, tmp_path: Path):
    """An empty database with one administrator and one finished, published quick check of
    the area held in March (answers 2 on P3 and P5, 4 elsewhere)."""
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    env = server_env(tmp_path)
    engine = make_engine(env["DATABASE_URL"])
    migrate(engine)
    add_admin(engine, ANALYST, PASS)
    source = (Path(__file__).parents[2] / "questions" / "bank.yaml").read_text(encoding="utf-8")
    bank_hash = save_bank(engine, BANK, source)
    area = find_or_create_area(engine, AREA, "council")
    march = create_assessment(engine, area.id, "quick", bank_hash, held_on=date(2026, 3, 12))
    response, token = start_response(engine, march.id, "senior_officer")
    given = {
        q.id: AnswerInput("2" if q.dimension in ("P3", "P5") else "4")
        for q in BANK.form_questions("quick")
    }
    save_draft(engine, response.id, given, {}, 0)
    submit_response(engine, response.id)
    publish_assessment(engine, token)
    engine.dispose()
    with serving(command, port, env, tmp_path / "server.log") as base:
        yield base


def test_an_area_home_from_results_to_actions_to_the_next_assessment(server: str, page: Page):
    page.goto(f"{server}/admin")
    local_sign_in(page, ANALYST, PASS)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Area home").click()
    choose(page, "Which area", AREA)
    expect(page.get_by_role("heading", name=AREA)).to_be_visible()
    expect(page.get_by_text("12 March 2026").first).to_be_visible()  # the earlier result

    page.get_by_role("link", name=re.compile("Open the results: self-assessment")).click()
    expect(page.get_by_role("heading", name=f"Results: {AREA}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^1\. P3 "))).to_be_visible()  # the weakest first
    for what in ACTIONS:
        page.get_by_label("What you will do").fill(what)
        page.get_by_role("textbox", name=re.compile("Who does it")).fill("Early help team")
        page.get_by_role("button", name="Record the action").click()
        expect(
            page.get_by_role("gridcell", name=what).or_(page.get_by_text(what))
        ).not_to_have_count(0)
    with page.expect_download() as report:  # the published result's report, with the plan
        page.get_by_role("button", name="Report (HTML)").click()
    html = Path(report.value.path()).read_text(encoding="utf-8")
    assert all(what in html for what in ACTIONS)
    assert "evidence notes stay with the people who wrote them" in html
    page.get_by_role("link", name="Back to the area's home").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()

    page.get_by_text("Start the area's next self-assessment").click()
    page.get_by_role("button", name="Start the next self-assessment").click()
    page.get_by_role("link", name="Open the next self-assessment").click()
    expect(page.get_by_role("heading", name="Last time you agreed to…")).to_be_visible()
    for what in ACTIONS:
        expect(page.get_by_text(what, exact=True)).to_be_visible()
    page.get_by_text("Done", exact=True).first.click()
    page.get_by_role("button", name="Save how they stand").click()
    expect(page.get_by_role("heading", name="Last time you agreed to…")).to_have_count(0)

    page.get_by_role("link", name="Area home").click()  # the same session: still signed in
    choose(page, "Which area", AREA)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    timeline = page.get_by_role("list").filter(has_text="Action agreed").last
    timeline.scroll_into_view_if_needed()
    shown = timeline.inner_text()
    assert shown.count("Self-assessment") == 2  # March's result and the one under way
    assert "Action marked done: Add up family support spend" in shown
    assert sum(f"Action agreed: {what}" in shown for what in ACTIONS) == 3
