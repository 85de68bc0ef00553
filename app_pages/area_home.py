"""An area's home: its results, the action plan across them, and its timeline.

Administrators only (`page:area_home`); storage checks the grant again on every read.
"""

from __future__ import annotations

import streamlit as st

from storage import registry, require_compare
from ui import state
from ui.access import admin, require_page
from ui.comparison import home
from ui.store import engine

st.set_page_config(layout="wide")
grant = admin()
require_page("area_home", grant)
require_compare(engine(), grant)  # a removed local account: refused before anything is drawn
st.title("Area home")
st.write(
    "Everything Ladder holds about one area and the areas inside it: each result with its "
    "status, the actions agreed from them and how they stand, and the timeline."
)
tree = registry(engine(), grant)
if not tree:
    st.info("There are no areas yet.")
    st.stop()
chosen = home.choose_area(tree)
if chosen is not None:
    home.home_page(grant, chosen, state.bank())
