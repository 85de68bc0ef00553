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
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

__all__ = ["main", "with_tcp_protocol"]


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


def main(argv: list[str] | None = None) -> None:
    install()
    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
