"""Workshop pieces shared by the facilitator's pages and the participant's pages.

Why: the join link, the QR code, the facilitator's unlock and the
participant's token each have one home, so every page treats them alike.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from storage import StorageError
from storage.tokens import clean_token
from storage.workshops import (
    Participant,
    Workshop,
    check_key,
    find_participant,
    find_workshop,
    get_workshop,
)
from ui.store import engine

CODE = "w"  # the dashboard's query parameter: the workshop's join code
PARTICIPANT = "p"  # the participant's page: their resume token
_UNLOCKED = "unlocked_workshops"


def join_link(page_url: str | None, code: str) -> str:
    """The address participants open: this server's ``join`` page with the code.

    Works behind a proxy that serves Ladder under a path (``/ladder/dashboard`` →
    ``/ladder/join``). Without a known URL (tests), a relative link.
    """
    query = urlencode({"code": code})
    if not page_url:
        return f"join?{query}"
    scheme, netloc, path, _, _ = urlsplit(page_url)
    base = path.rsplit("/", 1)[0] if "/" in path else ""
    return urlunsplit((scheme, netloc, f"{base}/join", query, ""))


def qr_png(link: str, scale: int = 8) -> bytes:
    """A QR code of the link, as PNG bytes, big enough to scan from the back of a room."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def unlock(workshop: Workshop) -> None:
    st.session_state.setdefault(_UNLOCKED, set()).add(workshop.id)


def facilitated(required: bool = True) -> Workshop | None:
    """The workshop in the URL, once this session has shown its facilitator key.

    Asks for the key when it has not; stops the page (when ``required``) until then.
    A wrong code and a wrong key are told apart from nothing else: no detail leaks.
    """
    code = st.query_params.get(CODE, "")
    workshop = find_workshop(engine(), code) if code else None
    if workshop is None:
        if code:
            st.error("There is no workshop with that code. Check the code and try again.")
        entered = st.text_input("Workshop code", placeholder="e.g. ABC-DEFG")
        if st.button("Open the dashboard") and entered:
            st.query_params[CODE] = entered
            st.rerun()
        st.stop()
    if workshop.id in st.session_state.get(_UNLOCKED, set()):
        return workshop
    st.subheader(f"{workshop.title}: facilitator key")
    st.write(
        "The dashboard, round controls, imports and exports need the facilitator key "
        "that was shown when the workshop was opened."
    )
    key = st.text_input("Facilitator key", type="password")
    if st.button("Unlock", type="primary") and key:
        if check_key(engine(), workshop.id, key.strip()):
            unlock(workshop)
            st.rerun()
        st.error("That key does not open this workshop.")
    if required:
        st.stop()
    return None


def participant() -> tuple[Participant, Workshop] | None:
    """The participant named by the URL (or this session), with their workshop."""
    token = clean_token(st.query_params.get(PARTICIPANT)) or clean_token(
        st.session_state.get("participant_token")
    )
    if token is None:
        return None
    try:
        found = find_participant(engine(), token)
    except StorageError:
        return None
    if found is None:
        return None
    st.session_state["participant_token"] = token
    if st.query_params.get(PARTICIPANT) != token:
        st.query_params[PARTICIPANT] = token
    workshop = get_workshop(engine(), found.workshop_id)
    return (found, workshop) if workshop else None
