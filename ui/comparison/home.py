"""An area's home (issue 17, item 1), and a published result opened from it.

Why: an administrator asked "where are our results from March?" needs one page per area:
every result with its kind, form, people, date and status, a way into the published ones,
the action plan across them, the timeline, and the start of the area's next
self-assessment. Storage checks the grant on every read (`storage.results.area_home`,
`storage.results.compare.published_result`); names and actions are people's text, so they
go into table cells or escaped text, never into Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from questions.model import Bank
from reports.plan import dimension_name
from scoring.assessment.results import build_results
from storage import (
    ENTRY_STATUSES,
    STATUS_NAMES,
    AccessDenied,
    AreaHome,
    AreaNode,
    Grant,
    InputError,
    StorageError,
    area_home,
    day_text,
    get_area,
    get_assessment,
    published_result,
    timeline,
    walk,
)
from ui import state
from ui.access import refused
from ui.assessment import actions
from ui.assessment import results as view
from ui.store import engine
from ui.tables import Column, show
from ui.text import literal

__all__ = ["choose_area", "home_page", "published_results"]

_KINDS = {"self": "Self-assessment", "workshop": "Workshop", "imported": "Imported"}
_ENTRIES = tuple(
    Column(c, c, width="medium" if c == "Area" else None)
    for c in ("Date", "Kind", "Form", "People", "Status", "Area")
)
_ACTIONS = tuple(
    Column(c, c, width="medium" if c == "Action" else None)
    for c in ("Agreed on", "Dimension", "Action", "Who", "Due", "Status")
)


def choose_area(tree: tuple[AreaNode, ...]) -> int | None:
    """The area in the address (``?area=``), or the one chosen here (which sets it)."""
    nodes = {node.area.id: node.label for _, node in walk(tree)}
    wanted = state.AREA.get()
    current = int(wanted) if wanted and wanted.isdigit() and int(wanted) in nodes else None
    chosen = st.selectbox(
        "Which area",
        list(nodes),
        index=list(nodes).index(current) if current is not None else None,
        format_func=nodes.get,
        placeholder="Choose an area",
    )
    if chosen is not None and chosen != current:
        state.AREA.set(str(chosen))
    return chosen


def home_page(grant: Grant, area_id: int, bank: Bank) -> None:
    """Everything the area's home shows, for an administrator."""
    try:
        home = area_home(engine(), grant, area_id)
        area = get_area(engine(), area_id)
    except (AccessDenied, InputError, StorageError) as exc:
        refused(exc)
        return
    assert area is not None
    st.header(literal(area.name), anchor=False)
    forms = {f.id: f.title for f in bank.forms}
    st.subheader("Results")
    if not home.entries:
        st.info("Nothing has been assessed for this area yet.")
    else:
        show(_entries_frame(home, forms), _ENTRIES)
        _open_links(home, forms)
    st.subheader("Action plan")
    if home.actions:
        show(_actions_frame(home, bank), _ACTIONS)
    else:
        st.caption("No action has been recorded for this area yet.")
    _next_assessment(grant, home, bank)
    st.subheader("Timeline")
    events = timeline(home, forms)
    if events:  # people's text (actions, area names) escaped: shown as typed
        st.markdown("\n".join(f"- **{day_text(e.day)}**: {literal(e.text)}" for e in events))


def published_results(grant: Grant, opened: str, bank: Bank) -> None:
    """A published self-assessment or imported result, opened by an administrator from its
    area's home: headline, summary, priorities, the action plan, the charts and the report to
    download; the owner's evidence notes are never shown here."""
    if not opened.isdigit() or len(opened) > 10:
        st.error("That address does not name a result. Open one from its area's home.")
        return
    try:
        answers, plans = published_result(engine(), grant, int(opened))
        assessment = get_assessment(engine(), int(opened))
    except (AccessDenied, InputError, StorageError) as exc:
        refused(exc)
        return
    assert assessment is not None
    area = get_area(engine(), assessment.area_id)
    assert area is not None
    results = build_results(bank, state.corpus(), answers, plans, form=assessment.form_id)
    st.title(f"Results: {literal(area.name)}")
    day = assessment.held_on or assessment.created_at.date()
    form = next((f.title for f in bank.forms if f.id == assessment.form_id), assessment.form_id)
    st.caption(
        literal(
            f"{form} · {_KINDS.get(assessment.kind, assessment.kind)} of {day_text(day)} · "
            f"published · opened by an administrator; the owner's evidence notes stay with them"
        )
    )
    st.page_link(
        "app_pages/area_home.py",
        label="Back to the area's home",
        query_params=state.AREA.to(str(area.id)),
        icon=":material/arrow_back:",
    )
    view.headline(results)
    st.subheader("In words")
    st.markdown("\n".join(f"- {literal(s)}" for s in results.summary))
    view.priorities(results, bank)
    actions.plan_section(
        grant, results, bank, assessment.form_id, "other", assessment_id=assessment.id
    )
    view.charts(results, bank)
    from ui.assessment.exports import published_downloads  # reports are heavy: load on use

    published_downloads(grant, assessment, area, results, answers, (bank, state.corpus()))


def _entries_frame(home: AreaHome, forms: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            "Date": day_text(e.day),
            "Kind": _KINDS.get(e.kind, e.kind),
            "Form": forms.get(e.form_id, e.form_id),
            "People": e.people,
            "Status": ENTRY_STATUSES[e.status].capitalize(),
            "Area": e.area_name,
        }
        for e in home.entries
    ]
    return pd.DataFrame(rows, columns=["Date", "Kind", "Form", "People", "Status", "Area"])


def _open_links(home: AreaHome, forms: dict[str, str]) -> None:
    opened = [e for e in home.entries if e.status == "published" and e.kind != "workshop"]
    if not opened:
        st.caption(
            "A result opens here once its owner has published it; a published workshop round "
            "opens on the Compare page."
        )
        return
    for e in opened:
        st.page_link(
            "app_pages/results.py",
            label=literal(
                f"Open the results: {_KINDS[e.kind].lower()}, {forms.get(e.form_id, e.form_id)}, "
                f"{day_text(e.day)}"
            ),
            query_params=state.ASSESSMENT.to(str(e.assessment_id)),
            icon=":material/insights:",
        )


def _actions_frame(home: AreaHome, bank: Bank) -> pd.DataFrame:
    agreed = {e.assessment_id: day_text(e.day) for e in home.entries}
    rows = [
        {
            "Agreed on": agreed.get(a.assessment_id, ""),
            "Dimension": dimension_name(bank, a.dimension_id),
            "Action": a.what,
            "Who": a.owner,
            "Due": day_text(a.due) if a.due else "",
            "Status": STATUS_NAMES.get(a.status, a.status),
        }
        for a in home.actions
    ]
    return pd.DataFrame(rows, columns=[c.source for c in _ACTIONS])


def _next_assessment(grant: Grant, home: AreaHome, bank: Bank) -> None:
    """Start the area's next self-assessment from its latest finished one (its own, not an
    area's inside it), so it opens with the actions agreed so far."""
    latest = next(
        (
            e
            for e in home.entries
            if e.kind == "self" and e.area_id == home.area_id and e.status != "draft"
        ),
        None,
    )
    if latest is None:
        return
    form = next((f.title for f in bank.forms if f.id == latest.form_id), latest.form_id)
    st.caption(
        literal(
            f"The area's next self-assessment follows its latest, of {day_text(latest.day)} "
            f"({form}): it opens by asking how each action stands."
        )
    )
    actions.follow_up_button(grant, latest.assessment_id, latest.form_id)
