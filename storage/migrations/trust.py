"""0004: who may see and change what (issue 12), as tables.

- **Administrators**: local accounts (``admins``: an e-mail or user name, an
  argon2 hash of the passphrase, failed sign-ins and a lock-out time) and the
  one-time set-up link (``admin_setup``: only the SHA-256 of its token).
- **Workshops**: a per-workshop ``grant_secret`` that every unlock is bound to
  (with the id and the join code), the number of people ``expected``,
  ``joining_locked``, and ``seat_codes`` (one printed code per person, in
  ``seats``).
- **Publishing**: ``publications`` lists what the owner put into Compare (an
  assessment's round, with how many people it had).
- **The room's view**: ``room_views`` keeps, per workshop round and scope (the
  room, a role, the other roles pooled), the answers the room last saw; it
  changes only when k or more people's answers differ (`storage.workshop.disclosure`).
- **Ids are never reused**: on SQLite ``workshops`` and ``assessments`` are
  rebuilt with AUTOINCREMENT (PostgreSQL's serial columns never reuse a value).
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.schema import NAMING, UTCDateTime
from storage.migrations.kit import cascade, col, rebuild_sqlite, refuse_foreign_tables

__all__ = ["trust_tables"]

_WORKSHOP_COLUMNS = (
    ("grant_secret", sa.String(32), "''"),
    ("expected", sa.Integer(), None),
    ("joining_locked", sa.Boolean(), "false"),
    ("seat_codes", sa.Boolean(), "false"),
)


def trust_tables(conn: Connection) -> None:
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime
    sa.Table("assessments", md, col("id", sa.Integer(), primary_key=True))  # already there
    sa.Table("workshops", md, col("id", sa.Integer(), primary_key=True))  # already there
    sa.Table("participants", md, col("id", sa.Integer(), primary_key=True))  # already there
    created = [
        sa.Table(
            "admins", md, col("id", sa.Integer(), primary_key=True),
            col("email", sa.String(254), unique=True), col("passphrase_hash", sa.Text()),
            col("created_at", at()), col("failures", sa.Integer(), server_default="0"),
            col("locked_until", at(), nullable=True),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "admin_setup", md, col("token_hash", sa.String(64), primary_key=True),
            col("created_at", at()), col("expires_at", at()),
        ),
        sa.Table(
            "seats", md,
            col("workshop_id", sa.Integer(), cascade("workshops.id"), primary_key=True),
            col("code", sa.String(8), primary_key=True),
            col("participant_id", sa.Integer(),
                sa.ForeignKey("participants.id", ondelete="SET NULL"), nullable=True),
        ),
        sa.Table(
            "publications", md, col("id", sa.Integer(), primary_key=True),
            col("assessment_id", sa.Integer(), cascade("assessments.id")),
            col("round", sa.Integer()), col("people", sa.Integer()),
            col("published_at", at()),
            sa.UniqueConstraint("assessment_id", "round"),
            sa.CheckConstraint('"round" >= 1', name="round"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "room_views", md,
            col("workshop_id", sa.Integer(), cascade("workshops.id"), primary_key=True),
            col("round", sa.Integer(), primary_key=True),
            col("scope", sa.String(100), primary_key=True),
            col("people", sa.Integer()), col("taken_at", at()), col("rows", sa.Text()),
        ),
    ]  # fmt: skip
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
    for name, kind, default in _WORKSHOP_COLUMNS:
        column = sa.Column(
            name, kind, nullable=default is None, server_default=default and sa.text(default)
        )
        sa.Table(f"workshops_{name}", sa.MetaData(), column)  # a column compiles only in a table
        ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE workshops ADD COLUMN {ddl}"))
    ids = list(conn.scalars(sa.text("SELECT id FROM workshops")))
    for workshop_id in ids:  # every existing workshop gets its own secret
        conn.execute(
            sa.text("UPDATE workshops SET grant_secret = :s WHERE id = :i"),
            {"s": secrets.token_hex(16), "i": workshop_id},
        )
    if conn.dialect.name == "sqlite":
        _never_reuse_ids(conn)


def _never_reuse_ids(conn: Connection) -> None:
    """SQLite: rebuild workshops and assessments with AUTOINCREMENT, keeping every row."""
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime
    sa.Table("areas", md, col("id", sa.Integer(), primary_key=True))
    sa.Table("banks", md, col("content_hash", sa.String(64), primary_key=True))
    assessments = sa.Table(
        "assessments", md, col("id", sa.Integer(), primary_key=True),
        col("area_id", sa.Integer(), sa.ForeignKey("areas.id"), index=True),
        col("kind", sa.String(16)), col("title", sa.String(200), nullable=True),
        col("form_id", sa.String(100)),
        col("bank_hash", sa.String(64), sa.ForeignKey("banks.content_hash")),
        col("held_on", sa.Date(), nullable=True), col("created_at", at()),
        sa.CheckConstraint("kind IN ('self', 'workshop', 'imported')", name="kind"),
        sqlite_autoincrement=True,
    )  # fmt: skip
    workshops = sa.Table(
        "workshops", md, col("id", sa.Integer(), primary_key=True),
        col("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), unique=True),
        col("title", sa.String(200)), col("join_code", sa.String(7), unique=True),
        col("key_salt", sa.String(32)), col("key_hash", sa.String(64)),
        col("dimensions", sa.Text()), col("form_id", sa.String(100), nullable=True),
        col("roles", sa.Text()), col("k", sa.Integer(), server_default="3"),
        col("current_round", sa.Integer(), server_default="1"),
        col("round_open", sa.Boolean(), server_default=sa.true()), col("created_at", at()),
        col("grant_secret", sa.String(32), server_default=""),
        col("expected", sa.Integer(), nullable=True),
        col("joining_locked", sa.Boolean(), server_default=sa.false()),
        col("seat_codes", sa.Boolean(), server_default=sa.false()),
        sa.CheckConstraint("k BETWEEN 2 AND 50", name="k"),
        sa.CheckConstraint("current_round >= 1", name="current_round"),
        sqlite_autoincrement=True,
    )  # fmt: skip
    rebuild_sqlite(conn, assessments)
    rebuild_sqlite(conn, workshops)
