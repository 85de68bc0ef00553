"""Join a workshop: the code (from the link, or typed and sent with a button), a role, then
the questions. The code lives in the address (``/join?code=...``), so the QR link and a typed
code lead to the same page.

Coming back is never a second person: this session's own participant (same tab) goes straight
back to its answers; another tab or device comes back with the participant link (``?p=``),
or the code shown under the questions ("Been here before?"); a seat code joins once (the
facilitator holds them all, so it must not reopen anyone's answers). Ladder sets no cookies,
so a new tab that has none of these is a new visit.

A join code or a participant's code that matches nothing is counted for this session and its
address (`ui.access.guarded`): after a few in a row, the next waits before it is looked up.
"""

from __future__ import annotations

import streamlit as st

from questions.survey import role_line
from storage import InputError, clean_token, find_participant, join_workshop
from ui import state
from ui.access import HeldBack, guarded
from ui.store import engine
from ui.text import literal
from ui.workshop import phone
from ui.workshop.entry import find_by_code, participant, what_is_seen

st.html(phone.PHONE_STYLE)  # fixed CSS of ours: no text from a person or the bank
bank = state.bank()
roles = {r.id: r.label for r in bank.roles}
code = (state.JOIN_CODE.get() or "").strip()
held: HeldBack | None = None
try:
    workshop = find_by_code(code)
except HeldBack as exc:
    workshop, held = None, exc

if (already := participant()) is not None and (
    not code or (workshop is not None and already[1].id == workshop.id)
):
    token = state.PARTICIPANT_TOKEN.get_or("")  # kept by participant() as it found them
    st.switch_page("app_pages/take.py", query_params=state.PARTICIPANT.to(token))


def other_code() -> None:
    state.JOIN_CODE.pop()


def go_to(token: str) -> None:
    state.PARTICIPANT_TOKEN.set(token)
    state.WORKSHOP_STEP.pop()
    st.switch_page("app_pages/take.py", query_params=state.PARTICIPANT.to(token))


def back_in() -> None:
    """Joined already (another tab, another phone): the code under the questions leads back."""
    with st.expander("Been here before? Get back to your answers"):
        typed = st.text_input(
            "Your code",
            placeholder="e.g. AbCd eFgH iJkL mNoP qRsT uV",
            help="Shown under your questions as “Your code”.",
        )
        if st.button("Back to my answers") and typed.strip():
            token = clean_token(typed)
            try:
                found = guarded("resume", token, lambda t: find_participant(engine(), t))
            except HeldBack as exc:
                st.error(literal(exc.message))
                return
            if found is None or token is None:
                st.error("That is not a code Ladder knows. Check it and type it again.")
            else:
                go_to(token)


st.title("Join a workshop")
st.write("Your answers are private, and no name is asked for.")
if workshop is None:
    if held is not None:
        st.error(literal(held.message))
    elif code:
        st.error("There is no workshop with that code. Check it with the facilitator.")
    with st.form("find_workshop", border=False):
        typed = st.text_input("Workshop code", value=code, placeholder="e.g. ABC-DEFG")
        find = st.form_submit_button("Find the workshop", type="primary", width="stretch")
    if find and typed.strip():
        state.JOIN_CODE.set(typed.strip())
        st.rerun()
    if find:
        st.warning("Type the code the facilitator gave you, then press Find the workshop.")
    back_in()
    st.stop()

st.subheader(literal(workshop.title), anchor=False)
st.info(what_is_seen(workshop.k), icon=":material/visibility:")
if already is not None:
    st.caption("You are in another workshop too; its link still leads back to those answers.")
if workshop.joining_locked:
    st.warning(
        "Joining is closed: the facilitator has stopped new people joining this workshop.",
        icon=":material/lock:",
    )
    back_in()
    st.button("Use a different code", type="tertiary", on_click=other_code)
    st.stop()
seat = None
if workshop.seat_codes:
    seat = st.text_input(
        "Seat code",
        placeholder="e.g. ABCD-EFGH",
        help="The code on the card the facilitator gave you. It works once: to come back "
        "later, use your link or the code shown under your questions.",
    )
role = st.selectbox(
    "Which best describes you?",
    list(workshop.roles),
    index=None,  # nobody is counted as a councillor for having pressed Join
    placeholder="Choose one",
    format_func=lambda r: roles.get(r, r),
)
if role is not None:
    st.caption(literal(role_line(bank, workshop.dimensions, role)))
joining = st.button("Join", type="primary", width="stretch")
if joining and role is None:
    st.warning("Choose the role that best describes you, then press Join.")
elif joining:
    try:
        _, token = join_workshop(engine(), workshop.id, role, seat=seat)
    except InputError as exc:
        st.error(f"Could not join: {literal(exc.message)}.")
    else:
        go_to(token)
back_in()
st.button("Use a different code", type="tertiary", on_click=other_code)
