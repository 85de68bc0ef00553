"""Who this session is: the grants it holds, read from Streamlit's session state.

Why: `storage.access` decides what each kind of person may do; this module only
remembers, per browser session, what the person has shown (a facilitator key, a
sign-in, a participant token, a resume code) and hands the right `Grant` to the
pages, which pass it to the storage functions that check it. Grants stay on the
server: the browser holds at most a code in the address bar.
"""

from __future__ import annotations

import streamlit as st

from storage.access import ANYONE, AccessDenied, Grant, Kind, allowed, require

__all__ = [
    "admin",
    "denied",
    "facilitator",
    "forget_workshop",
    "is_participant",
    "page_kinds",
    "remember_facilitator",
    "require_page",
]

_FACILITATES = "facilitator_grants"  # workshop id -> the facilitator's Grant


def remember_facilitator(grant: Grant) -> None:
    """Keep a facilitator's grant (from `storage.access.unlock_workshop` or opening)."""
    if grant.kind != "facilitator" or grant.workshop_id is None:
        raise ValueError("only a facilitator's grant for a workshop can be remembered")
    st.session_state.setdefault(_FACILITATES, {})[grant.workshop_id] = grant


def facilitator(workshop_id: int) -> Grant:
    """This session's grant for one workshop: the facilitator's, or `ANYONE`.

    The grant is checked again by storage on every use (id, join code, secret), so a
    grant kept here for a workshop that has since been deleted opens nothing.
    """
    return st.session_state.get(_FACILITATES, {}).get(workshop_id, ANYONE)


def forget_workshop(workshop_id: int) -> None:
    st.session_state.get(_FACILITATES, {}).pop(workshop_id, None)


def admin() -> Grant:
    """The signed-in administrator's grant, or `ANYONE` (see `ui.admin`)."""
    from ui.admin import current_admin  # sign-in lives there; imported late: it reads st.user

    return current_admin() or ANYONE


def is_participant() -> bool:
    """Whether this session joined a workshop as a participant (it sees only those pages)."""
    return bool(st.session_state.get("participant_token"))


def page_kinds() -> frozenset[Kind]:
    """Every kind this session can claim for pages: anyone, plus what it has shown."""
    kinds: set[Kind] = {"anyone"}
    if is_participant():
        kinds = {"participant"}
    if st.session_state.get(_FACILITATES):
        kinds.add("facilitator")
    if st.session_state.get("token"):
        kinds.add("owner")
    if admin().kind == "admin":
        kinds.add("admin")
    return frozenset(kinds)


def require_page(name: str, grant: Grant | None = None) -> None:
    """Stop the page with a plain message unless this session may open it.

    ``grant``, when given, is the grant the page acts with (e.g. the administrator's);
    otherwise any kind this session holds will do.
    """
    kinds = {grant.kind} if grant is not None else page_kinds()
    if not any(allowed(f"page:{name}", k) for k in kinds):
        require(f"page:{name}", ANYONE)  # refuses, naming who the page is for
        raise AccessDenied("This page")  # a page open to anyone was asked for with a grant


def denied(exc: AccessDenied) -> None:
    """The page a refused request gets: one plain sentence, and where to go instead."""
    st.warning(f"{exc.message}.", icon=":material/lock:")
    if "administrator" in exc.message and not is_participant():
        st.page_link(
            "app_pages/admin.py", label="Sign in as an administrator", icon=":material/key:"
        )
    elif is_participant():
        st.page_link("app_pages/take.py", label="Back to your answers", icon=":material/edit_note:")
    else:
        st.page_link("app_pages/home.py", label="Home", icon=":material/home:")
