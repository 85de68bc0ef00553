"""Administrator sign-in (the sign-in work replaces this placeholder)."""

from __future__ import annotations

import streamlit as st

st.title("Administrator sign-in")
st.write("Administrators sign in here to compare areas and look after the register.")
