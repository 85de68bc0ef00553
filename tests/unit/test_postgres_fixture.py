"""The throwaway PostgreSQL fixture works, before any storage code depends on it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres


def test_session_cluster_answers_select_1(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("select 1")).scalar_one() == 1
            assert conn.execute(sa.text("select current_user")).scalar_one() == "ladder"
    finally:
        engine.dispose()


def test_fresh_database_is_empty_and_writable(fresh_postgres_url: str) -> None:
    engine = sa.create_engine(fresh_postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("create table t (x int)"))
            conn.execute(sa.text("insert into t values (1), (2)"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("select sum(x) from t")).scalar_one() == 3
    finally:
        engine.dispose()
