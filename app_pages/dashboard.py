"""The facilitator's dashboard: live while the room answers; rounds, agreed levels, paper,
who can join, files. Everything on it is behind the facilitator key: `facilitated` checks this
session's grant on every run, and the controls act with it (`ui.access.facilitator`)."""

from __future__ import annotations

import streamlit as st

from scoring.dashboard import build_dashboard
from storage.workshops import get_workshop, workshop_answers
from ui import dashboard as view
from ui import door, facilitation
from ui.store import engine
from ui.workshop import facilitated, join_link, literal, qr_png

REFRESH_SECONDS = 3

st.set_page_config(layout="wide")
workshop = facilitated()
bank = st.session_state["instrument"].bank
presentation = st.toggle(
    "Presentation mode", help="Bigger charts and no controls, for the projector."
)
link = join_link(st.context.url, workshop.join_code)

head, qr = st.columns([4, 1])
head.title(literal(workshop.title), anchor=False)
head.markdown(f"Join at **{link}** with the code **{workshop.join_code}**")
with head:
    door.headcount(workshop.id, presentation)
qr.image(qr_png(link, scale=5), width=140)


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    now = get_workshop(engine(), workshop.id)
    answers = workshop_answers(engine(), now.id, rounds=[now.current_round])
    d = build_dashboard(bank, answers, now.current_round, now.dimensions, now.roles, now.k)
    state = "open: people can answer" if now.round_open else "closed"
    st.caption(f"Round {now.current_round} is {state}. This view refreshes every few seconds.")
    view.participation(d)
    if d.shown:
        view.room(d, presentation)
        view.splits(d, presentation)
        view.roles(d, presentation)
        view.dont_know(d)


live()
if not presentation:
    st.divider()
    facilitation.controls(workshop.id, bank)
