"""An administrator signs in, in Chromium: with a local account made from the set-up link the
server prints, and through an OpenID Connect provider (a small one on 127.0.0.1) with the
allow-list deciding who is an administrator.

Each test starts its own server (`make run`'s command) on its own database, so "no
administrator yet" is true when it starts.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import TIMEOUT_MS
from tests.support.oidc import serve_provider
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e

PASS = "a long and memorable passphrase"
SIGNED_IN = "You are signed in as an administrator"
LINK = re.compile(
    r"Ladder: no administrator yet\. Open (http://localhost:(\d+)/admin\?setup=([A-Za-z0-9_-]+)) "
    r"within 24 hours to create the first one \(or run: \.venv/bin/python -m storage admin add "
    r"you@council\.gov\.uk\)\."
)


def command(port: int, *more: str) -> list[str]:
    return [*make_run_command(port), "--server.fileWatcherType", "none", *more]


def local_sign_in(page: Page, name: str, passphrase: str) -> None:
    page.get_by_label("E-mail address or user name").fill(name)
    page.get_by_label("Passphrase", exact=True).fill(passphrase)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_local_administrator_from_the_set_up_link(page: Page, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with serving(command(port), port, server_env(tmp_path), log) as base:
        found = LINK.search(log.read_text(errors="replace"))
        assert found, log.read_text(errors="replace")
        assert int(found[2]) == port  # the link names the port the server listens on
        token = found[3]

        page.goto(f"{base}/admin?setup={token}")
        expect(page.get_by_text("Create the first administrator")).to_be_visible()
        page.get_by_label("E-mail address or user name").fill("IT.Lead@Council.example")
        page.get_by_label("Passphrase (at least 12 characters)").fill(PASS)
        page.get_by_label("The same passphrase again").fill(PASS)
        page.get_by_role("button", name="Create administrator").click()
        expect(page.get_by_text(SIGNED_IN)).to_be_visible()
        expect(page.get_by_text("Signed in as: it.lead@council.example")).to_be_visible()
        expect(page).not_to_have_url(re.compile("setup="))

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
        expect(page.get_by_text(SIGNED_IN)).to_have_count(0)

        local_sign_in(page, "it.lead@council.example", PASS + "!")
        expect(page.get_by_text("do not match an administrator")).to_be_visible()
        local_sign_in(page, "it.lead@council.example", PASS)
        expect(page.get_by_text(SIGNED_IN)).to_be_visible()
        expect(page.get_by_text("Signed in as: it.lead@council.example")).to_be_visible()

        page.goto(f"{base}/admin?setup={token}")  # the link worked once
        expect(page.get_by_text("This set-up link cannot be used")).to_be_visible()
        expect(page.get_by_role("button", name="Create administrator")).to_have_count(0)
        expect(page.get_by_text(SIGNED_IN)).to_have_count(0)  # a new page load, a new session


def write_secrets(path: Path, port: int, metadata_url: str, client_secret: str) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "ladder-test"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{metadata_url}"\n'
        "\n[ladder]\n"
        'admin_emails = ["chief@council.example"]\n',
        encoding="utf-8",
    )
    return path


def oidc_sign_in(page: Page, base: str) -> None:
    """Press the organisation's sign-in; the provider approves and Streamlit brings us home."""
    page.goto(f"{base}/admin")
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/?$"), timeout=TIMEOUT_MS)
    page.goto(f"{base}/admin")


def test_an_administrator_through_openid_connect(browser: Browser, tmp_path: Path) -> None:
    client_secret = secrets.token_urlsafe(16)
    with serve_provider("ladder-test", client_secret) as provider:
        port = free_port()
        path = write_secrets(tmp_path / "secrets.toml", port, provider.metadata_url, client_secret)
        env = server_env(tmp_path) | {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1"}
        log = tmp_path / "server.log"
        with serving(command(port, "--secrets.files", str(path)), port, env, log) as base:
            # On the allow-list.
            provider.user = {
                "sub": "u-1",
                "email": "Chief@Council.example",
                "email_verified": True,
                "name": "Chief Executive",
            }
            context = browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            oidc_sign_in(page, base)
            expect(
                page.get_by_text(f"{SIGNED_IN}, with your organisation's account.")
            ).to_be_visible()
            expect(page.get_by_text("Signed in as: chief@council.example")).to_be_visible()
            assert provider.log.count("/authorize") == 1
            assert provider.log.count("/token") == 1
            assert provider.codes == {}  # the code was exchanged, once
            context.close()

            # Signed in, but not on the list: told so, and no grant.
            provider.user = {
                "sub": "u-2",
                "email": "resident@elsewhere.example",
                "email_verified": True,
            }
            context = browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            oidc_sign_in(page, base)
            expect(page.get_by_text("not one of Ladder's administrators")).to_be_visible()
            expect(page.get_by_text("Signed in as: resident@elsewhere.example")).to_be_visible()
            expect(page.get_by_text(SIGNED_IN)).to_have_count(0)
            page.get_by_role("button", name="Sign out").click()
            page.wait_for_url(re.compile(rf"^{re.escape(base)}/?$"))
            page.goto(f"{base}/admin")
            expect(
                page.get_by_role("button", name="Sign in with your organisation's account")
            ).to_be_visible()
            expect(page.get_by_text("not one of Ladder's administrators")).to_have_count(0)
            context.close()
        assert "Traceback" not in log.read_text(errors="replace")
