"""Then and now: what the 'big society' agenda was, what the pamphlet argued and what has
changed since (docs/context.md, our own words, shown as written)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

CONTEXT = Path(__file__).resolve().parent.parent / "docs" / "context.md"

st.markdown(CONTEXT.read_text(encoding="utf-8"))
