"""Start a self-assessment (area, form, role) or resume one with a code.

A resume code that matches nothing is counted for this session and its address
(`ui.access.guarded`): after a few in a row, the next waits before it is looked up.
"""

from __future__ import annotations

import streamlit as st

from questions.survey import minutes
from storage import InputError, StorageError, clean_token, find_response
from ui import state
from ui.access import HeldBack, guarded
from ui.assessment.journey import remember
from ui.assessment.start import AREA_KINDS, begin, explain
from ui.store import database_trouble, engine
from ui.text import literal

bank = state.bank()
roles = {r.id: r.label for r in bank.roles}


def form_label(form_id: str) -> str:
    n = len(bank.form_questions(form_id))
    return f"{bank.form(form_id).title} · {n} questions, about {minutes(bank, form_id)} minutes"


st.title("Score our readiness")
st.write(
    "Answer for your council, ward, partnership or service. Each question describes five "
    "levels of practice in words: choose the one that best fits what you could show someone. "
    "Answers are saved as you go, and a resume code brings you back to them."
)

with st.form("start"):
    st.subheader("Start a new self-assessment")
    name = st.text_input("Name of the area", placeholder="e.g. Calderdale Council", max_chars=120)
    kind = st.selectbox("Kind of area", AREA_KINDS, format_func=str.capitalize)
    ons = st.text_input(
        "ONS code (optional)",
        placeholder="e.g. E08000033",
        help="The nine-character code the Office for National Statistics gives the area.",
    )
    form_id = st.radio(
        "How much do you want to answer?", [f.id for f in bank.forms], format_func=form_label
    )
    role = st.selectbox("Your role", list(roles), format_func=roles.get)
    started = st.form_submit_button("Start", type="primary")

if started:
    try:
        token = begin(name, kind, ons, form_id, role)
    except InputError as exc:
        st.error(explain(exc))
    except StorageError as exc:
        st.error(database_trouble(exc, "Nothing was started."))
    else:
        remember(token)
        state.STEP.pop()
        st.switch_page("app_pages/survey.py", query_params=state.RESUME.to(token))

st.subheader("Resume with your code")
code = st.text_input("Resume code", placeholder="e.g. AbCd eFgH iJkL mNoP qRsT uV")
if st.button("Resume"):
    token = clean_token(code)
    try:
        found = guarded("resume", token, lambda t: find_response(engine(), t))
    except HeldBack as exc:
        st.error(literal(exc.message))
        st.stop()
    if token is None or found is None:
        st.error(
            "That code does not match any answers here. A code has 22 letters, digits, '-' or "
            "'_'; spaces do not matter."
        )
    else:
        remember(token)
        state.STEP.pop()
        st.switch_page("app_pages/survey.py", query_params=state.RESUME.to(token))
