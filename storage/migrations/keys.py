"""0005: wrong facilitator keys are counted per workshop (issue 13, item 3).

``key_attempts`` holds, per workshop, the wrong keys typed in a row
(``failures``) and until when its key entry is locked (``locked_until``), so
the lock holds across every server process and replica; and, for the
facilitator's notice, the wrong keys since they last saw it (``unseen``, those
refused while locked included) and the latest lock in that time
(``unseen_lock``). A workshop without a row has had no wrong key; its row goes
with it when it is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.schema import NAMING, UTCDateTime
from storage.migrations.kit import cascade, col, refuse_foreign_tables

__all__ = ["key_attempt_tables"]


def key_attempt_tables(conn: Connection) -> None:
    md = sa.MetaData(naming_convention=NAMING)
    at = UTCDateTime
    sa.Table("workshops", md, col("id", sa.Integer(), primary_key=True))  # already there
    created = [
        sa.Table(
            "key_attempts", md,
            col("workshop_id", sa.Integer(), cascade("workshops.id"), primary_key=True),
            col("failures", sa.Integer(), server_default="0"),
            col("locked_until", at(), nullable=True),
            col("unseen", sa.Integer(), server_default="0"),
            col("unseen_lock", at(), nullable=True),
        ),
    ]  # fmt: skip
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
