"""The room view, for the projector: one message per screen, in large type, following the
facilitator's console through the database. Opened with the room link (``?screen=…``) on
any machine, or by the facilitator's own unlocked session (``?w=…``). What it may show is
checked in storage on every refresh (`storage.core.access.room_reach`)."""

from __future__ import annotations

import streamlit as st

from storage import room_grant
from ui import state
from ui.access import facilitator, require_page
from ui.store import engine
from ui.workshop import room
from ui.workshop.entry import facilitated

st.set_page_config(layout="wide", page_title="Ladder: room view")
st.html(room.ROOM_STYLE)  # fixed CSS of ours: no text from a person or the bank
token = state.ROOM_LINK.get()
if token is not None:
    grant = room_grant(engine(), token)
    if grant is None or grant.workshop_id is None:
        st.markdown("## This room link does not open a room view.", anchors=False)
        st.markdown(
            "Ask the facilitator for the current room link: making a new one stops the old one."
        )
        st.stop()
    workshop_id = grant.workshop_id
else:
    workshop = facilitated()
    assert workshop is not None  # facilitated() stops the page until the key is shown
    workshop_id = workshop.id
    grant = facilitator(workshop_id)
require_page("room", grant)
bank = state.bank()
page_url = st.context.url


@st.fragment(run_every=room.REFRESH_SECONDS)
def live() -> None:
    room.show(bank, grant, workshop_id, page_url)


live()
