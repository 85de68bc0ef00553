"""A throwaway PostgreSQL cluster: initdb + pg_ctl on 127.0.0.1 and a free port.

Why: storage must work on PostgreSQL as well as SQLite, and CI machines have the
server binaries but no running service. A private cluster in a temporary folder
starts in under a second, needs no configuration and leaves nothing behind.
When the tests run as root the server runs as the ``postgres`` user (PostgreSQL
refuses to run as root), so the folder is handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.server import free_port

SUPERUSER = "postgres"


@dataclass(frozen=True, slots=True)
class Cluster:
    """A running throwaway cluster; ``url`` is a SQLAlchemy URL for its test database."""

    bin_dir: Path
    base: Path
    port: int
    url: str

    def admin_connect(self) -> psycopg.Connection:
        """A superuser connection (autocommit) to the ``postgres`` database."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )


def start_cluster(bin_dir: Path, role: str = "ladder", database: str = "ladder_test") -> Cluster:
    """Create and start a cluster, with a login role owning one database."""
    base = Path(tempfile.mkdtemp(prefix="ladder-pg-"))
    user = server_user()
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    port = free_port()
    data, log = base / "data", base / "server.log"
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {base} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        initdb = [bin_dir / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust"]
        run_as(user, base, *initdb, "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        run_as(user, base, bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")
    except RuntimeError as exc:
        server_log = log.read_text(errors="replace") if log.exists() else "(no server log)"
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"{exc}\n--- server log ---\n{server_log}") from None
    url = f"postgresql+psycopg://{role}:{role}@127.0.0.1:{port}/{database}"
    cluster = Cluster(bin_dir, base, port, url)
    try:
        with cluster.admin_connect() as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
            conn.execute(f"CREATE DATABASE {database} OWNER {role}")
    except psycopg.Error as exc:
        stop_cluster(cluster)
        raise RuntimeError(f"the server started but refused the test role: {exc}") from None
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    """Stop the server (fast shutdown) and delete its folder."""
    try:
        pg_ctl = cluster.bin_dir / "pg_ctl"
        run_as(
            server_user(), cluster.base, pg_ctl, "-D", cluster.base / "data", "-m", "fast", "stop"
        )
    finally:
        shutil.rmtree(cluster.base, ignore_errors=True)


def server_user() -> pwd.struct_passwd | None:
    """The user the server must run as: ``postgres`` when we are root, else ourselves."""
    return pwd.getpwnam(SUPERUSER) if os.geteuid() == 0 else None


def run_as(user: pwd.struct_passwd | None, cwd: Path, *args: object) -> None:
    kwargs: dict[str, object] = {}
    if user is not None:
        kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    if user is not None:
        env |= {"HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name}
    command = [str(a) for a in args]
    done = subprocess.run(  # type: ignore[call-overload]
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False, **kwargs
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{Path(str(args[0])).name} failed with exit status {done.returncode}:\n"
            f"{done.stdout}{done.stderr}"
        )
