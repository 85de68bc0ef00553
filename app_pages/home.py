"""Home: what Ladder is for, a way into each of its jobs (joining a workshop first, for
phones), and which question bank and essays are loaded."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.issues import render_issues, warnings_of
from ui.text import literal

loaded = state.instrument()
bank, corpus = state.bank(), state.corpus()

st.title("Ladder")
st.markdown(
    "**How ready is your council for *next practice* in public services?** Ladder is a "
    "self-assessment for councils and their partners. Its questions come from the essays in "
    "*The ‘big society’: next practice and public service futures* (SOLACE Foundation "
    "Imprint, 2010), and each answer is a step on a five-level ladder, from *Not yet* to "
    "*Leading*."
)

st.page_link(
    "app_pages/join.py",
    label="**Join a workshop** · I have a code from the facilitator",
    icon=":material/group_add:",
)

score, workshop, compare = st.columns(3)
with score.container(border=True):
    st.markdown("#### Score our readiness")
    st.write(
        "An officer or a leadership team answers the questions, sees where the council stands "
        "on the six next-practice criteria and the essay themes, and leaves with ranked next "
        "steps, each linked to the essay that argues for it."
    )
    st.page_link(
        "app_pages/start.py",
        label="Start or resume",
        icon=":material/play_arrow:",
    )
with workshop.container(border=True):
    st.markdown("#### Run a workshop")
    st.write(
        "Councillors, officers, partners and residents answer privately on their phones; the "
        "room sees where it agrees, where it splits and how roles differ, then discusses, "
        "records agreed levels and scores again."
    )
    st.page_link("app_pages/workshop_open.py", label="Open a workshop", icon=":material/groups:")
    st.page_link("app_pages/dashboard.py", label="Go to a dashboard", icon=":material/monitoring:")
with compare.container(border=True):
    st.markdown("#### Compare areas")
    st.write(
        "Councils, wards, partnerships and services side by side, and the same area over "
        "time, with the noise in each score shown. Only results their owners have published "
        "appear; administrators sign in to compare."
    )
    st.page_link("app_pages/compare.py", label="Compare areas", icon=":material/compare_arrows:")
    st.page_link("app_pages/admin.py", label="Administrator sign-in", icon=":material/key:")

with st.expander("The question bank in use"):
    st.markdown(f"**{literal(bank.title)}** · version {literal(bank.version)}")
    counts = st.columns(5)
    counts[0].metric("Questions", len(bank.questions))
    counts[1].metric("Criteria", len(bank.criteria))
    counts[2].metric("Themes", len(bank.themes))
    counts[3].metric("Forms", len(bank.forms))
    counts[4].metric("Essays", len(corpus.essays) if corpus else 0)
    st.caption(
        "Forms: " + "; ".join(form.title for form in bank.forms) + ". "
        "The essays are our own summaries of the pamphlet’s chapters, cited by page."
    )

warnings = warnings_of(loaded.issues)
if warnings:
    with st.expander(f"Notes on the question bank ({len(warnings)})"):
        st.write(
            "The bank works, but these points may mislead people answering it. "
            "Whoever maintains the bank may want to look at them."
        )
        render_issues(warnings)
