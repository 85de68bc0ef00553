"""Smoke test in a real browser: the server starts, and the home page shows the loaded bank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from questions import load_instrument
from tests.support.server import free_port, health, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e


def expect_home(page: Page, base: str) -> None:
    bank = load_instrument().bank
    assert bank is not None
    page.goto(base)
    expect(page.get_by_role("heading", name="Ladder", exact=True)).to_be_visible(timeout=20_000)
    page.get_by_text("The question bank in use").click()  # the bank's details are folded away
    expect(page.get_by_text(bank.title, exact=True)).to_be_visible(timeout=20_000)
    expect(page).to_have_title(re.compile("Ladder"))


def test_home_page_in_a_browser(server: str, page: Page, tmp_path: Path) -> None:
    assert health(server) == "ok"
    expect_home(page, server)
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    shot = tmp_path / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


@pytest.mark.usefixtures("chromium")
def test_make_run_command_serves_ladder(page: Page, tmp_path: Path) -> None:
    """The command line of `make run`, unchanged, serves the home page."""
    port = free_port()
    command = make_run_command(port)
    assert "--server.address" in command
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    with serving(command, port, server_env(tmp_path), tmp_path / "server.log") as base:
        assert health(base) == "ok"
        expect_home(page, base)
