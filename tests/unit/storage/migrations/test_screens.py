"""0009 (storage.migrations.screens): the room view's state arrives on a database in use;
a workshop opened before it shows the join screen, no results, and takes a room link."""

from __future__ import annotations

from storage.core.engine import make_engine, writing
from storage.core.repo import find_or_create_area, save_bank
from storage.migrations.steps import MIGRATIONS, migrate
from storage.workshop.rooms import find_workshop
from storage.workshop.screens import drive_room, make_room_link, room_grant, room_screen
from tests.unit.storage.factories import BANK_SOURCE, host, old_workshop, small_bank


def test_0009_arrives_on_a_database_in_use(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:8])
    bank_hash = save_bank(engine, small_bank(), BANK_SOURCE)
    area_id = find_or_create_area(engine, "Testshire", "council").id  # areas: as at 0008
    with writing(engine) as conn:
        old_workshop(conn, area_id, bank_hash)
    assert migrate(engine, MIGRATIONS[:9]) == ["0009_room_screens"]
    workshop = find_workshop(engine, "ABC-DEFG")
    assert workshop is not None
    grant = host(engine, workshop.id)
    shown = room_screen(engine, grant, workshop.id)
    assert (shown.screen, shown.revealed_round) == ("join", 0)
    assert drive_room(engine, grant, workshop.id, screen="agree", reveal=True).revealed
    screen = room_grant(engine, make_room_link(engine, grant, workshop.id))
    assert screen is not None
    assert room_screen(engine, screen, workshop.id).screen == "agree"
    engine.dispose()
