"""Compare areas: 2-8 assessments side by side, the noise shown, and one area over time."""

from __future__ import annotations

import streamlit as st

from scoring.compare import change_over_time, compare
from ui import compare_view as view
from ui.comparing import MAX_CHOSEN, available, gather

st.set_page_config(layout="wide")
st.title("Compare areas")
st.write(
    "Put councils, wards, partnerships or services side by side, or one area at several dates. "
    "Where an assessment has five or more respondents, each score carries an interval, so you "
    "can see which differences are bigger than the noise."
)
view.demo_controls()
view.import_controls()
table = available()
if len(table) < 2:
    st.info(
        "There is nothing to compare yet: at least two assessments with answers are needed. "
        "Import results, run assessments, or load the demo data above."
    )
    st.stop()

labels = st.multiselect(
    f"Assessments to compare (2 to {MAX_CHOSEN})",
    list(table["label"]),
    default=list(table["label"])[: min(3, len(table))],
    max_selections=MAX_CHOSEN,
    format_func=lambda lb: (
        f"{lb} ({int(table.loc[table['label'] == lb, 'respondents'].iloc[0])} respondents)"
    ),
)
if len(labels) < 2:
    st.info("Choose at least two assessments.")
    st.stop()
rows = table.set_index("label").loc[labels].reset_index()
reference = st.selectbox("Set the others against", labels)
try:
    chosen = gather(rows)
except ValueError as exc:
    st.error(f"These assessments cannot be compared: {exc}.")
    st.stop()
comparison = compare(chosen.bank, chosen.answers, reference=reference, info=chosen.info)
view.comparison(comparison, chosen)
change = None
areas = rows["area_name"].value_counts()
over_time = [a for a, n in areas.items() if n >= 2]
if over_time:
    area = st.selectbox("Change over time for", over_time) if len(over_time) > 1 else over_time[0]
    dated = rows[rows["area_name"] == area].sort_values("day")
    change = change_over_time(
        chosen.bank, {lb: chosen.answers[lb] for lb in dated["label"]}, info=chosen.info
    )
    view.change(change, area)
group = view.groups(comparison)
view.downloads(comparison, change, chosen, group)
