"""0009: what each workshop's room view shows (issue 15, item 1).

``room_screens`` holds, per workshop, the screen the facilitator has put on the room view
(``screen``), the last round whose results the room may see (``revealed_round``; None: none
yet) and the hash of the room link's token (``token_hash``; None: no link made yet). A
workshop without a row shows the joining screen and no results; its row goes with it when
it is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.schema import NAMING, UTCDateTime
from storage.migrations.kit import cascade, col, refuse_foreign_tables

__all__ = ["room_screen_tables"]


def room_screen_tables(conn: Connection) -> None:
    md = sa.MetaData(naming_convention=NAMING)
    sa.Table("workshops", md, col("id", sa.Integer(), primary_key=True))  # already there
    created = [
        sa.Table(
            "room_screens", md,
            col("workshop_id", sa.Integer(), cascade("workshops.id"), primary_key=True),
            col("screen", sa.String(16), server_default="join"),
            col("revealed_round", sa.Integer(), nullable=True),
            col("token_hash", sa.String(64), nullable=True, unique=True),
            col("changed_at", UTCDateTime()),
        ),
    ]  # fmt: skip
    refuse_foreign_tables(conn, {t.name: t for t in created})
    md.create_all(conn, tables=created, checkfirst=False)
