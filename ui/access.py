"""Who this session is: the grants it holds, read from Streamlit's session state.

Why: `storage.core.access` decides what each kind of person may do; this module only
remembers, per browser session, what the person has shown (a facilitator key, a
sign-in, a participant token, a resume code) and hands the right `Grant` to the
pages, which pass it to the storage functions that check it. Grants stay on the
server: the browser holds at most a code in the address bar.

It also slows whoever guesses codes (issue 13, item 3): a join code, a resume code or a
facilitator key that matches nothing is counted per browser session and per client
address (`storage.core.throttle.Throttle`), and after a few in a row the next is not even
looked up until a wait has passed (`guarded`; or `held_back`, `missed` and `matched`).
A script opening a new session for each guess still meets the address's count. The
address is Streamlit's ``st.context.ip_address``: None on ``localhost`` (only the session
counts then), and a proxy's own address when Ladder sits behind one on another machine
(Streamlit does not read ``X-Forwarded-For``), so the address's allowance is generous: a
room behind one address mistypes freely. The count lives in this server process's memory, bounded
(`ADDRESSES`). A workshop's key is also locked in the database (`storage.core.access`).

A refused guess also holds its own page for a moment before answering (`slow_down`):
the session's script thread sleeps, which costs the server no CPU, while a guesser that
waits for each answer (as a browser or a simple script does) slows to match. Measured
with ``bench/load_participants.py --guessers 32``: without it, 32 sessions answered
"key entry locked" as fast as the server could run the page, and that alone took the CPU
from participants' saves.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Final, Literal, TypeVar

import streamlit as st

from storage import (
    ANYONE,
    AccessDenied,
    Grant,
    InputError,
    Kind,
    StorageError,
    Throttle,
    allowed,
    require,
)
from ui import state
from ui.signin import current_admin
from ui.store import database_trouble
from ui.text import literal

__all__ = [
    "ADDRESSES",
    "ADDRESS_TRIES",
    "SESSION_TRIES",
    "HeldBack",
    "admin",
    "client_address",
    "denied",
    "facilitator",
    "forget_workshop",
    "guarded",
    "held_back",
    "is_participant",
    "matched",
    "missed",
    "page_kinds",
    "remember_facilitator",
    "require_page",
    "session_throttle",
    "slow_down",
]

log = logging.getLogger("ladder")
_clock = time.monotonic  # tests move time on

Guessed = Literal["key", "join", "resume"]
_WHAT: Final = {"key": "facilitator key", "join": "join code", "resume": "resume code"}
#: Per browser session: (wrong tries free, first wait in seconds, longest wait). A person
#: who mistypes once or twice never waits; the first wait is longer than a refused guess's
#: pause (`MISSED_PAUSE`), which it would otherwise pass unnoticed.
SESSION_TRIES: Final = {"key": (5, 5.0, 60.0), "join": (3, 4.0, 60.0), "resume": (3, 4.0, 60.0)}
#: Per client address: many free, since a whole room may share one address.
ADDRESS_TRIES: Final = {"key": (20, 1.0, 60.0), "join": (20, 1.0, 60.0), "resume": (20, 1.0, 60.0)}
ADDRESSES: Final = 10_000  # addresses remembered per kind; the oldest forgotten
#: Seconds a page holds a guess that matched nothing, and one that was not even checked
#: (a wait, a locked key entry), before it answers.
MISSED_PAUSE: Final = 1.0
HELD_PAUSE: Final = 10.0
_sleep = time.sleep  # tests pass
_spread = partial(random.SystemRandom().uniform, 0.5, 1.5)  # tests hold it at 1
T = TypeVar("T")


def remember_facilitator(grant: Grant) -> None:
    """Keep a facilitator's grant (from `storage.core.access.unlock_workshop` or opening)."""
    if grant.kind != "facilitator" or grant.workshop_id is None:
        raise ValueError("only a facilitator's grant for a workshop can be remembered")
    state.FACILITATOR_GRANTS.setdefault({})[grant.workshop_id] = grant


def facilitator(workshop_id: int) -> Grant:
    """This session's grant for one workshop: the facilitator's, or `ANYONE`.

    The grant is checked again by storage on every use (id, join code, secret), so a
    grant kept here for a workshop that has since been deleted opens nothing.
    """
    return state.FACILITATOR_GRANTS.get_or({}).get(workshop_id, ANYONE)


def forget_workshop(workshop_id: int) -> None:
    state.FACILITATOR_GRANTS.get_or({}).pop(workshop_id, None)


def admin() -> Grant:
    """The signed-in administrator's grant, or `ANYONE` (see `ui.signin`)."""
    return current_admin() or ANYONE


def is_participant() -> bool:
    """Whether this session joined a workshop as a participant (it sees only those pages)."""
    return bool(state.PARTICIPANT_TOKEN.get())


def page_kinds() -> frozenset[Kind]:
    """Every kind this session can claim for pages: anyone, plus what it has shown."""
    kinds: set[Kind] = {"anyone"}
    if is_participant():
        kinds = {"participant"}
    if state.FACILITATOR_GRANTS.get():
        kinds.add("facilitator")
    if state.RESUME_TOKEN.get():
        kinds.add("owner")
    if admin().kind == "admin":
        kinds.add("admin")
    return frozenset(kinds)


def require_page(name: str, grant: Grant | None = None) -> None:
    """Stop the page with a plain message unless this session may open it.

    ``grant``, when given, is the grant the page acts with (e.g. the administrator's);
    otherwise any kind this session holds will do.
    """
    kinds = {grant.kind} if grant is not None else page_kinds()
    if not any(allowed(f"page:{name}", k) for k in kinds):
        require(f"page:{name}", ANYONE)  # refuses, naming who the page is for
        raise AccessDenied("This page")  # a page open to anyone was asked for with a grant


def refused(exc: AccessDenied | InputError | StorageError, said: str = "") -> None:
    """Why a request did nothing, in one plain line: not yours (`denied`), a field to fix
    (``said`` then the message), or the database (`database_trouble`)."""
    if isinstance(exc, AccessDenied):
        denied(exc)
    elif isinstance(exc, InputError):
        st.error(literal(f"{said} {exc.message[:1].upper()}{exc.message[1:]}.".strip()))
    else:
        st.error(database_trouble(exc, said))


def denied(exc: AccessDenied) -> None:
    """The page a refused request gets: one plain sentence, and where to go instead."""
    st.warning(literal(f"{exc.message}."), icon=":material/lock:")
    if "administrator" in exc.message and not is_participant():
        st.page_link(
            "app_pages/admin.py", label="Sign in as an administrator", icon=":material/key:"
        )
    elif is_participant():
        st.page_link("app_pages/take.py", label="Back to your answers", icon=":material/edit_note:")
    else:
        st.page_link("app_pages/home.py", label="Home", icon=":material/home:")


# --- Guessing is slow: back-off per session and per address -----------------------------


def session_throttle(
    name: str, free: int, base: float, cap: float, clock: Callable[[], float] | None = None
) -> Throttle:
    """This browser session's `Throttle` called ``name`` (made on first use).

    ``clock``: seconds from a fixed point; by default this module's ``_clock``.
    """
    held = state.THROTTLES.setdefault({})
    if name not in held:
        held[name] = Throttle(free, base, cap, size=1, clock=clock or (lambda: _clock()))
    return held[name]


@st.cache_resource(show_spinner=False)
def _by_address() -> dict[str, Throttle]:
    """One `Throttle` per kind of code, keyed by client address, for this server process."""
    return {
        kind: Throttle(free, base, cap, size=ADDRESSES, clock=lambda: _clock())
        for kind, (free, base, cap) in ADDRESS_TRIES.items()
    }


def client_address() -> str | None:
    """The address this session's connection comes from (None on ``localhost``)."""
    try:
        return st.context.ip_address
    except Exception:  # no session context (a bare script): the session alone counts
        return None


def _session(kind: Guessed) -> Throttle:
    return session_throttle(kind, *SESSION_TRIES[kind])


def held_back(kind: Guessed) -> int:
    """Seconds before this session's next ``kind`` may be looked up at all (0: now)."""
    wait = _session(kind).wait(kind)
    address = client_address()
    if address is not None:
        wait = max(wait, _by_address()[kind].wait(address))
    return wait


def missed(kind: Guessed) -> None:
    """A ``kind`` was looked up and matched nothing: count it, and log the counts (never
    what was typed, nor the address)."""
    in_session = _session(kind).failed(kind)
    address = client_address()
    from_address = _by_address()[kind].failed(address) if address is not None else None
    log.warning(
        "a %s matched nothing: %d in a row from one browser session%s",
        _WHAT[kind],
        in_session,
        "" if from_address is None else f", {from_address} from its address",
    )


def matched(kind: Guessed) -> None:
    """A ``kind`` matched: this session starts again. The address's count stays (a guesser
    who knows one real code cannot wash its count away with it)."""
    _session(kind).succeeded(kind)


class HeldBack(Exception):
    """Too many codes matched nothing: the next is not looked up for ``seconds``."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.message = (
            f"Too many codes that matched nothing: please wait {seconds} seconds, then try again."
        )
        super().__init__(self.message)


def guarded(kind: Guessed, typed: str | None, find: Callable[[str], T | None]) -> T | None:
    """``find(typed)``, counted: a miss slows this session and its address (`missed`), a
    match lets this session start again (`matched`).

    ``typed`` is the code in its stored form, or None when it is not one (nothing is looked
    up or counted: it cannot match). The same miss again (the page running again with the
    code still in its address) is not looked up or counted twice.

    Raises:
        HeldBack: this session or its address must wait before its next code is looked up.
    """
    if typed is None:
        return None
    misses = state.MISSED_CODES.setdefault({})
    if misses.get(kind) == typed:
        return None
    wait = held_back(kind)
    if wait:
        slow_down(HELD_PAUSE)
        raise HeldBack(wait)
    found = find(typed)
    if found is None:
        misses[kind] = typed
        missed(kind)
        slow_down(MISSED_PAUSE)
    else:
        misses.pop(kind, None)
        matched(kind)
    return found


def slow_down(seconds: float) -> None:
    """Hold this page about ``seconds`` before it answers a refused guess (no CPU spent).

    The pause is spread at random over half to one and a half times ``seconds``: with a
    fixed pause, guessers that started together stay in step and land on the server all
    at once every few seconds, and people answering in that moment wait behind them all
    (measured: participants' save p95 with 32 guessers, bench/load_participants.py).
    """
    _sleep(seconds * _spread())
