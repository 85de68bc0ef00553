"""Two Ladder servers on one PostgreSQL database serve one workshop (issue 7, item 1).

The facilitator's dashboard is on replica A; three participants join and answer on
replica B, each on their own device; A's dashboard counts them without a reload.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_workshop import open_workshop, take_part
from tests.support.postgres import free_port
from tests.support.server import make_run_command, server_env, serving

pytestmark = pytest.mark.e2e


def test_two_replicas_on_one_postgres_serve_one_workshop(
    chromium: Path, fresh_postgres_url: str, page: Page, browser: Browser, tmp_path: Path
):
    env = server_env(tmp_path) | {"DATABASE_URL": fresh_postgres_url}
    port_a, port_b = free_port(), free_port()
    command_a = [*make_run_command(port_a), "--server.fileWatcherType", "none"]
    command_b = [*make_run_command(port_b), "--server.fileWatcherType", "none"]
    with (
        serving(command_a, port_a, env, tmp_path / "a.log") as replica_a,
        serving(command_b, port_b, env, tmp_path / "b.log") as replica_b,
    ):
        assert replica_a != replica_b
        code, _key, _link = open_workshop(page, replica_a)
        page.get_by_role("link", name="Go to the dashboard").click()
        expect(page.get_by_role("heading", name="Leadership team, March")).to_be_visible()
        expect(page.get_by_text("0 people have answered so far")).to_be_visible()
        for role, level in (("councillor", "2"), ("senior_officer", "4"), ("resident", "5")):
            take_part(browser, replica_b, code, role, level)
        # Replica A learns of B's answers only through the shared database, without a reload.
        expect(page.get_by_text("3 people have answered so far")).to_be_visible(timeout=20_000)
