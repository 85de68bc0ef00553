"""ui/assessment/publishing.py in AppTest: an owner publishes a finished self-assessment from
the Results page and withdraws it; a facilitator publishes a closed round at k, and only then."""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from questions import load_instrument
from storage import (
    close_round,
    comparable_assessments,
    find_response,
    join_workshop,
    make_engine,
    migrate,
    open_workshop,
    save_bank,
    save_draft,
    submit_response,
)
from storage.core.model import AnswerInput
from storage.workshop.participants import current_response
from tests.app.conftest import button, open_page, rerun_on, start
from tests.app.test_compare import ADMIN
from tests.unit.storage.factories import host
from ui.assessment.publishing import ASSESSMENT_WHO_SEES, ROUND_WHO_SEES

RESULTS = "app_pages/results.py"
BANK = load_instrument().bank


def _answer_everything(engine, token: str, finish: bool) -> None:
    response = find_response(engine, token)
    assert response is not None
    given = {q.id: AnswerInput("3") for q in BANK.form_questions("quick")}
    save_draft(engine, response.id, given, {}, step=1)
    if finish:
        submit_response(engine, response.id)


def test_an_owner_publishes_after_finish_and_withdraws():
    at = open_page("app_pages/start.py")
    token = start(at)
    engine = make_engine(os.environ["DATABASE_URL"])
    _answer_everything(engine, token, finish=False)
    rerun_on(at, RESULTS)
    assert not at.exception, [e.value for e in at.exception]
    assert ASSESSMENT_WHO_SEES in [m.value for m in at.markdown]
    assert not [b for b in at.button if b.label == "Publish to Compare"]  # a draft: not yet
    assert any("Press Finish" in c.value for c in at.caption)

    _answer_everything(engine, token, finish=True)
    rerun_on(at, RESULTS)
    button(at, "Publish to Compare").click()
    rerun_on(at, RESULTS)
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Published to Compare."]
    assert len(comparable_assessments(engine, ADMIN)) == 1

    button(at, "Withdraw from Compare").click()
    rerun_on(at, RESULTS)
    assert [s.value for s in at.success] == ["Withdrawn from Compare."]
    assert comparable_assessments(engine, ADMIN).empty
    engine.dispose()


def _rounds_tab() -> None:
    import streamlit as st

    from storage import get_workshop
    from ui.assessment.publishing import workshop_round_controls
    from ui.store import engine

    workshop = get_workshop(engine(), st.session_state["workshop_id"])
    workshop_round_controls(workshop, st.session_state["grant"])


def test_a_facilitator_publishes_a_closed_round_at_k():
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    bank_hash = save_bank(engine, BANK, "# the shipped bank\n")
    from storage import create_area

    area = create_area(engine, "Calderdale Council", "council")
    question = BANK.form_questions("quick")[0]
    workshop, _ = open_workshop(
        engine, area.id, bank_hash, "Leaders", [question.dimension], ["resident"], k=3
    )
    grant = host(engine, workshop.id)
    for n in range(3):
        person, _ = join_workshop(engine, workshop.id, "resident")
        response = current_response(engine, person.id)
        save_draft(engine, response.id, {question.id: AnswerInput(str(n + 2))}, {}, 1)
        submit_response(engine, response.id)

    at = AppTest.from_function(_rounds_tab, default_timeout=60)
    at.session_state["workshop_id"] = workshop.id
    at.session_state["grant"] = grant
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert ROUND_WHO_SEES in [c.value for c in at.caption]
    assert any("Round 1 is open" in m.value for m in at.markdown)
    assert not at.button  # an open round is never published

    close_round(engine, grant, workshop.id)
    at.run()
    button(at, "Publish round 1 to Compare").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Round 1 published to Compare."]
    listed = comparable_assessments(engine, ADMIN)
    assert listed[["entry", "round", "respondents"]].values.tolist() == [["workshop", 1, 3]]
    button(at, "Withdraw round 1 from Compare").click()
    at.run()
    assert comparable_assessments(engine, ADMIN).empty
    engine.dispose()
