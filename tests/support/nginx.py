"""Debian's nginx in front of Ladder, run by the test with the configuration the docs ship.

Why: docs/deploy.md tells councils to copy ``deploy/nginx/ladder.conf``; the replica test
runs exactly that file, with only the addresses, certificate and log path swapped for test
values (`render`), so the copy a council takes is the one that was tested. nginx runs in the
foreground as the current user, on 127.0.0.1 and free ports, with every path it writes under
the test's temporary folder. Without nginx the test skips locally and fails under
``LADDER_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets, after installing it).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import pwd
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.machine import _missing
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
#: The configuration docs/deploy.md shows, byte for byte.
CONFIG = ROOT / "deploy" / "nginx" / "ladder.conf"
START_TIMEOUT = 15.0
#: The example replicas in CONFIG, replaced by the test's.
EXAMPLE_UPSTREAMS = "    server 10.0.0.11:8501;\n    server 10.0.0.12:8501;\n"


def require_nginx() -> Path:
    """Debian's nginx, or skip (fail under LADDER_REQUIRE_BROWSER=1: the replica test needs it)."""
    if NGINX.is_file() and os.access(NGINX, os.X_OK):
        return NGINX
    return _missing(
        f"nginx is not installed at {NGINX} (Debian: apt-get install nginx)",
        "LADDER_REQUIRE_BROWSER",
    )


def render(
    text: str, *, http_port: int, https_port: int, upstreams: list[str], tls: tuple[Path, Path],
    access_log: Path,
) -> str:  # fmt: skip
    """The shipped configuration with test values in place of the example ones.

    Each example value must occur exactly once: if the shipped file changes shape, the test
    fails here instead of quietly testing something else.
    """
    cert, key = tls
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/letsencrypt/live/ladder.example.gov.uk/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/ladder.example.gov.uk/privkey.pem": str(key),
        "/var/log/nginx/ladder.access.log": str(access_log),
        EXAMPLE_UPSTREAMS: "".join(f"    server {u};\n" for u in upstreams),
    }
    for example, value in swaps.items():
        count = text.count(example)
        if count != 1:
            pytest.fail(f"{CONFIG}: expected {example!r} once, found it {count} times")
        text = text.replace(example, value)
    return text


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for 127.0.0.1, valid for a day (the browser is told to accept it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass(frozen=True, slots=True)
class Proxy:
    """A running nginx: its plain and TLS base URLs and its access log."""

    http: str
    https: str
    access_log: Path


@contextmanager
def proxying(nginx: Path, folder: Path, upstreams: list[str]) -> Iterator[Proxy]:
    """Run nginx with the shipped configuration in front of ``upstreams`` (host:port).

    Yields once ``/_stcore/health`` answers "ok" through it over HTTPS; stops it afterwards.
    A configuration nginx refuses, or a start that fails, fails the test with nginx's words.
    """
    http_port, https_port = free_port(), free_port()
    access_log, error_log = folder / "access.log", folder / "error.log"
    site = render(
        CONFIG.read_text(), http_port=http_port, https_port=https_port, upstreams=upstreams,
        tls=self_signed(folder), access_log=access_log,
    )  # fmt: skip
    (folder / "ladder.conf").write_text(site)
    temp = folder / "temp"
    temp.mkdir()
    # Root's workers would otherwise run as nobody, who cannot write under a 0700 test folder.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        + "".join(
            f"    {kind}_temp_path {temp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    access_log {folder / 'other.log'};\n"
        f"    include {folder / 'ladder.conf'};\n"
        "}\n"
    )
    command = [
        str(nginx), "-p", str(folder), "-e", str(error_log), "-c", str(folder / "nginx.conf"),
        "-g", f"daemon off; pid {folder / 'nginx.pid'};",
    ]  # fmt: skip
    check = subprocess.run(
        [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    if check.returncode != 0:
        pytest.fail(f"nginx refused the configuration:\n{check.stderr}", pytrace=False)
    out = (folder / "nginx.out").open("wb")
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    proxy = Proxy(f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}", access_log)
    try:
        _wait_healthy(proxy, proc, error_log)
        yield proxy
    finally:
        proc.send_signal(signal.SIGTERM)  # fast shutdown: open websockets are cut
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        out.close()


def _wait_healthy(proxy: Proxy, proc: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            reply = httpx.get(f"{proxy.https}/_stcore/health", verify=False, timeout=2)
            if reply.text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    log = error_log.read_text(errors="replace") if error_log.exists() else "(no error log)"
    pytest.fail(f"nginx did not pass /_stcore/health through:\n{log}", pytrace=False)


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the ``ladder`` access log."""

    method: str
    path: str
    status: int
    upstream: str
    route: str


_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+)" (?P<status>\d{3}) \S+ \S+ '
    r"upstream=(?P<upstream>.*?) route=(?P<route>\S+)$"
)


def entries(access_log: Path) -> list[Entry]:
    """Every request nginx has logged so far (a websocket is logged when it closes)."""
    found = []
    for line in access_log.read_text().splitlines():
        match = _LINE.search(line)
        if match is None:
            pytest.fail(f"an access log line not in the ladder format: {line!r}")
        found.append(
            Entry(
                match["method"], match["path"], int(match["status"]), match["upstream"],
                match["route"],
            )
        )  # fmt: skip
    return found
