"""A participant's questions on a phone: one question per screen, the five levels as large
buttons, a progress line, Back, and nothing else of the app (issue 15, item 2).

Why: a room answers on phones, standing or sat at tables, many of them residents. Each
tap saves the answer and moves on, so nothing is lost and nobody scrolls through a long
step. How sure you are and what would show it are optional and folded away. In a later
round, the phone first offers to send the answers unchanged ("Send — nothing changed");
each question then shows the person's own earlier answer and where the room sat (in words
and a small band, only where k or more answered, only if the room was shown it), with
"Keep my answer". Saving goes through `ui.assessment.survey.save_or_hold`, so an outage
loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from questions.model import Bank, Question
from questions.survey import (
    ANSWER_OPTIONS,
    CONFIDENCE_OPTIONS,
    answer_label,
    one_by_one,
    question_progress,
    screen_at,
    steps_for,
)
from scoring.workshop.bands import Band, band_parts, band_words, item_bands, own_words
from storage import (
    AccessDenied,
    AnswerInput,
    Draft,
    Grant,
    Participant,
    StorageError,
    Workshop,
    earlier_answers,
    room_view,
)
from ui import state
from ui.assessment import survey
from ui.store import engine
from ui.text import literal

__all__ = ["PHONE_STYLE", "run"]

LEVELS = ANSWER_OPTIONS[:5]
#: The participant's page: no app menu or toolbar, the answers' words read from the left.
#: Fixed text of ours, never anything a person or the bank wrote.
PHONE_STYLE = """<style>
[data-testid="stToolbar"], [data-testid="stMainMenu"], [data-testid="stDecoration"] {
  display: none !important; }
[data-testid="stMain"] [data-testid="stBaseButton-secondary"] p,
[data-testid="stMain"] [data-testid="stBaseButton-primary"] p { text-align: left; }
[data-testid="stMain"] [data-testid="stBaseButton-secondary"],
[data-testid="stMain"] [data-testid="stBaseButton-primary"] {
  justify-content: flex-start; min-height: 3rem; }
</style>"""


def run(
    bank: Bank,
    draft: Draft,
    workshop: Workshop,
    me: Participant,
    send: Callable[[], None],
) -> None:
    """The participant's current screen: the start of a later round, a question, or Send."""
    if survey.save_unsaved(draft.response_id):
        st.rerun()  # the draft just read is older than what was saved
    items = one_by_one(steps_for(bank, workshop.dimensions), me.role)
    later = workshop.current_round > 1
    stored = state.WORKSHOP_STEP.get()
    if stored is None and not later and draft.answers:
        stored = draft.step  # back on another device: where they left off
    at = screen_at(stored, len(items), later)
    answers = {qid: a.answer for qid, a in draft.answers.items() if a.answer}
    for step, _ in items[max(at, 0) : max(at, 0) + 1]:
        survey.fill_from(draft, step, plans=False)
    role = next((r.label for r in bank.roles if r.id == me.role), me.role)
    st.caption(literal(f"{workshop.title} · round {workshop.current_round} · you joined as {role}"))
    if at < 0:
        _start(workshop, send)
    elif at >= len(items):
        _send_screen(len(items), answers, send)
    else:
        earlier = _earlier(workshop, me) if later else None
        _question(bank, draft, items[at][1], at, len(items), answers, earlier)
    if message := state.SURVEY_SAVE_ERROR.get():
        st.error(message)
    elif state.SURVEY_SAVED_AGAIN.pop():
        st.success("Saved: the answers that could not be saved a moment ago are in.")
    survey.scroll_if_moved()


def _go(to: int) -> None:
    state.WORKSHOP_STEP.set(to)
    survey.back_to_top()


def _start(workshop: Workshop, send: Callable[[], None]) -> None:
    before = workshop.current_round - 1
    st.subheader(literal(f"Round {workshop.current_round}"), anchor=False)
    st.write(
        literal(
            f"Your answers from round {before} are already filled in. After the discussion, "
            "change any you like. If nothing changed for you, send them as they are."
        )
    )
    if st.button("Send — nothing changed", type="primary", width="stretch"):
        send()
    st.button("Go through my answers", on_click=_go, args=(0,), width="stretch", key="walk_start")


def _send_screen(total: int, answers: Mapping[str, str], send: Callable[[], None]) -> None:
    answered = len(answers)
    st.progress(1.0, text=question_progress(total, total, answered))
    st.subheader("Ready to send?", anchor=False)
    if answered < total:
        st.write(
            literal(
                f"You have answered {answered} of {total} questions. You can still send: "
                "questions without an answer are left out."
            )
        )
    else:
        st.write(literal(f"You have answered all {total} questions."))
    st.write("Only answers you send count. You can change them until the round closes.")
    if st.button("Send my answers", type="primary", width="stretch"):
        send()
    st.button("Back", on_click=_go, args=(total - 1,), width="stretch", key="walk_back")


def _question(
    bank: Bank,
    draft: Draft,
    q: Question,
    at: int,
    total: int,
    answers: Mapping[str, str],
    earlier: tuple[dict[str, str], dict[str, Band] | None] | None,
) -> None:
    field = state.survey_field("a", q.id)
    chosen = field.get() or None
    counted = len({*answers, *([q.id] if chosen else [])})
    st.progress((at + 1) / total, text=question_progress(at, total, counted))
    st.caption(literal(bank.dimension(q.dimension).name))
    st.markdown(f"#### {literal(q.text)}", anchors=False)
    if q.help:
        with st.expander("What this means"):
            st.write(literal(q.help))
    survey.guide(bank, q)
    if earlier is not None:
        _then(bank, q, *earlier)

    def pick(option: str) -> None:
        field.set(option)
        if _save(draft.response_id, q, at + 1):
            _go(at + 1)

    def answer_button(where: Any, option: str) -> None:
        mine = option == chosen
        where.button(
            literal(answer_label(bank, q, option)),
            key=f"pick_{q.id}_{option}",
            type="primary" if mine else "secondary",
            icon=":material/check_circle:" if mine else None,
            width="stretch",
            on_click=pick,
            args=(option,),
        )

    for option in LEVELS:
        answer_button(st, option)
    for column, option in zip(st.columns(2), ANSWER_OPTIONS[5:], strict=True):
        answer_button(column, option)  # don't know, not applicable: side by side
    with st.expander("How sure are you, and what would show it? (optional)"):
        keep = (_save, (draft.response_id, q, at))
        st.segmented_control(
            "How sure are you of this answer?",
            CONFIDENCE_OPTIONS,
            key=state.survey_field("c", q.id).key,
            format_func=str.capitalize,
            on_change=keep[0],
            args=keep[1],
        )
        st.text_area(
            "What would show it (optional)",
            key=state.survey_field("e", q.id).key,
            placeholder=q.evidence,
            max_chars=4000,
            on_change=keep[0],
            args=keep[1],
        )
    back, ahead = st.columns(2)
    first = -1 if earlier is not None else 0
    back.button(
        "Back", on_click=_go, args=(at - 1,), disabled=at <= first, width="stretch", key="back"
    )
    if chosen and earlier is not None:
        label = "Keep my answer"
    elif chosen:
        label = "Next"
    else:
        label = "Skip"
    ahead.button(label, on_click=_go, args=(at + 1,), width="stretch", key="ahead")


def _then(bank: Bank, q: Question, mine: dict[str, str], bands: dict[str, Band] | None) -> None:
    """A later round: the person's own earlier answer and where the room sat."""
    labels = {o: answer_label(bank, q, o).split(" — ")[0] for o in ANSWER_OPTIONS}
    with st.container(border=True):
        said = own_words(mine, q.id, labels)
        st.markdown(literal(said) if said else "Last round you gave no answer here.")
        if bands is None:
            st.markdown("The room's results from last round were not shown, so nor are they here.")
            return
        band = bands.get(q.id)
        st.markdown(literal(band_words(band)))
        if band is not None:
            below, within, above = band_parts(band)
            inside = " · ".join(map(str, within))
            parts = [*map(str, below), f":blue-background[**{inside}**]", *map(str, above)]
            st.markdown("Levels " + " · ".join(parts))


def _earlier(workshop: Workshop, me: Participant) -> tuple[dict[str, str], dict[str, Band] | None]:
    """The person's own answers last round, and the room's bands from the view the room was
    shown then (None when it was not revealed, or cannot be read just now)."""
    mine = earlier_answers(engine(), me.id)
    token = state.PARTICIPANT_TOKEN.get_or("")
    grant = Grant("participant", workshop_id=workshop.id, token=token)
    try:
        view = room_view(engine(), grant, workshop.id, workshop.current_round - 1)
    except (AccessDenied, StorageError):
        return mine, None
    bands = view.memo.get("bands")
    if bands is None:
        bands = view.memo["bands"] = item_bands(view.answers, view.k) if view.shown else {}
    return mine, bands


def _save(response_id: int, q: Question, to: int) -> bool:
    """Save one question as its fields hold it, and where the phone now stands."""
    given = AnswerInput(
        state.survey_field("a", q.id).get() or "",
        state.survey_field("c", q.id).get(),
        (state.survey_field("e", q.id).get() or "").strip() or None,
    )
    wanted = survey.Save(response_id, {q.id: given}, {}, max(to, 0), True)
    return survey.save_or_hold(wanted, q.id)
