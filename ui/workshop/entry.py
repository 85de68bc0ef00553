"""Workshop pieces shared by the facilitator's pages and the participant's pages.

Why: the join link, the QR code, the facilitator's unlock and the
participant's token each have one home, so every page treats them alike.
An unlock is the facilitator's `storage.core.access.Grant` (bound to the workshop's
id, join code and secret), kept by `ui.access` and checked again on every run:
a grant for a deleted workshop opens nothing, even where its id was given again.
The participant's views between rounds (answers sent, round closed) live here
too, with the small timer that notices when the facilitator moves the room on.
"""

from __future__ import annotations

import functools
import io
from datetime import datetime
from functools import partial
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import segno
import streamlit as st

from storage import (
    Grant,
    KeyBusy,
    KeyLocked,
    KeyNotice,
    Participant,
    StorageError,
    Workshop,
    clean_token,
    find_participant,
    find_workshop,
    get_workshop,
    grant_holds,
    normalise_code,
    read_ahead,
    reading,
    spaced_token,
    take_key_notice,
    unlock_workshop,
)
from ui import state
from ui.access import (
    HELD_PAUSE,
    MISSED_PAUSE,
    HeldBack,
    facilitator,
    forget_workshop,
    guarded,
    held_back,
    matched,
    missed,
    remember_facilitator,
    slow_down,
)
from ui.assessment import survey
from ui.store import engine
from ui.text import literal

#: How often a participant's page between rounds asks whether the round has moved on:
#: one small query, so a room of phones costs the server little.
ROUND_CHECK_SECONDS = 5

SENT = (
    "Your answers are in — thank you. You can still change them until the facilitator "
    "closes the round."
)


def what_is_seen(k: int) -> str:
    """What the facilitator and the room can see of a participant, in one plain sentence.

    Kept true to the outputs: the dashboard, projector and reports show groups of at
    least k; the answers CSV and workbook carry pseudonyms (P1, P2 ...), dates without
    times, evidence notes, and a role only where at least k people share it.
    """
    return (
        f"The room and the facilitator's screen show only totals for groups of at least {k} "
        "people, never one person's answers; the facilitator can also download each "
        "person's answers and notes under a code like P7, with the date but not the time "
        f"and the role only where at least {k} people share it, and never a name: none is "
        "asked for."
    )


def join_link(page_url: str | None, code: str) -> str:
    """The address participants open: this server's ``join`` page with the code."""
    return page_address(page_url, "join", {"code": code})


def room_address(page_url: str | None, token: str) -> str:
    """The room link: this server's ``room`` page with the room link's token."""
    return page_address(page_url, "room", {state.ROOM_LINK.name: token})


def page_address(page_url: str | None, page: str, params: dict[str, str]) -> str:
    """The address of another of this server's pages, beside the one at ``page_url``.

    Works behind a proxy that serves Ladder under a path (``/ladder/dashboard`` →
    ``/ladder/join``). Without a known URL (tests), a relative link.
    """
    query = urlencode(params)
    if not page_url:
        return f"{page}?{query}"
    scheme, netloc, path, _, _ = urlsplit(page_url)
    base = path.rsplit("/", 1)[0] if "/" in path else ""
    return urlunsplit((scheme, netloc, f"{base}/{page}", query, ""))


@functools.lru_cache(maxsize=64)
def qr_png(link: str, scale: int = 8) -> bytes:
    """A QR code of the link, as PNG bytes, big enough to scan from the back of a room.
    Kept per link (bounded): the dashboard draws the same one on every run."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def find_by_code(code: str) -> Workshop | None:
    """The workshop a join code (typed any way) opens; a code that opens none is counted
    for this session and its address (`ui.access.guarded`).

    Raises:
        HeldBack: too many codes from here matched nothing; this one was not looked up.
    """
    return guarded("join", normalise_code(code), lambda stored: find_workshop(engine(), stored))


def holds(workshop: Workshop) -> Grant | None:
    """This session's grant for the workshop when it still holds (same id, join code and
    secret); a stale one (the workshop deleted, its id given again) is forgotten."""
    grant = facilitator(workshop.id)
    if grant.kind != "facilitator":
        return None
    with reading(engine()) as conn:
        still = grant_holds(conn, grant, workshop.id)
    if not still:
        forget_workshop(workshop.id)
        return None
    return grant


def facilitated(required: bool = True) -> Workshop | None:
    """The workshop in the URL, once this session has shown its facilitator key.

    Asks for the key when it has not; stops the page (when ``required``) until then.
    Pages act with ``ui.access.facilitator(workshop.id)``, the grant checked here.
    A wrong code and a wrong key are told apart from nothing else: no detail leaks.
    """
    code = state.WORKSHOP.get() or ""
    try:
        workshop = find_by_code(code)
    except HeldBack as exc:
        workshop = None
        st.error(literal(exc.message))
    else:
        if code and workshop is None:
            st.error("There is no workshop with that code. Check the code and try again.")
    if workshop is None:
        entered = st.text_input("Workshop code", placeholder="e.g. ABC-DEFG")
        if st.button("Open the dashboard") and entered:
            state.WORKSHOP.set(entered)
            st.rerun()
        st.stop()
    grant = holds(workshop)
    if grant is not None:
        _tell_of_wrong_keys(take_key_notice(engine(), grant, workshop.id))
        return workshop
    gate = st.empty()
    with gate.container():
        st.subheader(f"{literal(workshop.title)}: facilitator key", anchor=False)
        st.write(
            "The dashboard, round controls, imports and exports need the facilitator key "
            "that was shown when the workshop was opened."
        )
        key = st.text_input("Facilitator key", type="password")
        pressed = st.button("Unlock", type="primary")
    if pressed and key:
        grant = _unlock(workshop, code, key)
        if grant is not None:
            # The page goes on in this run, the key's form taken away: running it all
            # again (st.rerun) would draw the same page after a second pass through app.py.
            gate.empty()
            _tell_of_wrong_keys(take_key_notice(engine(), grant, workshop.id))
            return workshop
    if required:
        st.stop()
    return None


def _unlock(workshop: Workshop, code: str, key: str) -> Grant | None:
    """Check the key, unless this session or its address must wait first (ui.access) or
    the workshop's key entry is locked (storage.core.access): this session's grant when it
    opens the workshop (remembered for the session), else None with the reason shown."""
    wait = held_back("key")
    if wait:
        slow_down(HELD_PAUSE)
        st.error(f"Too many wrong keys: wait {literal(wait)} seconds, then try again.")
        return None
    try:
        # The room's answers are read while the key hashes (storage's read_ahead).
        grant = unlock_workshop(engine(), code, key.strip(), partial(read_ahead, engine()))
    except KeyLocked as exc:
        slow_down(HELD_PAUSE)
        st.error(
            f"{exc.message} The facilitator will be told how many wrong keys were tried. "
            "If you are the facilitator and still have the dashboard open on another device, "
            "it keeps working."
        )
        return None
    except KeyBusy as exc:
        slow_down(MISSED_PAUSE)
        st.warning(exc.message)
        return None
    if grant is not None and grant.workshop_id == workshop.id:
        matched("key")
        remember_facilitator(grant)
        return grant
    missed("key")
    slow_down(MISSED_PAUSE)
    st.error("That key does not open this workshop.")
    return None


def _tell_of_wrong_keys(notice: KeyNotice | None) -> None:
    """Once, to the facilitator: the wrong keys tried since they last looked."""
    if notice is None:
        return
    tried = (
        "1 wrong key was tried" if notice.wrong == 1 else f"{notice.wrong} wrong keys were tried"
    )
    locked = (
        f"; key entry was locked until {_clock_time(notice.locked_until)}"
        if notice.locked_until
        else ""
    )
    st.warning(
        f"Since you last unlocked, {tried}{locked}. If that was not your team, someone may "
        "have your join code and be guessing the key: the facilitator guide says what to do.",
        icon=":material/key_off:",
    )


def _clock_time(at: datetime) -> str:
    """A time as the browser's clock shows it ("14:05"), or in UTC when its zone is unknown."""
    try:
        zone = st.context.timezone
        return f"{at.astimezone(ZoneInfo(zone)):%H:%M}" if zone else f"{at:%H:%M} UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return f"{at:%H:%M} UTC"


def participant() -> tuple[Participant, Workshop] | None:
    """The participant named by the URL (or this session), with their workshop."""
    token = clean_token(state.PARTICIPANT.get()) or clean_token(state.PARTICIPANT_TOKEN.get())
    if token is None:
        return None
    # A database that fails raises on (to app.py, which says "not saved — try again"):
    # answering None here told a participant mid-outage to join a workshop.
    found = find_participant(engine(), token)
    if found is None:
        return None
    state.PARTICIPANT_TOKEN.set(token)
    if state.PARTICIPANT.get() != token:
        state.PARTICIPANT.set(token)
    workshop = get_workshop(engine(), found.workshop_id)
    return (found, workshop) if workshop else None


def arrived(response_id: int) -> None:
    """Note which response this page shows; a different one (a new round, another join)
    starts at step 1, at the top of the page, and forgets an earlier "change my answers"."""
    before = state.WORKSHOP_RESPONSE.get()
    if before == response_id:
        return
    state.WORKSHOP_RESPONSE.set(response_id)
    state.WORKSHOP_STEP.pop()
    state.WORKSHOP_EDITING.pop()
    if before is not None:
        survey.back_to_top()


def editing(response_id: int) -> bool:
    """Whether the participant chose to change answers they had already sent."""
    return state.WORKSHOP_EDITING.get() == response_id


def _edit(response_id: int) -> None:
    state.WORKSHOP_EDITING.set(response_id)
    state.WORKSHOP_STEP.set(0)
    survey.back_to_top()


def sent_now() -> None:
    """After Send: show the confirmation (not step 1), from the top of the page."""
    state.WORKSHOP_EDITING.pop()
    survey.back_to_top()


def your_code() -> None:
    st.caption(
        f"Your code: **{spaced_token(state.PARTICIPANT_TOKEN.get_or(''))}**. The address in "
        "your browser brings you back to your answers, and so does this code typed on the "
        "*Join a workshop* page on another device. Keep it to yourself."
    )


def sent(workshop: Workshop, response_id: int) -> None:
    """The confirmation a participant sees first after sending, until the round moves on."""
    st.success(SENT, icon=":material/check_circle:")
    st.subheader(literal(workshop.title), anchor=False)
    st.write(
        f"The room sees only totals for groups of at least {workshop.k} people, never your "
        "answers on their own. You can put your phone down for the discussion. This page "
        "shows it when the round closes, and brings your questions back if another round opens."
    )
    st.button("Change my answers", on_click=_edit, args=(response_id,))
    st.divider()
    your_code()
    watch_round(workshop)
    survey.scroll_if_moved()


def round_closed(workshop: Workshop) -> None:
    """Between rounds: what happened, what to do now, and the way back in."""
    st.subheader(literal(workshop.title), anchor=False)
    st.info(
        f"Round {workshop.current_round} has closed. The answers you gave are in.",
        icon=":material/lock:",
    )
    st.markdown(
        "**What now:** join the discussion in the room. Keep this page open: if the "
        f"facilitator opens round {workshop.current_round + 1}, your questions come back here "
        "by themselves, with the answers you gave, for you to change or keep."
    )
    st.button("Check for the next round")
    watch_round(workshop)
    survey.scroll_if_moved()


def watch_round(workshop: Workshop) -> None:
    """Every few seconds, rerun the whole page once the facilitator closes or opens a round."""
    _watch(workshop.id, workshop.current_round, workshop.round_open)


@st.fragment(run_every=ROUND_CHECK_SECONDS)
def _watch(workshop_id: int, round_: int, round_open: bool) -> None:
    try:
        now = get_workshop(engine(), workshop_id)
    except StorageError:
        return  # a database blip: the next check will do
    if now is not None and (now.current_round, now.round_open) != (round_, round_open):
        st.rerun(scope="app")
