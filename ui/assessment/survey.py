"""The survey step: each question as its five levels in words, saved the moment it changes.

Why: "nothing lost" means an answer reaches the database when it is given,
not when a page is left; every widget saves through one callback, and the
widgets are filled from the database on every run, so a refresh, a new tab
or a restarted server shows exactly what was saved.

Why the page is scrolled back up: Streamlit keeps the scroll position across
reruns, so after Next (pressed at the bottom of a long step) a phone showed the
new step's bottom. Streamlit has no call to scroll the page, so the run after a
step change adds one fixed script (no user or bank text in it) that does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import streamlit as st

from questions.guide import OUR_ADDITION, context_lines, look_for_lines, rule_line
from questions.model import Bank, Dimension, Question
from questions.survey import (
    ANSWER_OPTIONS,
    CONFIDENCE_OPTIONS,
    Step,
    answer_label,
    clamp_step,
    progress,
    unanswered,
    wants_evidence,
)
from storage import (
    AnswerInput,
    Draft,
    InputError,
    PlanInput,
    StorageError,
    save_draft,
    submit_response,
)
from ui import state
from ui.store import NOT_SAVED, engine
from ui.text import literal

#: Scrolls the app's main area (and the window) to the top and puts the keyboard focus on
#: the page's first heading, so a screen reader starts at the new step. Fixed text only.
_TOP_SCRIPT = """(function () {
  var up = function () {
    var main = document.querySelector('[data-testid="stMain"]');
    var view = document.querySelector('[data-testid="stAppViewContainer"]');
    [main, view, document.scrollingElement].forEach(function (el) {
      if (el) { el.scrollTop = 0; }
    });
    window.scrollTo(0, 0);
  };
  up();
  var heading = document.querySelector(
    '[data-testid="stMain"] h1, [data-testid="stMain"] h3, [data-testid="stMain"] h4');
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  window.requestAnimationFrame(up);
})();"""


def _key(kind: str, item_id: str) -> str:
    """The widget key of a question's answer (``a``), confidence (``c``) or evidence (``e``),
    or a dimension's target (``t``) or priority (``p``)."""
    return state.survey_field(kind, item_id).key


def _value(kind: str, item_id: str) -> Any:
    return state.survey_field(kind, item_id).get()


def back_to_top() -> None:
    """Have the next run bring the page back to its top (the step or the view changed)."""
    state.SURVEY_MOVES.set(state.SURVEY_MOVES.get_or(0) + 1)
    state.SURVEY_TO_TOP.set(True)


def scroll_if_moved() -> None:
    """On the run after `back_to_top`, and only then: the fixed script that scrolls up.

    Why the number: the browser runs a script element again only when its text changes,
    and two step changes in a row would otherwise send the same one.
    """
    if state.SURVEY_TO_TOP.pop():
        moves = int(state.SURVEY_MOVES.get_or(0))
        st.html(f'<script data-move="{moves}">{_TOP_SCRIPT}</script>', unsafe_allow_javascript=True)


def fill_from(draft: Draft, step: Step, plans: bool = True) -> None:
    """Put saved values into this step's widgets, unless a widget already holds one."""
    for q in step.questions:
        saved = draft.answers.get(q.id)
        defaults = {
            "a": saved.answer or None if saved else None,
            "c": saved.confidence if saved else None,
            "e": (saved.evidence or "") if saved else "",
        }
        for kind, value in defaults.items():
            state.survey_field(kind, q.id).setdefault(value)
    if not plans:
        return
    plan = draft.plans.get(step.dimension.id)
    state.survey_field("t", step.dimension.id).setdefault(plan.target if plan else None)
    state.survey_field("p", step.dimension.id).setdefault(bool(plan and plan.priority))


def answers_of(step: Step) -> dict[str, AnswerInput]:
    """This step's answers as the widgets hold them."""
    return {
        q.id: AnswerInput(
            _value("a", q.id) or "",
            _value("c", q.id),
            (_value("e", q.id) or "").strip() or None,
        )
        for q in step.questions
    }


def plan_of(dimension: Dimension) -> dict[str, PlanInput]:
    return {dimension.id: PlanInput(_value("t", dimension.id), bool(_value("p", dimension.id)))}


def save(response_id: int, step: Step, to_step: int, amend: bool, plans: bool = True) -> bool:
    """Save the whole step (and where the person now is). False, with a message, on failure.

    ``plans=False`` (a workshop) saves no target or priority: the page asks for none.
    """
    wanted = Save(
        response_id,
        answers_of(step),
        plan_of(step.dimension) if plans else {},
        to_step,
        amend,
    )
    return save_or_hold(wanted, step.dimension.id)


def save_or_hold(wanted: Save, part: str) -> bool:
    """Write ``wanted``; when the database is away, hold it in the session under ``part``
    (a step, a question) to be written by `save_unsaved` once it is back. False, with a
    message kept for the page, when it was not saved."""
    unsaved: dict[tuple[int, str], Save] = state.SURVEY_UNSAVED.setdefault({})
    try:
        _write(wanted)
    except InputError as exc:
        state.SURVEY_SAVE_ERROR.set(f"Not saved: {exc.message}.")
        return False
    except StorageError:
        unsaved[(wanted.response_id, part)] = wanted  # saved when the database is back
        state.SURVEY_SAVE_ERROR.set(NOT_SAVED)
        return False
    unsaved.pop((wanted.response_id, part), None)
    state.SURVEY_SAVE_ERROR.pop()
    return True


@dataclass(frozen=True, slots=True)
class Save:
    """One save: what `storage.save_draft` is given."""

    response_id: int
    answers: Mapping[str, AnswerInput]
    plans: Mapping[str, PlanInput]
    to_step: int
    amend: bool


def _write(wanted: Save) -> None:
    save_draft(
        engine(),
        wanted.response_id,
        dict(wanted.answers),
        dict(wanted.plans),
        wanted.to_step,
        allow_submitted=wanted.amend,
    )


def save_unsaved(response_id: int) -> bool:
    """Save what could not be saved while the database was away; True when something was.

    A step whose save failed is kept in the session (`ui.state.SURVEY_UNSAVED`), outside the
    widgets, so a page stopped by the outage loses nothing; the first run of the page
    once the database answers writes it. A failure now raises `StorageError` (the page
    says "not saved — try again" and keeps it); an answer no longer allowed (the round
    closed meanwhile) is dropped with that reason shown.
    """
    unsaved: dict[tuple[int, str], Save] = state.SURVEY_UNSAVED.get() or {}
    mine = [key for key in unsaved if key[0] == response_id]
    for key in mine:
        try:
            _write(unsaved[key])
        except InputError as exc:
            state.SURVEY_SAVE_ERROR.set(f"Not saved: {exc.message}.")
        else:
            state.SURVEY_SAVE_ERROR.pop()
            state.SURVEY_SAVED_AGAIN.set(True)
        del unsaved[key]
    return bool(mine)


def question(bank: Bank, q: Question, on_change: object) -> None:
    """One question: the five levels as options, dk and na, confidence and evidence.

    The confidence and evidence labels are the same for every question (their keys keep
    them apart); the box they sit in is keyed by the question, for tests and styling.
    """
    with st.container(border=True, key=f"question-{q.id}"):
        st.radio(
            literal(q.text),
            ANSWER_OPTIONS,
            key=_key("a", q.id),
            format_func=lambda option: _bold_level(answer_label(bank, q, option)),
            help=literal(q.help) if q.help else None,
            on_change=on_change,
        )
        guide(bank, q)
        answer = _value("a", q.id)
        evidence = _value("e", q.id)
        if wants_evidence(answer, evidence):
            st.info(
                "You chose level 4 or 5: please note what would show it (a document, data or "
                "a named example). You can go on without it."
            )
        with st.expander("Confidence and evidence (optional)", expanded=bool(answer in ("4", "5"))):
            st.segmented_control(
                "How sure are you of this answer?",
                CONFIDENCE_OPTIONS,
                key=_key("c", q.id),
                format_func=str.capitalize,
                on_change=on_change,
            )
            st.text_area(
                "Evidence",
                key=_key("e", q.id),
                placeholder=q.evidence,
                help=f"What would show it: {literal(q.evidence)}",
                max_chars=4000,
                on_change=on_change,
            )


def guide(bank: Bank, q: Question) -> None:
    """How to choose a level, under every question; what to look for at each level and the
    warning signs, folded (the bank's words, shown as typed)."""
    st.caption(literal(rule_line(bank)))
    lines, signs = look_for_lines(bank, q), q.warning_signs
    if lines or signs or q.our_addition:
        with st.expander("What to look for"):
            if lines:
                st.markdown("\n".join(f"- {literal(line)}" for line in lines))
            if signs:
                st.markdown("**Warning signs**")
                st.markdown("\n".join(f"- {literal(sign)}" for sign in signs))
            if q.our_addition:
                st.caption(OUR_ADDITION)


def dimension_intro(dimension: Dimension) -> None:
    """The criterion's own words in the pamphlet, or the theme's law today, under its title."""
    for line in context_lines(dimension, state.corpus()):
        st.caption(literal(line))


@lru_cache(maxsize=1024)
def _bold_level(label: str) -> str:
    """'3 · Developing — words' with the level in bold, so the ladder is easy to scan
    (the bank's words shown as typed)."""
    head, sep, rest = label.partition(" — ")
    return f"**{literal(head)}**{sep}{literal(rest)}" if sep else literal(label)


def plan(bank: Bank, dimension: Dimension, on_change: object) -> None:
    """The dimension's 12-month target and priority flag."""
    name = literal(dimension.name)  # the bank's text, shown as typed in every label below
    st.markdown(f"**Looking ahead: {literal(dimension.name)}**")
    levels = dict(bank.scale.levels)
    st.selectbox(
        f"Where do you aim to be on {name} in 12 months?",
        [None, 1, 2, 3, 4, 5],
        key=_key("t", dimension.id),
        format_func=lambda v: "No target set" if v is None else f"{v} · {levels[v]}",
        on_change=on_change,
    )
    st.checkbox(
        f"Make {name} one of our priorities",
        key=_key("p", dimension.id),
        on_change=on_change,
    )


def saved_answers(draft: Draft) -> Mapping[str, str]:
    return {qid: a.answer for qid, a in draft.answers.items()}


def finish(response_id: int, button: str = "Finish") -> bool:
    """Mark the response submitted (it stays open to amendment). False, with a message,
    when that failed; ``button`` names what to press again."""
    try:
        submit_response(engine(), response_id)
    except InputError as exc:  # a workshop round closed a moment ago
        state.SURVEY_SAVE_ERROR.set(f"Not sent: {exc.message}.")
        return False
    except StorageError:
        state.SURVEY_SAVE_ERROR.set(
            f"Your answers are saved, but marking them finished failed; press {button} again."
        )
        return False
    return True


def run(
    bank: Bank,
    draft: Draft,
    steps: tuple[Step, ...],
    *,
    heading: str,
    amend: bool,
    finish_label: str,
    on_finish: Callable[[], None],
    step_slot: state.Slot[int] = state.STEP,
    workshop: bool = False,
) -> None:
    """Show the current step of a survey, with progress, Back, Next and Finish.

    ``step_slot`` keeps the step in the session (a workshop's apart from a
    self-assessment's). ``amend`` lets a submitted response keep changing (a finished
    self-assessment, a workshop round still open). ``on_finish`` runs after the last step is saved.
    ``workshop``: a participant's page, on a phone. No 12-month target or priority
    (setting the council's targets is not what a room of residents and councillors
    is asked), and a smaller step heading without the dimension's code.
    """
    if save_unsaved(draft.response_id):
        st.rerun()  # the draft just read is older than what was saved
    current = clamp_step(step_slot.get_or(draft.step), steps)
    step = steps[current]
    plans = not workshop

    def keep() -> None:
        save(draft.response_id, step, current, amend, plans)

    def move(to: int) -> None:
        if save(draft.response_id, step, to, amend, plans):
            step_slot.set(to)
            back_to_top()

    fill_from(draft, step, plans)
    answers = {**saved_answers(draft), **{q: a.answer for q, a in answers_of(step).items()}}
    done = progress(steps, answers, current)
    st.caption(literal(heading))
    st.progress(done.share, text=done.text)
    if workshop:
        st.subheader(literal(step.dimension.name), anchor=False)
    else:
        st.title(literal(f"{step.dimension.id} · {step.dimension.name}"), anchor=False)
    dimension_intro(step.dimension)
    with st.expander("What this is about"):
        st.write(literal(step.dimension.summary))
    for q in step.questions:
        question(bank, q, keep)
    if plans:
        plan(bank, step.dimension, keep)
    if message := state.SURVEY_SAVE_ERROR.get():
        st.error(message)
    elif state.SURVEY_SAVED_AGAIN.pop():
        st.success("Saved: the answers that could not be saved a moment ago are in.")
    left, right = st.columns(2)
    left.button("Back", on_click=move, args=(current - 1,), disabled=current == 0, width="stretch")
    if current < len(steps) - 1:
        right.button("Next", on_click=move, args=(current + 1,), type="primary", width="stretch")
    else:
        missing = sum(len(unanswered(s, answers)) for s in steps)
        if missing:
            right.caption(f"{missing} questions have no answer yet; you can still finish.")
        if right.button(finish_label, type="primary", width="stretch") and save(
            draft.response_id, step, current, amend, plans
        ):
            on_finish()
    scroll_if_moved()
