"""Method: how the scale, scores and agreement work (docs/method.md, shown as written)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

METHOD = Path(__file__).resolve().parent.parent / "docs" / "method.md"

st.markdown(METHOD.read_text(encoding="utf-8"))
