"""Ladder: the router. Page config, the cached bank and corpus, navigation over app_pages/.

Settings come from the environment here and nowhere else:
``LADDER_BANK`` / ``LADDER_CORPUS`` (YAML paths; unset = the shipped bank and corpus).
Pages read the loaded bank and corpus through `ui.state` (``state.bank()``,
``state.corpus()``, ``state.instrument()``), which holds every session and URL key.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from questions.instrument import DEFAULT_BANK
from storage import AccessDenied, StorageError
from ui import state
from ui.access import denied, is_participant
from ui.issues import render_issues
from ui.loading import bank_paths, instrument, settle
from ui.look import APP_STYLE
from ui.store import unreachable

ROOT = Path(__file__).resolve().parent


# Centred suits reading; a data-heavy page may call st.set_page_config(layout="wide").
st.set_page_config(page_title="Ladder", page_icon=":material/stairs:")
st.html(APP_STYLE)  # fixed CSS of ours (ui.look): captions dark enough to read
if not os.environ.get("DATABASE_URL"):
    (ROOT / "data").mkdir(exist_ok=True)  # the default SQLite database lives here

loaded = instrument(*bank_paths())  # loaded when the server started (ui.loading.preload)
if not loaded.ok:
    st.set_page_config(layout="wide")  # room for the problem and fix columns
    st.title("The question bank has problems")
    st.write(
        "Ladder cannot start until the problems below are fixed. Each row names the file and "
        "line to open, says what is wrong and how to put it right. Fix every error, save the "
        "file, then press **Check again**."
    )
    render_issues(loaded.issues)
    if st.button("Check again", key="check_again", type="primary"):
        instrument.clear()
        st.rerun()
    st.stop()

state.keep_instrument(loaded, os.environ.get("LADDER_BANK") or str(DEFAULT_BANK))
settle()


def menu() -> dict[str, list[Any]]:
    """Every page, by menu section (the hidden "Your workshop answers" page among them)."""
    return {
        "": [st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)],
        "Score our readiness": [
            st.Page("app_pages/start.py", title="Start or resume", icon=":material/play_arrow:"),
            st.Page("app_pages/survey.py", title="Your answers", icon=":material/edit_note:"),
            st.Page("app_pages/results.py", title="Results", icon=":material/insights:"),
        ],
        "Run a workshop": [
            st.Page(
                "app_pages/workshop_open.py", title="Open a workshop", icon=":material/groups:"
            ),
            st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"),
            st.Page("app_pages/join.py", title="Join a workshop", icon=":material/group_add:"),
            st.Page(
                "app_pages/take.py",
                title="Your workshop answers",
                icon=":material/edit_note:",
                visibility="hidden",
            ),
            st.Page(
                "app_pages/room.py", title="Room view", icon=":material/tv:", visibility="hidden"
            ),
        ],
        "Compare areas": [
            st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
            st.Page("app_pages/areas.py", title="Areas", icon=":material/account_tree:"),
            st.Page("app_pages/area_home.py", title="Area home", icon=":material/location_city:"),
        ],
        "Reference": [
            st.Page("app_pages/essays.py", title="The essays", icon=":material/menu_book:"),
            st.Page("app_pages/context.py", title="Then and now", icon=":material/history_edu:"),
            st.Page("app_pages/method.py", title="Method", icon=":material/functions:"),
        ],
        "Administration": [
            st.Page("app_pages/admin.py", title="Administrator sign-in", icon=":material/key:"),
        ],
    }


pages = state.MENU.get()
if pages is None:  # once per session: the page objects are the same on every run
    pages = menu()
    state.MENU.set(pages)
# A participant's session sees the joining pages and nothing else, with no menu; so does
# anyone on the joining pages (they came with a code, not to browse).
# (A join code or a participant token in the address means the joining pages: join?code=…,
# take?p=…; reading the query is cheaper than parsing the page's URL on every run.)
participant = is_participant()
if participant:
    pages = {"": pages["Run a workshop"][2:4]}  # joining, and your workshop answers
try:
    hidden = (
        participant
        or state.JOIN_CODE.is_set()
        or state.PARTICIPANT.is_set()
        or state.ROOM_LINK.is_set()
    )
    st.navigation(pages, position="hidden" if hidden else "sidebar").run()
except StorageError as exc:  # the database went away while the page was reading
    unreachable(exc)
except AccessDenied as exc:  # who is asking may not see this (storage.core.access)
    denied(exc)
