"""The survey: one dimension per step, every answer saved as it is given."""

from __future__ import annotations

import streamlit as st

from questions.survey import clamp_step, progress, survey_steps, unanswered
from storage import spaced_token
from ui import survey
from ui.journey import active, no_response_here

loaded = st.session_state["instrument"]
bank = loaded.bank
here = active()
if here is None:
    no_response_here()
draft = here.draft
steps = survey_steps(bank, draft.assessment.form_id)
current = clamp_step(st.session_state.get("step", draft.step), steps)
step = steps[current]
amend = draft.status == "submitted"


def keep() -> None:
    survey.save(draft.response_id, step, current, amend)


def move(to: int) -> None:
    if survey.save(draft.response_id, step, to, amend):
        st.session_state["step"] = to


survey.fill_from(draft, step)
answers = {
    **survey.saved_answers(draft),
    **{q: a.answer for q, a in survey.answers_of(step).items()},
}
done = progress(steps, answers, current)
st.caption(bank.form(draft.assessment.form_id).title)
st.progress(done.share, text=done.text)
st.title(f"{step.dimension.id} · {step.dimension.name}")
with st.expander("What this is about"):
    st.write(step.dimension.summary)
if amend:
    st.info("These answers were submitted. You can still change them; changes are saved at once.")

for q in step.questions:
    survey.question(bank, q, keep)
survey.plan(bank, step.dimension, keep)

if message := st.session_state.get(survey.SAVE_ERROR):
    st.error(message)
left, right = st.columns(2)
left.button("Back", on_click=move, args=(current - 1,), disabled=current == 0, width="stretch")
if current < len(steps) - 1:
    right.button("Next", on_click=move, args=(current + 1,), type="primary", width="stretch")
else:
    missing = sum(len(unanswered(s, answers)) for s in steps)
    if missing:
        right.caption(f"{missing} questions have no answer yet; you can still finish.")
    finish = right.button("Finish and see results", type="primary", width="stretch")
    if finish and survey.save(draft.response_id, step, current, amend):
        survey.finish(draft.response_id)
        st.switch_page("app_pages/results.py", query_params={"r": here.token})

st.divider()
st.caption(
    f"Your resume code: **{spaced_token(here.token)}**. Keep it to come back to these answers "
    "later; the address in your browser works too. Answers are saved as you give them."
)
