"""No side doors (issue 12, Done-when 1): people who hold only a join code, a participant of
the workshop, and the facilitator of *another* workshop visit every page Ladder has and press
every download they can reach; none of the workshop's figures, answers or evidence appears.

The workshop is seeded straight into the server's database (six people, evidence notes with
a marker no page could invent), so each visit checks for text that exists only in those answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from questions import load_instrument
from storage import (
    AnswerInput,
    create_area,
    create_assessment,
    current_response,
    join_workshop,
    make_engine,
    migrate,
    open_workshop,
    save_bank,
    save_draft,
    start_response,
    submit_response,
)
from tests.e2e.test_workshop import open_workshop as open_in_browser
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
MARKER = "Zebracrossing evidence 7Q"  # in every seeded evidence note, and nowhere else
PAGES = (
    "",
    "start",
    "survey",
    "results",
    "workshop_open",
    "dashboard",
    "room",
    "join",
    "take",
    "compare",
    "areas",
    "essays",
    "method",
    "context",
    "admin",
)
#: Phrases only a workshop's dashboard shows (its headings, counts and the room view's controls).
FIGURE_WORDS = ("people have answered", "Where we split", "How roles see it", "The room sees")


@pytest.fixture
def seeded(chromium: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A server, and the join code of a workshop six people answered (with evidence)."""
    env = server_env(tmp_path)
    engine = make_engine(env["DATABASE_URL"])
    migrate(engine)
    instrument = load_instrument()
    bank = instrument.bank
    bank_hash = save_bank(engine, bank, (ROOT / "questions" / "bank.yaml").read_text("utf-8"))
    area = create_area(engine, "Calderdale Council", "council", None)
    dims = list(bank.form("quick").dimensions)
    workshop, _key = open_workshop(
        engine, area.id, bank_hash, "Budget round", dims, [r.id for r in bank.roles]
    )
    for n, role in enumerate(("councillor", "councillor", "resident") * 2):
        participant, _ = join_workshop(engine, workshop.id, role)
        response = current_response(engine, participant.id)
        answers = {
            q.id: AnswerInput(str(1 + (n + i) % 5), evidence=f"{MARKER} {n}")
            for i, q in enumerate(bank.form_questions("quick"))
        }
        save_draft(engine, response.id, answers, {}, 0, allow_submitted=True)
        submit_response(engine, response.id)
    # A second area's self-assessment, finished but not published: Compare once put the two
    # side by side for anyone who opened it.
    other = create_area(engine, "Kirklees Council", "council", None)
    assessment = create_assessment(engine, other.id, "quick", bank_hash)
    response, _ = start_response(engine, assessment.id, "senior_officer")
    given = {q.id: AnswerInput("2") for q in bank.form_questions("quick")}
    save_draft(engine, response.id, given, {}, 0)
    submit_response(engine, response.id)
    engine.dispose()
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    with serving(command, port, env, tmp_path / "server.log") as base:
        yield base, workshop.join_code


def visible_text(page: Page) -> str:
    page.wait_for_timeout(800)  # let the page finish drawing
    return page.locator("body").inner_text()


def downloads(page: Page, tmp: Path) -> list[bytes]:
    """Press every download button on the page; the bytes of each file."""
    got = []
    buttons = page.get_by_test_id("stDownloadButton").get_by_role("button")
    for i in range(buttons.count()):
        with page.expect_download(timeout=30_000) as pending:
            buttons.nth(i).click()
        path = tmp / f"download-{len(got)}"
        pending.value.save_as(path)
        got.append(path.read_bytes())
    return got


def tour(page: Page, base: str, code: str, tmp: Path) -> list[str]:
    """Every page, with the workshop's code wherever a page takes one; what each showed."""
    seen = []
    for name in PAGES:
        query = {
            "dashboard": f"?w={code}",
            "room": f"?w={code}",
            "join": f"?code={code}",
        }.get(name, "")
        page.goto(f"{base}/{name}{query}")
        seen.append(visible_text(page))
        charts = page.locator(".js-plotly-plot").count()
        assert charts == 0, f"{name}: {charts} charts"  # no figures of anyone's answers
        seen.extend(b.decode("utf-8", "replace") for b in downloads(page, tmp))
    return seen


def assert_nothing_of_the_workshop(seen: list[str]) -> None:
    for text in seen:
        assert MARKER not in text
        for words in FIGURE_WORDS:
            assert words not in text, words
        assert "P1," not in text  # no answer rows under a pseudonym


def context(browser: Browser) -> BrowserContext:
    made = browser.new_context(viewport={"width": 1280, "height": 900})
    made.set_default_timeout(20_000)
    return made


def test_a_stranger_with_the_join_code_sees_nothing_of_the_room(
    seeded: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    base, code = seeded
    stranger = context(browser)
    try:
        page = stranger.new_page()
        seen = tour(page, base, code, tmp_path)
        page.goto(f"{base}/join?code={code}")  # holding only a join code: no menu either
        expect(page.get_by_role("button", name="Join")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    finally:
        stranger.close()
    assert_nothing_of_the_workshop(seen)
    assert any("Budget round" in text for text in seen)  # the join page did find the workshop
    assert not any("Kirklees Council" in text for text in seen)  # nor anyone else's result


def test_a_participant_sees_only_their_own_pages(
    seeded: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    base, code = seeded
    person = context(browser)
    try:
        page = person.new_page()
        page.goto(f"{base}/join?code={code}")
        page.get_by_label("Which best describes you?").click()
        page.get_by_role("option").first.click()
        page.get_by_role("button", name="Join").click()
        page.wait_for_url("**/take?p=*")
        expect(page.get_by_role("button", name="Skip")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no menu for them
        mine = page.url
        seen = tour(page, base, code, tmp_path)  # typed addresses: each a new visit
        page.goto(mine)  # and their own link still brings back only their own questions
        expect(page.get_by_role("button", name="Skip")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        seen.append(visible_text(page))
    finally:
        person.close()
    assert_nothing_of_the_workshop(seen)


def test_the_facilitator_of_another_workshop_sees_nothing_of_this_one(
    seeded: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    base, code = seeded
    other = context(browser)
    try:
        page = other.new_page()
        other_code, other_key, _link = open_in_browser(page, base)
        assert other_code != code
        seen = tour(page, base, code, tmp_path)
        # Their own key typed on this workshop's dashboard opens nothing
        page.goto(f"{base}/dashboard?w={code}")
        page.get_by_label("Facilitator key").fill(other_key)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_text("That key does not open this workshop.")).to_be_visible()
        seen.append(visible_text(page))
        # Their own dashboard, in the same area: every download it offers (the whole-area
        # export used to carry this workshop's answers and evidence).
        page.goto(f"{base}/dashboard?w={other_code}")  # a new visit: the key again
        page.get_by_label("Facilitator key").fill(other_key)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("tab", name="Downloads")).to_be_visible()
        page.get_by_role("tab", name="Downloads").click()
        own = [visible_text(page)]
        own.extend(b.decode("utf-8", "replace") for b in downloads(page, tmp_path))
    finally:
        other.close()
    assert_nothing_of_the_workshop(seen)
    assert "0 people have answered so far" in own[0]  # their own, empty workshop
    for text in own:
        assert MARKER not in text
        assert "6 people" not in text
        assert "Budget round" not in text
    assert not any(json.dumps(MARKER) in text for text in seen)
