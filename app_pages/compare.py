"""Compare areas: 2-8 published entries side by side, the noise shown, and one area over time.

Administrators only (`storage.core.access`): the page asks for the signed-in administrator's
grant before anything is read, and every storage call checks it again.
"""

from __future__ import annotations

import streamlit as st

from common.errors import UserError
from scoring.comparison.benchmark import MAX_AREAS
from scoring.comparison.results import change_over_time, compare
from storage import IMPORT_MIN, require_compare
from ui.access import admin, require_page
from ui.comparison import view
from ui.comparison.choosing import (
    KEPT,
    MAX_CHOSEN,
    available,
    default_choice,
    gather,
    over_time,
    series_name,
)
from ui.comparison.many import many_areas
from ui.store import engine
from ui.text import literal

st.set_page_config(layout="wide")
grant = admin()
require_page("compare", grant)
require_compare(engine(), grant)  # a removed local account: refused before any control
st.title("Compare areas")
st.write(
    "Put councils, wards, partnerships or services side by side, or one area at several dates. "
    "Where an assessment has five or more respondents, each score carries an interval, so you "
    "can see which differences are bigger than the noise."
)
st.caption(
    "Only results their owners published are here: a finished self-assessment its owner "
    "chose to publish (one person), a closed workshop round its facilitator published (at "
    "least the workshop's k people), and results an administrator imported or the demo data "
    f"({IMPORT_MIN} or more people, or exactly one answer set). Drafts, open rounds and "
    "anything smaller never appear."
)
view.demo_controls(grant)
view.import_controls(grant)
table = available(grant)
view.withdraw_controls(grant, table)
if len(table) < 2:
    st.info(
        "There is nothing to compare yet: at least two published results are needed. "
        "Import results, ask owners and facilitators to publish theirs, or load the demo data "
        "above."
    )
    st.stop()

shape = st.radio(
    "Compare",
    ["Side by side (2 to 8 results)", f"Many areas at once (up to {MAX_AREAS})"],
    horizontal=True,
    label_visibility="collapsed",
)
if shape.startswith("Many"):
    many_areas(table, grant)
    st.stop()
described = dict(zip(table["label"], table["described"], strict=True))
labels = st.multiselect(
    f"Results to compare (2 to {MAX_CHOSEN})",
    list(table["label"]),
    default=default_choice(table),
    max_selections=MAX_CHOSEN,
    format_func=lambda lb: described.get(lb, str(lb)),
)
if len(labels) < 2:
    st.info("Choose at least two results.")
    st.stop()
rows = table.set_index("label").loc[labels].reset_index()
reference = st.selectbox("Set the others against", labels)
try:
    chosen = gather(rows, grant)
except UserError as exc:  # a bug (any other error) shows as a bug, not as advice
    st.error(f"These results cannot be compared: {literal(exc)}.")
    st.stop()
comparison = compare(chosen.bank, chosen.answers, reference=reference, info=chosen.info, memo=KEPT)
view.comparison(comparison, chosen)
change = None
series = over_time(rows)  # same area, same kind of result, two dates or more
if series:
    keys = list(series)
    key = (
        st.selectbox("Change over time for", keys, format_func=series_name)
        if len(keys) > 1
        else keys[0]
    )
    change = change_over_time(
        chosen.bank, {lb: chosen.answers[lb] for lb in series[key]}, info=chosen.info, memo=KEPT
    )
    view.change(change, key[0])
group = view.groups(comparison, grant)
view.downloads(comparison, change, chosen, group)
