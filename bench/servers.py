"""Ladder's server and a floor server side by side, for the benchmarks that go over HTTP.

Both run the command ``make run`` uses (``tests.support.server``: ``python -m ui.serve run``,
so both have Nagle's algorithm off), each on a free port, the file watcher off; the floor
server runs `bench.floor_app` instead of ``app.py``, on the floors pickled for it.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.replay import Floor
from tests.support.server import ROOT, free_port, make_run_command, serving


def command(port: int, app: str = "app.py") -> list[str]:
    made = make_run_command(port)
    return [*(app if part == "app.py" else part for part in made), "--server.fileWatcherType",
            "none"]  # fmt: skip


@contextmanager
def ladder(env: dict[str, str], tmp: Path) -> Iterator[str]:
    """Ladder on a free port with ``env`` (its DATABASE_URL): the base URL."""
    port = free_port()
    with serving(command(port), port, env, tmp / "ladder.log") as base:
        yield base


@contextmanager
def floor(floors: dict[str, Floor], env: dict[str, str], tmp: Path) -> Iterator[str]:
    """`bench.floor_app` serving ``floors`` (by name: ``?page=name``): the base URL."""
    path = tmp / "floors.pickle"
    path.write_bytes(pickle.dumps(floors))
    port = free_port()
    env = env | {"LADDER_BENCH_FLOOR": str(path), "PYTHONPATH": str(ROOT)}
    with serving(command(port, "bench/floor_app.py"), port, env, tmp / "floor.log") as base:
        yield base
