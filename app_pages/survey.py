"""The survey: one dimension per step, every answer saved as it is given."""

from __future__ import annotations

import streamlit as st

from questions.survey import survey_steps
from storage import Grant, spaced_token
from ui import state
from ui.assessment import actions, survey
from ui.assessment.journey import active, no_response_here

bank = state.bank()
here = active()
if here is None:
    no_response_here()
draft = here.draft
amend = draft.status == "submitted"
if amend:
    st.info("These answers were submitted. You can still change them; changes are saved at once.")


def finish() -> None:
    if survey.finish(draft.response_id, "Finish and see results"):
        survey.back_to_top()  # read by the next page that calls survey.scroll_if_moved()
        st.switch_page("app_pages/results.py", query_params=state.RESUME.to(here.token))
    st.rerun()  # shows why it did not finish


actions.last_time(Grant("owner", token=here.token), bank)
survey.run(
    bank,
    draft,
    survey_steps(bank, draft.assessment.form_id),
    heading=bank.form(draft.assessment.form_id).title,
    amend=amend,
    finish_label="Finish and see results",
    on_finish=finish,
)
st.divider()
st.caption(
    f"Your resume code: **{spaced_token(here.token)}**. Keep it to come back to these answers "
    "later; the address in your browser works too. Answers are saved as you give them."
)
