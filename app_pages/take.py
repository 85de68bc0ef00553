"""A participant's questions in a workshop, one per screen on a phone (`ui.workshop.phone`):
private, saved as given, open until the round closes.

Between rounds the page says what happened and what to do, and notices by itself when the
facilitator opens the next round; after Send it shows the confirmation first, not step 1.
"""

from __future__ import annotations

import streamlit as st

from storage import current_response, load_draft
from ui import state
from ui.assessment import survey
from ui.store import engine
from ui.workshop import entry as room
from ui.workshop import phone
from ui.workshop.entry import participant

st.html(phone.PHONE_STYLE)  # fixed CSS of ours: no text from a person or the bank
bank = state.bank()
found = participant()
if found is None:
    st.info("Join a workshop with the code the facilitator gives you.")
    st.page_link("app_pages/join.py", label="Join a workshop", icon=":material/group_add:")
    st.stop()
me, workshop = found
if not workshop.round_open:
    room.round_closed(workshop)
    st.stop()

draft = load_draft(engine(), current_response(engine(), me.id).id)
room.arrived(draft.response_id)
if draft.status == "submitted" and not room.editing(draft.response_id):
    room.sent(workshop, draft.response_id)
    st.stop()
if draft.status == "submitted":
    st.success(
        "Your answers are in. Anything you change now is saved at once, until the "
        "facilitator closes the round."
    )


def finish() -> None:
    if survey.finish(draft.response_id, "Send my answers"):
        room.sent_now()
    st.rerun()  # the confirmation, or the reason it was not sent


phone.run(bank, draft, workshop, me, finish)
with st.expander("Coming back on another device?"):
    room.your_code()
