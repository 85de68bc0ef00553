"""Where the answers live: the database URL, the engine and its transactions.

Why: a council's IT team points Ladder at a database with one setting
(``DATABASE_URL``); a mistake there must read as one line saying what to fix,
never a SQLAlchemy traceback. SQLite (the default, no service to run) needs
care to be safe with many respondents at once: WAL so readers never block the
writer, a busy timeout so writers queue instead of failing, and ``BEGIN
IMMEDIATE`` for writes so a transaction that reads then writes cannot fail
half-way with "database is locked". Writers in one process also queue on a
lock of their own before asking SQLite, because SQLite's busy handler polls
with sleeps of up to 100 ms: with 50 workshop participants saving at once,
that polling, not the writes, made most of the wait.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, Engine

from storage.errors import StorageError

__all__ = [
    "DEFAULT_URL",
    "SECRETS",
    "SQLITE_PRAGMAS",
    "WRITER_WAIT",
    "WriterTimeout",
    "database_url",
    "dialect_insert",
    "inserted_id",
    "is_busy",
    "make_engine",
    "parse_url",
    "reading",
    "shown",
    "translated",
    "writing",
]

DEFAULT_URL = "sqlite:///data/ladder.db"
SECRETS = Path(".streamlit/secrets.toml")
#: Set on every SQLite connection. busy_timeout comes first so that switching a
#: new file to WAL waits for a concurrent opener instead of failing.
SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("busy_timeout", "10000"),
    ("journal_mode", "WAL"),
    ("foreign_keys", "ON"),
    ("synchronous", "NORMAL"),
)
_EXAMPLES = (
    "please give one like sqlite:///data/ladder.db or "
    "postgresql+psycopg://user:password@host:5432/ladder"
)
_WRITE_OPTION = "ladder_write"
#: How long a writer waits in this process's queue: SQLite's busy timeout, in seconds.
WRITER_WAIT = 10.0
_WRITERS: dict[str, threading.RLock] = {}  # one per SQLite file, by its resolved path
_WRITERS_GUARD = threading.Lock()
_ENGINE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_PG_CONNECT_TIMEOUT = 10  # seconds: an unreachable server fails start-up, not hangs it


def database_url(environ: Mapping[str, str] | None = None, secrets: Path | None = SECRETS) -> str:
    """The URL to use: ``DATABASE_URL``, else ``database_url`` in the secrets file, else SQLite.

    A blank ``DATABASE_URL`` counts as unset (``DATABASE_URL= make run`` is a
    common way of clearing it). A secrets file that exists but cannot be read or
    parsed raises `StorageError` naming the file, rather than being ignored.
    """
    env = os.environ if environ is None else environ
    value = env.get("DATABASE_URL", "").strip()
    if value:
        return value
    if secrets is not None:
        from_file = _secret_url(secrets)
        if from_file:
            return from_file
    return DEFAULT_URL


def _secret_url(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StorageError(f"{path}: cannot read the secrets file ({reason})") from None
    try:
        secrets = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StorageError(f"{path}: is not UTF-8 text; please save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise StorageError(f"{path}: is not valid TOML: {exc}") from None
    value = secrets.get("database_url")
    if value is None:
        return None
    if not isinstance(value, str):
        raise StorageError(
            f'{path}: database_url must be text in quotes, e.g. database_url = "{DEFAULT_URL}"'
        )
    return value.strip()


def parse_url(url: str) -> URL:
    """Parse and normalise a database URL; `StorageError` if Ladder cannot use it.

    Only SQLite (the standard library driver) and PostgreSQL through psycopg 3
    are supported. ``postgresql://`` and ``postgres://`` (as hosting services
    write them) mean psycopg 3, the driver Ladder installs.
    """
    text = url.strip()
    try:
        parsed = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError):
        raise StorageError(
            f"the database URL {_redact(text)!r} is not a URL Ladder understands; {_EXAMPLES}"
        ) from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend in {"postgresql", "postgres"} and driver in {"", "psycopg"}:
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in {"", "pysqlite"}:
        return parsed
    raise StorageError(
        f"the database URL {shown(parsed)!r} names {parsed.drivername!r}, which Ladder does not "
        f"support; {_EXAMPLES}"
    )


def make_engine(url: str) -> Engine:
    """An Engine for ``url``, set up for Ladder's use of SQLite or PostgreSQL.

    Nothing connects yet: `storage.migrations.migrate` is the first call to
    touch the database, and it reports an unreachable one as `StorageError`.
    """
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, TypeError) as exc:
        raise StorageError(
            f"cannot use the database URL {shown(parsed)!r} ({_first_line(exc)}); {_EXAMPLES}"
        ) from None


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        _create_private(Path(database))
    engine = sa.create_engine(url)
    if database and database != ":memory:":
        key = database if database.startswith("file:") else str(Path(database).resolve())
        with _WRITERS_GUARD:
            _ENGINE_WRITERS[engine] = _WRITERS.setdefault(key, threading.RLock())
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _create_private(path: Path) -> None:
    """Create a missing SQLite file empty with mode 0600, in a folder made 0700 if missing.

    Why: the file holds everyone's answers. Left to SQLite it would be created with the
    umask's mode, 0644 on most servers: readable by every account on the machine. SQLite
    gives its -wal, -shm and -journal files the database file's own mode, so they follow.
    An existing file or folder is left as it is; if the file cannot be created here,
    SQLite's own attempt reports why, as before.
    """
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StorageError(
            f"cannot create the folder {str(folder)!r} for the SQLite database ({reason}); "
            "please create it, or set DATABASE_URL to a path Ladder can write to"
        ) from None
    # Already there (kept as it is), or SQLite will say why it cannot be.
    with suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas, and take BEGIN away from the driver so `_sqlite_begin` owns it.

    Why: Python 3.11's sqlite3 begins transactions lazily and only before
    writes (its "legacy" mode), which breaks transactional DDL in migrations
    and lets a read-then-write transaction fail on upgrade to a write lock.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {name}={value}")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for connections marked as writers (see `writing`), else BEGIN."""
    immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def writing(engine: Engine, *, sqlite_keys_off: bool = False) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any exception.

    On SQLite it takes the write lock up front (``BEGIN IMMEDIATE``, waiting
    up to the busy timeout), so everything it reads stays true until commit.

    ``sqlite_keys_off`` (migrations only): SQLite's foreign keys are off for this
    transaction, so a table can be rebuilt without its children's ON DELETE CASCADE
    firing; `PRAGMA foreign_key_check` runs before the commit and any broken key fails
    the transaction. The pragma only takes effect outside a transaction, so it is set
    on the driver's connection before BEGIN, and set back before the connection
    returns to the pool.
    """
    with translated(engine), _queued(engine), engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        keys_off = sqlite_keys_off and conn.dialect.name == "sqlite"
        if keys_off:
            _driver_connection(conn).execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if keys_off and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StorageError("a migration left a foreign key pointing at nothing")
        finally:
            if keys_off:
                _driver_connection(conn).execute("PRAGMA foreign_keys=ON")


def _driver_connection(conn: Connection) -> Any:
    """The driver's own connection under ``conn`` (sqlite3's or psycopg's).

    SQLAlchemy types it as optional: a pooled connection that was invalidated has none.
    """
    raw = conn.connection.driver_connection
    if raw is None:
        raise StorageError("the database connection was lost; try again")
    return raw


class WriterTimeout(TimeoutError):
    """Waited `WRITER_WAIT` seconds behind this process's other writers to one SQLite file."""


@contextmanager
def _queued(engine: Engine) -> Iterator[None]:
    """On a SQLite file, hold this process's writer lock for that file; elsewhere nothing.

    Why: a thread blocked on a lock wakes the moment it is free, where SQLite's busy
    handler sleeps and polls. Re-entrant, so a nested write in one thread behaves as it
    would without the lock (SQLite's own busy timeout decides). Other processes on the
    same file (a second server, the command line) still queue through SQLite.
    """
    lock = _writer_lock(engine)
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=WRITER_WAIT):
        raise WriterTimeout(
            f"database is locked: waited {WRITER_WAIT:.0f} s behind other writers in this process"
        )
    try:
        yield
    finally:
        lock.release()


def _writer_lock(engine: Engine) -> threading.RLock | None:
    """The lock `make_engine` gave a SQLite file's engine (shared by every engine on that
    file in this process); None for PostgreSQL and in-memory SQLite."""
    return _ENGINE_WRITERS.get(engine)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one snapshot; rolled back on exit.

    Why: a draft is read in three queries; a save landing between them must
    not give a page answers from after the save and a step from before it.
    SQLite's BEGIN gives a snapshot already; PostgreSQL needs REPEATABLE READ.
    """
    with translated(engine), engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn


def plain_rows(conn: Connection, statement: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """Rows of a select of plain text and integer columns, straight from the driver.

    Why: building SQLAlchemy Row objects costs ~4 us a row; the dashboard rereads
    some 22,000 answers every few seconds, where that alone would eat a third
    of its budget. Only for columns needing no type conversion; the few bound
    values (ids, round numbers) are rendered as literals by the dialect.
    """
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = conn.connection.dbapi_connection
    if dbapi is None:  # invalidated (see `_driver_connection`)
        raise StorageError("the database connection was lost; try again")
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def inserted_id(conn: Connection, insert: sa.Insert) -> int:
    """Run a one-row INSERT and return the id the database gave the new row.

    Why: SQLAlchemy types ``inserted_primary_key`` as optional (and it is empty for a
    table without a primary key); this says so once, with a message.
    """
    key = conn.execute(insert).inserted_primary_key
    if not key or key[0] is None:
        raise StorageError("the database did not give the new record an id")
    new_id: int = key[0]
    return new_id


def dialect_insert(dialect: str, table: sa.Table) -> Any:
    """The INSERT of a dialect (by name: ``conn.dialect.name``), which has
    ``on_conflict_do_update`` and ``on_conflict_do_nothing``."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@contextmanager
def translated(engine: Engine) -> Iterator[None]:
    """Turn "cannot reach / open / lock the database" into `StorageError`.

    Why: those are the operator's to fix, and the page should say so in a line.
    Integrity and programming errors are bugs and pass through unchanged.
    """
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError, WriterTimeout) as exc:
        where = f"the database at {shown(engine.url)}"
        if is_busy(exc):
            raise StorageError(
                f"{where} stayed busy with other writers for too long ({_first_line(exc)}); "
                "please try again in a moment"
            ) from exc
        raise StorageError(
            f"cannot use {where} ({_first_line(exc)}); please check that it is running and "
            "reachable, and that DATABASE_URL is right"
        ) from exc


def is_busy(exc: BaseException | None) -> bool:
    """True for SQLite's "database is locked" / "busy" after the busy timeout ran out
    (in SQLite or in this process's writer queue)."""
    if isinstance(exc, WriterTimeout):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, sa.exc.OperationalError) and ("locked" in text or "busy" in text)


def shown(url: URL) -> str:
    """The URL as it may be shown to people: the password replaced by ***."""
    return url.render_as_string(hide_password=True)


def _redact(text: str) -> str:
    """Hide anything between ``//`` and ``@`` (user and password) in unparsed text."""
    return re.sub(r"//[^/@]*@", "//***@", text)


def _first_line(exc: BaseException) -> str:
    """The driver's own reason, first line only, without SQLAlchemy's background link."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    return lines[0].strip() if lines else type(original).__name__
