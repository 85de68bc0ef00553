"""Join a workshop: the code (from the link, or typed and sent with a button), a role, then
the questions. The code lives in the address (``/join?code=...``), so the QR link and a typed
code lead to the same page."""

from __future__ import annotations

import streamlit as st

from storage import InputError
from storage.workshops import find_workshop, join_workshop
from ui.store import engine
from ui.workshop import PARTICIPANT, STEP, participant

bank = st.session_state["instrument"].bank
roles = {r.id: r.label for r in bank.roles}

if (already := participant()) is not None:
    st.switch_page(
        "app_pages/take.py", query_params={PARTICIPANT: st.session_state["participant_token"]}
    )


def other_code() -> None:
    st.query_params.pop("code", None)


st.title("Join a workshop")
st.write(
    "Your answers are private: the room sees only what everyone's answers add up to, and "
    "never who said what. No name is asked for."
)
code = st.query_params.get("code", "").strip()
workshop = find_workshop(engine(), code) if code else None
if workshop is None:
    if code:
        st.error("There is no workshop with that code. Check it with the facilitator.")
    with st.form("find_workshop", border=False):
        typed = st.text_input("Workshop code", value=code, placeholder="e.g. ABC-DEFG")
        find = st.form_submit_button("Find the workshop", type="primary", width="stretch")
    if find and typed.strip():
        st.query_params["code"] = typed.strip()
        st.rerun()
    if find:
        st.warning("Type the code the facilitator gave you, then press Find the workshop.")
    st.stop()

st.subheader(workshop.title)
role = st.selectbox(
    "Which best describes you?", list(workshop.roles), format_func=lambda r: roles.get(r, r)
)
if st.button("Join", type="primary", width="stretch"):
    try:
        _, token = join_workshop(engine(), workshop.id, role)
    except InputError as exc:
        st.error(f"Could not join: {exc.message}.")
    else:
        st.session_state["participant_token"] = token
        st.session_state.pop(STEP, None)
        st.switch_page("app_pages/take.py", query_params={PARTICIPANT: token})
st.button("Use a different code", type="tertiary", on_click=other_code)
