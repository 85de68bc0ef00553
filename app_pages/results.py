"""Results: the headline, the summary in words, three priorities, charts with their tables."""

from __future__ import annotations

import streamlit as st

from storage import Grant
from ui import state
from ui.access import admin
from ui.assessment import actions, publishing
from ui.assessment import results as view
from ui.assessment.current import current_visit
from ui.assessment.journey import no_response_here
from ui.assessment.survey import scroll_if_moved
from ui.comparison import home
from ui.text import literal

st.set_page_config(layout="wide")
opened, signed_in = state.ASSESSMENT.get(), admin()
if opened is not None and signed_in.kind == "admin":  # a published result, from its area's home
    home.published_results(signed_in, opened, state.bank())
    st.stop()
view.deleted_notice()
visit = current_visit()
if visit is None:
    no_response_here()
results = visit.results
loaded = state.instrument()
bank = state.bank()

st.title(f"Results: {literal(visit.area.name)}")
st.caption(view.caption(visit, bank))
if results.headline.defined == 0:
    st.warning(
        "There are no scores yet: every dimension needs at least half of its questions "
        "answered with a level. Go back to the survey to answer more."
    )
    st.page_link("app_pages/survey.py", label="Back to the survey", icon=":material/edit:")
    view.delete_answers(visit)
    st.stop()

view.headline(results)
st.subheader("In words")
st.markdown("\n".join(f"- {sentence}" for sentence in results.summary))
view.priorities(results, bank)
actions.plan_section(
    Grant("owner", token=visit.here.token),
    results,
    bank,
    visit.draft.assessment.form_id,
    visit.draft.role,
)
view.charts(results, bank)
view.evidence(visit, bank)
view.downloads(visit, loaded)
publishing.assessment_controls(visit.here.token, finished=visit.draft.status == "submitted")
st.page_link("app_pages/survey.py", label="Change your answers", icon=":material/edit:")
view.delete_answers(visit)
scroll_if_moved()  # arriving from Finish: start at the top, not where the survey was
