"""Open a workshop: what to ask, who is in the room, the anonymity threshold; then the code.

The facilitator key is shown once: on the run right after opening, and while the person stays
on the page without pressing anything. Session state never keeps it past that run (it is
popped as it is shown), so coming back to this page shows the code, link and QR, not the key.
"""

from __future__ import annotations

import streamlit as st

from questions.survey import thin_roles
from scoring.consensus import RULES
from scoring.workshop.text import k_warnings
from storage import (
    EXPECTED_MAX,
    InputError,
    StorageError,
    facilitator_grant,
    find_or_create_area,
    get_workshop,
    open_workshop,
    reading,
)
from ui import state
from ui.access import remember_facilitator
from ui.assessment.start import AREA_KINDS, explain
from ui.store import bank_hash, database_trouble, engine
from ui.text import literal
from ui.workshop.entry import join_link, qr_png

bank = state.bank()
roles = {r.id: r.label for r in bank.roles}
modules = [f for f in bank.forms if f.module]  # declared in the bank: `module: true`


st.title("Run a workshop")
st.write(
    "Participants answer privately on their phones; the room sees where it agrees, where it "
    "splits and how roles differ, then discusses, agrees levels and scores again."
)

opened_before = state.OPENED_WORKSHOP.get()  # (workshop, join link): never the key
if opened_before is not None and get_workshop(engine(), opened_before[0].id) is None:
    state.OPENED_WORKSHOP.pop()  # deleted since: the form again, not a code that opens nothing
    opened_before = None
if opened_before is not None:
    workshop, link = opened_before
    key = state.OPENED_WORKSHOP_KEY.pop()  # shown on this run only
    st.success(f"**{literal(workshop.title)}** is open. Round 1 has started.")
    left, right = st.columns([3, 2])
    left.metric("Join code", workshop.join_code)
    left.markdown(f"Participants open **{link}** or type the code on the *Join a workshop* page.")
    right.image(qr_png(link), caption="Scan to join", width=220)
    if key is not None:
        st.warning(
            "**Facilitator key — shown once.** Write it down now: the dashboard, rounds, "
            "imports and exports need it, and Ladder cannot show it again. It disappears "
            "when you press a button or leave this page."
        )
        st.code(key, language=None)
        st.button("I have written the key down")
    else:
        st.info(
            "The facilitator key was shown once, when the workshop was opened. This browser "
            "tab stays unlocked; on another device, the dashboard asks for the key.",
            icon=":material/key:",
        )
    for note in thin_roles(bank, workshop.dimensions, workshop.roles):
        st.info(literal(note), icon=":material/group:")
    st.page_link(
        "app_pages/dashboard.py",
        label="Go to the dashboard",
        query_params=state.WORKSHOP.to(workshop.join_code),
        icon=":material/monitoring:",
    )
    if st.button("Open another workshop"):
        state.OPENED_WORKSHOP.pop()
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
    k = st.number_input("Smallest group ever shown (k)", min_value=2, max_value=50, value=3)
    st.caption(
        "No group smaller than this is ever shown: not the room, not a role, not a question. "
        "A role with fewer people still counts in the room's figures, and such roles are "
        'shown together as "Other roles" once they reach this number.'
    )
    rule = st.selectbox(
        "When the room counts as agreeing on a question",
        list(RULES),
        format_func=lambda r: RULES[r].title,
        help="Shown on the dashboard and recorded with every agreed level. How each rule "
        "decides is listed under the form.",
    )
    expected = st.number_input(
        "People expected (optional)",
        min_value=1,
        max_value=EXPECTED_MAX,
        value=None,
        placeholder="e.g. 24",
        help="The dashboard shows how many have joined against this, and warns when more "
        "join than you expect. You can change it later.",
    )
    opened = st.form_submit_button("Open the workshop", type="primary")
with st.expander("How each rule decides that the room agrees"):
    st.markdown(
        "Whatever the rule, a question is *too few to tell* when fewer than 3 people gave it "
        "a level or 30 % or more said they don't know, and *split into two camps* when a third "
        "or more chose levels 1-2 and a third or more chose 4-5. Otherwise the rule decides "
        "whether the room *agrees*; if not, views are *spread*. The middle answer is the "
        "median."
    )
    st.markdown(
        "\n".join(
            f"- **{literal(r.title)}**: {literal(r.words)}. *{literal(r.source)}.*"
            for r in RULES.values()
        )
    )

if opened:
    if what == "modules" and not chosen:
        st.error("What to ask: choose at least one module.")
        st.stop()
    if not offered:
        st.error("Roles in the room: choose at least one role.")
        st.stop()
    dims = (
        [d for m in chosen for d in bank.form(m).dimensions]
        if what == "modules"
        else list(bank.form(what).dimensions)
    )
    warnings = k_warnings(None if expected is None else int(expected), len(offered), int(k))
    asked = (title, name, kind, ons, what, tuple(chosen), tuple(offered), k, rule, expected)
    if warnings and state.OPEN_WARNED.get() != asked:
        state.OPEN_WARNED.set(asked)  # said once: the same form pressed again opens
        for warning in warnings:
            st.warning(literal(warning))
        st.info("Change the form, or press **Open the workshop** again to open it as it is.")
        st.stop()
    form_id = what if what != "modules" else (chosen[0] if len(chosen) == 1 else None)
    try:
        area = find_or_create_area(engine(), name, kind, ons)
        workshop, key = open_workshop(
            engine(),
            area.id,
            bank_hash(),
            title,
            dims,
            offered,
            k=int(k),
            form_id=form_id,
            expected=None if expected is None else int(expected),
            consensus_rule=rule,
        )
        with reading(engine()) as conn:
            grant = facilitator_grant(conn, workshop.id)
    except InputError as exc:
        st.error(explain(exc))
    except StorageError as exc:
        st.error(database_trouble(exc, "The workshop was not opened."))
    else:
        if grant is not None:
            remember_facilitator(grant)
        state.OPEN_WARNED.pop()  # a next workshop opened from the same form is warned again
        state.OPENED_WORKSHOP.set((workshop, join_link(st.context.url, workshop.join_code)))
        state.OPENED_WORKSHOP_KEY.set(key)  # popped by the next run, which shows it
        st.rerun()
