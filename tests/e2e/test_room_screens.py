"""The room view in Chromium at 1920×1080 (issue 15, item 1): the facilitator's console makes
the room link and steps through every screen; the room view, in its own browser, follows
within a refresh, hides results until they are revealed, and draws no text under 24 px and
nothing cut short with "…". Each screen is saved as a picture to look at
(``LADDER_SCREENSHOTS``, or the test's own folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from common.screens import ROOM_SCREENS, SCREEN_TITLES
from tests.e2e.test_room_view import sends
from tests.e2e.test_workshop import open_workshop

pytestmark = pytest.mark.e2e
WAIT_MS = 20_000
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


def test_the_room_view_follows_the_console_and_is_readable_from_the_back(
    server: str, page: Page, browser: Browser, tmp_path: Path
) -> None:
    code, _key, _link = open_workshop(page, server)
    page.get_by_role("link", name="Go to the dashboard").click()
    for level in ("1", "1", "5", "5"):
        sends(browser, server, code, level)
    page.get_by_role("button", name="Make the room link").click()
    link = page.locator("code", has_text="/room?screen=").inner_text().strip()
    assert link.startswith(server)

    wall = browser.new_context(viewport={"width": 1920, "height": 1080})
    wall.set_default_timeout(WAIT_MS)
    try:
        room = wall.new_page()
        room.goto(link)
        expect(room.get_by_role("heading", name="Join the workshop")).to_be_visible()
        expect(room.get_by_test_id("stSidebar")).to_have_count(0)
        expect(room.get_by_role("img").first).to_be_visible()  # the join QR code
        expect(room.get_by_text(code, exact=True)).to_be_visible()
        folder = pictures(tmp_path)
        choose(page, "split")  # a results screen before the round is revealed
        expect(room.get_by_role("heading", name="Results not shown yet")).to_be_visible()
        page.get_by_text(re.compile(r"^Show round 1's results to the room")).click()
        for screen in ROOM_SCREENS:
            choose(page, screen)
            heading = SCREEN_TITLES[screen] if screen != "agreed" else "Agreed levels, round 1"
            if screen == "moved":
                heading = "What moved since the last round"
            if screen == "answered":
                heading = "4 people have sent answers to round 1"
            expect(room.get_by_role("heading", name=heading)).to_be_visible()
            room.wait_for_timeout(500)
            size, where = room.evaluate(SMALLEST)
            assert size >= 24, (screen, size, where)
            assert room.evaluate(CUT) == [], screen
            room.screenshot(path=str(folder / f"{screen}.png"))
        assert len(list(folder.glob("*.png"))) == len(ROOM_SCREENS)
    finally:
        wall.close()
