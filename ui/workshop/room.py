"""The room view: one message per screen, large enough to read from the back of a council
chamber, driven from the facilitator's console through the database.

Why: the projector needs a calm screen beside the facilitator's dense console. The room
view runs on its own address (``room?screen=…``, the room link), on the facilitator's
machine or another one; every couple of seconds it reads which screen the console chose
and whether results are revealed (`storage.room_screen`), so both stay in step. The
sentences come from `scoring.workshop.screens`; nothing here computes a figure. What a
room screen may read is checked in storage (`storage.core.access.room_reach`).
"""

from __future__ import annotations

from functools import partial
from typing import Final

import streamlit as st

from common.screens import RESULT_SCREENS, ROOM_SCREENS, SCREEN_TITLES
from questions.model import Bank
from scoring.workshop import screens as words
from scoring.workshop.rounds import AgreedLevel
from storage import (
    AccessDenied,
    Grant,
    RoomScreen,
    StorageError,
    agreements,
    drive_room,
    make_room_link,
    room_screen,
    room_view,
)
from ui import state
from ui.access import facilitator
from ui.store import database_trouble, engine
from ui.text import literal
from ui.workshop import dashboard as view
from ui.workshop import door
from ui.workshop.entry import join_link, qr_png, room_address

__all__ = ["REFRESH_SECONDS", "ROOM_STYLE", "console", "show"]

#: How often the room view asks what to show: one small query.
REFRESH_SECONDS: Final = 2
#: The room view's own look: no menu, no toolbar, large type (at 1920×1080 nothing under
#: 24 px). Fixed text of ours, never anything a person or the bank wrote.
ROOM_STYLE: Final = """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarNav"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding-top: 2rem !important; max-width: 100% !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] span,
[data-testid="stMain"] div, [data-testid="stMain"] label { font-size: 32px; line-height: 1.35; }
[data-testid="stMain"] h1, [data-testid="stMain"] h1 span { font-size: 64px !important; }
[data-testid="stMain"] h2, [data-testid="stMain"] h2 span { font-size: 48px !important; }
[data-testid="stMain"] h3, [data-testid="stMain"] h3 span { font-size: 40px !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 28px !important; color: #31333f !important; opacity: 1 !important; }
</style>"""


def show(bank: Bank, grant: Grant, workshop_id: int, page_url: str | None) -> None:
    """Draw what the room should see now (the page's timed fragment calls this)."""
    try:
        screen = room_screen(engine(), grant, workshop_id)
    except AccessDenied:
        st.markdown("## This room link no longer opens a room view.", anchors=False)
        st.markdown("Ask the facilitator for the current room link.")
        return
    except StorageError as exc:  # a timed refresh runs outside app.py's catch: say it here
        st.markdown(literal(database_trouble(exc, "The room view will come back shortly.")))
        return
    if screen.joining_open:
        main, side = st.columns([5, 2], gap="large")
        with side:
            _join_panel(screen, page_url)
    else:
        main = st.container()
    with main:
        st.markdown(f"### {literal(screen.workshop.title)}", anchors=False)
        _message(_slide(bank, grant, screen))


def _join_panel(screen: RoomScreen, page_url: str | None) -> None:
    link = join_link(page_url, screen.workshop.join_code)
    st.image(qr_png(link, scale=10), width=340, alt="QR code that opens the join page")
    st.markdown("Join on your phone: scan the code, or go to")
    st.markdown(f"**{literal(link)}**")
    st.markdown("and type the code")
    st.markdown(f"## {literal(screen.workshop.join_code)}", anchors=False)


def _slide(bank: Bank, grant: Grant, screen: RoomScreen) -> words.Slide:
    w = screen.workshop
    if screen.screen == "join":
        return words.Slide(
            "Join the workshop",
            (
                "Use your phone to answer privately.",
                f"The room sees only totals for groups of at least {w.k} people, "
                "never one person's answers.",
            ),
        )
    if screen.screen == "answered":
        return words.answered_slide(screen.sent, w.current_round, w.round_open)
    if screen.screen == "agreed":
        return _agreed(bank, screen)
    if screen.screen in RESULT_SCREENS and not screen.revealed:
        return words.hidden_slide(w.current_round, True, w.k, 0)
    room = room_view(engine(), grant, w.id)
    d = view.room_dashboard(bank, w, room)
    if not d.shown:
        return words.hidden_slide(w.current_round, False, w.k, d.needed)
    if screen.screen == "agree":
        return words.agree_slide(d)
    if screen.screen == "split":
        return words.split_slide(d)
    if screen.screen == "roles":
        return words.roles_slide(d)
    return words.moved_slide(view.last_moves(bank, w, grant))


def _agreed(bank: Bank, screen: RoomScreen) -> words.Slide:
    w = screen.workshop
    records = [AgreedLevel.of(a) for a in agreements(engine(), w.id)]
    rounds = [a.round for a in records]
    round_ = w.current_round if w.current_round in rounds else max(rounds, default=w.current_round)
    return words.agreed_slide(records, bank, w.dimensions, round_)


def _message(slide: words.Slide) -> None:
    st.markdown(f"# {literal(slide.heading)}", anchors=False)
    for line, detail in slide.rows():
        st.markdown(literal(line) + (f"  \n**{literal(detail)}**" if detail else ""))
    if slide.note:
        st.caption(literal(slide.note))


def console(workshop_id: int, page_url: str | None) -> None:
    """The facilitator's controls for the room view: its link, the screen, reveal."""
    try:
        screen = room_screen(engine(), facilitator(workshop_id), workshop_id)
    except (AccessDenied, StorageError):
        return
    w = screen.workshop
    links = state.ROOM_LINKS.setdefault({})
    st.markdown("**The room view** — open it on the projector; it follows your choices here.")
    left, right = st.columns([3, 2])
    with left:
        chosen = st.radio(
            "The room sees",
            ROOM_SCREENS,
            index=ROOM_SCREENS.index(screen.screen),
            format_func=SCREEN_TITLES.__getitem__,
            horizontal=True,
            key=f"room_screen_{w.id}",
        )
        if chosen != screen.screen and door.act(partial(drive_room, screen=chosen), w.id):
            st.rerun()
        label = f"Show round {w.current_round}'s results to the room"
        shown = st.toggle(label, value=screen.revealed, key=f"room_reveal_{w.id}_{w.current_round}")
        if shown != screen.revealed and door.act(partial(drive_room, reveal=shown), w.id):
            st.rerun()
        if not screen.revealed:
            st.caption(
                "Results stay hidden from the room until you show them, so nobody's early "
                "answers sway the others. The next round starts hidden again."
            )
    with right:
        token = links.get(w.id)
        if token is not None:
            address = room_address(page_url, token)
            st.link_button("Open the room view", address, icon=":material/tv:")
            st.caption("Room link, to open on the projector's machine:")
            st.code(address, language=None, wrap_lines=True)
        make = "Make a new room link" if token else "Make the room link"
        if st.button(make, key=f"room_link_{w.id}"):
            try:
                links[w.id] = make_room_link(engine(), facilitator(w.id), w.id)
            except (AccessDenied, StorageError):
                st.error("The room link could not be made. Unlock the dashboard again.")
            else:
                st.rerun()
        st.caption(
            "Anyone with the room link sees what the room sees, and nothing more. "
            "A new link stops the old one."
        )
