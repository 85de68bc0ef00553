"""Load: N workshop participants answering at once through a real Ladder server.

Not a ``make bench`` budget (the name does not start with ``bench_``): it takes minutes and
its figures depend on the machine. It starts Ladder with the ``make run`` command on a free
port (its own SQLite database in a temporary folder unless ``--database-url`` is given),
opens a quick-form workshop through storage, then drives N participants concurrently in one
headless Chromium (one browser context each, Playwright's async API): each joins by
``/join?code=...``, picks a role, answers every question of the first two steps and presses
Next between them. They arrive one a second by default (``--ramp``, as people in a room
do; 50 page loads in the same instant swamp a two-core client), then answer side by side.

Reported: per-submission latency (click on an option until the progress line shows the new
answered count), p50 and p95; errors; total time; answers stored in the database against
those confirmed on screen (lost = confirmed - stored; sessions that fail before
answering are reported as errors); the server's RSS (``/proc/PID/status`` VmRSS)
idle, before anyone joins (after one warm-up page load, which pays the app's one-off
imports) and at its peak, in MB and MB per session.

Run: ``python bench/load_participants.py --participants 50 [--database-url URL]``
(exit 1 when any submission was lost).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from playwright.async_api import Browser, async_playwright, expect  # noqa: E402

from questions import load_instrument  # noqa: E402
from storage import create_area, make_engine, migrate, save_bank  # noqa: E402
from storage.schema import answers, participants, responses  # noqa: E402
from storage.workshops import open_workshop  # noqa: E402
from tests.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.support.server import make_run_command, server_env, serving  # noqa: E402

BANK = load_instrument().bank
OPTIONS = ("1", "2", "3", "4", "5", "dk", "na")
FORM = "quick"
STEPS = 2
CHROMIUM = os.environ.get("LADDER_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_MS = 120_000  # 50 pages loading at once on two cores is slow on the client side


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmed: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """VmRSS of a process in MB (MiB, as the kernel counts kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_pid(port: int) -> int:
    """The pid listening on the port (the Streamlit process `serving` started)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cols = row.split()
            if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == "0A":  # LISTEN
                inode = cols[9]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if str(fd.readlink()) == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    raise SystemExit(f"no process listens on port {port}")


class PeakRss(threading.Thread):
    """Samples a process's RSS every 0.2 s and keeps the highest."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, rss_mb(pid), threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                return


def open_quick_workshop(db_url: str) -> tuple[int, str]:
    engine = make_engine(db_url)
    migrate(engine)
    bank_hash = save_bank(engine, BANK, (ROOT / "questions" / "bank.yaml").read_text())
    area = create_area(engine, "Load test council", "council")
    workshop, _key = open_workshop(
        engine,
        area.id,
        bank_hash,
        "Load test",
        BANK.form(FORM).dimensions,
        [r.id for r in BANK.roles],
        form_id=FORM,
    )
    engine.dispose()
    return workshop.id, workshop.join_code


def stored_answers(db_url: str, workshop_id: int) -> int:
    engine = make_engine(db_url)
    query = (
        sa.select(sa.func.count())
        .select_from(answers.join(responses).join(participants))
        .where(participants.c.workshop_id == workshop_id)
    )
    with engine.connect() as conn:
        count = conn.execute(query).scalar_one()
    engine.dispose()
    return count


async def take_part(browser: Browser, base: str, code: str, n: int, tally: Tally) -> None:
    role = BANK.roles[n % len(BANK.roles)]
    level = OPTIONS[n % 5]
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    stage = "loading /join"
    try:
        page = await context.new_page()
        await page.goto(f"{base}/join?code={code}")
        await page.get_by_label("Which best describes you?").click()
        stage = "choosing a role"
        await page.get_by_role("option", name=role.label).click()
        stage = "joining"
        await page.get_by_role("button", name="Join").click()
        await page.wait_for_url(re.compile(r".*/take\?p=.*"))
        done = 0
        dims = BANK.form(FORM).dimensions
        for i, dim in enumerate(dims[:STEPS]):
            await expect(page.get_by_role("heading", name=re.compile(rf"^{dim} · "))).to_be_visible(
                timeout=TIMEOUT_MS
            )
            stage = f"answering {dim}"
            for q in BANK.questions_in(dim):
                group = page.get_by_role("radiogroup", name=q.text, exact=True)
                label = group.locator("label").nth(OPTIONS.index(level))
                await label.wait_for()
                started = time.perf_counter()
                await label.click()
                await expect(
                    page.get_by_text(re.compile(rf"· {done + 1} of \d+ questions answered"))
                ).to_be_visible(timeout=TIMEOUT_MS)
                tally.latencies.append(time.perf_counter() - started)
                done += 1
                tally.confirmed += 1
            if i < STEPS - 1:
                await page.get_by_role("button", name="Next").click()
    except Exception as exc:  # every failure is a figure in the report
        tally.errors.append(
            f"participant {n}, {stage}: {type(exc).__name__}: {str(exc).splitlines()[0]}"
        )
    finally:
        await context.close()


async def warm_up(browser: Browser, base: str, code: str) -> None:
    """One page load (not joining), so the app's one-off imports are not counted per session."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(f"{base}/join?code={code}")
        await page.get_by_label("Which best describes you?").wait_for(timeout=TIMEOUT_MS)
    finally:
        await context.close()


async def drive(
    base: str, code: str, count: int, ramp: float, tally: Tally, pid: int
) -> tuple[float, float]:
    """Runs everyone; returns the server's RSS (MB) before the warm-up page and after it."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            cold = rss_mb(pid)
            await warm_up(browser, base, code)
            await asyncio.sleep(1.0)
            warm = rss_mb(pid)

            async def one(n: int) -> None:
                await asyncio.sleep(n * ramp)
                await take_part(browser, base, code, n, tally)

            await asyncio.gather(*(one(n) for n in range(count)))
            return cold, warm
        finally:
            await browser.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument(
        "--ramp", type=float, default=1.0, help="seconds between participants arriving (1.0)"
    )
    args = parser.parse_args()
    per_person = sum(len(BANK.questions_in(d)) for d in BANK.form(FORM).dimensions[:STEPS])
    expected = args.participants * per_person

    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp))
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        db_url = env["DATABASE_URL"]
        workshop_id, code = open_quick_workshop(db_url)
        port = free_port()
        with serving(make_run_command(port), port, env, Path(tmp) / "server.log") as base:
            pid = server_pid(port)
            sampler = PeakRss(pid)
            sampler.start()
            tally = Tally()
            started = time.perf_counter()
            cold, before = asyncio.run(drive(base, code, args.participants, args.ramp, tally, pid))
            total = time.perf_counter() - started
            sampler.done.set()
            sampler.join()
            after = rss_mb(pid)
        stored = stored_answers(db_url, workshop_id)

    # Lost: answers the participant saw confirmed on screen that are not in the database.
    # Answers never given (a session that could not load) are errors, not losses.
    lost = max(tally.confirmed - stored, 0)
    unfinished = expected - tally.confirmed
    peak = max(sampler.peak, after)
    lat = tally.latencies
    print(
        f"load: {args.participants} participants, quick form, first {STEPS} steps "
        f"({per_person} answers each), one Chromium, {os.cpu_count()} CPUs"
    )
    print(f"  submissions confirmed  {tally.confirmed} of {expected}")
    print(
        f"  latency click->saved   p50 {percentile(lat, 50) * 1000:.0f} ms   "
        f"p95 {percentile(lat, 95) * 1000:.0f} ms   max {max(lat, default=0) * 1000:.0f} ms"
    )
    print(f"  errors                 {len(tally.errors)}")
    for line in tally.errors[:10]:
        print(f"    {line}")
    print(f"  total time             {total:.1f} s")
    print(f"  answers stored         {stored} (confirmed {tally.confirmed})   lost {lost}")
    print(f"  never given            {unfinished} (sessions that failed before answering)")
    print(
        f"  server RSS             idle {cold:.0f} MB   after one page (before joining) "
        f"{before:.0f} MB   peak {peak:.0f} MB"
    )
    print(
        f"  per session            {(peak - before) / max(args.participants, 1):.2f} MB "
        f"(peak - before, / {args.participants})"
    )
    if lost > 0:
        print(f"LOST: {lost} confirmed submissions are not in the database")
        return 1
    if tally.errors:
        print(f"INCOMPLETE: {len(tally.errors)} sessions failed; see the errors above")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
