"""The live dashboard's pieces: who has answered, the room's profile, splits, roles, dk.

Why: the facilitator's page refreshes these every few seconds inside a
fragment; keeping them as plain functions of a `Dashboard` keeps the page
short and lets presentation mode draw the same things larger.
"""

from __future__ import annotations

import streamlit as st

from scoring.dashboard import Dashboard
from scoring.role_heatmap import role_heatmap
from scoring.rounds import RoundComparison
from scoring.workshop_figures import band_radar, split_bars
from ui.tables import blank_missing

_PLOTLY = {"displaylogo": False}
_TABLE = {"hide_index": True, "width": "stretch"}
_DIMENSION_VIEW = {
    "dimension": "ID",
    "name": "Dimension",
    "n": "n",
    "median": "Median",
    "level": "Level",
    "q1": "Q1",
    "q3": "Q3",
    "rwg_star": "Agreement (rwg*)",
    "ad_md_mean": "Mean distance from median",
    "coverage": "Answered (not dk)",
}
_SPLIT_VIEW = {
    "question_id": "Question",
    "text": "Asks",
    "class": "Class",
    "n": "n",
    "median": "Median",
    "ad_md": "Distance from median",
}


def participation(d: Dashboard) -> None:
    """Counts by role: always shown (counts reveal no one's answer)."""
    st.markdown(f"**Round {d.round}: {d.participants} people have answered so far.**")
    shown = d.participation[d.participation["n"] > 0]
    columns = st.columns(max(1, min(len(shown), 6)))
    for i, row in enumerate(shown.itertuples()):
        columns[i % len(columns)].metric(str(row.label), int(row.n))
    if not d.shown:
        st.info(
            f"The room's view appears once at least {d.k} people have given a level "
            f"({d.needed} more needed). Nothing smaller than {d.k} is ever shown."
        )


def room(d: Dashboard, presentation: bool) -> None:
    """The profile: a radar per family with the middle-half band, then the table."""
    st.markdown("\n".join(f"- {s}" for s in d.summary))
    families = [f for f in ("criterion", "theme") if (d.dimensions["family"] == f).any()]
    for family in families:
        st.plotly_chart(band_radar(d, family, presentation), config=_PLOTLY, key=f"band_{family}")
    table = d.dimensions[list(_DIMENSION_VIEW)].rename(columns=_DIMENSION_VIEW)
    st.dataframe(blank_missing(table), **_TABLE)


def splits(d: Dashboard, presentation: bool) -> None:
    st.subheader("Where we split")
    if d.splits.empty:
        st.write("No question splits the room: every question with enough answers is a consensus.")
        return
    st.plotly_chart(split_bars(d, presentation), config=_PLOTLY, key="splits")
    st.dataframe(blank_missing(d.splits[list(_SPLIT_VIEW)].rename(columns=_SPLIT_VIEW)), **_TABLE)


def roles(d: Dashboard, presentation: bool) -> None:
    st.subheader("How roles see it")
    if d.suppressed_roles:
        names = ", ".join(d.role_labels[r] for r in d.suppressed_roles)
        st.caption(f"Not shown on their own (fewer than {d.k} people): {names}.")
    if not d.shown_roles:
        st.write(f"No role has {d.k} or more people with answers yet.")
        return
    st.plotly_chart(role_heatmap(d, presentation), config=_PLOTLY, key="roles")
    gaps = d.role_gaps[d.role_gaps["gap_flag"].fillna(False).astype(bool)]
    if not gaps.empty:
        st.markdown(
            "**Gaps of a level or more:** "
            + "; ".join(
                f"{g.name} ({g.dimension}): {g.lowest} lowest, {g.highest} highest, "
                f"{g.gap:.1f} apart"
                for g in gaps.itertuples()
            )
        )


def dont_know(d: Dashboard) -> None:
    if d.dk_items.empty:
        return
    st.subheader('Where "don\'t know" piles up')
    view = d.dk_items.assign(share=(d.dk_items["dk_share"] * 100).round().astype("Int64"))
    st.dataframe(
        view[["question_id", "text", "dk", "n", "share"]].rename(
            columns={
                "question_id": "Question",
                "text": "Asks",
                "dk": "Don't know",
                "share": "Don't know %",
            }
        ),
        **_TABLE,
    )


def comparison(c: RoundComparison) -> None:
    st.markdown("\n".join(f"- {s}" for s in c.summary))
    if c.shown:
        st.dataframe(blank_missing(c.moved), **_TABLE)
