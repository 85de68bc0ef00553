"""0006 (storage.migrations.areas): every area keyed by the one rule for "the same area";
areas that were already the same are merged into the oldest, nothing about them lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core.engine import make_engine, writing
from storage.core.repo import area_key, find_or_create_area, get_area, list_areas
from storage.core.schema import areas, now
from storage.migrations.areas import frozen_area_key
from storage.migrations.steps import MIGRATIONS, migrate
from tests.unit.storage.factories import small_bank

BEFORE = MIGRATIONS[:5]  # a database as 0005 left it


def old_area(conn: Connection, name: str, kind: str, **more: object) -> int:
    """An area as a database before 0006 holds it (no key)."""
    values = {"name": name, "kind": kind, "created_at": now(), **more}
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    return conn.scalar(
        sa.text(f"INSERT INTO areas ({columns}) VALUES ({marks}) RETURNING id"), values
    )


def old_assessment(conn: Connection, area_id: int, bank_hash: str) -> int:
    return conn.scalar(
        sa.text(
            "INSERT INTO assessments (area_id, kind, form_id, bank_hash, created_at) "
            "VALUES (:a, 'self', 'quick', :h, :t) RETURNING id"
        ),
        {"a": area_id, "h": bank_hash, "t": now()},
    )


def old_group(conn: Connection, name: str, *area_ids: int) -> int:
    group = conn.scalar(
        sa.text("INSERT INTO area_groups (name, created_at) VALUES (:n, :t) RETURNING id"),
        {"n": name, "t": now()},
    )
    for area_id in area_ids:
        conn.execute(
            sa.text("INSERT INTO area_group_members (group_id, area_id) VALUES (:g, :a)"),
            {"g": group, "a": area_id},
        )
    return group


def members(engine: Engine) -> set[tuple[int, int]]:
    with engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT group_id, area_id FROM area_group_members")).all())


@pytest.fixture
def old(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    migrate(engine, BEFORE)
    with writing(engine) as conn:
        conn.execute(
            sa.text(
                "INSERT INTO banks (content_hash, bank_id, version, title, source, stored_at) "
                "VALUES (:h, 'b', '1', 't', 's', :t)"
            ),
            {"h": small_bank().content_hash, "t": now()},
        )
    yield engine
    engine.dispose()


def test_the_frozen_rule_is_todays_rule() -> None:
    for name, kind, code in [
        ("Leeds", "council", "E08000035"),
        ("Straße", "ward", None),
        ("a|b", "other", None),
    ]:
        assert frozen_area_key(name, kind, code) == area_key(name, kind, code)


def test_areas_that_were_already_the_same_are_merged_into_the_oldest(
    old: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bank_hash = small_bank().content_hash
    with writing(old) as conn:
        parent = old_area(conn, "West Yorkshire", "partnership")
        leeds = old_area(conn, "Leeds", "council")
        twin = old_area(conn, "LEEDS", "council", parent_id=parent)  # the same area, later
        ward = old_area(conn, "Headingley", "ward", parent_id=twin)
        other_kind = old_area(conn, "Leeds", "ward")  # another area of that name
        coded = old_area(conn, "Leeds", "council", ons_code="E08000035")  # another, coded
        demo = old_area(conn, "Leeds", "council", demo=True)  # fictional: kept apart
        kept = old_assessment(conn, leeds, bank_hash)
        moved = old_assessment(conn, twin, bank_hash)
        both = old_group(conn, "Both", leeds, twin)
        one = old_group(conn, "Twin only", twin)
    with caplog.at_level(logging.WARNING, logger="ladder"):
        assert migrate(old) == [
            "0006_area_keys",
            "0007_answer_notes",
            "0008_consensus_rule",
            "0009_room_screens",
            "0010_actions",
            "0011_answer_pairs",
        ]
    assert f"areas {twin} were the same area as area {leeds}" in caplog.text
    assert get_area(old, twin) is None
    assert {a.id for a in list_areas(old)} == {parent, leeds, ward, other_kind, coded, demo}
    merged = get_area(old, leeds)
    assert merged is not None
    assert (merged.name, merged.parent_id) == ("Leeds", parent)  # took the twin's parent
    assert get_area(old, ward).parent_id == leeds  # type: ignore[union-attr]
    with old.connect() as conn:
        owners = dict(conn.execute(sa.text("SELECT id, area_id FROM assessments")).all())
        keys = dict(conn.execute(sa.select(areas.c.id, areas.c.area_key)).all())
    assert owners == {kept: leeds, moved: leeds}
    assert members(old) == {(both, leeds), (one, leeds)}
    assert keys[leeds] == area_key("Leeds", "council", None)
    assert keys[demo] == keys[leeds]
    assert keys[coded] == area_key("Leeds", "council", "E08000035")
    assert find_or_create_area(old, "leeds", "council") == merged


def test_a_twin_inside_the_kept_area_leaves_no_loop(old: Engine) -> None:
    with writing(old) as conn:
        first = old_area(conn, "Calder Valley", "partnership")
        inside = old_area(conn, "calder valley", "partnership", parent_id=first)
        conn.execute(
            sa.text("UPDATE areas SET parent_id = :i WHERE id = :f"), {"i": inside, "f": first}
        )
    migrate(old)
    assert [(a.id, a.parent_id) for a in list_areas(old)] == [(first, None)]


def test_after_0006_the_database_holds_one_area_per_key(old: Engine) -> None:
    with writing(old) as conn:
        old_area(conn, "Kirklees", "council")
    migrate(old)
    with pytest.raises(sa.exc.IntegrityError), writing(old) as conn:
        conn.execute(
            sa.insert(areas).values(
                name="KIRKLEES", kind="council", created_at=now(),
                area_key=area_key("KIRKLEES", "council", None),
            )
        )  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError), writing(old) as conn:
        conn.execute(sa.insert(areas).values(name="Nameless", kind="council", created_at=now()))
    assert [a.name for a in list_areas(old)] == ["Kirklees"]


def test_an_empty_database_gains_the_key_too(db_url: str) -> None:
    engine = make_engine(db_url)
    assert "0006_area_keys" in migrate(engine)
    with engine.connect() as conn:
        columns = {c["name"]: c["nullable"] for c in sa.inspect(conn).get_columns("areas")}
    assert columns["area_key"] is False
    engine.dispose()
