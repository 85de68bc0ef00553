"""A real Ladder server and a real Chromium for the browser tests.

The server runs the command ``make run`` uses (``tests.support.server``) on a free port;
the browser is Debian's ``/usr/bin/chromium`` driven by Playwright's own sync API
(no pytest-playwright, and never ``playwright install``). Without Chromium these tests
skip, or fail under ``LADDER_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.nginx import require_nginx
from tests.support.server import free_port, make_run_command, server_env, serving

TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Ladder server shared by the session (file watcher off)."""
    tmp = tmp_path_factory.mktemp("server")
    port = free_port()
    command = [*make_run_command(port), "--server.fileWatcherType", "none"]
    with serving(command, port, server_env(tmp), tmp / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def nginx(chromium: Path) -> Path:
    """Debian's nginx (/usr/sbin/nginx): skips locally when absent, fails under
    LADDER_REQUIRE_BROWSER=1 (the replica test runs Ladder behind it)."""
    return require_nginx()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies, no storage) and page for each test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()
