"""The Areas page in AppTest: administrators only, the empty state, a council with its wards
beneath it and their counts, the demo areas marked and last, a hostile name shown only as
text, and exporting everything about an area (administrators only: never a facilitator)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.engine import Engine

import ui.comparison.areas
from questions import load_instrument
from questions.instrument import DEFAULT_BANK
from storage import (
    create_area,
    create_assessment,
    load_demo,
    make_engine,
    migrate,
    open_workshop,
    save_bank,
)
from storage.core.access import facilitator_grant
from tests.app.test_compare import ADMIN, open_page

PAGE = "app_pages/areas.py"
BRANCH = "\u2514\u2002"  # how an area inside another begins (ui/comparison/areas.py)
BANK = load_instrument().bank


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = make_engine(os.environ["DATABASE_URL"])  # the page's database (tests/app/conftest.py)
    migrate(made)
    yield made
    made.dispose()


@pytest.fixture
def bank_hash(engine: Engine) -> str:
    return save_bank(engine, BANK, DEFAULT_BANK.read_text(encoding="utf-8"))


def _assess(engine: Engine, bank_hash: str, area_id: int, kind: str, held_on: date) -> None:
    create_assessment(engine, area_id, "quick", bank_hash, kind=kind, held_on=held_on)


def test_with_no_areas_the_page_says_how_they_come_to_exist():
    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe) == 0
    assert "There are no areas yet" in at.info[0].value
    assert "starts a self-assessment" in at.info[0].value
    links = {link.label: link.page for link in at.get("page_link")}
    assert links == {
        "Start a self-assessment": "start",
        "Open a workshop": "workshop_open",
        "Import results to compare": "compare",
    }


def test_a_council_shows_its_wards_beneath_it_with_their_counts(engine, bank_hash):
    create_area(engine, "Bradford Council", "council", "E08000032")
    council = create_area(engine, "Calderdale Council", "council", "E08000033")
    todmorden = create_area(engine, "Todmorden", "ward", "E05001234", parent_id=council.id)
    brighouse = create_area(engine, "Brighouse", "ward", parent_id=council.id)
    _assess(engine, bank_hash, todmorden.id, "self", date(2025, 3, 1))
    _assess(engine, bank_hash, todmorden.id, "workshop", date(2026, 2, 14))
    _assess(engine, bank_hash, brighouse.id, "self", date(2025, 11, 5))

    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert list(table["Area"]) == [
        "Bradford Council",
        "Calderdale Council",
        BRANCH + "Brighouse",  # the wards follow their council, by name
        BRANCH + "Todmorden",
    ]
    assert list(table["Kind"]) == ["Council", "Council", "Ward", "Ward"]
    assert list(table["ONS code"]) == ["E08000032", "E08000033", "", "E05001234"]
    assert list(table["Assessments"]) == [0, 0, 1, 2]
    assert list(table["Latest"]) == ["", "", "5 November 2025", "14 February 2026"]
    assert not any("(id" in name for name in table["Area"])  # no ids unless names clash
    assert any("whoever runs Ladder" in c.value for c in at.caption)
    assert len(at.dataframe) == 1  # no demo group


def test_two_areas_with_one_name_are_told_apart_by_id(engine):
    first = create_area(engine, "Riverside", "ward")
    second = create_area(engine, "riverside", "partnership")
    at = open_page(PAGE)
    assert list(at.dataframe[0].value["Area"]) == [
        f"Riverside (id {first.id})",
        f"riverside (id {second.id})",
    ]


def test_demo_areas_are_marked_and_come_last(engine, bank_hash):
    create_area(engine, "Zedborough Council", "council")  # sorts after every demo name
    load_demo(engine, ADMIN, BANK, bank_hash)
    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    real, demo = (d.value for d in at.dataframe)
    assert list(real["Area"]) == ["Zedborough Council"]
    assert any(s.value == "Fictional demo data" for s in at.subheader)
    names = list(demo["Area"])
    assert len(names) == 7
    assert all(name.endswith("(fictional demo data)") for name in names)
    council = names.index("Demo: Northbrook Borough Council (fictional) (fictional demo data)")
    assert names[council + 1].startswith(BRANCH + "Demo: Northbrook")  # its wards beneath it
    assert set(demo["Assessments"]) == {2}


def test_a_hostile_name_is_shown_as_text_only(engine):
    hostile = "<script>alert(1)</script> [x](javascript:alert(1))"
    create_area(engine, hostile, "council")
    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.dataframe[0].value["Area"]) == [hostile]  # in a table cell, exactly as typed
    shown = [e.value for kind in ("markdown", "caption", "info", "title") for e in at.get(kind)]
    assert shown  # the page did render text
    assert not any("alert(1)" in text for text in shown)  # and never as Markdown


def _two_workshops(engine: Engine, bank_hash: str) -> tuple[int, int]:
    """Someone's workshop on Calderdale, and a newcomer's opened on the same area's name."""
    area = create_area(engine, "Calderdale Council", "council")
    theirs, _ = open_workshop(engine, area.id, bank_hash, "Their room", ["P1"], ["resident"])
    mine, _ = open_workshop(engine, area.id, bank_hash, "My room", ["P1"], ["resident"])
    return theirs.id, mine.id


def test_a_facilitator_cannot_export_the_area_of_their_workshop(engine, bank_hash):
    """Issue 12: anyone could open a workshop on an existing area's name, unlock it with the
    key just given, and export every other workshop of that area with its join code."""
    _, mine = _two_workshops(engine, bank_hash)
    with engine.connect() as conn:
        grant = facilitator_grant(conn, mine)
    at = open_page(PAGE, None)
    at.session_state["facilitator_grants"] = {mine: grant}  # as unlocking with the key does
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.warning) == 1
    assert not at.dataframe
    assert not at.selectbox
    assert not at.get("download_button")


def test_an_administrator_exports_everything_about_an_area(
    engine, bank_hash, monkeypatch: pytest.MonkeyPatch, download_data: dict[str, object]
):
    _two_workshops(engine, bank_hash)
    exported: list[dict] = []
    real = ui.comparison.areas.export_area
    monkeypatch.setattr(
        ui.comparison.areas, "export_area", lambda *a: exported.append(real(*a)) or real(*a)
    )
    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("download_button")  # nothing until an area is chosen
    picker = next(s for s in at.selectbox if s.label == "Area to export")
    picker.select_index(1)
    at.run()
    [download] = at.get("download_button")
    assert download.label == "Export everything about this area (JSON)"
    assert not exported  # built when the button is pressed, not when it is drawn
    made = download_data[download.label]()
    assert made == json.dumps(exported[-1], indent=2, ensure_ascii=False)
    titles = {a["title"] for a in exported[-1]["assessments"]}
    assert titles == {"Their room", "My room"}
