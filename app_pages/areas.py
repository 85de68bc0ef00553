"""Areas: every council, ward, partnership and service Ladder knows, each beneath what it is in.

Administrators only (`storage.core.access`), as is exporting everything about one area.
"""

from __future__ import annotations

import streamlit as st

from storage import registry, require_compare
from ui.access import admin, require_page
from ui.comparison import areas as view
from ui.store import engine

st.set_page_config(layout="wide")  # demo names are long; the counts should stay in view
grant = admin()
require_page("areas", grant)
require_compare(engine(), grant)  # a removed local account: refused before anything is drawn
st.title("Areas")
st.write(
    "The councils, wards, partnerships and services that Ladder holds assessments about. "
    "An area that sits inside another, such as a ward in its council, is listed beneath it."
)
tree = registry(engine(), grant)
if not tree:
    view.empty()
    st.stop()

st.page_link(
    "app_pages/area_home.py",
    label="Open an area's home: its results, action plan and timeline",
    icon=":material/location_city:",
)
real = [node for node in tree if not node.area.demo]
fictional = [node for node in tree if node.area.demo]
if real:
    view.table(real)
else:
    st.info("Only the fictional demo areas are here so far.")
view.notes()
if fictional:
    view.demo(fictional)
view.export(tree, grant)
