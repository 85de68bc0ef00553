"""ui/serve.py: the server's connections go out with Nagle's algorithm off.

The effect that matters is asyncio setting TCP_NODELAY on each accepted connection, so
that is what these tests look at, on a real listening socket made by Streamlit's own
binding function. One test pins down why the shim exists: Streamlit's socket, as it
comes, does not get TCP_NODELAY. If a Streamlit upgrade fixes that, that test fails, and
ui/serve.py can go.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import pytest
from streamlit.web.server.starlette import starlette_server

from ui import serve


def nodelay_of_accepted(bind: Callable[..., socket.socket]) -> int:
    """Serve on a socket from ``bind`` with asyncio, connect once, and return the
    TCP_NODELAY option of the server's side of that connection."""

    async def run() -> int:
        listening = bind("127.0.0.1", 0, 8)
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Server(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                accepted = transport.get_extra_info("socket")
                seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Server, sock=listening)
        port = listening.getsockname()[1]
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(seen, 5)
            writer.close()
            return value
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(run())


def original_bind() -> Callable[..., socket.socket]:
    bind = starlette_server._bind_socket
    return getattr(bind, "__wrapped__", bind)


def test_streamlit_alone_leaves_nagle_on() -> None:
    assert nodelay_of_accepted(original_bind()) == 0


def test_with_the_shim_every_connection_has_nodelay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starlette_server, "_bind_socket", original_bind())
    serve.install()
    serve.install()  # twice is once
    patched = starlette_server._bind_socket
    assert patched.__wrapped__ is original_bind()  # type: ignore[attr-defined]
    assert nodelay_of_accepted(patched) != 0


def test_the_socket_keeps_its_address_and_blocking_mode() -> None:
    plain = socket.socket(socket.AF_INET)
    plain.bind(("127.0.0.1", 0))
    plain.setblocking(False)
    address = plain.getsockname()
    tcp = serve.with_tcp_protocol(plain)
    try:
        assert tcp.proto == socket.IPPROTO_TCP
        assert tcp.getsockname() == address
        assert tcp.getblocking() is False
    finally:
        tcp.close()


def test_other_sockets_are_left_as_they_are() -> None:
    unix = socket.socket(socket.AF_UNIX)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        assert serve.with_tcp_protocol(unix) is unix
        assert serve.with_tcp_protocol(tcp) is tcp
    finally:
        unix.close()
        tcp.close()
