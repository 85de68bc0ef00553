"""Load: N workshop participants answering at once through a real Ladder server.

Not a ``make bench`` budget (the name does not start with ``bench_``): it takes minutes and
its figures depend on the machine. It starts Ladder with the ``make run`` command on a free
port (its own SQLite database in a temporary folder unless ``--database-url`` is given),
opens a quick-form workshop through storage, then drives N participants concurrently. Each
is one Streamlit session over the server's websocket (``bench/streamlit_session.py``: the
browser's protocol without the browser, so 50 of them fit on a two-core machine beside the
server): it opens ``/join?code=...``, picks a role, presses Join, taps an answer on every
question (one per screen, each tap saved and the next question shown), presses "Send my
answers" at the end, and checks that the page then opens with the confirmation ("Your
answers are in ..."). Participants
arrive ``--ramp`` seconds apart and pause ``--think`` seconds (on average) before each
answer; ``--think 0`` is the stress case, everyone answering as fast as the server lets them.
Meanwhile the facilitator's dashboard is open on the same server, unlocked with the key and
refreshing on its own timer, as on the projector (``--no-dashboard`` leaves it out); its
last refresh must count everyone who sent their answers.

Reported: per-answer latency (the answer sent until the page comes back showing it counted,
with no "Not saved" message), p50, p95 and max; the dashboard's refresh time; errors;
answers stored in the database against those confirmed (lost = confirmed - stored) and
submissions likewise; the server's RSS (``/proc/PID/status`` VmRSS) idle, after the warm-up
(one participant's page and the dashboard, which pay the app's one-off imports), at its
peak and with all N sessions still open, in MB and MB per session. The browser's own
rendering is not in the latency; the end-to-end tests drive the real front end.

Guessers (issue 13, item 3): ``--guessers 32`` runs the participants twice on the same
server, first alone (*unloaded*), then on a second workshop while 32 sessions try wrong
facilitator keys as fast as the server answers them (*loaded*): on the participants' own
workshop (``--guess-on same``, the default) or each on a workshop of its own
(``--guess-on own``). Each guesser opens a new session every ``--guesses-per-session``
tries (5, the most a session may try before it waits), as a script would. Reported beside
the usual figures: the answers' p95 unloaded and loaded and their ratio (the aim: at most
2), and what the guessers were told (wrong key, key entry locked, server busy, wait).

Run: ``python bench/load_participants.py --participants 50 [--think 5] [--database-url URL]
[--guessers 32 [--guess-on same|own]]`` (exit 1 when anything confirmed was lost or any
session failed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.streamlit_session import Session, SessionError  # noqa: E402
from questions import load_instrument  # noqa: E402
from questions.survey import one_by_one, steps_for  # noqa: E402
from storage import (  # noqa: E402
    find_or_create_area,
    make_engine,
    migrate,
    open_workshop,
    save_bank,
)
from storage.core.codes import new_key  # noqa: E402
from storage.core.schema import answers, participants, responses  # noqa: E402
from tests.support.server import (  # noqa: E402
    free_port,
    listening_pid,
    make_run_command,
    server_env,
    serving,
)

BANK = load_instrument().bank
FORM = "quick"
LEVELS = 5  # options 0-4 are the levels 1-5 (then dk, na)
TIMEOUT = 120.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmed: int = 0
    submitted: int = 0
    finished: int = 0  # participants done, one way or the other
    refreshes: list[float] = field(default_factory=list)  # the facilitator's dashboard
    dashboard_said: str = ""
    told: dict[str, int] = field(default_factory=dict)  # what guessers were told, counted


@dataclass(frozen=True)
class Run:
    """What one load run does: where, how many, how fast."""

    base: str
    code: str
    key: str
    participants: int
    ramp: float
    think: float
    dashboard: bool
    guessers: int = 0
    guess_codes: tuple[str, ...] = ()  # the workshop each guesser tries keys on, in turn
    guesses_per_session: int = 5


def rss_mb(pid: int) -> float:
    """VmRSS of a process in MB (MiB, as the kernel counts kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_pid(port: int) -> int:
    """The pid listening on the port (the Streamlit process `serving` started)."""
    pid = listening_pid(port)
    if pid is None:
        raise SystemExit(f"no process listens on port {port}")
    return pid


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


def open_quick_workshop(db_url: str, title: str = "Load test") -> tuple[int, str, str]:
    """A quick-form workshop in a fresh area: (its id, join code, facilitator key)."""
    engine = make_engine(db_url)
    migrate(engine)
    bank_hash = save_bank(engine, BANK, (ROOT / "questions" / "bank.yaml").read_text())
    area = find_or_create_area(engine, "Load test council", "council")
    workshop, key = open_workshop(
        engine,
        area.id,
        bank_hash,
        title,
        BANK.form(FORM).dimensions,
        [r.id for r in BANK.roles],
        form_id=FORM,
    )
    engine.dispose()
    return workshop.id, workshop.join_code, key


def stored(db_url: str, workshop_id: int) -> tuple[int, int]:
    """(answers stored, responses submitted) for the workshop's participants."""
    engine = make_engine(db_url)
    theirs = participants.c.workshop_id == workshop_id
    with engine.connect() as conn:
        given = conn.execute(
            sa.select(sa.func.count())
            .select_from(answers.join(responses).join(participants))
            .where(theirs)
        ).scalar_one()
        sent = conn.execute(
            sa.select(sa.func.count())
            .select_from(responses.join(participants))
            .where(theirs, responses.c.status == "submitted")
        ).scalar_one()
    engine.dispose()
    return given, sent


def answered(session: Session) -> int:
    """The count on the progress line ("Question 4 of 18 · 3 answered")."""
    for text in session.texts("progress"):
        found = re.search(r"(\d+) answered", text)
        if found:
            return int(found.group(1))
    raise SessionError("no progress line on the page")


def asked(role: str) -> int:
    """How many questions the quick form asks someone of ``role`` (those it can judge)."""
    return len(one_by_one(steps_for(BANK, BANK.form(FORM).dimensions), role))


def save_failed(session: Session) -> bool:
    """The survey's own messages when a save did not reach the database."""
    return any(t.startswith("Not saved") or "finished failed" in t for t in session.texts("alert"))


async def take_part(
    base: str, code: str, n: int, think: float, tally: Tally, done: asyncio.Event
) -> None:
    """One participant, start to finish; the session stays open until everyone is done."""
    role = BANK.roles[n % len(BANK.roles)]
    pause = random.Random(n)
    stage = "opening /join"
    session: Session | None = None
    try:
        session = await Session.open(base, "join", f"code={code}", TIMEOUT)
        stage = "choosing a role"
        await session.choose(session.find("selectbox", "Which best describes you?"), role.label)
        stage = "joining"
        await session.click(session.find("button", "Join"))
        if not session.query.startswith("p="):
            raise SessionError(f"Join did not lead to the questions (query {session.query!r})")
        questions = asked(role.id)
        for number in range(1, questions + 1):
            picks = [e for e in session.elements if e.kind == "button" and "-pick_" in e.proto.id]
            if len(picks) < LEVELS:
                raise SessionError(f"question {number} did not show its answers")
            stage = f"answering question {number}"
            await asyncio.sleep(think * pause.uniform(0.5, 1.5))
            before = answered(session)
            started = time.perf_counter()
            await session.click(picks[pause.randrange(LEVELS)])
            latency = time.perf_counter() - started
            if save_failed(session) or answered(session) != before + 1:
                raise SessionError(f"the answer to question {number} was not confirmed")
            tally.latencies.append(latency)
            tally.confirmed += 1
        stage = "sending"
        await session.click(session.find("button", "Send my answers"))
        if save_failed(session):
            raise SessionError("the page said the answers could not be saved")
        shown = [e for e in session.elements if e.kind != "html"]  # the page's style first
        first = shown[0] if shown else None
        if not (first and first.kind == "alert" and first.text.startswith("Your answers are in")):
            raise SessionError("the page after Send my answers did not open with the confirmation")
        tally.submitted += 1
        await done.wait()
    except Exception as exc:  # every failure is a figure in the report, never a hang
        tally.errors.append(f"participant {n}, {stage}: {type(exc).__name__}: {exc}")
    finally:
        tally.finished += 1
        if session is not None:
            await session.close()


async def watch_dashboard(
    run: Run, tally: Tally, ready: asyncio.Event, stop: asyncio.Event
) -> None:
    """The facilitator's projector: unlock the dashboard, then let its live part refresh on
    its timer, as the browser would, until everyone is done; one last refresh after that."""
    stage = "opening the dashboard"
    session: Session | None = None
    try:
        session = await Session.open(run.base, "dashboard", f"w={run.code}", TIMEOUT)
        stage = "unlocking"
        await session.type_text(session.find("text_input", "Facilitator key"), run.key)
        await session.click(session.find("button", "Unlock"))
        if not session.timers:
            raise SessionError("the dashboard did not set a refresh timer")
        # Every timed fragment on the page (the room's live view, the head count of who has
        # joined), refreshed on the shortest timer, as the browser would.
        fragments, every = list(session.timers), min(session.timers.values())
        ready.set()
        stage = "refreshing"
        last = False
        while not last:
            last = stop.is_set()
            if not last:
                with contextlib.suppress(TimeoutError):  # the timer came round
                    await asyncio.wait_for(stop.wait(), every)
            started = time.perf_counter()
            texts: list[str] = []
            for fragment in fragments:
                await session.refresh(fragment)
                texts += session.texts("markdown")
            tally.refreshes.append(time.perf_counter() - started)
        tally.dashboard_said = next((t for t in texts if "people have answered so far" in t), "")
    except Exception as exc:
        tally.errors.append(f"dashboard, {stage}: {type(exc).__name__}: {exc}")
    finally:
        ready.set()
        if session is not None:
            await session.close()


def told(session: Session) -> str:
    """What the dashboard said to a key that did not open it."""
    said = " ".join([*session.texts("alert"), *session.texts("markdown")])
    for phrase, outcome in (
        ("does not open this workshop", "wrong key"),
        ("have been tried for this workshop", "key entry locked"),
        ("busy checking keys", "server busy"),
        ("Too many wrong keys: wait", "told to wait"),
    ):
        if phrase in said:
            return outcome
    return "something else"


async def guess_keys(run: Run, n: int, tally: Tally, stop: asyncio.Event) -> None:
    """One guesser: wrong facilitator keys as fast as the server answers, a new session every
    `Run.guesses_per_session` tries, until the participants are done."""
    code = run.guess_codes[n % len(run.guess_codes)]
    while not stop.is_set():
        session = await Session.open(run.base, "dashboard", f"w={code}", TIMEOUT)
        try:
            for _ in range(run.guesses_per_session):
                if stop.is_set():
                    break
                await session.type_text(session.find("text_input", "Facilitator key"), new_key())
                await session.click(session.find("button", "Unlock"))
                outcome = told(session)
                tally.told[outcome] = tally.told.get(outcome, 0) + 1
        except Exception as exc:
            tally.errors.append(f"guesser {n}: {type(exc).__name__}: {exc}")
            return
        finally:
            await session.close()


async def drive(run: Run, tally: Tally, pid: int) -> tuple[float, float, float]:
    """Runs everyone; returns the server's RSS (MB) idle, after the warm-up (one
    participant's page loaded, and the dashboard open when there is one: the one-off
    imports), and with every participant's session still open at the end."""
    cold = rss_mb(pid)
    warm_up = await Session.open(run.base, "join", f"code={run.code}", TIMEOUT)
    await warm_up.close()
    done, answered, ready = asyncio.Event(), asyncio.Event(), asyncio.Event()
    projector = None
    if run.dashboard:
        projector = asyncio.ensure_future(watch_dashboard(run, tally, ready, answered))
        await ready.wait()
    await asyncio.sleep(1.0)
    warm = rss_mb(pid)

    async def one(n: int) -> None:
        await asyncio.sleep(n * run.ramp)
        await take_part(run.base, run.code, n, run.think, tally, done)

    guessing = asyncio.gather(*(guess_keys(run, n, tally, answered) for n in range(run.guessers)))
    everyone = asyncio.gather(*(one(n) for n in range(run.participants)))
    while tally.finished + tally.submitted < run.participants:  # submitted ones wait for `done`
        await asyncio.sleep(0.2)
    held = rss_mb(pid)
    answered.set()
    await guessing
    if projector is not None:
        await projector
    done.set()
    await everyone
    return cold, warm, held


def lost_count(tally: Tally, given: int, sent: int) -> int:
    """What participants saw confirmed that is not in the database. Answers never given
    (a session that failed first) are errors, not losses."""
    return max(tally.confirmed - given, 0) + max(tally.submitted - sent, 0)


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
        "--ramp", type=float, default=0.2, help="seconds between participants arriving (0.2)"
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds before each answer (0: stress)"
    )
    parser.add_argument(
        "--no-dashboard",
        action="store_true",
        help="leave out the facilitator's dashboard (by default one is open, refreshing)",
    )
    parser.add_argument(
        "--guessers",
        type=int,
        default=0,
        help="sessions trying wrong facilitator keys during a second, loaded run (0: none)",
    )
    parser.add_argument(
        "--guess-on",
        choices=("same", "own"),
        default="same",
        help="guess keys on the participants' workshop (same) or each on its own (own)",
    )
    parser.add_argument(
        "--guesses-per-session",
        type=int,
        default=5,
        help="wrong keys a guesser tries before opening a new session (5)",
    )
    args = parser.parse_args()
    expected = sum(asked(BANK.roles[n % len(BANK.roles)].id) for n in range(args.participants))
    per_person = round(expected / max(args.participants, 1))

    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp))
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        db_url = env["DATABASE_URL"]
        workshop_id, code, key = open_quick_workshop(db_url)
        unloaded: Tally | None = None
        guess_codes: tuple[str, ...] = ()
        if args.guessers:  # the unloaded run goes on the first workshop, the loaded on this
            unloaded_code, unloaded_key = code, key
            workshop_id, code, key = open_quick_workshop(db_url, "Load test, guessed at")
            guess_codes = (code,)
            if args.guess_on == "own":
                guess_codes = tuple(
                    open_quick_workshop(db_url, f"Guessed at {n}")[1] for n in range(args.guessers)
                )
        port = free_port()
        with serving(make_run_command(port), port, env, Path(tmp) / "server.log") as base:
            pid = server_pid(port)
            sampler = PeakRss(pid)
            sampler.start()
            plain = Run(
                base, code, key, args.participants, args.ramp, args.think, not args.no_dashboard
            )
            if args.guessers:
                unloaded = Tally()
                alone = replace(plain, code=unloaded_code, key=unloaded_key)
                asyncio.run(drive(alone, unloaded, pid))
            tally = Tally()
            started = time.perf_counter()
            run = replace(
                plain,
                guessers=args.guessers,
                guess_codes=guess_codes,
                guesses_per_session=args.guesses_per_session,
            )
            cold, warm, held = asyncio.run(drive(run, tally, pid))
            total = time.perf_counter() - started
            sampler.done.set()
            sampler.join()
        given, sent = stored(db_url, workshop_id)

    lost = lost_count(tally, given, sent)
    peak = max(sampler.peak, held)
    lat = tally.latencies
    database = "PostgreSQL" if db_url.startswith("postgresql") else "SQLite"
    print(
        f"load: {args.participants} participants, quick form ({per_person} answers and a "
        f"send each), {database}, think {args.think:g} s, ramp {args.ramp:g} s, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  answers confirmed      {tally.confirmed} of {expected}")
    print(
        f"  latency answer->shown  p50 {percentile(lat, 50) * 1000:.0f} ms   "
        f"p95 {percentile(lat, 95) * 1000:.0f} ms   max {max(lat, default=0) * 1000:.0f} ms"
    )
    if not args.no_dashboard:
        refreshes = tally.refreshes
        print(
            f"  dashboard refresh      p50 {percentile(refreshes, 50) * 1000:.0f} ms   "
            f"p95 {percentile(refreshes, 95) * 1000:.0f} ms   ({len(refreshes)} refreshes)"
        )
        print(f"  dashboard said         {tally.dashboard_said or '(nothing)'}")
        wanted = f"{tally.submitted} people have answered so far"
        if wanted not in tally.dashboard_said:  # silence is a failure too
            tally.errors.append(f"the dashboard's last refresh did not say {wanted!r}")
    if unloaded is not None:
        alone_p95, loaded_p95 = percentile(unloaded.latencies, 95), percentile(lat, 95)
        print(
            f"  guessers               {args.guessers} sessions on "
            f"{'the participants' if args.guess_on == 'same' else 'their own'} workshop"
            f"{'' if args.guess_on == 'same' else 's'}, a new session every "
            f"{args.guesses_per_session} tries; told: "
            + (", ".join(f"{n} {what}" for what, n in sorted(tally.told.items())) or "nothing")
        )
        print(
            f"  answer p95 unloaded    {alone_p95 * 1000:.0f} ms   loaded "
            f"{loaded_p95 * 1000:.0f} ms   ({loaded_p95 / alone_p95:.2f} x)"
        )
        tally.errors += [f"unloaded run: {e}" for e in unloaded.errors]
    print(f"  errors                 {len(tally.errors)}")
    for line in tally.errors[:10]:
        print(f"    {line}")
    print(f"  total time             {total:.1f} s")
    print(f"  answers stored         {given} (confirmed {tally.confirmed})")
    print(f"  submissions stored     {sent} (confirmed {tally.submitted})")
    print(f"  lost                   {lost}")
    print(
        f"  server RSS             idle {cold:.0f} MB   after warm-up {warm:.0f} MB   "
        f"{args.participants} sessions open {held:.0f} MB   peak {peak:.0f} MB"
    )
    print(
        f"  per session            {(held - warm) / max(args.participants, 1):.2f} MB held "
        f"(open - warm-up, / {args.participants}), "
        f"{(peak - warm) / max(args.participants, 1):.2f} MB at peak"
    )
    if lost > 0:
        print(f"LOST: {lost} confirmed answers or submissions are not in the database")
        return 1
    if tally.errors:
        print(f"INCOMPLETE: {len(tally.errors)} sessions failed; see the errors above")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
