"""Pieces every migration step uses: columns, cascading keys, SQLite table rebuilds.

Why: the steps in `storage.migrations.steps` and `storage.migrations.trust` write out
their tables as frozen history; these helpers keep that writing short and the
same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.errors import StorageError

__all__ = ["cascade", "col", "rebuild_sqlite", "refuse_foreign_tables"]


def col(name: str, kind: sa.types.TypeEngine | type, *args: object, **kw: object) -> sa.Column:
    """A column, NOT NULL unless said otherwise (the migrations' frozen tables use it)."""
    kw.setdefault("nullable", False)
    return sa.Column(name, kind, *args, **kw)  # type: ignore[arg-type]


def cascade(target: str) -> sa.ForeignKey:
    """A foreign key whose rows go when the row they point at is deleted."""
    return sa.ForeignKey(target, ondelete="CASCADE")


def rebuild_sqlite(conn: Connection, table: sa.Table) -> None:
    """SQLite: recreate ``table.name`` with ``table``'s definition, keeping every row and id.

    Why this order: SQLite cannot alter a check or a primary key, so the table is
    copied aside, dropped, created anew and filled again under the same name,
    which mends every foreign key pointing at it. Foreign keys are off while
    migrations run (`storage.core.engine.writing`, ``sqlite_keys_off``), so dropping
    the old table cascades to nothing, and they are checked before the commit:
    a row not put back fails the step. Only the columns both tables have are
    copied; a new column takes its default.
    """
    old = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table.name})")}
    columns = ", ".join(c.name for c in table.columns if c.name in old)
    aside = f"{table.name}_rebuild"
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {aside} AS SELECT {columns} FROM {table.name}")
    conn.exec_driver_sql(f"DROP TABLE {table.name}")
    table.create(conn)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {aside}")
    conn.exec_driver_sql(f"DROP TABLE {aside}")


def refuse_foreign_tables(conn: Connection, tables: Mapping[str, sa.Table]) -> None:
    """Stop before creating a table that exists already: someone else's, not Ladder's."""
    existing = set(sa.inspect(conn).get_table_names()) & set(tables)
    if existing:
        raise StorageError(
            f"the database already has table(s) {', '.join(sorted(existing))} that Ladder did "
            "not create; please set DATABASE_URL to an empty database"
        )
