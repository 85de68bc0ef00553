"""A participant with a keyboard only (issue 15, Done-when): joins, answers every question
and sends without touching the mouse. Each press is Tab (to move) or Enter / Space (to act)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.journey import BANK, question_on_screen, quick_questions
from tests.e2e.test_workshop import open_workshop

pytestmark = pytest.mark.e2e
MOST_TABS = 40  # a screen has a handful of controls: more presses means one cannot be reached

#: What has the keyboard's focus: its key class, its tag, and a button's words or a field's
#: label.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el) return '';
  const keyed = el.closest('[class*="st-key-"]');
  const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')) : '';
  const words = el.tagName === 'BUTTON' ? el.innerText : (el.getAttribute('aria-label') || '');
  return (key || '') + '|' + el.tagName + '|' + words.trim();
}"""


def tab_to(page: Page, wanted: re.Pattern[str]) -> None:
    """Press Tab until the focused control matches ``wanted`` (its key class and words)."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if wanted.search(page.evaluate(FOCUSED)):
            return
    raise AssertionError(f"{wanted.pattern} cannot be reached with Tab")


def test_a_keyboard_only_participant_joins_answers_and_sends(server: str, page: Page) -> None:
    code, _key, _link = open_workshop(page, server)
    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone.set_default_timeout(20_000)
    try:
        me = phone.new_page()
        me.goto(f"{server}/join?code={code}")
        expect(me.get_by_role("button", name="Join")).to_be_visible()
        tab_to(me, re.compile(r"\|INPUT\|.*Which best describes you"))
        me.keyboard.press("Enter")  # opens the list
        me.keyboard.press("ArrowDown")
        me.keyboard.press("Enter")  # the first role
        tab_to(me, re.compile(r"\|Join$"))
        me.keyboard.press("Enter")
        me.wait_for_url(re.compile(r".*/take\?p=.*"))
        for question in quick_questions(BANK.roles[0].id):  # Enter chose the first role
            expect(question_on_screen(me, question)).to_be_visible()
            safe = re.escape(re.sub(r"[^a-zA-Z0-9_-]", "-", f"pick_{question}_3"))
            tab_to(me, re.compile(rf"st-key-{safe}\|"))
            me.keyboard.press("Enter")
            expect(question_on_screen(me, question)).to_have_count(0)
        expect(me.get_by_role("heading", name="Ready to send?")).to_be_visible()
        tab_to(me, re.compile(r"\|Send my answers$"))
        me.keyboard.press("Enter")
        expect(me.get_by_text(re.compile("^Your answers are in — thank you"))).to_be_visible()
    finally:
        phone.close()
