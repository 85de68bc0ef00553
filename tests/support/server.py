"""Run Ladder the way ``make run`` does, on a free port, and wait until it answers.

Why: the browser tests must exercise the real command people use, not a copy of it
that could drift; so the command line is read from the Makefile each time.
"""

from __future__ import annotations

import os
import random
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
#: Where `free_port` looks: below Linux's ephemeral range (32768-60999), which the kernel
#: hands to every outgoing connection, so a client socket opened between choosing a port and
#: the server binding it cannot take it (as a port from ``bind(("", 0))`` can).
PORTS = range(20000, 32768)
_MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now, chosen at random
    from `PORTS` (two callers at once rarely pick the same one; `serving` checks it got it)."""
    while True:
        port = random.choice(PORTS)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on a TCP port of this machine, if any (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == "0A":  # LISTEN
                inodes.add(f"socket:[{cols[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or not inodes:
            continue
        try:
            if any(str(fd.readlink()) in inodes for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def make_run_command(port: int) -> list[str]:
    """The exact command line of ``make run`` (``make print-run-command``), for a port."""
    env = {k: v for k, v in os.environ.items() if k not in _MAKE_VARIABLES}
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "print-run-command", f"PORT={port}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"`make print-run-command` failed:\n{done.stdout}{done.stderr}", pytrace=False)
    command = shlex.split(done.stdout.strip())
    if not (ROOT / command[0]).exists():
        pytest.fail(f"{command[0]} is missing: `make test` creates it", pytrace=False)
    return command


def server_env(tmp: Path) -> dict[str, str]:
    """The shipped bank and corpus, and a database of its own so tests never touch data/."""
    env = {k: v for k, v in os.environ.items() if k not in {"LADDER_BANK", "LADDER_CORPUS"}}
    return env | {"DATABASE_URL": f"sqlite:///{tmp / 'ladder.db'}"}


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """Start the server from the repo root, wait for health "ok", SIGTERM it afterwards.

    Yields the base URL. If the server does not answer within ``START_TIMEOUT`` seconds the
    test fails with the server's own output.
    """
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def health(base: str) -> str:
    """The body of ``/_stcore/health`` ("ok" when the server is ready)."""
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
        return reply.read().decode()


def _wait_healthy(base: str, proc: subprocess.Popen, log: Path) -> None:
    """Until the server answers "ok" and is the one listening on its port: an "ok" from
    another server that got the port first (tests and benchmarks start servers side by
    side) would send every request to the wrong database."""
    port = int(base.rsplit(":", 1)[1])
    deadline = time.monotonic() + START_TIMEOUT
    other = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if health(base) == "ok":
                other = listening_pid(port)
                if other == proc.pid:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    if proc.poll() is None:
        state = f"no 'ok' from {base}/_stcore/health after {START_TIMEOUT:.0f} s"
    else:
        state = f"the server exited with status {proc.returncode}"
    if other is not None and other != proc.pid:
        state += f"; another process (pid {other}) answered on port {port}"
    pytest.fail(
        f"Ladder's server did not start: {state}.\n"
        f"Command: {shlex.join(proc.args)}\n"
        f"--- server output ---\n{log.read_text(errors='replace')}",
        pytrace=False,
    )


def launch(command: list[str], port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start the server like `serving` and wait for health "ok"; the caller stops (or kills) it.

    Why: the fault tests SIGKILL the server mid-journey, which `serving` cannot do.
    """
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(base, proc, log)
    except BaseException:
        proc.kill()
        proc.wait(timeout=10)
        raise
    return proc
