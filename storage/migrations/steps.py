"""Named, ordered migrations, applied once each at start-up.

Why: a council's database outlives any one version of Ladder. Each change to
the tables is a named step recorded in ``ladder_migrations``; start-up applies
the steps the database has not seen, each in its own transaction, so a failed
step leaves the database as it was before that step.

Two servers may start at once (a restart during a workshop, two workers).
Each step runs under a lock: PostgreSQL's ``pg_advisory_xact_lock``, SQLite's
write lock (``BEGIN IMMEDIATE``, retried while the file is busy). Whoever
gets the lock second sees the step recorded and skips it.

A step's table definitions are frozen history: they are written out here,
not taken from `storage.core.schema`, because the schema will move on and an old
step must still build exactly what it built the day it shipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core.engine import is_busy, reading, shown, writing
from storage.core.errors import StorageError
from storage.core.schema import NAMING, UTCDateTime, migrations_ledger, now
from storage.migrations.actions import action_tables
from storage.migrations.areas import area_keys
from storage.migrations.keys import key_attempt_tables
from storage.migrations.kit import cascade, col, rebuild_sqlite, refuse_foreign_tables
from storage.migrations.screens import room_screen_tables
from storage.migrations.trust import trust_tables

__all__ = ["MIGRATIONS", "Migration", "applied_migrations", "migrate"]

#: Key of the PostgreSQL advisory lock that serialises migrations ("LadderMg").
LOCK_KEY = 0x4C61646465724D67
_BUSY_ATTEMPTS = 6
_BUSY_PAUSE = 0.5  # seconds, doubled after each busy attempt


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: a unique, never-renamed ``name`` and the function that applies it."""

    name: str
    apply: Callable[[Connection], None]


def _core_tables(conn: Connection) -> None:
    """0001: banks, areas, assessments, responses, answers and plans (job 1)."""
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime

    sa.Table(
        "banks", md, col("content_hash", sa.String(64), primary_key=True),
        col("bank_id", sa.Text()), col("version", sa.Text()), col("title", sa.Text()),
        col("source", sa.Text()), col("stored_at", at()),
    )  # fmt: skip
    sa.Table(
        "areas", md, col("id", sa.Integer(), primary_key=True), col("name", sa.String(120)),
        col("kind", sa.String(16)), col("ons_code", sa.String(9), nullable=True),
        col("parent_id", sa.Integer(), sa.ForeignKey("areas.id"), nullable=True, index=True),
        col("created_at", at()),
        sa.CheckConstraint(
            "kind IN ('council', 'ward', 'partnership', 'service', 'other')", name="kind"
        ),
    )  # fmt: skip
    sa.Table(
        "assessments", md, col("id", sa.Integer(), primary_key=True),
        col("area_id", sa.Integer(), sa.ForeignKey("areas.id"), index=True),
        col("kind", sa.String(16)), col("title", sa.String(200), nullable=True),
        col("form_id", sa.String(100)),
        col("bank_hash", sa.String(64), sa.ForeignKey("banks.content_hash")),
        col("held_on", sa.Date(), nullable=True), col("created_at", at()),
        sa.CheckConstraint("kind IN ('self', 'workshop')", name="kind"),
    )  # fmt: skip
    sa.Table(
        "responses", md, col("id", sa.Integer(), primary_key=True),
        col("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), index=True),
        col("token_hash", sa.String(64), unique=True), col("role", sa.String(100)),
        col("round", sa.Integer(), server_default="1"),
        col("step", sa.Integer(), server_default="0"),
        col("status", sa.String(16), server_default="draft"),
        col("created_at", at()), col("updated_at", at()),
        col("submitted_at", at(), nullable=True),
        sa.CheckConstraint('"round" >= 1', name="round"),
        sa.CheckConstraint("step >= 0", name="step"),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name="status"),
    )  # fmt: skip

    def response_fk() -> sa.ForeignKey:
        return sa.ForeignKey("responses.id", ondelete="CASCADE")

    sa.Table(
        "answers", md, col("response_id", sa.Integer(), response_fk(), primary_key=True),
        col("question_id", sa.String(100), primary_key=True), col("answer", sa.String(2)),
        col("confidence", sa.String(8), nullable=True), col("evidence", sa.Text(), nullable=True),
        col("updated_at", at()),
        sa.CheckConstraint(
            "answer IN ('1', '2', '3', '4', '5', 'dk', 'na', '')", name="answer"
        ),
        sa.CheckConstraint("confidence IN ('low', 'medium', 'high')", name="confidence"),
    )  # fmt: skip
    sa.Table(
        "plans", md,
        col("response_id", sa.Integer(), response_fk(), primary_key=True),
        col("dimension_id", sa.String(100), primary_key=True),
        col("target", sa.Integer(), nullable=True),
        col("priority", sa.Boolean(), server_default=sa.false()), col("updated_at", at()),
        sa.CheckConstraint("target BETWEEN 1 AND 5", name="target"),
    )  # fmt: skip
    refuse_foreign_tables(conn, md.tables)
    md.create_all(conn, checkfirst=False)


def _workshop_tables(conn: Connection) -> None:
    """0002: workshops, participants and agreements; responses gain ``participant_id`` (job 2).

    Existing responses (self-assessments) keep working: the new column is
    NULL for them, and the unique (participant_id, round) index ignores NULLs.
    """
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime

    sa.Table("assessments", md, col("id", sa.Integer(), primary_key=True))  # already there
    workshops = sa.Table(
        "workshops", md, col("id", sa.Integer(), primary_key=True),
        col("assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), unique=True),
        col("title", sa.String(200)), col("join_code", sa.String(7), unique=True),
        col("key_salt", sa.String(32)), col("key_hash", sa.String(64)),
        col("dimensions", sa.Text()), col("form_id", sa.String(100), nullable=True),
        col("roles", sa.Text()), col("k", sa.Integer(), server_default="3"),
        col("current_round", sa.Integer(), server_default="1"),
        col("round_open", sa.Boolean(), server_default=sa.true()), col("created_at", at()),
        sa.CheckConstraint("k BETWEEN 2 AND 50", name="k"),
        sa.CheckConstraint("current_round >= 1", name="current_round"),
    )  # fmt: skip
    participants = sa.Table(
        "participants", md, col("id", sa.Integer(), primary_key=True),
        col("workshop_id", sa.Integer(), cascade("workshops.id")),
        col("token_hash", sa.String(64), unique=True), col("pseudonym", sa.String(16)),
        col("role", sa.String(100)), col("kind", sa.String(16), server_default="person"),
        col("created_at", at()),
        sa.CheckConstraint("kind IN ('person', 'group', 'paper')", name="kind"),
        sa.UniqueConstraint("workshop_id", "pseudonym"),
    )  # fmt: skip
    agreements = sa.Table(
        "agreements", md,
        col("workshop_id", sa.Integer(), cascade("workshops.id"), primary_key=True),
        col("round", sa.Integer(), primary_key=True),
        col("dimension_id", sa.String(100), primary_key=True),
        col("level", sa.Integer(), nullable=True), col("status", sa.String(16)),
        col("note", sa.Text(), nullable=True), col("dissent", sa.Text(), nullable=True),
        col("recorded_at", at()),
        sa.CheckConstraint('"round" >= 1', name="round"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        sa.CheckConstraint("status IN ('agreed', 'uncertain')", name="status"),
        sa.CheckConstraint("status <> 'agreed' OR level IS NOT NULL", name="agreed_level"),
    )  # fmt: skip
    created = [workshops, participants, agreements]
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
    # SQLite can add a column with a foreign key (its default being NULL), not a table
    # constraint; both databases accept the key written on the column, as here.
    conn.execute(
        sa.text(
            "ALTER TABLE responses ADD COLUMN participant_id INTEGER "
            "CONSTRAINT fk_responses_participant_id_participants "
            "REFERENCES participants (id) ON DELETE CASCADE"
        )
    )
    conn.execute(
        sa.text(
            "CREATE UNIQUE INDEX uq_responses_participant_id_round "
            'ON responses (participant_id, "round")'
        )
    )


def _compare_tables(conn: Connection) -> None:
    """0003: comparison groups; areas gain ``demo``; assessments may be 'imported' (job 3).

    Existing areas are not demo data (the column defaults to false). Widening
    the assessments' kind check is one ALTER on PostgreSQL; SQLite cannot
    alter a check, so there the table is rebuilt (`rebuild_sqlite`).
    """
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime

    sa.Table("areas", md, col("id", sa.Integer(), primary_key=True))  # already there
    sa.Table("banks", md, col("content_hash", sa.String(64), primary_key=True))  # already there
    groups = sa.Table(
        "area_groups", md, col("id", sa.Integer(), primary_key=True),
        col("name", sa.String(80), unique=True), col("created_at", at()),
    )  # fmt: skip
    members = sa.Table(
        "area_group_members", md,
        col("group_id", sa.Integer(), cascade("area_groups.id"), primary_key=True),
        col("area_id", sa.Integer(), cascade("areas.id"), primary_key=True, index=True),
    )  # fmt: skip
    assessments = sa.Table(
        "assessments", md, col("id", sa.Integer(), primary_key=True),
        col("area_id", sa.Integer(), sa.ForeignKey("areas.id"), index=True),
        col("kind", sa.String(16)), col("title", sa.String(200), nullable=True),
        col("form_id", sa.String(100)),
        col("bank_hash", sa.String(64), sa.ForeignKey("banks.content_hash")),
        col("held_on", sa.Date(), nullable=True), col("created_at", at()),
        sa.CheckConstraint("kind IN ('self', 'workshop', 'imported')", name="kind"),
    )  # fmt: skip
    created = [groups, members]
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
    demo = col("demo", sa.Boolean(), server_default=sa.false())
    sa.Table("areas_0003", sa.MetaData(), demo)  # a column compiles only inside a table
    ddl = sa.schema.CreateColumn(demo).compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE areas ADD COLUMN {ddl}"))
    if conn.dialect.name == "sqlite":
        rebuild_sqlite(conn, assessments)
    else:
        conn.execute(sa.text("ALTER TABLE assessments DROP CONSTRAINT ck_assessments_kind"))
        conn.execute(
            sa.text(
                "ALTER TABLE assessments ADD CONSTRAINT ck_assessments_kind "
                "CHECK (kind IN ('self', 'workshop', 'imported'))"
            )
        )


def _answer_notes_index(conn: Connection) -> None:
    """0007: an index of the answers that carry a confidence or evidence (issue 14, item 5).

    The room's view reads a round's notes with the answers; most answers carry none, so
    without it the read walked every answer of the round (13 ms of a 1,000-person room's
    first view, for nothing), and with it only those that do.
    """
    conn.execute(
        sa.text(
            "CREATE INDEX ix_answers_noted ON answers (response_id) "
            "WHERE confidence IS NOT NULL OR evidence IS NOT NULL"
        )
    )


def _answer_pairs_index(conn: Connection) -> None:
    """0011: each response's answers, with their values, in one index.

    The room's first view reads every sent response's answers joined into one text per
    person; from this index the database reads them without visiting the table's rows:
    22 ms instead of 37 ms for a 1,000-person room, all of it while Unlock checks the key.
    """
    conn.execute(
        sa.text("CREATE INDEX ix_answers_pairs ON answers (response_id, question_id, answer)")
    )


def _consensus_rule(conn: Connection) -> None:
    """0008: each workshop's consensus rule, and the rule each agreed level was recorded
    under (issue 15, item 4). Every workshop and agreement before it used Ladder's rule,
    the only one there was, so that is what they are given."""
    for table in ("workshops", "agreements"):
        conn.execute(
            sa.text(
                f"ALTER TABLE {table} ADD COLUMN consensus_rule VARCHAR(16) "
                "NOT NULL DEFAULT 'ladder'"
            )
        )


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_core_tables", _core_tables),
    Migration("0002_workshops", _workshop_tables),
    Migration("0003_compare", _compare_tables),
    Migration("0004_trust", trust_tables),
    Migration("0005_key_attempts", key_attempt_tables),
    Migration("0006_area_keys", area_keys),
    Migration("0007_answer_notes", _answer_notes_index),
    Migration("0008_consensus_rule", _consensus_rule),
    Migration("0009_room_screens", room_screen_tables),
    Migration("0010_actions", action_tables),
    Migration("0011_answer_pairs", _answer_pairs_index),
)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply every migration the database has not recorded; return their names, in order.

    Safe to call on every start-up and from several processes at once.

    Raises:
        StorageError: the database cannot be reached, or it records migrations
            this code does not know (a newer Ladder has written to it).
    """
    applied: list[str] = []
    while (name := _retry_while_busy(lambda: _apply_next(engine, migrations))) is not None:
        applied.append(name)
    return applied


def applied_migrations(engine: Engine) -> list[str]:
    """Names recorded in the database, oldest first (empty for a new database)."""
    with reading(engine) as conn:
        if not sa.inspect(conn).has_table(migrations_ledger.name):
            return []
        query = sa.select(migrations_ledger.c.name).order_by(
            migrations_ledger.c.applied_at, migrations_ledger.c.name
        )
        return list(conn.scalars(query))


def _apply_next(engine: Engine, migrations: Sequence[Migration]) -> str | None:
    """Under the lock: apply and record the first unrecorded migration, if any."""
    with writing(engine, sqlite_keys_off=True) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        migrations_ledger.create(conn, checkfirst=True)
        done = set(conn.scalars(sa.select(migrations_ledger.c.name)))
        unknown = sorted(done - {m.name for m in migrations})
        if unknown:
            raise StorageError(
                f"the database at {shown(engine.url)} was updated by a newer version of Ladder "
                f"(it records migration(s) {', '.join(unknown)}, which this version does not "
                "know); please upgrade Ladder, or set DATABASE_URL to another database"
            )
        step = next((m for m in migrations if m.name not in done), None)
        if step is None:
            return None
        step.apply(conn)
        conn.execute(sa.insert(migrations_ledger).values(name=step.name, applied_at=now()))
        return step.name


def _retry_while_busy(attempt: Callable[[], str | None]) -> str | None:
    """Run ``attempt``; if SQLite stayed locked past its busy timeout, wait and try again."""
    pause = _BUSY_PAUSE
    for remaining in range(_BUSY_ATTEMPTS - 1, -1, -1):
        try:
            return attempt()
        except StorageError as exc:
            if remaining == 0 or not is_busy(exc.__cause__):
                raise
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover
