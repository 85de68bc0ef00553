"""Fixtures shared by every test tier.

- ``require_browser()`` / ``require_postgres()`` (from ``tests.support.machine``): skip when
  the machine lacks Chromium or PostgreSQL, fail instead under ``LADDER_REQUIRE_BROWSER=1`` /
  ``LADDER_REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets).
- ``postgres_url``: a throwaway PostgreSQL cluster for the whole session, as a SQLAlchemy URL
  (``postgresql+psycopg://...``). ``fresh_postgres_url`` gives each test its own empty database.
- Every plotly figure a test builds is validated by plotly (``scoring.plots.VALIDATE``): pages
  skip it for speed, so a misspelt property would otherwise pass unseen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

import scoring.plots
from reports.pdf import QUIET_FLAGS
from tests.support.machine import require_browser, require_postgres
from tests.support.postgres import Cluster, start_cluster, stop_cluster

__all__ = ["require_browser", "require_postgres"]

# Set at import, so it holds for every figure the session builds, fixtures and all.
scoring.plots.VALIDATE = True


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skips locally when absent, fails under LADDER_REQUIRE_BROWSER=1."""
    return require_browser()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole session (Playwright's sync API allows one per thread)."""
    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=list(QUIET_FLAGS)
        )
        yield launched
        launched.close()


_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A private PostgreSQL server on 127.0.0.1, stopped and deleted after the session."""
    bin_dir = require_postgres()
    try:
        cluster = start_cluster(bin_dir)
    except RuntimeError as exc:
        pytest.fail(f"could not start a throwaway PostgreSQL cluster: {exc}", pytrace=False)
    yield cluster
    stop_cluster(cluster)


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: Cluster) -> str:
    """``postgresql+psycopg://ladder:ladder@127.0.0.1:PORT/ladder_test`` (shared by the session)."""
    return postgres_cluster.url


@pytest.fixture
def fresh_postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """A new, empty database owned by the test role, dropped after the test."""
    name = f"ladder_t{next(_database_numbers)}"
    with postgres_cluster.admin_connect() as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER ladder")
    yield postgres_cluster.url.rsplit("/", 1)[0] + f"/{name}"
    with postgres_cluster.admin_connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
