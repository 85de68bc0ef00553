"""A participant's questions in a workshop: private, saved as given, open until the round closes."""

from __future__ import annotations

import streamlit as st

from questions.survey import steps_for
from storage import load_draft, spaced_token, submit_response
from storage.workshops import current_response
from ui import survey
from ui.store import engine
from ui.workshop import participant

bank = st.session_state["instrument"].bank
found = participant()
if found is None:
    st.info("Join a workshop with the code the facilitator gives you.")
    st.page_link("app_pages/join.py", label="Join a workshop", icon=":material/group_add:")
    st.stop()
me, workshop = found
heading = f"{workshop.title} · round {workshop.current_round} · you joined as " + next(
    (r.label for r in bank.roles if r.id == me.role), me.role
)
if not workshop.round_open:
    st.title(workshop.title)
    st.info(
        f"Round {workshop.current_round} has closed; your answers are in. When the "
        "facilitator opens the next round, press the button to carry on."
    )
    st.button("Check for the next round")
    st.stop()

draft = load_draft(engine(), current_response(engine(), me.id).id)
if draft.status == "submitted":
    st.success("Your answers are in. You can change them until the facilitator closes the round.")


def finish() -> None:
    submit_response(engine(), draft.response_id)
    st.session_state["wstep"] = 0
    st.rerun()


survey.run(
    bank,
    draft,
    steps_for(bank, workshop.dimensions),
    heading=heading,
    amend=True,
    finish_label="Send my answers",
    on_finish=finish,
    step_key="wstep",
)
st.divider()
st.caption(
    f"Your code: **{spaced_token(st.session_state['participant_token'])}**. The address in your "
    "browser brings you back to your answers; nobody else sees them."
)
