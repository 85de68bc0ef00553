"""The facilitator's dashboard (the console): live while the room answers; what the room
view on the projector shows; rounds, agreed levels, paper, who can join, files. Everything
on it is behind the facilitator key: `facilitated` checks this session's grant on every
run, and the controls act with it (`ui.access.facilitator`)."""

from __future__ import annotations

import streamlit as st

from storage import AccessDenied, StorageError, room_view
from ui import state
from ui.access import facilitator
from ui.assessment import actions
from ui.store import database_trouble, engine
from ui.text import literal
from ui.workshop import dashboard as view
from ui.workshop import door, facilitation, room
from ui.workshop.entry import facilitated, join_link, qr_png

REFRESH_SECONDS = 3

st.set_page_config(layout="wide")
workshop = facilitated()
bank = state.bank()
link = join_link(st.context.url, workshop.join_code)

head, qr = st.columns([4, 1])
head.title(literal(workshop.title), anchor=False)
head.markdown(f"Join at **{literal(link)}** with the code **{literal(workshop.join_code)}**")
with head:
    door.headcount(workshop.id)
qr.image(qr_png(link, scale=5), width=140, alt="QR code that opens the join page")
actions.last_time(facilitator(workshop.id), bank)  # when it follows an earlier workshop
with st.container(border=True):
    room.console(workshop.id, st.context.url)


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    # The room's view (storage.workshop.roomviews): sent answers only, each scope changing only when
    # k or more people's answers differ from what the room last saw; checked against the grant.
    try:
        taken = room_view(engine(), facilitator(workshop.id), workshop.id)
    except AccessDenied:
        st.info("This workshop is no longer open to this session.")
        return
    except StorageError as exc:  # a timed refresh runs outside app.py's catch: say it here
        st.warning(database_trouble(exc, "The room's view cannot be refreshed just now."))
        return
    d = view.room_dashboard(bank, workshop, taken)
    state = "open: people can answer" if taken.round_open else "closed"
    # Our words and the round's number only; literal all the same, so no reader need wonder.
    st.caption(literal(f"Round {taken.round} is {state}. This view refreshes every few seconds."))
    view.participation(d, taken)
    if d.shown:
        view.room(d, taken.memo)
        view.splits(d, taken.memo)
        view.roles(d, taken.memo)
        view.dont_know(d, taken.memo)


live()
st.divider()
facilitation.controls(workshop.id, bank)
