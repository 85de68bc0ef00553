"""Migrations: applied once, in order, under a lock, and never by an older Ladder."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.engine import make_engine, writing
from storage.errors import StorageError
from storage.migrations import MIGRATIONS, Migration, applied_migrations, migrate
from storage.schema import metadata, migrations_ledger, now

pytestmark = pytest.mark.timeout(120)


def slow_table(name: str) -> Migration:
    """A test migration that creates a table and holds its transaction open for a moment."""

    def apply(conn: Connection) -> None:
        conn.execute(sa.text(f"create table {name} (x integer)"))
        time.sleep(0.2)

    return Migration(name, apply)


def ledger(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.select(migrations_ledger.c.name)))
    finally:
        engine.dispose()


def test_names_are_unique_and_ordered() -> None:
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names)
    assert names == sorted(names)
    assert names[0] == "0001_core_tables"


def test_migrations_apply_once_then_rerun_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    assert applied_migrations(engine) == []
    assert migrate(engine) == [m.name for m in MIGRATIONS]
    assert migrate(engine) == []
    assert applied_migrations(engine) == [m.name for m in MIGRATIONS]
    engine.dispose()
    assert migrate(make_engine(db_url)) == []  # a restarted server


def test_migrated_database_matches_the_schema_module(db_url: str) -> None:
    """The frozen migration steps build exactly the tables storage.schema describes."""
    engine = make_engine(db_url)
    migrate(engine)
    found = sa.MetaData()
    found.reflect(engine)
    assert set(found.tables) == set(metadata.tables)
    for name, table in metadata.tables.items():
        built = found.tables[name]
        assert [c.name for c in built.columns] == [c.name for c in table.columns], name
        assert {c.name: c.nullable for c in built.columns} == {
            c.name: c.nullable for c in table.columns
        }, name
        assert [c.name for c in built.primary_key] == [c.name for c in table.primary_key], name
        assert {(fk.parent.name, fk.target_fullname) for fk in built.foreign_keys} == {
            (fk.parent.name, fk.target_fullname) for fk in table.foreign_keys
        }, name
    engine.dispose()


def test_two_servers_starting_at_once_migrate_once(db_url: str) -> None:
    steps = (*MIGRATIONS, slow_table("slow_a"), slow_table("slow_b"))
    engines = [make_engine(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def start(index: int) -> None:
        try:
            barrier.wait()
            results.append(migrate(engines[index], steps))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(name for applied in results for name in applied) == sorted(m.name for m in steps)
    assert sorted(ledger(db_url)) == sorted(m.name for m in steps)


def test_a_database_from_a_newer_ladder_is_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with writing(engine) as conn:
        conn.execute(
            sa.insert(migrations_ledger).values(name="0999_from_the_future", applied_at=now())
        )
    with pytest.raises(StorageError) as caught:
        migrate(engine)
    message = caught.value.format()
    assert "newer version of Ladder" in message
    assert "0999_from_the_future" in message
    assert "please upgrade Ladder" in message
    engine.dispose()


def test_a_failing_step_leaves_no_trace(db_url: str) -> None:
    def broken(conn: Connection) -> None:
        conn.execute(sa.text("create table half_done (x integer)"))
        raise RuntimeError("step failed")

    engine = make_engine(db_url)
    with pytest.raises(RuntimeError, match="step failed"):
        migrate(engine, (*MIGRATIONS, Migration("0002_broken", broken)))
    assert applied_migrations(engine) == [m.name for m in MIGRATIONS]
    assert not sa.inspect(engine).has_table("half_done")
    engine.dispose()


def test_tables_ladder_did_not_create_are_not_taken_over(db_url: str) -> None:
    engine = make_engine(db_url)
    with writing(engine) as conn:
        conn.execute(sa.text("create table areas (id integer primary key, label text)"))
    with pytest.raises(StorageError, match="already has table"):
        migrate(engine)
    assert applied_migrations(engine) == []
    engine.dispose()


def test_sqlite_migration_waits_for_a_busy_file(tmp_path: Path) -> None:
    """Another process holding the write lock for a while delays start-up; it does not fail it."""
    url = f"sqlite:///{tmp_path / 'ladder.db'}"
    holder = make_engine(url)
    released = threading.Event()

    def hold() -> None:
        with writing(holder) as conn:
            conn.execute(sa.text("create table other (x integer)"))
            time.sleep(0.5)
        released.set()

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    engine = make_engine(url)
    assert migrate(engine) == [m.name for m in MIGRATIONS]
    thread.join()
    assert released.is_set()
    engine.dispose()
    holder.dispose()


def test_busy_past_the_timeout_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from storage import migrations

    monkeypatch.setattr(migrations, "_BUSY_PAUSE", 0.0)
    calls: list[int] = []

    def attempt() -> str | None:
        calls.append(1)
        if len(calls) < 3:
            locked = sa.exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
            raise StorageError("busy") from locked
        return "done"

    assert migrations._retry_while_busy(attempt) == "done"
    assert len(calls) == 3

    def never_free() -> str | None:
        raise StorageError("busy") from sa.exc.OperationalError("x", {}, Exception("locked"))

    with pytest.raises(StorageError):
        migrations._retry_while_busy(never_free)

    def other_failure() -> str | None:
        calls.append(1)
        raise StorageError("refused") from sa.exc.OperationalError("x", {}, Exception("refused"))

    calls.clear()
    with pytest.raises(StorageError, match="refused"):
        migrations._retry_while_busy(other_failure)
    assert len(calls) == 1
