"""Join a workshop: the code (from the link or typed), a role, then the questions."""

from __future__ import annotations

import streamlit as st

from storage import InputError
from storage.workshops import find_workshop, join_workshop
from ui.store import engine
from ui.workshop import PARTICIPANT, participant

bank = st.session_state["instrument"].bank
roles = {r.id: r.label for r in bank.roles}

if (already := participant()) is not None:
    st.switch_page(
        "app_pages/take.py", query_params={PARTICIPANT: st.session_state["participant_token"]}
    )

st.title("Join a workshop")
st.write(
    "Your answers are private: the room sees only what everyone's answers add up to, and "
    "never who said what. No name is asked for."
)
code = st.text_input(
    "Workshop code", value=st.query_params.get("code", ""), placeholder="e.g. ABC-DEFG"
)
workshop = find_workshop(engine(), code) if code.strip() else None
if code.strip() and workshop is None:
    st.error("There is no workshop with that code. Check it with the facilitator.")
    st.stop()
if workshop is None:
    st.stop()

st.subheader(workshop.title)
role = st.selectbox(
    "Which best describes you?", list(workshop.roles), format_func=lambda r: roles.get(r, r)
)
if st.button("Join", type="primary"):
    try:
        _, token = join_workshop(engine(), workshop.id, role)
    except InputError as exc:
        st.error(f"Could not join: {exc.message}.")
    else:
        st.session_state["participant_token"] = token
        st.session_state.pop("wstep", None)
        st.switch_page("app_pages/take.py", query_params={PARTICIPANT: token})
