"""0010: action plans, and which self-assessment follows which (issue 17, item 2).

``actions`` holds what an area agreed to do after a result: the assessment it was agreed
from (its rows go with it), the dimension and next step it serves, what, who (a role or
team), by when, its status and notes. ``action_updates`` keeps each change of status, with
the assessment that asked for it (kept as None if that assessment is later deleted), so an
area's timeline can show when an action moved. ``follow_ups`` says that one self-assessment
is the next of another: it opens with the actions agreed last time.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.schema import NAMING, UTCDateTime
from storage.migrations.kit import cascade, col, refuse_foreign_tables

__all__ = ["action_tables"]

_STATUSES = "status IN ('planned', 'under_way', 'done', 'dropped')"


def action_tables(conn: Connection) -> None:
    md = sa.MetaData(naming_convention=NAMING)
    sa.Table("assessments", md, col("id", sa.Integer(), primary_key=True))  # already there
    created = [
        sa.Table(
            "actions", md,
            col("id", sa.Integer(), primary_key=True),
            col("assessment_id", sa.Integer(), cascade("assessments.id"), index=True),
            col("dimension_id", sa.String(100)),
            col("next_step", sa.Text(), nullable=True),
            col("what", sa.String(300)),
            col("owner", sa.String(120)),
            col("due", sa.Date(), nullable=True),
            col("status", sa.String(16)),
            col("notes", sa.Text(), nullable=True),
            col("created_at", UTCDateTime()),
            col("updated_at", UTCDateTime()),
            sa.CheckConstraint(_STATUSES, name="status"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "action_updates", md,
            col("id", sa.Integer(), primary_key=True),
            col("action_id", sa.Integer(), cascade("actions.id"), index=True),
            col("status", sa.String(16)),
            col("note", sa.Text(), nullable=True),
            col("asked_in", sa.Integer(), sa.ForeignKey("assessments.id", ondelete="SET NULL"),
                nullable=True),
            col("at", UTCDateTime()),
            sa.CheckConstraint(_STATUSES, name="status"),
            sqlite_autoincrement=True,
        ),
        sa.Table(
            "follow_ups", md,
            col("assessment_id", sa.Integer(), cascade("assessments.id"), primary_key=True),
            col("follows_id", sa.Integer(), cascade("assessments.id"), index=True),
        ),
    ]  # fmt: skip
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
