"""A workshop end to end in Chromium: a facilitator and five participants on their own devices."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.journey import (
    BANK,
    chosen,
    question_on_screen,
    quick_questions,
    tap,
    tap_through,
)

pytestmark = pytest.mark.e2e
QUICK = BANK.form("quick").dimensions
#: Five people: two see P1 at level 1-2, three at 4-5, so P1 splits the room.
LEVELS = ("1", "2", "4", "5", "5")
ROLES = ("councillor", "councillor", "senior_officer", "senior_officer", "resident")


def open_workshop(page: Page, base: str) -> tuple[str, str, str]:
    page.goto(f"{base}/workshop_open")
    page.get_by_label("Workshop title").fill("Leadership team, March")
    page.get_by_label("Name of the area").fill("Calderdale Council")
    page.get_by_role("button", name="Open the workshop").click()
    expect(page.get_by_text("Facilitator key — shown once.")).to_be_visible()
    code = page.get_by_test_id("stMetricValue").inner_text().strip()
    key = page.locator("code").first.inner_text().strip()
    link = page.get_by_text(re.compile(r"/join\?code=")).inner_text()
    return code, key, link


def take_part(browser: Browser, base: str, code: str, role: str, level: str) -> None:
    """A participant on their own phone: join by the link, choose a role, answer every
    question one screen at a time, then send."""
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/join?code={code}")
        page.get_by_label("Which best describes you?").click()
        page.get_by_role("option", name=next(r.label for r in BANK.roles if r.id == role)).click()
        page.get_by_role("button", name="Join").click()
        page.wait_for_url(re.compile(r".*/take\?p=.*"))
        questions = quick_questions(role)  # what this role can judge: a resident, two
        tap_through(page, questions[:1], level)
        # The progress line counts saved answers, one screen per question.
        expect(page.get_by_text(f"Question 2 of {len(questions)} · 1 answered")).to_be_visible()
        tap_through(page, questions[1:], level)
        send(page)
    finally:
        context.close()


def upload(page: Page, path: Path) -> None:
    """Choose a file, then wait for the run the choice starts to end: a click on Import
    before then can reach the button of the run before, which knew no file or the last one."""
    page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def send(page: Page) -> None:
    """On the screen after the last question, Send: only sent answers reach the room."""
    expect(page.get_by_role("heading", name="Ready to send?")).to_be_in_viewport()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text(re.compile("^Your answers are in — thank you"))).to_be_visible()


def test_a_workshop_with_five_participants_two_rounds_and_a_report(
    server: str, page: Page, browser: Browser, tmp_path: Path
):
    code, key, link = open_workshop(page, server)
    assert code in link
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", name="Leadership team, March")).to_be_visible()
    for role, level in zip(ROLES, LEVELS, strict=True):
        take_part(browser, server, code, role, level)

    # The dashboard refreshes itself: no reload needed to see all five.
    expect(page.get_by_text("5 people have answered so far")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", name="Where we split")).to_be_visible()

    # The split chart names every question that splits the room, in its own words (wrapped,
    # never cut); all of P1 and P2 do.
    def opening(question: str) -> str:
        return " ".join(BANK.question(question).text.split()[:3])

    splits = page.locator(".js-plotly-plot").filter(has_text=opening("P1.1"))
    expect(splits.first).to_be_visible()
    for q in ("P1.2", "P1.3", "P2.1"):
        expect(splits.filter(has_text=opening(q)).first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Not shown on their own .*Resident"))).to_be_visible()
    page.screenshot(path=str(tmp_path / "dashboard.png"))

    page.get_by_role("button", name="Close round 1").click()
    page.get_by_role("button", name="Open round 2").click()
    expect(page.get_by_text(re.compile(r"Round 2 is open")).first).to_be_visible()

    page.get_by_role("tab", name="Downloads").click()
    # The run that opened round 2 makes the files anew and then drops the old ones: a click
    # on a button drawn by the run before gets a cancelled download. Wait for it to end.
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Workshop report (HTML)").click()
    report = tmp_path / "workshop.html"
    download.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    assert "Leadership team, March" in html
    assert "Where we split" in html
    # The essays are a short list whose titles open their pages in this Ladder.
    essays = re.findall(r'<a href="([^"]+/essays\?essay=[^"]+)">([^<]+)</a>', html)
    assert essays, "no essay title links to the app"
    assert all(href.startswith(f"{server}/essays?essay=") for href, _ in essays)
    href, title = essays[0]
    page.goto(unescape(href))
    expect(page.get_by_role("heading", name=unescape(title))).to_be_visible()

    # Another device needs the key: without it, nothing of the room; with it, the dashboard.
    other = browser.new_context()
    try:
        laptop = other.new_page()
        laptop.goto(f"{server}/dashboard?w={code}")
        key_box = laptop.locator('input[type="password"][aria-label="Facilitator key"]')
        expect(key_box).to_be_visible()
        expect(laptop.locator(".js-plotly-plot")).to_have_count(0)
        expect(laptop.get_by_text("people have answered")).to_have_count(0)
        key_box.fill("not the key")
        laptop.get_by_role("button", name="Unlock").click()
        expect(laptop.get_by_text("That key does not open this workshop.")).to_be_visible()
        key_box.fill(key)
        laptop.get_by_role("button", name="Unlock").click()
        expect(laptop.get_by_text(re.compile("people have answered so far"))).to_be_visible()
    finally:
        other.close()


def test_a_phone_types_the_code_sends_and_follows_the_rounds_without_reloading(
    server: str, page: Page, browser: Browser
):
    """One participant on a phone, from the blank join page to round 2: the code goes in with
    a button; one question per screen, each brought to the top; after Send the confirmation
    comes first; closing and opening rounds reach the phone by themselves; round 2 starts
    with "Send — nothing changed", and each question shows the answer given before."""
    code, _, _ = open_workshop(page, server)
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("button", name="Close round 1")).to_be_visible()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    try:
        phone = context.new_page()
        phone.goto(f"{server}/join")
        phone.get_by_label("Workshop code").fill(code.lower())
        phone.get_by_role("button", name="Find the workshop").click()
        phone.get_by_label("Which best describes you?").click()
        phone.get_by_role("option", name="Resident").click()
        phone.get_by_role("button", name="Join").click()
        phone.wait_for_url(re.compile(r".*/take\?p=.*"))
        first = quick_questions("resident")[0]  # the first a resident can judge
        expect(question_on_screen(phone, first)).to_be_in_viewport()
        expect(phone.get_by_text("Looking ahead")).to_have_count(0)  # no council targets
        expect(phone.get_by_text(re.compile(r"\(P1\.\d\)"))).to_have_count(0)  # no codes
        expect(phone.get_by_test_id("stSidebarNav")).to_have_count(0)  # nothing else of the app
        questions = quick_questions("resident")
        for i, q in enumerate(questions):
            tap(phone, q, "3")
            if i + 1 < len(questions):  # each tap brings the next question to the top
                expect(question_on_screen(phone, questions[i + 1])).to_be_in_viewport()
        send(phone)
        expect(phone.get_by_role("button", name="Send my answers")).to_have_count(0)

        page.get_by_role("button", name="Close round 1").click()
        expect(phone.get_by_text(re.compile("^Round 1 has closed"))).to_be_visible(timeout=20_000)
        expect(phone.get_by_text(re.compile("^What now:"))).to_be_visible()
        page.get_by_role("button", name="Open round 2").click()
        start = phone.get_by_role("button", name="Send — nothing changed")
        expect(start).to_be_in_viewport(timeout=20_000)
        phone.get_by_role("button", name="Go through my answers").click()
        assert chosen(phone, first) == "3"  # round 1 carried over
        expect(phone.get_by_role("button", name="Keep my answer")).to_be_visible()
        phone.get_by_role("button", name="Back", exact=True).click()
        phone.get_by_role("button", name="Send — nothing changed").click()
        expect(phone.get_by_text(re.compile("^Your answers are in — thank you"))).to_be_visible()
    finally:
        context.close()


def test_paper_answers_are_checked_whole_then_imported(server: str, page: Page, tmp_path: Path):
    open_workshop(page, server)
    page.get_by_role("link", name="Go to the dashboard").click()
    page.get_by_role("tab", name="Paper and table groups").click()
    bad = tmp_path / "paper-bad.csv"
    bad.write_text(
        "respondent_id,question_id,answer,role\n"
        "A,P1.1,4,councillor\n"
        "A,P1.2,7,councillor\n"  # not an answer: row 3
        "B,P1.1,2,resident\n",
        encoding="utf-8",
    )
    upload(page, bad)
    page.get_by_role("button", name="Import these answers").click()
    expect(
        page.get_by_text(re.compile(r"Nothing was imported.*row 3, field .answer."))
    ).to_be_visible()
    expect(page.get_by_text("0 people have answered so far")).to_be_visible()
    good = tmp_path / "paper.csv"
    good.write_text(
        "respondent_id,question_id,answer,role\n"
        + "".join(
            f"{r},{q.id},{lv},{role}\n"
            for r, lv, role in (
                ("A", 4, "councillor"),
                ("B", 2, "resident"),
                ("C", 3, "councillor"),
            )
            for q in BANK.questions_in("P1")
        ),
        encoding="utf-8",
    )
    upload(page, good)
    page.get_by_role("button", name="Import these answers").click()
    expect(page.get_by_text("Imported 9 answers from paper.csv.")).to_be_visible()
    expect(page.get_by_text("3 people have answered so far")).to_be_visible(timeout=20_000)


def test_the_next_workshop_asks_how_the_last_rooms_actions_stand(
    server: str, page: Page, tmp_path: Path
):
    """Issue 17, item 2: the room records an action; the facilitator opens the area's next
    workshop from the dashboard; its dashboard opens with "Last time you agreed to…", and
    the status given there is kept."""
    code, _, _ = open_workshop(page, server)
    page.get_by_role("link", name="Go to the dashboard").click()
    page.get_by_role("tab", name="Agreed levels").click()
    page.get_by_text("Record what the room agreed to do").click()
    page.get_by_label("What you will do").fill("Ask residents which budgets <b>matter</b>")
    page.get_by_role("textbox", name="Who does it").fill("Community team")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Ask residents which budgets <b>matter</b>").first).to_be_attached()
    page.get_by_text("Open the area's next workshop").click()
    page.get_by_label("Title of the next workshop").fill("Spring review")
    page.get_by_role("button", name="Open the next workshop").click()
    expect(page.get_by_text("Facilitator key — shown once.")).to_be_visible()
    expect(page.get_by_text("Spring review is open.")).to_be_visible()
    new_code = page.get_by_test_id("stMetricValue").inner_text().strip()
    assert new_code != code
    page.screenshot(path=tmp_path / "opened.png", full_page=True)
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", name="Last time you agreed to…")).to_be_visible()
    expect(page.get_by_text("Ask residents which budgets <b>matter</b>")).to_be_visible()
    page.screenshot(path=tmp_path / "last-time.png", full_page=True)
    form = page.get_by_test_id("stForm").filter(has_text="Save how they stand")
    form.get_by_text("Under way", exact=True).click()
    form.get_by_label("A note (optional)").fill("Two meetings held")
    page.get_by_role("button", name="Save how they stand").click()
    expect(page.get_by_role("heading", name="Last time you agreed to…")).to_have_count(0)
    page.get_by_text("Actions agreed last time (1): how they stand").click()
    summary = page.get_by_test_id("stExpander").filter(has_text="Actions agreed last time")
    expect(summary.get_by_test_id("stDataFrame")).to_be_visible()
    # Asked about (no longer "to ask"): the AppTest test checks the status it was given.
    expect(summary.get_by_text("Ask residents which budgets <b>matter</b>")).to_be_attached()
    page.screenshot(path=tmp_path / "saved.png", full_page=True)
