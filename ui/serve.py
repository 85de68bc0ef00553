"""Start Ladder's server: Streamlit's own ``streamlit run``, with Nagle's algorithm off.

Why: Streamlit 1.67 binds its listening socket as ``socket.socket(family)``, protocol 0,
and asyncio turns on ``TCP_NODELAY`` only for sockets that say ``IPPROTO_TCP``. The reply
to every click is several small websocket frames; with Nagle's algorithm on, the later
frames wait for the browser's delayed acknowledgement, some 40 ms on Linux. On a one-page
rerun that was 44 ms against 6 ms with it off, and under load the stall adds up for
everyone (bench/load_participants.py; docs/deploy.md, Load). This module re-creates the
bound socket with the protocol stated, so asyncio sets ``TCP_NODELAY`` on every connection,
then hands over to Streamlit's command line unchanged: ``python -m ui.serve run app.py ...``
takes exactly the arguments ``streamlit`` does.

Before handing over, while the database has no administrator, it prints a one-time
set-up link to the terminal (as Jupyter and Grafana do): whoever is at the console opens
it and makes the first administrator (`storage.core.admins`). A database it cannot reach is
left to the app to report. Then it imports the app's modules and loads the bank
(`ui.loading.preload`), so the first visitor after a start does not wait for them.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO
from urllib.parse import quote

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

from storage import SETUP_LIFETIME, StorageError, database_url, make_engine, migrate, setup_token
from ui.loading import preload

__all__ = ["announce_setup", "main", "option", "setup_url", "with_tcp_protocol"]

DEFAULT_PORT = 8501
#: Addresses that mean "every interface" or this machine: the link says localhost.
_LOCAL = {"", "0.0.0.0", "::", "127.0.0.1", "::1", "localhost"}


def with_tcp_protocol(sock: socket.socket) -> socket.socket:
    """The same bound socket, as an object whose protocol is ``IPPROTO_TCP`` (a TCP socket
    made with protocol 0 is returned as it was made otherwise: a Unix socket, say)."""
    if sock.family not in {socket.AF_INET, socket.AF_INET6} or sock.proto != 0:
        return sock
    blocking = sock.getblocking()
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, sock.detach())
    tcp.setblocking(blocking)
    return tcp


def _patched(bind: Callable[..., socket.socket]) -> Callable[..., socket.socket]:
    def bind_tcp(*args: Any, **kwargs: Any) -> socket.socket:
        return with_tcp_protocol(bind(*args, **kwargs))

    bind_tcp.__wrapped__ = bind  # type: ignore[attr-defined]
    return bind_tcp


def install() -> None:
    """Make Streamlit's server bind sockets that asyncio will set ``TCP_NODELAY`` on."""
    current = starlette_server._bind_socket
    if not hasattr(current, "__wrapped__"):
        starlette_server._bind_socket = _patched(current)


def option(argv: Sequence[str], name: str) -> str | None:
    """The last value given for ``--name VALUE`` or ``--name=VALUE`` (as Streamlit reads them)."""
    found = None
    words = list(argv)
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            found = words[i + 1]
        elif word.startswith(name + "="):
            found = word[len(name) + 1 :]
    return found


def setup_url(argv: Sequence[str], token: str) -> str:
    """The set-up page's address on this server: host and port from the command line."""
    address = (option(argv, "--server.address") or "").strip()
    host = "localhost" if address in _LOCAL else address
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = (option(argv, "--server.port") or "").strip() or str(DEFAULT_PORT)
    base = (option(argv, "--server.baseUrlPath") or "").strip("/ ")
    path = f"/{base}/admin" if base else "/admin"
    return f"http://{host}:{port}{path}?setup={quote(token)}"


def announce_setup(argv: Sequence[str], out: TextIO | None = None) -> str | None:
    """While no administrator exists, print the one-time set-up link; returns the line.

    Prints nothing when an administrator exists or the database cannot be used (the app
    says why when it is opened).
    """
    out = out or sys.stderr
    try:
        engine = make_engine(database_url())
        try:
            migrate(engine)
            token = setup_token(engine)
        finally:
            engine.dispose()
    except StorageError:
        return None
    if token is None:
        return None
    hours = int(SETUP_LIFETIME.total_seconds() // 3600)
    line = (
        f"Ladder: no administrator yet. Open {setup_url(argv, token)} within {hours} hours "
        "to create the first one (or run: .venv/bin/python -m storage admin add "
        "you@council.gov.uk)."
    )
    print(line, file=out, flush=True)
    return line


def main(argv: list[str] | None = None) -> None:
    install()
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["run"]:
        announce_setup(args)
        preload()  # the first visitor no longer waits for the imports and the bank
    sys.argv = ["streamlit", *args]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
