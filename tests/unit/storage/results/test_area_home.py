"""An area's home (issue 17, item 1): every result of the area and of the areas inside it,
with its status; the plan across them; the timeline in words; administrators only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine

from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.drafts import save_draft, submit_response
from storage.core.errors import InputError
from storage.core.model import Area, Assessment
from storage.core.repo import create_area, create_assessment, start_response, update_area
from storage.results.actions import add_action, start_follow_up, update_action
from storage.results.area_home import area_home, timeline
from storage.results.publish import publish_assessment
from tests.unit.storage.factories import answers as given

ADMIN = Grant("admin", admin="admin@example.org", via="oidc")
FORMS = {"full": "Full assessment", "quick": "Quick check"}


def answered(engine: Engine, assessment: Assessment, finish: bool) -> str:
    response, token = start_response(engine, assessment.id, "senior_officer")
    save_draft(engine, response.id, given(p1a="3", p1b="2"), {}, 1)
    if finish:
        submit_response(engine, response.id)
    return token


def test_the_home_lists_every_result_with_its_status_newest_first(
    engine: Engine, area: Area, assessment: Assessment
) -> None:
    draft = answered(engine, assessment, finish=False)
    del draft
    finished = create_assessment(
        engine, area.id, "full", assessment.bank_hash, held_on=date(2026, 3, 15)
    )
    answered(engine, finished, finish=True)
    shown = create_assessment(engine, area.id, "quick", assessment.bank_hash)
    publish_assessment(engine, answered(engine, shown, finish=True))
    ward = create_area(engine, "Northgate ward", "ward")
    update_area(engine, ward.id, parent_id=area.id)
    inner = create_assessment(engine, ward.id, "full", assessment.bank_hash)
    answered(engine, inner, finish=True)
    home = area_home(engine, ADMIN, area.id)
    assert {e.assessment_id: e.status for e in home.entries} == {
        assessment.id: "draft",
        finished.id: "finished",
        shown.id: "published",
        inner.id: "finished",
    }
    assert home.entries[-1].assessment_id == finished.id  # held in March: the oldest
    assert {e.assessment_id: e.people for e in home.entries}[assessment.id] == 0  # a draft
    assert {e.assessment_id: e.people for e in home.entries}[shown.id] == 1
    assert next(e for e in home.entries if e.assessment_id == inner.id).area_name == (
        "Northgate ward"
    )
    # The ward's own home holds only the ward's.
    assert [e.assessment_id for e in area_home(engine, ADMIN, ward.id).entries] == [inner.id]


def test_only_an_administrator_opens_a_home(engine: Engine, area: Area) -> None:
    for grant in (ANYONE, Grant("owner", token="x"), Grant("admin", admin="gone", via="local")):
        with pytest.raises(AccessDenied):
            area_home(engine, grant, area.id)
    with pytest.raises(InputError) as caught:
        area_home(engine, ADMIN, 99999)
    assert caught.value.field == "area_id"
    with pytest.raises(InputError):
        area_home(engine, ADMIN, "1; DROP TABLE areas")


def test_the_timeline_tells_results_and_actions_in_words(
    engine: Engine, area: Area, assessment: Assessment
) -> None:
    token = answered(engine, assessment, finish=True)
    me = Grant("owner", token=token)
    action = add_action(engine, me, dimension_id="P1", what="Map the spend", owner="Finance")
    follow = Grant("owner", token=start_follow_up(
        engine, me, form_id="quick", bank_hash=assessment.bank_hash, role="councillor"
    ))  # fmt: skip
    update_action(engine, follow, action.id, status="done")
    home = area_home(engine, ADMIN, area.id)
    assert [a.id for a in home.actions] == [action.id]
    lines = [e.text for e in timeline(home, FORMS)]
    assert "Action marked done: Map the spend (Finance)" in lines
    assert "Action agreed: Map the spend (Finance)" in lines
    assert "Self-assessment, Full assessment, 1 person (finished, not published)" in lines
    assert "Self-assessment, Quick check, 0 people (not finished yet)" in lines
    kinds = [e.kind for e in timeline(home, FORMS)]
    assert kinds.count("result") == 2
    assert kinds.count("action") == 2
