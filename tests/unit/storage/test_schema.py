"""The schema: aware UTC times on both databases, and constraints that hold without storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.engine import writing
from storage.model import Assessment
from storage.schema import (
    AREA_KINDS,
    UTCDateTime,
    answers,
    areas,
    metadata,
    now,
    responses,
)


def test_now_is_aware_utc() -> None:
    assert now().tzinfo is UTC


def test_utc_datetimes_round_trip(engine: Engine) -> None:
    table = sa.Table("times", sa.MetaData(), sa.Column("at", UTCDateTime()))
    table.create(engine)
    ahead = timezone(timedelta(hours=5, minutes=30))
    moments = [
        datetime(2025, 3, 30, 0, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 3, 30, 7, 0, tzinfo=ahead),  # = 01:30 UTC
    ]
    with writing(engine) as conn:
        conn.execute(sa.insert(table), [{"at": m} for m in moments] + [{"at": None}])
    with engine.connect() as conn:
        stored = list(conn.scalars(sa.select(table.c.at).where(table.c.at.is_not(None))))
        assert conn.scalar(sa.select(sa.func.count()).where(table.c.at.is_(None))) == 1
    assert sorted(stored) == moments
    assert all(b.tzinfo == UTC for b in stored)
    assert stored[1] == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"), writing(engine) as conn:
        conn.execute(
            sa.insert(areas).values(name="x", kind="council", created_at=datetime(2025, 1, 1))
        )


def test_check_constraints_hold_in_the_database(engine: Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(areas).values(name="x", kind="county", created_at=now()))


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    row = {"response_id": 999, "question_id": "p1a", "answer": "3", "updated_at": now()}
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(answers).values(row))


def test_shape_for_workshops() -> None:
    """Job 2 adds tables and columns; these are the hooks it relies on."""
    assert {"kind", "area_id", "bank_hash"} <= set(metadata.tables["assessments"].c.keys())
    assert {"assessment_id", "round", "status"} <= set(responses.c.keys())
    assert "token" not in " ".join(responses.c.keys()).replace("token_hash", "")
    assert AREA_KINDS == ("council", "ward", "partnership", "service", "other")
    assert list(Assessment.__dataclass_fields__) == [
        c.name for c in metadata.tables["assessments"].columns
    ]
