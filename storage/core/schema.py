"""The tables as the code reads and writes them today (SQLAlchemy Core).

Why: one description of every column that queries use, on SQLite and
PostgreSQL alike. The database itself is built by `storage.migrations.steps`, whose
steps are frozen history; a test checks that migrating an empty database ends
with exactly these tables and columns, so the two cannot drift apart.

An assessment has a ``kind`` ('self', 'workshop' or, from migration 0003,
'imported': made from an answers CSV); a response belongs to
one assessment and carries a ``round``. A workshop (migration 0002) is an
assessment of kind 'workshop' plus its room: a join code, a salted hash of the
facilitator key, the dimensions and roles asked, its rounds, its participants
(pseudonyms, never names) and the levels the room agreed. A workshop
response belongs to a participant, one per round. Deleting a workshop cascades
to its participants, their responses (answers, plans) and its agreements;
its assessment can be deleted after it.

Comparing areas (migration 0003): an area may be ``demo`` data (fictional,
removable in one go), and named comparison groups (``area_groups``) list
their areas in ``area_group_members``; deleting a group or an area removes
its memberships.

Wrong facilitator keys (migration 0005) are counted per workshop in
``key_attempts``, with the lock on its key entry (`storage.core.access`).

An area (migration 0006) carries ``area_key``, its name ignoring case, its kind and
its ONS code: two real areas with the same key would be the same area, and the
database refuses the second (`storage.core.repo.find_or_create_area`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from common.consensus import DEFAULT_RULE

__all__ = [
    "ACTION_STATUSES",
    "AGREEMENT_STATUSES",
    "ANSWER_VALUES",
    "AREA_KINDS",
    "ASSESSMENT_KINDS",
    "CODE_LENGTH",
    "CONFIDENCES",
    "EMAIL_LENGTH",
    "GROUP_NAME_LENGTH",
    "HASH_LENGTH",
    "ID_LENGTH",
    "K_RANGE",
    "NAMING",
    "PARTICIPANT_KINDS",
    "RESPONSE_STATUSES",
    "SALT_LENGTH",
    "SEAT_LENGTH",
    "UTCDateTime",
    "action_updates",
    "actions",
    "admin_setup",
    "admins",
    "agreements",
    "answers",
    "area_group_members",
    "area_groups",
    "areas",
    "assessments",
    "banks",
    "follow_ups",
    "key_attempts",
    "metadata",
    "migrations_ledger",
    "now",
    "participants",
    "plans",
    "publications",
    "responses",
    "room_screens",
    "room_views",
    "seats",
    "workshops",
]

AREA_KINDS: Final = ("council", "ward", "partnership", "service", "other")
ASSESSMENT_KINDS: Final = ("self", "workshop", "imported")
RESPONSE_STATUSES: Final = ("draft", "submitted")
ANSWER_VALUES: Final = ("1", "2", "3", "4", "5", "dk", "na", "")
CONFIDENCES: Final = ("low", "medium", "high")
PARTICIPANT_KINDS: Final = ("person", "group", "paper")
AGREEMENT_STATUSES: Final = ("agreed", "uncertain")
ACTION_STATUSES: Final = ("planned", "under_way", "done", "dropped")
K_RANGE: Final = (2, 50)  # the anonymity threshold a workshop may set, inclusive

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
CODE_LENGTH: Final = 7  # a join code, stored without its dash
SALT_LENGTH: Final = 32  # 16 random bytes, hex
GROUP_NAME_LENGTH: Final = 80  # a comparison group's name
EMAIL_LENGTH: Final = 254  # an administrator's e-mail address or user name
SEAT_LENGTH: Final = 8  # a seat code, stored without its dash


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
    # 0003: fictional areas loaded to show the compare page; `storage.results.demo` removes them.
    sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()),
    # 0006: the one rule for "the same area" (`storage.core.repo.area_key`): no two real areas,
    # and no two demo areas, share a key.
    sa.Column("area_key", sa.Text(), nullable=False),
    sa.CheckConstraint(_one_of("kind", AREA_KINDS), name="kind"),
    sa.UniqueConstraint("area_key", "demo"),
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
    sqlite_autoincrement=True,  # 0004: an id is never given twice
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
    # 0002: a workshop participant's response (NULL for a self-assessment), one per round.
    sa.Column(
        "participant_id",
        sa.Integer(),
        sa.ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=True,
    ),
    sa.CheckConstraint('"round" >= 1', name="round"),
    sa.CheckConstraint("step >= 0", name="step"),
    sa.CheckConstraint(_one_of("status", RESPONSE_STATUSES), name="status"),
    sa.Index("uq_responses_participant_id_round", "participant_id", "round", unique=True),
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

#: The answers that carry a note (migration 0007): the room's view reads only those.
_noted = sa.or_(answers.c.confidence.is_not(None), answers.c.evidence.is_not(None))
sa.Index("ix_answers_noted", answers.c.response_id, sqlite_where=_noted, postgresql_where=_noted)
#: Each response's answers with their values (migration 0011): the room's view reads them
#: from the index alone.
sa.Index("ix_answers_pairs", answers.c.response_id, answers.c.question_id, answers.c.answer)

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

workshops = sa.Table(
    "workshops",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "assessment_id", sa.Integer(), sa.ForeignKey("assessments.id"), nullable=False, unique=True
    ),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("join_code", sa.String(CODE_LENGTH), nullable=False, unique=True),
    sa.Column("key_salt", sa.String(SALT_LENGTH), nullable=False),
    sa.Column("key_hash", sa.String(HASH_LENGTH), nullable=False),
    sa.Column("dimensions", sa.Text(), nullable=False),  # JSON list of dimension ids, in order
    sa.Column("form_id", sa.String(ID_LENGTH), nullable=True),  # when exactly one form is asked
    sa.Column("roles", sa.Text(), nullable=False),  # JSON list of role ids offered, in order
    sa.Column("k", sa.Integer(), nullable=False, server_default="3"),
    sa.Column("current_round", sa.Integer(), nullable=False, server_default="1"),
    sa.Column("round_open", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    # 0004: every unlock is bound to this (with the id and the join code); never shown.
    sa.Column("grant_secret", sa.String(SALT_LENGTH), nullable=False, server_default=""),
    sa.Column("expected", sa.Integer(), nullable=True),  # people the facilitator expects
    sa.Column("joining_locked", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("seat_codes", sa.Boolean(), nullable=False, server_default=sa.false()),
    # When a question counts as agreed (common.consensus); 0008.
    sa.Column("consensus_rule", sa.String(16), nullable=False, server_default=DEFAULT_RULE),
    sa.CheckConstraint(f"k BETWEEN {K_RANGE[0]} AND {K_RANGE[1]}", name="k"),
    sa.CheckConstraint("current_round >= 1", name="current_round"),
    sqlite_autoincrement=True,  # 0004: an id is never given twice
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("token_hash", sa.String(HASH_LENGTH), nullable=False, unique=True),
    sa.Column("pseudonym", sa.String(16), nullable=False),
    sa.Column("role", sa.String(ID_LENGTH), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, server_default="person"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("kind", PARTICIPANT_KINDS), name="kind"),
    sa.UniqueConstraint("workshop_id", "pseudonym"),
)

agreements = sa.Table(
    "agreements",
    metadata,
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("round", sa.Integer(), primary_key=True),
    sa.Column("dimension_id", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("level", sa.Integer(), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("dissent", sa.Text(), nullable=True),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
    # The workshop's consensus rule when the level was recorded (0008).
    sa.Column("consensus_rule", sa.String(16), nullable=False, server_default=DEFAULT_RULE),
    sa.CheckConstraint('"round" >= 1', name="round"),
    sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    sa.CheckConstraint(_one_of("status", AGREEMENT_STATUSES), name="status"),
    sa.CheckConstraint("status <> 'agreed' OR level IS NOT NULL", name="agreed_level"),
)

area_groups = sa.Table(
    "area_groups",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.String(GROUP_NAME_LENGTH), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

area_group_members = sa.Table(
    "area_group_members",
    metadata,
    sa.Column(
        "group_id",
        sa.Integer(),
        sa.ForeignKey("area_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "area_id",
        sa.Integer(),
        sa.ForeignKey("areas.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# --- 0004: who may see and change what (storage.migrations.trust) ----------------

admins = sa.Table(
    "admins",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("email", sa.String(EMAIL_LENGTH), nullable=False, unique=True),
    sa.Column("passphrase_hash", sa.Text(), nullable=False),  # argon2id, PHC string
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("locked_until", UTCDateTime(), nullable=True),
    sqlite_autoincrement=True,
)

admin_setup = sa.Table(
    "admin_setup",
    metadata,
    sa.Column("token_hash", sa.String(HASH_LENGTH), primary_key=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
)

seats = sa.Table(
    "seats",
    metadata,
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("code", sa.String(SEAT_LENGTH), primary_key=True),
    sa.Column(
        "participant_id",
        sa.Integer(),
        sa.ForeignKey("participants.id", ondelete="SET NULL"),
        nullable=True,
    ),
)

publications = sa.Table(
    "publications",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "assessment_id",
        sa.Integer(),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("round", sa.Integer(), nullable=False),
    sa.Column("people", sa.Integer(), nullable=False),
    sa.Column("published_at", UTCDateTime(), nullable=False),
    sa.UniqueConstraint("assessment_id", "round"),
    sa.CheckConstraint('"round" >= 1', name="round"),
    sqlite_autoincrement=True,
)

room_views = sa.Table(
    "room_views",
    metadata,
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("round", sa.Integer(), primary_key=True),
    sa.Column("scope", sa.String(ID_LENGTH), primary_key=True),
    sa.Column("people", sa.Integer(), nullable=False),
    sa.Column("taken_at", UTCDateTime(), nullable=False),
    sa.Column("rows", sa.Text(), nullable=False),  # JSON: the answers this scope last showed
)

# --- 0005: wrong facilitator keys, per workshop (storage.migrations.keys) -----------

#: 0009: what the room view shows (issue 15). One row per workshop, made when the facilitator
#: first drives the room view or makes its link. ``revealed_round``: the room view may show
#: the results of rounds up to this one (None: none yet). ``token_hash``: the room link's
#: token (SHA-256; None: no link made), so the room view can run on a second machine.
room_screens = sa.Table(
    "room_screens",
    metadata,
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("screen", sa.String(16), nullable=False, server_default="join"),
    sa.Column("revealed_round", sa.Integer(), nullable=True),
    sa.Column("token_hash", sa.String(HASH_LENGTH), nullable=True, unique=True),
    sa.Column("changed_at", UTCDateTime(), nullable=False),
)

key_attempts = sa.Table(
    "key_attempts",
    metadata,
    sa.Column(
        "workshop_id",
        sa.Integer(),
        sa.ForeignKey("workshops.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),  # in a row
    sa.Column("locked_until", UTCDateTime(), nullable=True),  # key entry locked until then
    sa.Column("unseen", sa.Integer(), nullable=False, server_default="0"),  # for the notice
    sa.Column("unseen_lock", UTCDateTime(), nullable=True),  # the latest lock since then
)

# 0010: action plans, their changes of status, and which self-assessment follows which.
actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "assessment_id",
        sa.Integer(),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("dimension_id", sa.String(ID_LENGTH), nullable=False),
    sa.Column("next_step", sa.Text(), nullable=True),
    sa.Column("what", sa.String(300), nullable=False),
    sa.Column("owner", sa.String(120), nullable=False),
    sa.Column("due", sa.Date(), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("notes", sa.Text(), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
    sqlite_autoincrement=True,
)

action_updates = sa.Table(
    "action_updates",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "action_id",
        sa.Integer(),
        sa.ForeignKey("actions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column(
        "asked_in",
        sa.Integer(),
        sa.ForeignKey("assessments.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.CheckConstraint(_one_of("status", ACTION_STATUSES), name="status"),
    sqlite_autoincrement=True,
)

follow_ups = sa.Table(
    "follow_ups",
    metadata,
    sa.Column(
        "assessment_id",
        sa.Integer(),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "follows_id",
        sa.Integer(),
        sa.ForeignKey("assessments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)
