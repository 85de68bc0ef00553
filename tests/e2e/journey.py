"""Steps of the self-assessment journey in a real browser, shared by the e2e tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from questions import load_instrument
from questions.survey import one_by_one, steps_for

BANK = load_instrument().bank
OPTIONS = ("1", "2", "3", "4", "5", "dk", "na")


def start(page: Page, base: str, area: str = "Calderdale Council", form: str = "quick") -> str:
    """From the start page to step 1 of the survey; returns the resume token in the URL."""
    page.goto(f"{base}/start")
    page.get_by_label("Name of the area").fill(area)
    page.get_by_text(BANK.form(form).title, exact=False).first.click()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url(re.compile(r".*/survey\?r=.*"))
    expect(page.get_by_text(re.compile(r"^Step 1 of \d+"))).to_be_visible()
    return page.url.split("r=", 1)[1]


def choose(page: Page, label: str | re.Pattern[str], option: str | re.Pattern[str]) -> None:
    """Pick ``option`` in the drop-down labelled ``label``, as a person would: bring it into
    view, let the page settle, open it, choose. (Clicking while the page still scrolls can
    land the click as the list opens and close it again; a person never clicks that fast.)"""
    box = page.get_by_label(label)
    box.scroll_into_view_if_needed()
    expect(box).to_be_visible()
    page.wait_for_timeout(300)
    box.click()
    choice = page.get_by_role("option", name=option)
    if choice.count() == 0:
        box.press("ArrowDown")  # the keyboard opens it as well
    choice.first.click()


def answer(page: Page, question_id: str, option: str) -> None:
    """Choose one answer by its words, as a person would, and wait for the save."""
    q = BANK.question(question_id)
    group = page.get_by_role("radiogroup", name=q.text, exact=True)
    group.locator("label").nth(OPTIONS.index(option)).click()
    expect(group.locator("input").nth(OPTIONS.index(option))).to_be_checked()
    page.wait_for_timeout(250)  # the rerun that saves it


def answered(page: Page, question_id: str) -> str | None:
    """The option now checked for a question, or None."""
    group = page.get_by_role("radiogroup", name=BANK.question(question_id).text, exact=True)
    expect(group).to_be_visible()
    inputs = group.locator("input")
    for i, option in enumerate(OPTIONS):
        if inputs.nth(i).is_checked():
            return option
    return None


def step_heading(page: Page, dimension_id: str) -> None:
    """The step's heading, on screen: a step change brings the page back to its top."""
    heading = page.get_by_role("heading", name=re.compile(rf"^{dimension_id} · "))
    expect(heading).to_be_in_viewport()


def next_step(page: Page, dimension_id: str) -> None:
    page.get_by_role("button", name="Next").click()
    step_heading(page, dimension_id)


def question_box(page: Page, question_id: str) -> Locator:
    """The bordered box of one question (keyed by its id: ``st-key-question-P1-1``)."""
    return page.locator(f".st-key-question-{re.sub(r'[^a-zA-Z0-9_-]', '-', question_id)}")


def evidence(page: Page, question_id: str) -> Locator:
    """The evidence box of a question (shown once its expander is open). Every question's
    box has the same label, "Evidence", so it is found inside the question's own box."""
    return question_box(page, question_id).get_by_role("textbox", name="Evidence", exact=True)


# --- A workshop participant's phone: one question per screen --------------------------------


def pick_button(page: Page, question_id: str, option: str) -> Locator:
    """The button that gives ``option`` to one question (keyed ``pick_<question>_<option>``;
    a rerun may still show the screen before for a moment, so the key, not the words)."""
    safe = re.sub(r"[^a-zA-Z0-9_-]", "-", f"pick_{question_id}_{option}")
    return page.locator(f".st-key-{safe} button")


def question_on_screen(page: Page, question_id: str) -> Locator:
    """The question's heading, as the phone shows it (one question per screen)."""
    return page.get_by_role("heading", name=BANK.question(question_id).text, exact=True)


def tap(page: Page, question_id: str, option: str) -> None:
    """On the phone, choose ``option`` for the question on screen, as a thumb would; the
    answer is saved and the next screen follows."""
    heading = question_on_screen(page, question_id)
    expect(heading).to_be_visible()
    pick_button(page, question_id, option).click()
    expect(heading).to_have_count(0)


def tap_through(page: Page, question_ids: tuple[str, ...] | list[str], option: str) -> None:
    for question_id in question_ids:
        tap(page, question_id, option)


def chosen(page: Page, question_id: str) -> str | None:
    """The answer marked as chosen for the question on screen (its button is the primary
    one), or None."""
    expect(question_on_screen(page, question_id)).to_be_visible()
    for option in OPTIONS:
        if pick_button(page, question_id, option).get_attribute("kind") == "primary":
            return option
    return None


def quick_questions(role: str | None = None) -> list[str]:
    """The quick check's questions in the order a phone shows them to someone of ``role``
    (an id or a label): only those that role can judge (``answerable_by``)."""
    role_id = next((r.id for r in BANK.roles if role in (r.id, r.label)), role)
    steps = steps_for(BANK, BANK.form("quick").dimensions)
    return [q.id for _, q in one_by_one(steps, role_id)]
