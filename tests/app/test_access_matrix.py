"""Every page x every kind of person (issue 12): what the access table allows, and nothing more.

One database holds a finished self-assessment (its owner's evidence carries `OWNER_MARK`) and a
workshop four people have answered and sent (each person's evidence carries `ROOM_MARK` and
their number). Each kind of person then opens every page, with every code they hold in the
address, as they would:

- anyone: no code at all, but the workshop's join code wherever a page takes one;
- participant: the first of the four people (their token);
- owner: the self-assessment's resume code;
- facilitator: the workshop's unlock;
- room: the workshop's room link (the room view on the projector's machine);
- admin: a signed-in local administrator.

A page the table does not open to a kind shows no chart, table or download and none of the
seeded text; a page it opens shows its own title without a refusal. Only the owner ever sees
`OWNER_MARK`, only that participant sees their own `ROOM_MARK`, and the room's figures appear
on the facilitator's dashboard alone (the owner's own results draw their own charts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

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
    publish_assessment,
    save_bank,
    save_draft,
    start_response,
    submit_response,
)
from storage.core.access import ACCESS, KINDS, Grant, allowed, facilitator_grant
from storage.core.admins import add_admin
from storage.core.engine import reading
from tests.app.conftest import APP

ROOT = Path(APP).parent
BANK = load_instrument().bank
OWNER_MARK = "Owner-only evidence 51X"
ROOM_MARK = "Room evidence 83K"
ADMIN = "matrix.admin@example.org"
PAGES = tuple(name.split(":", 1)[1] for name in ACCESS if name.startswith("page:"))
FILES = {"home": "home", "workshop_open": "workshop_open"}
#: Words only the room's figures produce on the dashboard.
FIGURES = ("people have answered", "Where we split", "How roles see it")
TITLES = {
    "home": "Ladder",
    "start": "Score our readiness",
    "survey": None,  # the form's title
    "results": "Results: Matrix Council",
    "workshop_open": "Run a workshop",
    "dashboard": "Matrix workshop",
    "join": "Join a workshop",
    "take": None,  # the survey's heading
    "compare": "Compare areas",
    "areas": "Areas",
    "area_home": "Area home",
    "essays": None,
    "method": None,
    "context": None,
    "admin": "Administrator sign-in",
    "room": None,  # the screen's heading
}


@dataclass(frozen=True)
class World:
    owner_token: str
    join_code: str
    participant_token: str
    facilitator: Grant
    admin: Grant
    room_token: str
    assessment_id: int


@pytest.fixture
def world() -> World:
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    bank_hash = save_bank(engine, BANK, (ROOT / "questions" / "bank.yaml").read_text("utf-8"))
    area = create_area(engine, "Matrix Council", "council")
    quick = BANK.form_questions("quick")
    assessment = create_assessment(engine, area.id, "quick", bank_hash)
    response, owner_token = start_response(engine, assessment.id, "senior_officer")
    answers = {q.id: AnswerInput("3", evidence=OWNER_MARK) for q in quick}
    save_draft(engine, response.id, answers, {}, 0)
    submit_response(engine, response.id)
    publish_assessment(engine, owner_token)  # so an administrator may open its results
    dims = list(BANK.form("quick").dimensions)
    workshop, _key = open_workshop(
        engine, area.id, bank_hash, "Matrix workshop", dims, ["councillor", "resident"], k=3
    )
    tokens = []
    for n in range(4):
        person, token = join_workshop(engine, workshop.id, "councillor")
        tokens.append(token)
        mine = current_response(engine, person.id)
        given = {q.id: AnswerInput(str(1 + n), evidence=f"{ROOM_MARK} {n}") for q in quick}
        save_draft(engine, mine.id, given, {}, 0, allow_submitted=True)
        submit_response(engine, mine.id)
    with reading(engine) as conn:
        grant = facilitator_grant(conn, workshop.id)
    assert grant is not None
    add_admin(engine, ADMIN, "a long enough passphrase")
    room_token = make_room_link(engine, grant, workshop.id)
    drive_room(engine, grant, workshop.id, screen="split")  # results asked for, not revealed
    engine.dispose()
    return World(
        owner_token,
        workshop.join_code,
        tokens[0],
        grant,
        Grant("admin", admin=ADMIN, via="local"),
        room_token,
        assessment.id,
    )


def visit(world: World, page: str, kind: str) -> AppTest:
    """A fresh session of ``kind`` on ``page``, holding what that kind holds."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    query = {
        "dashboard": {"w": world.join_code},
        "room": {"w": world.join_code},
        "join": {"code": world.join_code},
    }.get(page, {})
    if kind == "participant":
        at.session_state["participant_token"] = world.participant_token
        query = {"p": world.participant_token}
    elif kind == "owner":
        at.session_state["token"] = world.owner_token
        query = query | {"r": world.owner_token}
    elif kind == "facilitator":
        at.session_state["facilitator_grants"] = {world.facilitator.workshop_id: world.facilitator}
    elif kind == "admin":
        at.session_state["admin_grant"] = world.admin
        if page == "results":  # a published result, opened from its area's home
            query = query | {"a": str(world.assessment_id)}
    elif kind == "room":
        query = query | {"screen": world.room_token}
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def texts(node: Any) -> Iterator[str]:
    """Every piece of text in the rendered tree: values, labels, tables, options."""
    for attr in ("value", "label", "body", "placeholder", "help"):
        try:
            found = getattr(node, attr, None)
        except Exception:
            continue
        if isinstance(found, str):
            yield found
        elif isinstance(found, pd.DataFrame):
            yield found.to_string()
    for option in getattr(node, "options", None) or ():
        yield str(option)
    for child in getattr(node, "children", {}).values():
        yield from texts(child)


def shown(at: AppTest) -> str:
    return "\n".join([*texts(at.main), *texts(at.sidebar)])


@pytest.mark.parametrize("page", PAGES)
def test_every_kind_sees_what_the_table_gives_and_nothing_more(world: World, page: str) -> None:
    for kind in KINDS:
        at = visit(world, page, kind)
        assert not at.exception, (page, kind, [e.value for e in at.exception])
        text = shown(at)
        where = f"{page} as {kind}"
        # The owner's evidence: on the owner's own pages only.
        if OWNER_MARK in text:
            assert kind == "owner", where
            assert page in {"survey", "results"}, where
        # A participant's evidence: on that participant's own page only, and only their own.
        if ROOM_MARK in text:
            assert (kind, page) == ("participant", "take"), where
            assert f"{ROOM_MARK} 0" in text, where
            assert all(f"{ROOM_MARK} {n}" not in text for n in (1, 2, 3)), where
        figures = [w for w in FIGURES if w in text]
        if figures:  # the room's figures: on its facilitator's dashboard only
            assert (kind, page) == ("facilitator", "dashboard"), (where, figures)
        if at.get("plotly_chart"):  # any chart: the room's, or results (the owner's own, or
            # a published one an administrator opened)
            assert (kind, page) in {
                ("facilitator", "dashboard"),
                ("owner", "results"),
                ("admin", "results"),
            }, where
        if allowed(f"page:{page}", kind):
            refused = [w.value for w in at.warning if "open only to" in w.value]
            assert not refused, (where, refused)
            title = TITLES[page]
            if title is not None and kind != "participant":
                assert title in [t.value for t in at.title], (where, [t.value for t in at.title])
        elif kind != "participant":  # a participant is shown the join page instead
            assert not at.dataframe, where
            assert not at.get("download_button"), where
            assert not at.get("plotly_chart"), where


def test_the_dashboard_shows_the_room_to_its_facilitator(world: World) -> None:
    """The matrix above would pass if nobody saw anything: the figures must really be there."""
    at = visit(world, "dashboard", "facilitator")
    assert "4 people have answered so far" in shown(at)
    assert at.get("plotly_chart")


def test_the_owner_sees_their_own_results(world: World) -> None:
    at = visit(world, "results", "owner")
    assert OWNER_MARK in shown(at)
    assert at.get("download_button")


def test_the_room_link_shows_results_only_once_revealed(world: World) -> None:
    """The room screen on "Where we split": hidden until the facilitator reveals the round;
    then the room's words, never one person's evidence, and nothing of the console."""
    at = visit(world, "room", "room")
    text = shown(at)
    assert "Results not shown yet" in text
    assert "Where we split" not in text
    assert ROOM_MARK not in text
    engine = make_engine(os.environ["DATABASE_URL"])
    drive_room(engine, world.facilitator, world.facilitator.workshop_id, reveal=True)
    engine.dispose()
    at = visit(world, "room", "room")
    text = shown(at)
    assert "Where we split" in text
    assert ROOM_MARK not in text
    assert not at.dataframe
    assert not at.get("download_button")
    assert not at.button
    assert not at.text_input
