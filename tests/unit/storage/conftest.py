"""Fixtures for the storage tests: every repository test runs on SQLite *and* PostgreSQL.

Why: the two databases differ in exactly the places storage has to care about
(types, locking, upserts, text they refuse), so a test that passes on one
proves little about the other. The PostgreSQL half uses ``fresh_postgres_url``
(tests/conftest.py): skipped locally without PostgreSQL, a failure under
``LADDER_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core.engine import make_engine
from storage.core.model import Area, Assessment, Workshop
from storage.core.repo import create_area, create_assessment, save_bank
from storage.migrations.steps import migrate
from storage.workshop.rooms import open_workshop
from tests.unit.storage.factories import BANK_SOURCE, ROLES, small_bank, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a temporary SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return str(request.getfixturevalue("fresh_postgres_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database."""
    made = make_engine(db_url)
    migrate(made)
    yield made
    made.dispose()


@pytest.fixture
def bank() -> Bank:
    return small_bank()


@pytest.fixture
def area(engine: Engine) -> Area:
    return create_area(engine, "Testshire County Council", "council", "E10000099")


@pytest.fixture
def assessment(engine: Engine, bank: Bank, area: Area) -> Assessment:
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    return create_assessment(engine, area.id, "full", bank_hash)


@pytest.fixture
def opened(engine: Engine, bank: Bank, area: Area) -> tuple[Workshop, str]:
    """A workshop asking P1 and P2 of the small bank, and its facilitator key."""
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    return open_workshop(engine, area.id, bank_hash, "Leadership team, March", ["P1", "P2"], ROLES)


@pytest.fixture
def workshop(opened: tuple[Workshop, str]) -> Workshop:
    return opened[0]
