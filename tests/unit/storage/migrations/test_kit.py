"""The migrations' shared pieces (storage.migrations.kit)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.core.engine import make_engine, writing
from storage.core.errors import StorageError
from storage.migrations.kit import cascade, col, rebuild_sqlite, refuse_foreign_tables


def test_col_is_not_null_unless_said(tmp_path: Path) -> None:
    md = sa.MetaData()
    table = sa.Table("t", md, col("a", sa.Integer()), col("b", sa.Integer(), nullable=True))
    assert (table.c.a.nullable, table.c.b.nullable) == (False, True)
    fk = cascade("other.id")
    assert fk.ondelete == "CASCADE"


def test_rebuild_keeps_rows_ids_and_children(tmp_path: Path) -> None:
    """A parent rebuilt with AUTOINCREMENT keeps its rows; its children are not cascaded away."""
    engine = make_engine(f"sqlite:///{tmp_path / 'kit.db'}")
    md = sa.MetaData()
    parent = sa.Table("parent", md, col("id", sa.Integer(), primary_key=True), col("x", sa.Text()))
    child = sa.Table(
        "child", md, col("id", sa.Integer(), primary_key=True),
        col("parent_id", sa.Integer(), cascade("parent.id")),
    )  # fmt: skip
    with writing(engine) as conn:
        md.create_all(conn)
        conn.execute(sa.insert(parent), [{"id": 1, "x": "a"}, {"id": 7, "x": "b"}])
        conn.execute(sa.insert(child), [{"id": 1, "parent_id": 7}])
    again = sa.Table(
        "parent", sa.MetaData(), col("id", sa.Integer(), primary_key=True), col("x", sa.Text()),
        col("y", sa.Integer(), server_default="5"), sqlite_autoincrement=True,
    )  # fmt: skip
    with writing(engine, sqlite_keys_off=True) as conn:
        rebuild_sqlite(conn, again)
    with writing(engine) as conn:
        assert conn.execute(sa.text("SELECT id, x, y FROM parent ORDER BY id")).all() == [
            (1, "a", 5),
            (7, "b", 5),
        ]
        assert conn.execute(sa.text("SELECT parent_id FROM child")).all() == [(7,)]
        conn.execute(sa.text("DELETE FROM parent WHERE id = 7"))  # the newest row goes...
        new_id = conn.execute(sa.text("INSERT INTO parent (x) VALUES ('c') RETURNING id")).scalar()
    assert new_id == 8  # ...and its id is not given again
    with engine.connect() as conn:  # the keys are back on, and the cascade happened
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM child")).scalar() == 0
    engine.dispose()


def test_refuses_a_table_someone_else_made(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kit.db'}")
    table = sa.Table("theirs", sa.MetaData(), col("id", sa.Integer(), primary_key=True))
    with writing(engine) as conn:
        table.create(conn)
    with pytest.raises(StorageError, match="theirs"), writing(engine) as conn:
        refuse_foreign_tables(conn, {"theirs": table})
    engine.dispose()
