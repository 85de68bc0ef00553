"""Open a workshop: what to ask, who is in the room, the anonymity threshold; then the code."""

from __future__ import annotations

import streamlit as st

from storage import InputError, StorageError
from storage.workshops import open_workshop
from ui.start import AREA_KINDS, explain, find_or_create_area
from ui.store import bank_hash, engine
from ui.workshop import CODE, join_link, qr_png, unlock

bank = st.session_state["instrument"].bank
roles = {r.id: r.label for r in bank.roles}
modules = [f for f in bank.forms if f.id.startswith("module_")]
OPENED = "opened_workshop"

st.title("Run a workshop")
st.write(
    "Participants answer privately on their phones; the room sees where it agrees, where it "
    "splits and how roles differ, then discusses, agrees levels and scores again."
)

if OPENED in st.session_state:
    workshop, key, link = st.session_state[OPENED]
    st.success(f"**{workshop.title}** is open. Round 1 has started.")
    left, right = st.columns([3, 2])
    left.metric("Join code", workshop.join_code)
    left.markdown(f"Participants open **{link}** or type the code on the *Join a workshop* page.")
    right.image(qr_png(link), caption="Scan to join", width=220)
    st.warning(
        "**Facilitator key — shown once.** Write it down now: the dashboard, rounds, imports "
        "and exports need it, and Ladder cannot show it again."
    )
    st.code(key, language=None)
    st.page_link(
        "app_pages/dashboard.py",
        label="Go to the dashboard",
        query_params={CODE: workshop.join_code},
        icon=":material/monitoring:",
    )
    if st.button("Open another workshop"):
        del st.session_state[OPENED]
        st.rerun()
    st.stop()

with st.form("open_workshop"):
    title = st.text_input(
        "Workshop title", placeholder="e.g. Leadership team, March", max_chars=120
    )
    name = st.text_input("Name of the area", placeholder="e.g. Calderdale Council", max_chars=120)
    kind = st.selectbox("Kind of area", AREA_KINDS, format_func=str.capitalize)
    ons = st.text_input("ONS code (optional)", placeholder="e.g. E08000033")
    what = st.radio(
        "What to ask",
        ["quick", "full", "modules"],
        format_func={
            "quick": bank.form("quick").title,
            "full": bank.form("full").title,
            "modules": "One or more theme modules",
        }.get,
    )
    chosen = st.multiselect(
        "Modules (when asking theme modules)",
        [m.id for m in modules],
        format_func=lambda m: bank.form(m).title,
    )
    offered = st.multiselect(
        "Roles in the room", list(roles), default=list(roles), format_func=roles.get
    )
    k = st.number_input(
        "Anonymity threshold k",
        min_value=2,
        max_value=50,
        value=3,
        help="No group smaller than this is ever shown: not the room, not a role, not a question.",
    )
    opened = st.form_submit_button("Open the workshop", type="primary")

if opened:
    if what == "modules" and not chosen:
        st.error("What to ask: choose at least one module.")
        st.stop()
    if not offered:
        st.error("Roles in the room: choose at least one role.")
        st.stop()
    form_id = what if what != "modules" else (chosen[0] if len(chosen) == 1 else None)
    dims = (
        [d for m in chosen for d in bank.form(m).dimensions]
        if what == "modules"
        else list(bank.form(what).dimensions)
    )
    try:
        area = find_or_create_area(name, kind, ons)
        workshop, key = open_workshop(
            engine(), area.id, bank_hash(), title, dims, offered, k=int(k), form_id=form_id
        )
    except InputError as exc:
        st.error(explain(exc))
    except StorageError as exc:
        st.error(f"Ladder could not save this just now ({exc}). Please try again in a moment.")
    else:
        unlock(workshop)
        st.session_state[OPENED] = (workshop, key, join_link(st.context.url, workshop.join_code))
        st.rerun()
