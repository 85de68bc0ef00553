"""A participant's questions in a workshop: private, saved as given, open until the round closes.

Between rounds the page says what happened and what to do, and notices by itself when the
facilitator opens the next round; after Send it shows the confirmation first, not step 1.
"""

from __future__ import annotations

import streamlit as st

from questions.survey import steps_for
from storage import current_response, load_draft
from ui import state
from ui.assessment import survey
from ui.store import engine
from ui.workshop import entry as room
from ui.workshop.entry import participant

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
else:
    room.round_banner(workshop)


def finish() -> None:
    if survey.finish(draft.response_id, "Send my answers"):
        room.sent_now()
    st.rerun()  # the confirmation, or the reason it was not sent


role = next((r.label for r in bank.roles if r.id == me.role), me.role)
survey.run(
    bank,
    draft,
    steps_for(bank, workshop.dimensions),
    heading=f"{workshop.title} · round {workshop.current_round} · you joined as {role}",
    amend=True,
    finish_label="Send my answers",
    on_finish=finish,
    step_slot=state.WORKSHOP_STEP,
    workshop=True,
)
st.divider()
room.your_code()
