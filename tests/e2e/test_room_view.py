"""No differencing, in Chromium (issue 12, Done-when 3): with k = 3, the room's figures appear
once three people have sent, stay exactly as they were when a fourth sends, and change only
when the sixth does (three people differ from what the room last saw)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.journey import quick_questions, tap_through
from tests.e2e.test_workshop import open_workshop, send

pytestmark = pytest.mark.e2e
#: The first three put every question at 2, the next three at 5: the medians must move.
LEVELS = ("2", "2", "2", "5", "5", "5")
WAIT_MS = 20_000


def sends(browser: Browser, base: str, code: str, level: str) -> None:
    """One participant on their own phone: join, answer every question at ``level``, Send."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(WAIT_MS)
    try:
        phone = context.new_page()
        phone.goto(f"{base}/join?code={code}")
        phone.get_by_label("Which best describes you?").click()
        phone.get_by_role("option", name="Senior officer").click()
        phone.get_by_role("button", name="Join").click()
        phone.wait_for_url(re.compile(r".*/take\?p=.*"))
        tap_through(phone, quick_questions("senior_officer"), level)
        send(phone)
    finally:
        context.close()


def figures(page: Page) -> dict[str, object]:
    """What the room sees: how many people the figures rest on, the charts' titles (each
    names the people it rests on), and the summary beneath the counts."""
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=WAIT_MS)
    rests = page.get_by_text(re.compile(r"^The figures below rest on the answers \d+ people"))
    charts = page.locator(".js-plotly-plot .gtitle")
    return {
        "rests on": rests.inner_text(),
        "titles": sorted(charts.evaluate_all("els => els.map(e => e.textContent)")),
        "summary": [  # the summary's sentences, but the live count of people who sent
            t
            for t in page.locator(
                "[data-testid='stMain'] [data-testid='stMarkdownContainer'] li"
            ).all_inner_texts()
            if "answered round" not in t
        ],
    }


def counted(page: Page, n: int) -> None:
    """The dashboard (refreshing by itself) has counted ``n`` people who sent."""
    expect(page.get_by_text(f"{n} people have answered so far")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(4_000)  # one more refresh: the figures drawn from this count


def test_the_room_changes_only_after_k_more_people_send(
    server: str, page: Page, browser: Browser
) -> None:
    code, _key, _link = open_workshop(page, server)  # k = 3, the default
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_text("0 people have answered so far")).to_be_visible()

    for level in LEVELS[:2]:
        sends(browser, server, code, level)
    counted(page, 2)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)  # two is under k
    expect(page.get_by_text(re.compile(r"1 more needed"))).to_be_visible()

    sends(browser, server, code, LEVELS[2])
    counted(page, 3)
    three = figures(page)
    assert "rest on the answers 3 people" in str(three["rests on"])
    assert three["titles"]
    assert three["summary"]

    sends(browser, server, code, LEVELS[3])  # a fourth person: one differs from the view
    counted(page, 4)
    assert figures(page) == three

    sends(browser, server, code, LEVELS[4])
    counted(page, 5)
    assert figures(page) == three

    sends(browser, server, code, LEVELS[5])  # the sixth: three differ, so the room moves
    counted(page, 6)
    expect(page.get_by_text(re.compile(r"rest on the answers 6 people"))).to_be_visible(
        timeout=WAIT_MS
    )
    six = figures(page)
    assert six["titles"] != three["titles"]
    assert six["summary"] != three["summary"]
