"""The tables as the code reads and writes them today (SQLAlchemy Core).

Why: one description of every column that queries use, on SQLite and
PostgreSQL alike. The database itself is built by `storage.migrations`, whose
steps are frozen history; a test checks that migrating an empty database ends
with exactly these tables and columns, so the two cannot drift apart.

Shape for the jobs to come: an assessment has a ``kind`` ('self' or
'workshop'); a response belongs to one assessment and carries a ``round``.
Workshops (sessions, rounds, agreed levels, facilitator keys) arrive as new
tables and columns in later migrations, without changing these.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = [
    "ANSWER_VALUES",
    "AREA_KINDS",
    "ASSESSMENT_KINDS",
    "CONFIDENCES",
    "HASH_LENGTH",
    "ID_LENGTH",
    "NAMING",
    "RESPONSE_STATUSES",
    "UTCDateTime",
    "answers",
    "areas",
    "assessments",
    "banks",
    "metadata",
    "migrations_ledger",
    "now",
    "plans",
    "responses",
]

AREA_KINDS: Final = ("council", "ward", "partnership", "service", "other")
ASSESSMENT_KINDS: Final = ("self", "workshop")
RESPONSE_STATUSES: Final = ("draft", "submitted")
ANSWER_VALUES: Final = ("1", "2", "3", "4", "5", "dk", "na", "")
CONFIDENCES: Final = ("low", "medium", "high")

#: Constraint names that later migrations can refer to (and SQLite batch mode needs).
NAMING: Final = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH: Final = 100  # question, dimension, form and role ids
HASH_LENGTH: Final = 64  # sha256, hex


def now() -> datetime:
    """The current time, timezone-aware UTC (the only kind of time storage keeps)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An aware UTC datetime on the way in and out, whatever the database.

    Why: PostgreSQL has ``timestamptz``; SQLite has only text. Storing UTC
    (as ``timestamptz``, or as naive ISO text on SQLite) and re-attaching UTC
    on the way out gives the same value back on both, and text that sorts.
    A naive datetime is refused: it is a bug that would silently shift times.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"storage keeps timezone-aware datetimes only, not {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text for ``column IN (...)`` (values are our own constants, never input)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


metadata = sa.MetaData(naming_convention=NAMING)

migrations_ledger = sa.Table(
    "ladder_migrations",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

banks = sa.Table(
    "banks",
    metadata,
    sa.Column("content_hash", sa.String(HASH_LENGTH), primary_key=True),
    sa.Column("bank_id", sa.Text(), nullable=False),
    sa.Column("version", sa.Text(), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("source", sa.Text(), nullable=False),
    sa.Column("stored_at", UTCDateTime(), nullable=False),
)

areas = sa.Table(
    "areas",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("ons_code", sa.String(9), nullable=True),
    sa.Column("parent_id", sa.Integer(), sa.ForeignKey("areas.id"), nullable=True, index=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("kind", AREA_KINDS), name="kind"),
)

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("area_id", sa.Integer(), sa.ForeignKey("areas.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("title", sa.String(200), nullable=True),
    sa.Column("form_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column(
        "bank_hash", sa.String(HASH_LENGTH), sa.ForeignKey("banks.content_hash"), nullable=False
    ),
    sa.Column("held_on", sa.Date(), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("kind", ASSESSMENT_KINDS), name="kind"),
)

responses = sa.Table(
    "responses",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), nullable=False, index=True
    ),
    sa.Column("token_hash", sa.String(HASH_LENGTH), nullable=False, unique=True),
    sa.Column("role", sa.String(ID_LENGTH), nullable=False),
    sa.Column("round", sa.Integer(), nullable=False, server_default="1"),
    sa.Column("step", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("status", sa.String(16), nullable=False, server_default="draft"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("submitted_at", UTCDateTime(), nullable=True),
    sa.CheckConstraint('"round" >= 1', name="round"),
    sa.CheckConstraint("step >= 0", name="step"),
    sa.CheckConstraint(_one_of("status", RESPONSE_STATUSES), name="status"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "response_id",
        sa.Integer(),
        sa.ForeignKey("responses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("question_id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("answer", sa.String(2), nullable=False),
    sa.Column("confidence", sa.String(8), nullable=True),
    sa.Column("evidence", sa.Text(), nullable=True),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("answer", ANSWER_VALUES), name="answer"),
    sa.CheckConstraint(_one_of("confidence", CONFIDENCES), name="confidence"),
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column(
        "response_id",
        sa.Integer(),
        sa.ForeignKey("responses.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("dimension_id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("target", sa.Integer(), nullable=True),
    sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint("target BETWEEN 1 AND 5", name="target"),
)
