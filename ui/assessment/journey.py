"""The self-assessment journey's state: whose answers these are, held in the URL.

Why: the resume token in the address bar (``?r=...``) is what brings a person
back to their answers after a refresh, a closed tab or a server restart. The
session keeps a copy so moving between pages through the menu keeps it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from storage import Draft, clean_token, find_draft
from ui import state
from ui.store import engine

TOKEN = state.RESUME.name  # the address's resume token: ?r=...


@dataclass(frozen=True, slots=True)
class Active:
    token: str
    draft: Draft


def remember(token: str) -> None:
    state.RESUME_TOKEN.set(token)
    state.RESUME.set(token)


def active() -> Active | None:
    """The response named by the URL (or, failing that, this session), freshly loaded."""
    token = clean_token(state.RESUME.get()) or clean_token(state.RESUME_TOKEN.get())
    if token is None:
        return None
    draft = find_draft(engine(), token)
    if draft is None:
        return None
    if state.RESUME.get() != token:
        state.RESUME.set(token)
    if state.RESUME_TOKEN.get() != token:
        state.STEP.pop()  # another assessment's step: this one starts where it was left
    state.RESUME_TOKEN.set(token)
    return Active(token, draft)


def no_response_here() -> None:
    """What a page says when it has no answers to show, then stops."""
    if state.RESUME.get() or state.RESUME_TOKEN.get():
        st.warning(
            "That resume code does not match any answers here. Check it against the code you "
            "were given (spaces do not matter), or start a new self-assessment."
        )
    else:
        st.info("Start a self-assessment, or resume one with your code.")
    st.page_link("app_pages/start.py", label="Start or resume", icon=":material/play_arrow:")
    st.stop()
