"""Migration 0004 (storage.migrations.trust) on a database in use."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from storage.core.engine import make_engine, writing
from storage.migrations.steps import MIGRATIONS, migrate
from tests.unit.storage.factories import small_bank


def _seed(engine: sa.Engine, codes: list[str]) -> None:
    """Workshops with these join codes, written as a database at 0003 holds them."""
    bank_hash = small_bank().content_hash
    with writing(engine) as conn:
        if conn.scalar(sa.text("SELECT count(*) FROM banks")) == 0:
            conn.execute(
                sa.text(
                    "INSERT INTO banks (content_hash, bank_id, version, title, source, stored_at) "
                    "VALUES (:h, 'b', '1', 't', 's', CURRENT_TIMESTAMP)"
                ),
                {"h": bank_hash},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO areas (name, kind, created_at, demo) "
                    "VALUES ('A', 'council', CURRENT_TIMESTAMP, false)"
                )
            )
        area = conn.scalar(sa.text("SELECT min(id) FROM areas"))
        for code in codes:
            assessment = conn.execute(
                sa.text(
                    "INSERT INTO assessments (area_id, kind, form_id, bank_hash, created_at) "
                    "VALUES (:a, 'workshop', 'quick', :h, CURRENT_TIMESTAMP) RETURNING id"
                ),
                {"a": area, "h": bank_hash},
            ).scalar()
            conn.execute(
                sa.text(
                    "INSERT INTO workshops (assessment_id, title, join_code, key_salt, key_hash, "
                    "dimensions, roles, k, current_round, round_open, created_at) VALUES (:a, 'W', "
                    ":c, :s, :h, '[\"P1\"]', '[\"resident\"]', 3, 1, true, CURRENT_TIMESTAMP)"
                ),
                {"a": assessment, "c": code, "s": "s" * 32, "h": "h" * 64},
            )


def test_each_existing_workshop_gets_its_own_secret_and_ids_are_never_given_twice(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:3])
    _seed(engine, ["ABCDEFG", "HJKMNPQ"])
    assert migrate(engine) == [
        "0004_trust",
        "0005_key_attempts",
        "0006_area_keys",
        "0007_answer_notes",
        "0008_consensus_rule",
        "0009_room_screens",
        "0010_actions",
        "0011_answer_pairs",
    ]
    with writing(engine) as conn:
        rows = conn.execute(sa.text("SELECT id, grant_secret, joining_locked FROM workshops")).all()
        assert len({r.grant_secret for r in rows}) == 2
        assert all(len(r.grant_secret) == 32 and not r.joining_locked for r in rows)
        newest = max(r.id for r in rows)
        conn.execute(sa.text("DELETE FROM workshops WHERE id = :i"), {"i": newest})
    _seed(engine, ["RSTVWXY"])
    with writing(engine) as conn:
        ids = list(conn.scalars(sa.text("SELECT id FROM workshops ORDER BY id")))
    assert ids[-1] > newest  # the deleted workshop's id was not given to the new one
    for table in ("admins", "admin_setup", "seats", "publications", "room_views"):
        assert sa.inspect(engine).has_table(table)
    engine.dispose()


def test_a_fresh_database_migrates_in_one_go(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert "0004_trust" in migrate(engine)
    assert migrate(engine) == []
    engine.dispose()
