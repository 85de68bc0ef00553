"""A workshop as the room lives it, in Chromium (issue 15, Done-when): six participants on
phone-sized screens (390×844) and the room view on the projector (1920×1080).

The facilitator's console makes the room link and steps through every screen; the room view,
in its own browser, follows within a refresh, hides results until they are revealed, and
draws no text under 24 px and nothing cut short with "…". A participant's question, their
confirmation and their round-2 question (their own answer and where the room sat) are saved
as pictures beside every room screen, to be looked at (``LADDER_SCREENSHOTS``, or the test's
own folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from common.screens import ROOM_SCREENS, SCREEN_TITLES
from tests.e2e.journey import question_on_screen, quick_questions, tap, tap_through
from tests.e2e.test_workshop import open_workshop, send

pytestmark = pytest.mark.e2e
WAIT_MS = 20_000
PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}
#: Six people: three see every question low, three high, so the room splits.
LEVELS = ("1", "2", "1", "5", "4", "5")
ROLES = ("Councillor", "Senior officer", "Councillor", "Senior officer", "Councillor", "Resident")
#: The smallest text on the page, and where: every element with text of its own, in the
#: main area (SVG text included), measured as the browser draws it.
SMALLEST = """() => {
  let size = 999, where = '';
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.getClientRects().length === 0) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < size) { size = px; where = el.tagName + ': ' + el.textContent.slice(0, 60); }
  }
  return [size, where];
}"""
#: Text (a chart label or any other) that ends cut short.
CUT = """() => [...document.querySelectorAll('[data-testid=stMain] *')]
  .filter(el => [...el.childNodes]
    .some(n => n.nodeType === 3 && n.textContent.trim().endsWith('…')))
  .map(el => el.textContent)"""


def pictures(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LADDER_SCREENSHOTS") or tmp_path) / "room"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def choose(console: Page, screen: str) -> None:
    console.get_by_role("radiogroup", name="The room sees").get_by_text(
        SCREEN_TITLES[screen], exact=True
    ).click()
    expect(console.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT_MS)


def reveal(console: Page, round_: int) -> None:
    console.get_by_text(re.compile(rf"^Show round {round_}'s results to the room")).click()
    expect(console.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT_MS)


def join(browser: Browser, base: str, code: str, role: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(WAIT_MS)
    phone = context.new_page()
    phone.goto(f"{base}/join?code={code}")
    phone.get_by_label("Which best describes you?").click()
    phone.get_by_role("option", name=role, exact=True).click()
    phone.get_by_role("button", name="Join").click()
    phone.wait_for_url(re.compile(r".*/take\?p=.*"))
    return context, phone


def readable(room: Page, name: str, folder: Path) -> None:
    """The room view now: nothing under 24 px, nothing cut short; saved as a picture."""
    room.wait_for_timeout(500)
    size, where = room.evaluate(SMALLEST)
    assert size >= 24, (name, size, where)
    assert room.evaluate(CUT) == [], name
    room.screenshot(path=str(folder / f"{name}.png"))


def heading_of(screen: str, round_: int, sent: int) -> str:
    return {
        "answered": f"{sent} people have sent answers to round {round_}",
        "moved": "What moved since the last round" if round_ == 1 else "What moved since round 1",
        "agreed": f"Agreed levels, round {round_}",
    }.get(screen, SCREEN_TITLES[screen])


def test_six_phones_and_the_room_view_through_two_rounds(
    server: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    folder = pictures(tmp_path)
    code, _key, _link = open_workshop(page, server)
    page.get_by_role("link", name="Go to the dashboard").click()
    page.get_by_role("button", name="Make the room link").click()
    link = page.locator("code", has_text="/room?screen=").inner_text().strip()
    assert link.startswith(server)
    wall = browser.new_context(viewport=WALL)
    wall.set_default_timeout(WAIT_MS)
    phones: list[tuple[BrowserContext, Page]] = []
    try:
        room = wall.new_page()
        room.goto(link)
        expect(room.get_by_role("heading", name="Join the workshop")).to_be_visible()
        expect(room.get_by_test_id("stSidebar")).to_have_count(0)
        expect(room.get_by_role("img", name="QR code that opens the join page")).to_be_visible()
        expect(room.get_by_text(code, exact=True)).to_be_visible()

        for i, (role, level) in enumerate(zip(ROLES, LEVELS, strict=True)):
            questions = quick_questions(role)
            context, phone = join(browser, server, code, role)
            phones.append((context, phone))
            if i == 0:
                expect(question_on_screen(phone, questions[0])).to_be_visible()
                phone.screenshot(path=str(folder / "phone-question.png"))
            tap_through(phone, questions, level)
            send(phone)
            if i == 0:
                phone.screenshot(path=str(folder / "phone-confirmation.png"))

        choose(page, "split")  # a results screen before the round is revealed
        expect(room.get_by_role("heading", name="Results not shown yet")).to_be_visible()
        readable(room, "hidden", folder)
        reveal(page, 1)
        for screen in ROOM_SCREENS:
            choose(page, screen)
            heading = room.get_by_role("heading", name=heading_of(screen, 1, 6))
            expect(heading).to_be_visible(timeout=WAIT_MS)
            if screen == "split":
                expect(room.get_by_text(re.compile(r"at levels 1–2")).first).to_be_visible()
            readable(room, screen, folder)

        page.get_by_role("button", name="Close round 1").click()
        page.get_by_role("button", name="Open round 2").click()
        first = phones[0][1]
        start = first.get_by_role("button", name="Send — nothing changed")
        expect(start).to_be_visible(timeout=WAIT_MS)  # the phone notices within a few seconds
        first.get_by_role("button", name="Go through my answers").click()
        expect(first.get_by_text("Last round you said: 1 · Not yet.")).to_be_visible()
        expect(first.get_by_text(re.compile(r"^Most of the room was at levels"))).to_be_visible()
        expect(first.get_by_role("button", name="Keep my answer")).to_be_visible()
        first.screenshot(path=str(folder / "phone-round-2-question.png"))
        tap(first, quick_questions(ROLES[0])[0], "3")  # one person moves on the first question
        for _, phone in phones[1:]:
            start = phone.get_by_role("button", name="Send — nothing changed")
            expect(start).to_be_visible(timeout=WAIT_MS)
            start.click()
            expect(phone.get_by_text(re.compile("^Your answers are in"))).to_be_visible()
        reveal(page, 2)
        choose(page, "answered")
        heading = room.get_by_role("heading", name=heading_of("answered", 2, 5))
        expect(heading).to_be_visible(timeout=WAIT_MS)
        choose(page, "moved")
        heading = room.get_by_role("heading", name=heading_of("moved", 2, 5))
        expect(heading).to_be_visible(timeout=WAIT_MS)
        readable(room, "moved-round-2", folder)
        pictures_taken = {p.stem for p in folder.glob("*.png")}
        assert {*ROOM_SCREENS, "phone-question", "phone-confirmation"} <= pictures_taken
        assert "phone-round-2-question" in pictures_taken
    finally:
        for context, _ in phones:
            context.close()
        wall.close()
