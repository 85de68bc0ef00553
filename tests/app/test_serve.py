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
from concurrent.futures import ThreadPoolExecutor

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

    # In a thread of its own: the session's Playwright browser (tests/conftest.py) keeps an
    # event loop running in the main thread once any test has used it.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


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


# --- The set-up link `make run` prints while there is no administrator ---------------------


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from storage.core import admins

    monkeypatch.setattr(
        admins, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


RUN = ["run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1"]


def test_the_set_up_link_is_printed_while_there_is_no_administrator(
    capsys: pytest.CaptureFixture[str], quick_hashes: None
) -> None:
    import re

    from storage import database_url, make_engine
    from storage.core.admins import add_admin, setup_valid

    line = serve.announce_setup([*RUN, "--server.port", "8765"])
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == f"{line}\n"
    found = re.fullmatch(
        r"Ladder: no administrator yet\. Open http://localhost:8765/admin\?setup=(\S+) within "
        r"24 hours to create the first one \(or run: \.venv/bin/python -m storage admin add "
        r"you@council\.gov\.uk\)\.",
        line or "",
    )
    assert found, line
    engine = make_engine(database_url())  # the test's own database (tests/app/conftest.py)
    try:
        assert setup_valid(engine, found[1])
        add_admin(engine, "ops", "correct horse battery staple")
        assert serve.announce_setup(RUN) is None
        assert capsys.readouterr().err == ""
    finally:
        engine.dispose()


def test_an_unusable_database_prints_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for url in ("mysql://user@host/ladder", "sqlite:////proc/no/such/folder/ladder.db"):
        monkeypatch.setenv("DATABASE_URL", url)
        assert serve.announce_setup(RUN) is None
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "http://localhost:8501/admin?setup=T0k-en_"),
        (["--server.port", "8502"], "http://localhost:8502/admin?setup=T0k-en_"),
        (["--server.port=9000", "--server.address=0.0.0.0"], "http://localhost:9000/admin"),
        (["--server.address", "ladder.council.gov.uk"], "http://ladder.council.gov.uk:8501/"),
        (["--server.address", "10.1.2.3", "--server.port", "80"], "http://10.1.2.3:80/admin"),
        (["--server.address", "fe80::1"], "http://[fe80::1]:8501/admin"),
        (["--server.baseUrlPath", "/ladder/"], "http://localhost:8501/ladder/admin?setup="),
        (["--server.port", "1", "--server.port", "2"], "http://localhost:2/admin"),
    ],
)
def test_the_link_uses_the_address_and_port_given(argv: list[str], expected: str) -> None:
    assert serve.setup_url(["run", "app.py", *argv], "T0k-en_").startswith(expected)


def test_main_prints_the_link_before_streamlit_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], quick_hashes: None
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(serve.cli, "main", lambda prog_name: started.append(list(serve.sys.argv)))
    monkeypatch.setattr(serve.sys, "argv", list(serve.sys.argv))
    monkeypatch.setattr(starlette_server, "_bind_socket", original_bind())
    serve.main([*RUN, "--server.port", "8599"])
    assert started == [["streamlit", *RUN, "--server.port", "8599"]]
    assert "Open http://localhost:8599/admin?setup=" in capsys.readouterr().err
    serve.main(["--version"])  # not `run`: no database is touched, nothing printed
    assert capsys.readouterr().err == ""


def test_the_app_and_its_bank_are_loaded_before_the_first_visit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14: the first visitor after a start waited 2.2 s for the imports and the bank.
    `main` now loads them before Streamlit starts; the first page run then reads the bank
    from the cache instead of loading it."""
    import sys

    import ui.loading

    loads: list[tuple[object, object]] = []
    real = ui.loading.load_instrument

    def counted(bank: object = None, corpus: object = None):  # type: ignore[no-untyped-def]
        loads.append((bank, corpus))
        return real(bank, corpus)

    monkeypatch.setattr(ui.loading, "load_instrument", counted)
    monkeypatch.setattr(serve, "announce_setup", lambda argv: None)
    monkeypatch.setattr(serve.cli, "main", lambda prog_name: None)
    monkeypatch.setattr(serve.sys, "argv", list(serve.sys.argv))
    monkeypatch.setattr(starlette_server, "_bind_socket", original_bind())
    imported: list[str] = []
    real_import = ui.loading.importlib.import_module
    spy = lambda name: imported.append(name) or real_import(name)  # noqa: E731
    monkeypatch.setattr(ui.loading.importlib, "import_module", spy)
    ui.loading.instrument.clear()
    serve.main([*RUN, "--server.port", "8599"])
    assert loads == [(None, None)]  # the shipped bank, read once, at start
    assert (
        {"ui.assessment.results", "ui.workshop.dashboard", "ui.comparison.view"}
        <= set(imported)
        <= set(sys.modules)
    )
    assert ui.loading.instrument(*ui.loading.bank_paths()).ok  # the first visit: cached
    assert len(loads) == 1
    serve.main(["--version"])  # not `run`: nothing is loaded
    assert len(loads) == 1
