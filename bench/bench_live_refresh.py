"""Benchmark: the dashboard's live refresh when nothing changed (issue 14, item 5).

What is measured: the projector's timed refresh of the dashboard's live part (the
``live()`` fragment, every 3 s), through a real Ladder server (started as ``make run``
does, SQLite), from a client speaking the browser's websocket protocol
(`bench.streamlit_session`): the fragment's rerun asked for until its last message
arrives, on a workshop of 300 and 1,000 participants (50 in quick mode) who have all sent,
with nobody sending in between - most refreshes during a workshop's discussion.

Against what floor: a bare Streamlit fragment, served the same way (`bench.floor_app`, on
its own port), that draws the same elements the live part drew - the same figures, tables,
metrics and text, prepared in advance (`bench.replay`) - refreshed the same way. Ladder and
the floor are timed alternately, medians of 30 after 3 warm-ups each.

Why the budget (at most 2x the floor): the refresh runs every 3 s for as long as the
dashboard is open, and when nothing changed there is nothing new to work out: a cheap
change check should be all it adds to drawing. Issue 14 measured 132 / 182 / 307 ms at
50 / 300 / 1,000 people against a floor of 2-10 ms, re-reading the whole round each time.

Run: ``python bench/bench_live_refresh.py [--quick]`` (exit 1 when a budget is missed;
``--quick``: 50 participants, 5 refreshes, a miss printed but not failed).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import replay, servers  # noqa: E402
from bench.bench_dashboard import make_answers  # noqa: E402
from bench.bench_dashboard_page import Room, seed  # noqa: E402
from bench.budget import Budgets, parse  # noqa: E402
from bench.streamlit_session import Session  # noqa: E402
from questions import load_instrument  # noqa: E402
from storage import find_or_create_area, make_engine, migrate, save_bank  # noqa: E402
from tests.support.server import server_env  # noqa: E402

BUDGET = 2.0
SIZES = (300, 1000)
QUICK_SIZES = (50,)
REPEATS, QUICK_REPEATS = 30, 5
WARM_UP = 3
TIMEOUT = 600.0


async def unlocked(base: str, room: Room) -> tuple[Session, str]:
    """The dashboard unlocked in a new session, and the id of its live fragment (the timed
    fragment that draws the room's charts; the other counts who has joined)."""
    session = await Session.open(base, "dashboard", f"w={room.code}", TIMEOUT)
    await session.type_text(session.find("text_input", "Facilitator key"), room.key)
    await session.click(session.find("button", "Unlock"))
    for fragment in list(session.timers):
        await session.refresh(fragment)
        if any(e.kind == "plotly_chart" for e in session.elements):
            return session, fragment
    raise SystemExit("the unlocked dashboard has no refreshing part with charts")


async def refresh_time(session: Session, fragment: str) -> float:
    start = time.perf_counter()
    await session.refresh(fragment)
    return time.perf_counter() - start


async def measure(rooms: dict[int, Room], env: dict[str, str], tmp: Path, repeats: int) -> dict:
    """{size: (ladder median, floor median, charts drawn by each)} for every room."""
    figures = {}
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(servers.ladder(env, tmp))
        ours = {size: await unlocked(base, room) for size, room in rooms.items()}
        floors = {}
        for size, (session, fragment) in ours.items():
            for _ in range(WARM_UP):
                await session.refresh(fragment)
            live = replay.capture_session(session.elements)
            floors[str(size)] = replay.Floor(
                (replay.Node("container"),),
                live,
                every=3.0,
                layout="wide",  # as the dashboard
            )
        floor_base = stack.enter_context(servers.floor(floors, env, tmp))
        for size, (session, fragment) in ours.items():
            bare = await Session.open(floor_base, "", f"page={size}", TIMEOUT)
            (bare_fragment,) = bare.timers
            for _ in range(WARM_UP):
                await bare.refresh(bare_fragment)
            mine, floor = [], []
            for _ in range(repeats):
                mine.append(await refresh_time(session, fragment))
                floor.append(await refresh_time(bare, bare_fragment))
            charts = [sum(e.kind == "plotly_chart" for e in s.elements) for s in (session, bare)]
            figures[size] = (statistics.median(mine), statistics.median(floor), charts)
            await bare.close()
            await session.close()
    return figures


def main(args: list[str] | None = None) -> int:
    quick = parse(__doc__, args).quick
    sizes, repeats = (QUICK_SIZES, QUICK_REPEATS) if quick else (SIZES, REPEATS)
    bank = load_instrument().bank
    assert bank is not None
    budgets = Budgets(quick)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = server_env(tmp)
        engine = make_engine(env["DATABASE_URL"])
        migrate(engine)
        bank_hash = save_bank(engine, bank, (ROOT / "questions" / "bank.yaml").read_text())
        area_id = find_or_create_area(engine, "Benchmark council", "council").id
        rooms = {}
        for size in sizes:
            answers = make_answers(bank, size)
            rooms[size] = seed(engine, bank, bank_hash, area_id, answers[answers["round"] == 1])
        engine.dispose()
        figures = asyncio.run(measure(rooms, env, tmp, repeats))
    print(
        f"the dashboard's live refresh, nothing changed, through a real server (SQLite, "
        f"{os.cpu_count()} CPUs), median of {repeats}{' (quick mode)' if quick else ''}:"
    )
    for size, (mine, floor, charts) in figures.items():
        print(f"  {size:5d} participants  Ladder {mine * 1000:7.1f} ms   bare fragment "
              f"{floor * 1000:6.1f} ms")  # fmt: skip
        budgets.holds(
            f"floor draws the live part at {size}",
            charts[0] == charts[1] and charts[0] > 0,
            f"{charts[0]} charts, floor {charts[1]}",
        )
        budgets.at_most(f"live refresh unchanged at {size} vs floor", mine / floor, BUDGET)
    return budgets.exit_code()


if __name__ == "__main__":
    raise SystemExit(main())
