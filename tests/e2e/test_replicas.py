"""Two Ladder replicas on one PostgreSQL, behind nginx, serve one workshop (issue 7, item 1;
issue 13, item 7).

nginx runs the configuration docs/deploy.md ships (``deploy/nginx/ladder.conf``, with test
addresses and a self-signed certificate). Chromium reaches Ladder only through it, over
HTTPS. The facilitator's browser gets its route cookie from nginx and lands on one replica;
three participants, on their own phones, carry a route that leads to the other; the
facilitator's dashboard counts them without a reload, through the shared database. The
access log then shows each browser's requests, its websocket included, all on one replica.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.test_workshop import open_workshop, take_part
from tests.support.nginx import Entry, Proxy, entries, proxying
from tests.support.server import free_port, make_run_command, server_env, serving

pytestmark = pytest.mark.e2e

#: What every HTTPS reply carries, errors included (``always``).
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}
ROUTE = "ladder_route"


class RoutedBrowser:
    """The part of a Browser that ``take_part`` uses, for phones behind the test's nginx:
    each new context accepts its self-signed certificate and carries a given route cookie."""

    def __init__(self, browser: Browser, base: str, route: str) -> None:
        self._browser, self._base, self._route = browser, base, route

    def new_context(self, **options: Any) -> BrowserContext:
        context = self._browser.new_context(ignore_https_errors=True, **options)
        context.add_cookies([{"name": ROUTE, "value": self._route, "url": self._base}])
        return context


def test_two_replicas_behind_nginx_serve_one_workshop(
    chromium: Path, nginx: Path, fresh_postgres_url: str, browser: Browser, tmp_path: Path
):
    env = server_env(tmp_path) | {"DATABASE_URL": fresh_postgres_url}
    port_a, port_b = free_port(), free_port()
    with (
        serving(make_run_command(port_a), port_a, env, tmp_path / "a.log"),
        serving(make_run_command(port_b), port_b, env, tmp_path / "b.log"),
        proxying(nginx, tmp_path, [f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"]) as proxy,
    ):
        replicas = {f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"}
        check_redirect_and_headers(proxy)

        context = browser.new_context(
            ignore_https_errors=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))

        code, _key, link = open_workshop(page, proxy.https)
        assert link.startswith(f"{proxy.https}/join?code=")
        cookie = next(c for c in context.cookies() if c["name"] == ROUTE)
        assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Lax")
        facilitator = upstream_of(proxy, cookie["value"])
        (elsewhere,) = replicas - {facilitator}
        phones = RoutedBrowser(browser, proxy.https, route_to(proxy, elsewhere))

        page.get_by_role("link", name="Go to the dashboard").click()
        expect(page.get_by_role("heading", name="Leadership team, March")).to_be_visible()
        expect(page.get_by_text("0 people have answered so far")).to_be_visible()
        for role, level in (("councillor", "2"), ("senior_officer", "4"), ("resident", "5")):
            take_part(phones, proxy.https, code, role, level)  # type: ignore[arg-type]
        # The facilitator's replica learns of the other's answers only through the database.
        expect(page.get_by_text("3 people have answered so far")).to_be_visible(timeout=20_000)
        page.screenshot(path=tmp_path / "dashboard-through-nginx.png", full_page=True)
        context.close()

        assert sockets, "the page opened no websocket"
        assert all(s.startswith(f"{proxy.https.replace('https', 'wss')}/") for s in sockets)
        assert not refused, refused  # nothing Ladder shows is framed, so frame-ancestors holds
        # Every request of each browser, its websocket included, went to one replica; the
        # facilitator's and the phones' were different ones.
        served = sticky_routes(proxy, {cookie["value"], phones._route})
        assert served == {cookie["value"]: facilitator, phones._route: elsewhere}


def check_redirect_and_headers(proxy: Proxy) -> None:
    """http:// answers 301 to the same address on https://; HTTPS replies carry the headers."""
    plain = httpx.get(f"{proxy.http}/join?code=ABC-DEFG", follow_redirects=False, timeout=5)
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://127.0.0.1/join?code=ABC-DEFG"
    with httpx.Client(base_url=proxy.https, verify=False, timeout=5) as client:
        for path in ("/", "/_stcore/health", "/media/missing.png"):
            reply = client.get(path)
            for name, value in SECURITY_HEADERS.items():
                assert reply.headers.get_list(name) == [value], (path, name, reply.headers)
            assert reply.headers["server"] == "nginx", "server_tokens off: no version shown"
        assert client.get("/media/missing.png").status_code == 404
    first = httpx.get(f"{proxy.https}/_stcore/health", verify=False, timeout=5)
    route = first.cookies[ROUTE]
    assert len(route) == 32, "a new browser gets a random route"
    again = httpx.get(
        f"{proxy.https}/_stcore/health", headers={"Cookie": f"{ROUTE}={route}"}, verify=False,
        timeout=5,
    )  # fmt: skip
    assert ROUTE not in again.cookies, "a browser with a route keeps it"


def route_to(proxy: Proxy, replica: str) -> str:
    """A route value that nginx sends to ``replica`` (found by asking with a few)."""
    with httpx.Client(base_url=proxy.https, verify=False, timeout=5) as client:
        for n in range(64):
            route = f"phones{n}"
            client.get("/_stcore/health", headers={"Cookie": f"{ROUTE}={route}"})
            if upstream_of(proxy, route) == replica:
                return route
    pytest.fail(f"no route among 64 led to {replica}")


def upstream_of(proxy: Proxy, route: str) -> str:
    """The one replica that served the requests logged with ``route`` so far.

    nginx writes a request's log line after it has sent the reply, so the line can
    arrive a moment after the client has its answer: wait up to 5 s for the first one.
    """
    deadline = time.monotonic() + 5
    while True:
        found = {e.upstream for e in entries(proxy.access_log) if e.route == route}
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(found) == 1, (route, found)
    return found.pop()


def sticky_routes(proxy: Proxy, routes: set[str]) -> dict[str, str]:
    """Each route's one replica, once the log holds each route's websocket (logged at its close)."""
    deadline = time.monotonic() + 10
    while True:
        logged = [e for e in entries(proxy.access_log) if e.route in routes]
        if {e.route for e in logged if _socket(e)} == routes or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for route in routes:
        mine = [e for e in logged if e.route == route]
        assert any(_socket(e) for e in mine), f"no websocket logged for route {route}"
    return {route: upstream_of(proxy, route) for route in routes}


def _socket(entry: Entry) -> bool:
    return entry.path == "/_stcore/stream" and entry.status == 101
