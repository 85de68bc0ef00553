"""axe-core on every page of Ladder (issue 15, Done-when): no critical or serious violation
caused by Ladder's own content, on any page, as each kind of person sees it.

axe-core comes from the npm registry, pinned in tests/a11y/package-lock.json and installed by
``make test`` (``npm ci``). A violation is the framework's own when every element it names
sits in Streamlit's own chrome (the sidebar's navigation, the header); those are listed,
rule by rule, in docs/accessibility.md, and this test fails if one appears that is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from questions import load_instrument
from storage import (
    AnswerInput,
    create_area,
    create_assessment,
    current_response,
    drive_room,
    join_workshop,
    make_engine,
    make_room_link,
    migrate,
    open_workshop,
    reading,
    save_bank,
    save_draft,
    start_response,
    submit_response,
)
from storage.core.access import facilitator_grant
from storage.core.admins import add_admin
from tests.support.machine import require_axe
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ROOT / "docs" / "accessibility.md"
ADMIN, PASSPHRASE = "a11y.admin@example.org", "a long enough passphrase"
#: Streamlit's own chrome: a violation only inside these is the framework's.
CHROME = '[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"]'
#: The critical and serious violations, each with whether all its elements are Streamlit's.
RUN_AXE = """async (chrome) => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations
    .filter(v => v.impact === 'critical' || v.impact === 'serious')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      framework: v.nodes.every(n => {
        const el = document.querySelector(n.target[0]);
        return el !== null && el.closest(chrome) !== null;
      }),
      where: v.nodes.slice(0, 3).map(n => n.html.slice(0, 120)),
    }));
}"""


@dataclass(frozen=True)
class Seeded:
    base: str
    join_code: str
    key: str
    participant: str
    owner: str
    room: str


@pytest.fixture(scope="module")
def seeded(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A server holding a finished self-assessment, a workshop six people answered with its
    room view revealed, a participant, and a local administrator."""
    require_axe()
    tmp = tmp_path_factory.mktemp("a11y")
    env = server_env(tmp)
    engine = make_engine(env["DATABASE_URL"])
    migrate(engine)
    bank = load_instrument().bank
    bank_hash = save_bank(engine, bank, (ROOT / "questions" / "bank.yaml").read_text("utf-8"))
    area = create_area(engine, "Calderdale Council", "council", None)
    assessment = create_assessment(engine, area.id, "quick", bank_hash)
    response, owner = start_response(engine, assessment.id, "senior_officer")
    quick = bank.form_questions("quick")
    save_draft(engine, response.id, {q.id: AnswerInput("3") for q in quick}, {}, 0)
    submit_response(engine, response.id)
    dims = list(bank.form("quick").dimensions)
    roles = ["councillor", "senior_officer", "resident"]
    workshop, key = open_workshop(engine, area.id, bank_hash, "Budget round", dims, roles)
    token = ""
    for n in range(6):
        person, token = join_workshop(engine, workshop.id, roles[n % 2])
        mine = current_response(engine, person.id)
        given = {q.id: AnswerInput(str(1 + (n + i) % 5)) for i, q in enumerate(quick)}
        save_draft(engine, mine.id, given, {}, 0, allow_submitted=True)
        submit_response(engine, mine.id)
    with reading(engine) as conn:
        grant = facilitator_grant(conn, workshop.id)
    assert grant is not None
    room = make_room_link(engine, grant, workshop.id)
    drive_room(engine, grant, workshop.id, screen="split", reveal=True)
    add_admin(engine, ADMIN, PASSPHRASE)
    engine.dispose()
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    with serving(command, port, env, tmp / "server.log") as base:
        yield Seeded(base, workshop.join_code, key, token, owner, room)


def check(page: Page) -> list[dict[str, object]]:
    """axe's critical and serious violations on the page as it stands."""
    page.wait_for_timeout(1500)  # let the page finish drawing
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    page.add_script_tag(path=str(require_axe()))
    return page.evaluate(RUN_AXE, CHROME)


def visits(s: Seeded) -> list[tuple[str, str]]:
    """Every page, with the code it needs: (name, address)."""
    return [
        ("home", ""),
        ("start", "start"),
        ("survey", f"survey?r={s.owner}"),
        ("results", f"results?r={s.owner}"),
        ("workshop_open", "workshop_open"),
        ("join", f"join?code={s.join_code}"),
        ("take", f"take?p={s.participant}"),
        ("room", f"room?screen={s.room}"),
        ("essays", "essays"),
        ("method", "method"),
        ("context", "context"),
        ("admin", "admin"),
    ]


def documented() -> set[str]:
    """The framework's own rules docs/accessibility.md lists (`rule-id` in its table)."""
    text = STATEMENT.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE))


def test_no_page_has_a_serious_violation_of_ladders_own(seeded: Seeded, browser: Browser) -> None:
    found: dict[str, list[dict[str, object]]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        for name, address in visits(seeded):
            page.goto(f"{seeded.base}/{address}")
            found[name] = check(page)
        page.goto(f"{seeded.base}/dashboard?w={seeded.join_code}")  # the facilitator
        page.get_by_label("Facilitator key").fill(seeded.key)
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_text(re.compile("people have answered so far"))).to_be_visible()
        found["dashboard"] = check(page)
        page.goto(f"{seeded.base}/admin")  # the administrator
        page.get_by_label("E-mail address or user name").fill(ADMIN)
        page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        for name in ("compare", "areas", "area_home?area=1"):
            page.goto(f"{seeded.base}/{name}")
            found[name.split("?")[0]] = check(page)
    finally:
        context.close()
    ours = {name: [v for v in vs if not v["framework"]] for name, vs in found.items()}
    assert not any(ours.values()), {name: vs for name, vs in ours.items() if vs}
    theirs = {str(v["rule"]) for vs in found.values() for v in vs}
    assert theirs <= documented(), f"framework violations not in docs/accessibility.md: {theirs}"
    assert len(found) == 16  # every page was checked
