"""The action plan on the results page, and "Last time you agreed to…" on the next survey.

Why: issue 17 asks that priorities turn into actions someone owns, and that the next
assessment of the area starts by asking how they stand. Storage checks the resume code on
every read and every press (`storage.results.actions`); text people typed is shown as
typed, in tables and as escaped text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from questions.model import Bank
from reports.plan import PLAN_COLUMNS, dimension_name, plan_frame
from scoring.assessment.results import Results
from storage import (
    STATUS_NAMES,
    AccessDenied,
    Action,
    Grant,
    InputError,
    Plan,
    StorageError,
    add_action,
    day_text,
    plan_of,
    spaced_token,
    start_follow_up,
    update_action,
)
from ui import state
from ui.access import refused
from ui.store import bank_hash, engine
from ui.tables import Column, show
from ui.text import literal

__all__ = ["follow_up_button", "last_time", "plan_section", "room_plan"]

_VIEW = tuple(
    Column(c, c, width="medium" if c in ("Action", "Notes") else None) for c in PLAN_COLUMNS
)
_WHO_HELP = (
    "A role or a team, such as 'Head of early help' or 'the policy team': never a person's "
    "name, so the plan can be published and still makes sense when people move on."
)
_OTHER_STEP = "Something else"


def plan_section(
    grant: Grant,
    results: Results,
    bank: Bank,
    form_id: str,
    role: str,
    assessment_id: int | None = None,
) -> None:
    """The results page's "Action plan": the table, a form to record an action from the
    priorities, a way to say how one stands, and the start of the area's next assessment.
    ``grant`` is the owner's (no id needed) or an administrator's, with ``assessment_id``."""
    here = _Here(grant, assessment_id)
    st.subheader("Action plan")
    st.write(
        "Turn the priorities into actions: what you will do, who does it and by when. The "
        "plan goes into the report and the spreadsheets, and the next self-assessment of this "
        "area starts by asking how each action stands."
    )
    plan = _plan(here)
    if plan is None:
        return
    if plan.recorded:
        show(plan_frame(plan, bank), _VIEW)
    first = [p.dimension.id for p in results.priorities]
    rest = [r.id for r in results.rows if r.id not in first]
    _record(here, [*first, *rest], bank, "The priorities come first.")
    if plan.recorded:
        _update(here, (*plan.own, *plan.carried))
    _follow_up(here, form_id, role)


def room_plan(grant: Grant, bank: Bank, dimensions: Sequence[str]) -> None:
    """A workshop's action plan on its dashboard: what the room agreed to do, from its agreed
    levels (``dimensions``: those with an agreed level first). ``grant`` is the facilitator's;
    storage checks it on every read and press."""
    here = _Here(grant, None)
    st.write(
        "What the room agreed to do: for each, who does it (a role or a team) and by when. The "
        "plan goes into the workshop's report and spreadsheets."
    )
    plan = _plan(here)
    if plan is None:
        return
    if plan.own:
        show(plan_frame(plan, bank), _VIEW)
    _record(here, dimensions, bank, "The dimensions the room agreed a level for come first.")
    if plan.own:
        _update(here, plan.own)


def last_time(grant: Grant, bank: Bank) -> None:
    """At the top of a follow-up: the actions agreed last time, and how they stand. ``grant``
    is the survey's owner's (before the questions) or the next workshop's facilitator's (on
    its dashboard, before the room discusses the first round)."""
    here = _Here(grant, None)
    kept = state.LAST_TIME_PLAN.get()
    plan = kept[1] if kept is not None and kept[0] == here.key else None
    if plan is None:  # read once per session: every answer (and refresh) reruns the page
        plan = _plan(here)
        if plan is None:
            return
        state.LAST_TIME_PLAN.set((here.key, plan))
    if not plan.carried:
        return
    ask = plan.to_ask
    if not ask:
        with st.expander(f"Actions agreed last time ({len(plan.carried)}): how they stand"):
            show(plan_frame(plan, bank), _VIEW)
        return
    st.subheader("Last time you agreed to…")
    if grant.kind == "facilitator":
        st.write(
            "Before the room scores again, ask how each action stands and record it here. It "
            "is kept with this workshop, so the area's record shows what happened to each."
        )
    else:
        st.write(
            "Before the questions, say how each action stands. It is kept with this "
            "assessment, so the area's record shows what happened to each."
        )
    with st.form("last_time"):
        chosen: dict[int, tuple[str, str]] = {}
        for action in ask:
            with st.container(border=True):
                st.markdown(f"**{literal(action.what)}**")
                st.caption(literal(_facts(action, bank)))
                status = st.radio(
                    "How it stands",
                    list(STATUS_NAMES),
                    index=list(STATUS_NAMES).index(action.status),
                    format_func=STATUS_NAMES.get,
                    horizontal=True,
                    key=f"status_{action.id}",
                )
                note = st.text_input("A note (optional)", key=f"note_{action.id}", max_chars=500)
                chosen[action.id] = (status, note)
        sent = st.form_submit_button("Save how they stand", type="primary")
    if sent:
        state.LAST_TIME_PLAN.pop()  # read again after saving
        _save(here, chosen)


@dataclass(frozen=True, slots=True)
class _Here:
    """Whose plan: an owner's grant, or an administrator's and the assessment's id."""

    grant: Grant
    assessment_id: int | None

    @property
    def key(self) -> str:
        if self.grant.kind == "facilitator":
            return f"workshop {self.grant.workshop_id}"
        return self.grant.token or f"assessment {self.assessment_id}"


def _plan(here: _Here) -> Plan | None:
    try:
        return plan_of(engine(), here.grant, here.assessment_id)
    except (AccessDenied, InputError, StorageError) as exc:
        refused(exc)
    return None


def _record(here: _Here, dimensions: Sequence[str], bank: Bank, order: str) -> None:
    """A form to record an action for one of ``dimensions`` (``order`` says their order)."""
    names = {d: dimension_name(bank, d) for d in dimensions}  # named here, in the page's run
    with st.expander("Record an action", expanded=True):  # open: several are recorded in a row
        dimension = st.selectbox(
            "For which dimension",
            list(dimensions),
            format_func=names.__getitem__,
            help=order,
            key="action_dimension",
        )
        steps = [*bank.dimension(dimension).next_steps, _OTHER_STEP] if dimension else []
        step = st.selectbox("The next step it serves", steps, key="action_step")
        with st.form("record_action", clear_on_submit=True):
            what = st.text_input("What you will do", max_chars=300)
            who = st.text_input("Who does it", max_chars=120, help=_WHO_HELP)
            due = st.date_input("By when (optional)", value=None, format="DD/MM/YYYY")
            notes = st.text_area("Notes (optional)", max_chars=2000)
            sent = st.form_submit_button("Record the action")
    if sent:
        try:
            add_action(
                engine(),
                here.grant,
                assessment_id=here.assessment_id,
                dimension_id=dimension,
                what=what,
                owner=who,
                due=due,
                next_step=None if step in (None, _OTHER_STEP) else step,
                notes=notes,
            )
        except (InputError, AccessDenied, StorageError) as exc:
            refused(exc, "The action was not recorded.")
        else:
            st.rerun()


def _update(here: _Here, actions: Sequence[Action]) -> None:
    with st.expander("Say how an action stands"), st.form("update_action"):
        labels = {a.id: a.what for a in actions}
        chosen = st.selectbox("Action", list(labels), format_func=labels.get)
        status = st.selectbox("How it stands", list(STATUS_NAMES), format_func=STATUS_NAMES.get)
        note = st.text_input("A note (optional)", max_chars=500)
        sent = st.form_submit_button("Save")
    if sent and chosen is not None:
        _save(here, {chosen: (status, note)})


def _save(here: _Here, chosen: dict[int, tuple[str, str]]) -> None:
    try:
        for action_id, (status, note) in chosen.items():
            update_action(
                engine(),
                here.grant,
                action_id,
                status=status,
                note=note,
                assessment_id=here.assessment_id,
            )
    except (InputError, AccessDenied, StorageError) as exc:
        refused(exc, "Not saved.")
    else:
        st.rerun()


def follow_up_button(grant: Grant, assessment_id: int, form_id: str) -> None:
    """Start the area's next self-assessment after ``assessment_id`` (an administrator's)."""
    _follow_up(_Here(grant, assessment_id), form_id, "other")


def _follow_up(here: _Here, form_id: str, role: str) -> None:
    source, made = state.FOLLOW_UP.get() or ("", "")
    if made and source == here.key:
        st.success(
            "The area's next self-assessment is ready. Its resume code is "
            f"**{spaced_token(made)}**: keep it to come back to those answers."
        )
        st.page_link(
            "app_pages/survey.py",
            label="Open the next self-assessment",
            query_params=state.RESUME.to(made),
            icon=":material/arrow_forward:",
        )
        return
    with st.expander("Start the area's next self-assessment"):
        st.write(
            "When it is time to assess again, start the next one from here: it opens by "
            "asking how each action stands, then asks the same questions."
        )
        if st.button("Start the next self-assessment"):
            try:
                token = start_follow_up(
                    engine(),
                    here.grant,
                    form_id=form_id,
                    bank_hash=bank_hash(),
                    role=role,
                    assessment_id=here.assessment_id,
                )
            except (InputError, AccessDenied, StorageError) as exc:
                refused(exc, "Nothing was started.")
            else:
                state.FOLLOW_UP.set((here.key, token))
                st.rerun()


def _facts(action: Action, bank: Bank) -> str:
    due = f" · due {day_text(action.due)}" if action.due else ""
    return f"{dimension_name(bank, action.dimension_id)} · {action.owner}{due}"
