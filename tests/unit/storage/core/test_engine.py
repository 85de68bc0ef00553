"""Where the database is, and an engine that is safe to share between threads."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.core.engine import (
    DEFAULT_URL,
    SQLITE_PRAGMAS,
    database_url,
    inserted_id,
    is_busy,
    make_engine,
    parse_url,
    reading,
    writing,
)
from storage.core.errors import StorageError
from storage.migrations.steps import migrate
from tests.support.server import free_port
from tests.unit.storage.factories import sqlite_url

PG = "postgresql+psycopg://ladder:secret@db.example:5432/ladder"


def write_secrets(folder: Path, text: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- database_url ----------------------------------------------------------


def test_environment_wins_over_secrets(tmp_path: Path) -> None:
    secrets = write_secrets(tmp_path, 'database_url = "sqlite:///from/secrets.db"\n')
    assert database_url({"DATABASE_URL": f"  {PG}\n"}, secrets) == PG
    assert database_url({}, secrets) == "sqlite:///from/secrets.db"
    assert database_url({"DATABASE_URL": "   "}, secrets) == "sqlite:///from/secrets.db"


def test_default_when_nothing_is_set(tmp_path: Path) -> None:
    assert database_url({}, tmp_path / "missing.toml") == DEFAULT_URL
    assert database_url({}, None) == DEFAULT_URL == "sqlite:///data/ladder.db"
    other = write_secrets(tmp_path, '[server]\nport = 1\nfacilitator_key = "x"\n')
    assert database_url({}, other) == DEFAULT_URL


def test_reads_the_real_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", PG)
    assert database_url(secrets=None) == PG


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("database_url = sqlite:///x\n", "is not valid TOML: Invalid value (at line 1, column 16)"),
        ("database_url = 5\n", "database_url must be text in quotes"),
    ],
)
def test_a_broken_secrets_file_is_reported_not_ignored(
    tmp_path: Path, text: str, says: str
) -> None:
    secrets = write_secrets(tmp_path, text)
    with pytest.raises(StorageError) as caught:
        database_url({}, secrets)
    assert caught.value.format().startswith(f"{secrets}: ")
    assert says in caught.value.format()


# --- make_engine: bad URLs -------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "ladder.db",
        "http://example.com/ladder",
        "mysql://ladder:secret@db.example/ladder",
        "postgresql+psycopg2://ladder:secret@db.example/ladder",
        "postgresql://ladder:secret@db.example:port/ladder",
        "sqlite+aiosqlite:///data/ladder.db",
    ],
)
def test_a_malformed_url_is_one_line_without_the_password(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        make_engine(url)
    message = caught.value.format()
    assert "\n" not in message
    assert "secret" not in message
    assert "sqlite:///data/ladder.db" in message  # shows what would work
    assert "postgresql+psycopg://user:password@host:5432/ladder" in message


def test_the_message_for_an_unknown_driver() -> None:
    with pytest.raises(StorageError) as caught:
        make_engine("mysql://ladder:secret@db.example/ladder")
    assert caught.value.format() == (
        "the database URL 'mysql://ladder:***@db.example/ladder' names 'mysql', which Ladder "
        "does not support; please give one like sqlite:///data/ladder.db or "
        "postgresql+psycopg://user:password@host:5432/ladder"
    )


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg_3(scheme: str) -> None:
    assert parse_url(f"{scheme}://u:p@h/db").drivername == "postgresql+psycopg"
    engine = make_engine(f"{scheme}://u:p@h/db")
    assert engine.dialect.driver == "psycopg"
    assert engine.pool._pre_ping is True  # type: ignore[attr-defined]
    engine.dispose()


def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    engine = make_engine(f"postgresql+psycopg://ladder:secret@127.0.0.1:{free_port()}/ladder")
    with pytest.raises(StorageError) as caught:
        migrate(engine)
    message = caught.value.format()
    assert message.startswith("cannot use the database at postgresql+psycopg://ladder:***@")
    assert "secret" not in message
    assert "\n" not in message


# --- make_engine: SQLite -----------------------------------------------------


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'deeper' / 'ladder.db'}"
    engine = make_engine(url)
    with reading(engine) as conn:
        conn.execute(sa.text("select 1"))
    assert (tmp_path / "new" / "deeper" / "ladder.db").is_file()
    engine.dispose()


def test_sqlite_folder_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        make_engine(f"sqlite:///{tmp_path / 'a-file' / 'ladder.db'}")
    assert "cannot create the folder" in caught.value.format()


def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    connections = [engine.connect() for _ in range(3)]  # three pooled DBAPI connections
    for conn in connections:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 10000,
            "synchronous": 1,  # NORMAL
        }
        conn.close()
    engine.dispose()


def test_sqlite_writes_take_the_write_lock_at_begin(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    other = sqlite3.connect(tmp_path / "ladder.db", timeout=0, isolation_level=None)
    try:
        with writing(engine), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # nothing written yet, but the lock is held
        with reading(engine) as conn:  # readers do not block writers
            conn.execute(sa.text("select count(*) from areas"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_writing_rolls_back_on_error(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))

    def create_then_fail() -> None:
        with writing(engine) as conn:
            conn.execute(sa.text("create table t (x int)"))
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        create_then_fail()
    assert not sa.inspect(engine).has_table("t")  # DDL is transactional too
    engine.dispose()


def test_inserted_id_is_the_id_the_database_gave_the_new_row(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    meta = sa.MetaData()
    table = sa.Table(
        "t", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)
    )
    keyless = sa.Table("k", meta, sa.Column("x", sa.Integer))
    with writing(engine) as conn:
        meta.create_all(conn)
        first = inserted_id(conn, sa.insert(table).values(x=10))
        second = inserted_id(conn, sa.insert(table).values(x=20))
        with pytest.raises(StorageError, match="did not give the new record an id"):
            inserted_id(conn, sa.insert(keyless).values(x=1))
    with reading(engine) as conn:
        assert dict(conn.execute(sa.select(table.c.id, table.c.x)).all()) == {first: 10, second: 20}
    assert first != second
    engine.dispose()


def test_a_write_lock_held_too_long_is_a_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.core import engine as engine_module

    short = tuple((n, "100" if n == "busy_timeout" else v) for n, v in SQLITE_PRAGMAS)
    monkeypatch.setattr(engine_module, "SQLITE_PRAGMAS", short)
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    other = sqlite3.connect(tmp_path / "ladder.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as caught, writing(engine):
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
        engine.dispose()
    assert "stayed busy with other writers" in caught.value.format()
    assert "please try again" in caught.value.format()


# --- the in-process writer queue (SQLite) ------------------------------------


def test_writers_in_one_process_queue_on_a_lock_per_file(tmp_path: Path) -> None:
    """Two engines on one file (as the app and a helper may hold) share one queue: the
    second writer starts only after the first commits, and sees what it wrote."""
    first, second = make_engine(sqlite_url(tmp_path)), make_engine(sqlite_url(tmp_path))
    migrate(first)
    with writing(first) as conn:
        conn.execute(sa.text("create table t (x int)"))
    inside, release, seen = threading.Event(), threading.Event(), []

    def hold() -> None:
        with writing(first) as conn:
            conn.execute(sa.text("insert into t values (1)"))
            inside.set()
            release.wait(5)

    def follow() -> None:
        with writing(second) as conn:
            seen.append(conn.execute(sa.text("select count(*) from t")).scalar_one())

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    follower = threading.Thread(target=follow)
    follower.start()
    follower.join(0.3)
    assert follower.is_alive()
    assert seen == []
    release.set()
    holder.join(5)
    follower.join(5)
    assert seen == [1]
    first.dispose()
    second.dispose()


def test_a_writer_queued_too_long_in_this_process_is_a_busy_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.core import engine as engine_module

    monkeypatch.setattr(engine_module, "WRITER_WAIT", 0.1)
    engine = make_engine(sqlite_url(tmp_path))
    migrate(engine)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writing(engine):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    try:
        with pytest.raises(StorageError) as caught, writing(engine):
            pass
    finally:
        release.set()
        holder.join(5)
        engine.dispose()
    assert is_busy(caught.value.__cause__)  # so start-up migrations retry it like SQLite's
    assert "stayed busy with other writers" in caught.value.format()


def test_a_nested_write_in_one_thread_is_not_stopped_by_the_queue(tmp_path: Path) -> None:
    """Re-entrant: the inner write reaches SQLite, whose own busy timeout then decides."""
    from storage.core import engine as engine_module

    engine = make_engine(sqlite_url(tmp_path))
    lock = engine_module._writer_lock(engine)
    assert lock is not None
    assert engine_module._writer_lock(make_engine(sqlite_url(tmp_path))) is lock
    with engine_module._queued(engine), engine_module._queued(engine):
        assert lock._is_owned()  # type: ignore[attr-defined]
    assert engine_module._writer_lock(make_engine(PG)) is None
    engine.dispose()


def test_a_new_sqlite_database_is_private_to_the_service_user(tmp_path: Path) -> None:
    """The file (and the -wal and -shm SQLite makes beside it) 0600, a new folder 0700,
    even under the usual umask that would make them readable by every account."""
    folder = tmp_path / "data"
    previous = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{folder / 'ladder.db'}")
        with writing(engine) as conn:
            conn.execute(sa.text("create table t (x integer)"))
            conn.execute(sa.text("insert into t values (1)"))
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
        engine.dispose()
    finally:
        os.umask(previous)
    assert modes == {"ladder.db": 0o600, "ladder.db-wal": 0o600, "ladder.db-shm": 0o600}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_sqlite_database_is_opened_as_it_is(tmp_path: Path) -> None:
    """Never truncated nor re-permissioned: the owner's choice stands."""
    path = tmp_path / "ladder.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (x integer)")
        conn.execute("insert into t values (7)")
    conn.close()
    path.chmod(0o640)
    engine = make_engine(f"sqlite:///{path}")
    with reading(engine) as conn:
        assert conn.execute(sa.text("select x from t")).scalar_one() == 7
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
