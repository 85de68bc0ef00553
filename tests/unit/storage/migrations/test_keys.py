"""0005 (storage.migrations.keys): the wrong-key counts arrive on a database in use, one
row per workshop, and go with their workshop."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.access import unlock_workshop
from storage.core.engine import make_engine, reading, writing
from storage.core.model import Workshop
from storage.core.repo import save_bank
from storage.core.schema import key_attempts, workshops
from storage.migrations.steps import MIGRATIONS, migrate
from storage.results.lifecycle import delete_workshop
from storage.workshop.rooms import find_workshop
from tests.unit.storage.core.test_key_attempts import attempts, guess, quick_hashes  # noqa: F401
from tests.unit.storage.factories import BANK_SOURCE, old_workshop, small_bank


def test_the_count_goes_with_its_workshop(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop, key = opened
    guess(engine, workshop, 2)
    delete_workshop(engine, workshop.id, key)
    with reading(engine) as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(key_attempts)) == 0
        assert conn.scalar(sa.select(sa.func.count()).select_from(workshops)) == 0


def test_0005_arrives_on_a_database_in_use(db_url: str) -> None:
    """A workshop opened before 0005 has no row; its first wrong key makes one."""
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:4])
    bank = small_bank()
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    with writing(engine) as conn:  # as 0004 holds an area (today's create_area writes 0006's key)
        area_id = conn.scalar(
            sa.text(
                "INSERT INTO areas (name, kind, created_at, demo) "
                "VALUES ('Testshire County Council', 'council', CURRENT_TIMESTAMP, false) "
                "RETURNING id"
            )
        )
        key = old_workshop(conn, area_id, bank_hash)
    assert migrate(engine) == [
        "0005_key_attempts",
        "0006_area_keys",
        "0007_answer_notes",
        "0008_consensus_rule",
        "0009_room_screens",
        "0010_actions",
        "0011_answer_pairs",
    ]
    workshop = find_workshop(engine, "ABC-DEFG")
    assert workshop is not None
    assert attempts(engine, workshop.id) is None
    guess(engine, workshop, 1)
    row = attempts(engine, workshop.id)
    assert row is not None
    assert (row.failures, row.unseen, row.locked_until) == (1, 1, None)
    assert unlock_workshop(engine, workshop.join_code, key) is not None
    engine.dispose()
