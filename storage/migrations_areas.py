"""0006: one rule for "the same area", kept by the database (issue 14, item 4).

Every area gains ``area_key``: its name ignoring case, its kind and its ONS code
(`storage.repo.area_key`, copied here as it stood when this step shipped, since a
step is frozen history). A unique constraint on (``area_key``, ``demo``) then
refuses a second real area with the same key, and a second demo one, so two
people naming the same new area at once get one area, not two.

A database in use may hold areas that are already the same by this rule: two
starts at the same moment before this step, or an edit on the command line.
They are merged into the oldest (the lowest id), never refused, because a
refusal would stop Ladder starting and the command line that could put it right
migrates first. The oldest keeps its name, kind, code and parent (taking a
parent from the others when it had none); the others' assessments, the areas
inside them and their comparison-group memberships move to it, and each merge
is written to the server log, naming the ids.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.migration_kit import col, rebuild_sqlite
from storage.schema import NAMING, UTCDateTime

__all__ = ["area_keys", "frozen_area_key"]

log = logging.getLogger("ladder")


def frozen_area_key(name: str, kind: str, ons_code: str | None) -> str:
    """`storage.repo.area_key` as it was when this step shipped (a test keeps them equal)."""
    return f"{kind}|{ons_code or ''}|{name.casefold()}"


def area_keys(conn: Connection) -> None:
    """Add ``areas.area_key``, merge areas that are the same, then make the key unique."""
    conn.execute(sa.text("ALTER TABLE areas ADD COLUMN area_key TEXT"))
    rows = conn.execute(
        sa.text("SELECT id, name, kind, ons_code, parent_id, demo FROM areas ORDER BY id")
    ).all()
    same: dict[tuple[str, bool], list[sa.Row]] = defaultdict(list)
    for row in rows:
        same[(frozen_area_key(row.name, row.kind, row.ons_code), bool(row.demo))].append(row)
    for group in same.values():
        if len(group) > 1:
            _merge(conn, group)
    keys = [{"key": key, "id": group[0].id} for (key, _), group in same.items()]
    if keys:  # an empty database has no areas to key
        conn.execute(sa.text("UPDATE areas SET area_key = :key WHERE id = :id"), keys)
    if conn.dialect.name == "sqlite":  # SQLite cannot add NOT NULL or a constraint in place
        rebuild_sqlite(conn, _areas_0006())
    else:
        conn.execute(sa.text("ALTER TABLE areas ALTER COLUMN area_key SET NOT NULL"))
        conn.execute(
            sa.text("ALTER TABLE areas ADD CONSTRAINT uq_areas_area_key UNIQUE (area_key, demo)")
        )


def _merge(conn: Connection, group: Sequence[sa.Row]) -> None:
    """Fold every area of ``group`` (oldest first) into the oldest."""
    keep, gone = group[0].id, [row.id for row in group[1:]]
    merged = {keep, *gone}
    params = {"keep": keep, "gone": gone}
    expanding: sa.BindParameter[list[int]] = sa.bindparam("gone", expanding=True)

    def run(sql: str) -> None:
        conn.execute(sa.text(sql).bindparams(expanding), params)

    run("UPDATE assessments SET area_id = :keep WHERE area_id IN :gone")
    run("UPDATE areas SET parent_id = :keep WHERE parent_id IN :gone")
    # A membership of the kept area already in the group stays; the others move to it.
    run(
        "INSERT INTO area_group_members (group_id, area_id) "
        "SELECT DISTINCT group_id, :keep FROM area_group_members WHERE area_id IN :gone "
        "AND group_id NOT IN (SELECT group_id FROM area_group_members WHERE area_id = :keep)"
    )
    run("DELETE FROM area_group_members WHERE area_id IN :gone")
    parent = group[0].parent_id
    if parent is None or parent in merged:
        parent = next((r.parent_id for r in group[1:] if r.parent_id not in {None, *merged}), None)
    conn.execute(
        sa.text("UPDATE areas SET parent_id = :parent WHERE id = :keep"),
        {"parent": parent, "keep": keep},
    )
    run("DELETE FROM areas WHERE id IN :gone")
    log.warning(
        "migration 0006: areas %s were the same area as area %s (%r: same name ignoring case, "
        "kind and ONS code) and are merged into it, with their assessments",
        ", ".join(map(str, gone)),
        keep,
        group[0].name,
    )


def _areas_0006() -> sa.Table:
    """The areas table as this step leaves it (0001, 0003's ``demo``, and the key)."""
    md = sa.MetaData(naming_convention=NAMING)
    return sa.Table(
        "areas", md, col("id", sa.Integer(), primary_key=True), col("name", sa.String(120)),
        col("kind", sa.String(16)), col("ons_code", sa.String(9), nullable=True),
        col("parent_id", sa.Integer(), sa.ForeignKey("areas.id"), nullable=True, index=True),
        col("created_at", UTCDateTime()),
        col("demo", sa.Boolean(), server_default=sa.false()),
        col("area_key", sa.Text()),
        sa.CheckConstraint(
            "kind IN ('council', 'ward', 'partnership', 'service', 'other')", name="kind"
        ),
        sa.UniqueConstraint("area_key", "demo"),
    )  # fmt: skip
