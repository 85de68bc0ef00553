"""Pieces of the Areas page: the table of areas as a tree, the empty state, the demo group.

Why: the page only shows the register (`storage.core.registry`); names are people's
text, so they go into a data table cell, never into Markdown or HTML. The page is an
administrator's, and so is its one action: exporting everything about an area
(`storage.results.lifecycle.export_area`, which checks the grant again).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from storage import AreaNode, Grant, day_text, export_area, get_area, walk
from ui.store import engine
from ui.text import literal

_TABLE = {"hide_index": True, "width": "stretch"}
#: An em space: ordinary leading spaces may be dropped, these keep their width.
_INDENT = "\u2003\u2003"
_BRANCH = "\u2514\u2002"  # "└ " before an area inside another
COLUMNS = ("Area", "Kind", "ONS code", "Assessments", "Latest")


def frame(tree: Sequence[AreaNode]) -> pd.DataFrame:
    """One row per area in tree order; an area inside another is indented beneath it."""
    rows = [
        {
            "Area": (_INDENT * (depth - 1) + _BRANCH if depth else "") + node.label,
            "Kind": node.area.kind.capitalize(),
            "ONS code": node.area.ons_code or "",
            "Assessments": node.activity.total,
            "Latest": day_text(node.activity.latest) if node.activity.latest else "",
        }
        for depth, node in walk(tree)
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def table(tree: Sequence[AreaNode]) -> None:
    st.dataframe(frame(tree), **_TABLE)


def empty() -> None:
    """No areas yet: say how one comes to exist, with a way to each."""
    st.info(
        "There are no areas yet. An area is added when someone starts a self-assessment, "
        "opens a workshop, or imports results on the Compare page."
    )
    st.page_link(
        "app_pages/start.py", label="Start a self-assessment", icon=":material/play_arrow:"
    )
    st.page_link("app_pages/workshop_open.py", label="Open a workshop", icon=":material/groups:")
    st.page_link(
        "app_pages/compare.py", label="Import results to compare", icon=":material/compare_arrows:"
    )


def demo(tree: Sequence[AreaNode]) -> None:
    """The fictional demo areas, apart from the real ones."""
    st.subheader("Fictional demo data")
    st.caption(
        "Made-up areas, loaded on the Compare page to show what it does. They can be removed "
        "there, all at once, without touching any real area."
    )
    table(tree)
    st.page_link(
        "app_pages/compare.py",
        label="Compare areas, or remove the demo data",
        icon=":material/compare_arrows:",
    )


def notes() -> None:
    """What the counts mean, and who can rename an area or move it."""
    st.caption(
        "*Assessments* counts the self-assessments, workshops and imported results about the area "
        "itself, not those about the areas inside it; *Latest* is the date of the most recent."
    )
    st.caption(
        "To rename an area, or change what it belongs to, ask whoever runs Ladder for your "
        "organisation (their guide: the Areas section of docs/deployment.md)."
    )


def export(tree: Sequence[AreaNode], grant: Grant) -> None:
    """Everything Ladder holds about one area, as JSON (an access or deletion request)."""
    st.subheader("Export everything about an area")
    st.caption(
        "Every assessment, workshop, answer, evidence note and agreed level stored about the "
        "area itself (not the areas inside it), without any key, code or token: for a "
        "request to see or delete what Ladder holds. Administrators only."
    )
    labels = {node.area.id: node.label for _, node in walk(tree)}
    area_id = st.selectbox(
        "Area to export", [None, *labels], format_func=lambda i: "–" if i is None else labels[i]
    )
    if area_id is None:
        return
    db = engine()
    if get_area(db, area_id) is None:  # deleted since the page was drawn
        st.error(f"Nothing to export: there is no area with id {literal(area_id)}.")
        return
    st.download_button(
        "Export everything about this area (JSON)",
        # Built when pressed; storage checks the grant again then (ui.downloads).
        lambda: json.dumps(export_area(db, grant, area_id), indent=2, ensure_ascii=False),
        file_name=f"ladder-area-{area_id}.json",
        mime="application/json",
        key="area_export",
    )
