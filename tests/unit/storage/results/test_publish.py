"""Publishing to Compare: who may publish what, when, and the k rule Compare keeps."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from storage.core.access import ANYONE, AccessDenied, Grant, facilitator_grant
from storage.core.drafts import save_draft, submit_response
from storage.core.errors import InputError
from storage.core.model import Assessment, Workshop
from storage.core.repo import start_response
from storage.results.publish import (
    IMPORT_MIN,
    assessment_publication,
    publications_of,
    publish_assessment,
    publish_round,
    unpublish_assessment,
    unpublish_round,
    withdraw_entry,
    withheld,
    workshop_rounds,
)
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import close_round, open_next_round
from tests.unit.storage.factories import answers as given

ADMIN = Grant("admin", admin="admin@example.org", via="oidc")


def host(engine: Engine, workshop_id: int) -> Grant:
    """The facilitator's grant, as unlocking with the key gives it."""
    with engine.connect() as conn:
        grant = facilitator_grant(conn, workshop_id)
    assert grant is not None
    return grant


def fill(engine: Engine, workshop: Workshop, people: int, send: bool = True) -> None:
    """``people`` join and answer p1a; with ``send``, they send their answers."""
    for n in range(people):
        person, _ = join_workshop(engine, workshop.id, "resident")
        response = current_response(engine, person.id)
        save_draft(engine, response.id, given(p1a=str(1 + n % 5)), {}, 1)
        if send:
            submit_response(engine, response.id)


def test_the_rule_in_words() -> None:
    assert withheld("self", 1) is None
    assert withheld("self", 0) == "nobody answered"
    assert withheld("workshop", 2, 3) == "2 people answered, fewer than the workshop's 3"
    assert withheld("workshop", 3, 3) is None
    assert withheld("imported", 1) is None  # one answer set, such as an area's agreed levels
    assert withheld("imported", 2) is not None  # either could read the other's answers
    assert withheld("imported", IMPORT_MIN) is None
    assert withheld("demo", 5) is None


def test_a_self_assessment_is_published_by_its_owner_after_finish(
    engine: Engine, assessment: Assessment
) -> None:
    response, token = start_response(engine, assessment.id, "councillor")
    save_draft(engine, response.id, given(p1a="3"), {}, step=1)
    with pytest.raises(InputError) as caught:  # a draft never enters Compare
        publish_assessment(engine, token)
    assert caught.value.field == "status"
    assert assessment_publication(engine, token) is None
    submit_response(engine, response.id)
    published = publish_assessment(engine, token)
    assert (published.assessment_id, published.round, published.people) == (assessment.id, 1, 1)
    assert assessment_publication(engine, token) == published
    assert [p.assessment_id for p in publications_of(engine, ADMIN)] == [assessment.id]
    assert unpublish_assessment(engine, token) is True
    assert assessment_publication(engine, token) is None
    assert unpublish_assessment(engine, token) is False
    assert publications_of(engine, ADMIN) == []


def test_only_the_resume_code_publishes(engine: Engine, assessment: Assessment) -> None:
    for bad in ("x" * 22, None, "not a code"):
        with pytest.raises(AccessDenied):
            publish_assessment(engine, bad)
        with pytest.raises(AccessDenied):
            unpublish_assessment(engine, bad)
    with pytest.raises(AccessDenied):
        publications_of(engine, ANYONE)


def test_a_participant_s_token_publishes_nothing(engine: Engine, workshop: Workshop) -> None:
    person, token = join_workshop(engine, workshop.id, "resident")
    save_draft(engine, current_response(engine, person.id).id, given(p1a="3"), {}, 1)
    with pytest.raises(AccessDenied):
        publish_assessment(engine, token)


def test_a_round_is_published_by_its_facilitator_once_closed_and_at_k(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    fill(engine, workshop, 2)
    fill(engine, workshop, 2, send=False)  # drafts never reached the room: not counted
    with pytest.raises(InputError, match="still open"):
        publish_round(engine, grant, workshop.id, 1)
    close_round(engine, grant, workshop.id)
    with pytest.raises(InputError, match="fewer than the workshop's 3"):
        publish_round(engine, grant, workshop.id, 1)
    [state] = workshop_rounds(engine, grant, workshop.id)
    assert (state.round, state.open, state.people, state.k) == (1, False, 2, 3)
    assert state.reason is not None
    assert state.publication is None

    open_next_round(engine, grant, workshop.id)
    fill(engine, workshop, 3)  # three more join in round 2
    with pytest.raises(InputError, match="still open"):
        publish_round(engine, grant, workshop.id, 2)
    close_round(engine, grant, workshop.id)
    published = publish_round(engine, grant, workshop.id, 2)
    assert (published.round, published.people) == (2, 3)
    states = workshop_rounds(engine, grant, workshop.id)
    assert [s.publication is not None for s in states] == [False, True]
    with pytest.raises(InputError, match="no round 3"):
        publish_round(engine, grant, workshop.id, 3)
    assert unpublish_round(engine, grant, workshop.id, 2) is True
    assert publications_of(engine, ADMIN) == []


def test_only_the_facilitator_publishes_a_round(
    engine: Engine, workshop: Workshop, assessment: Assessment
) -> None:
    grant = host(engine, workshop.id)
    fill(engine, workshop, 3)
    close_round(engine, grant, workshop.id)
    other = Grant("facilitator", workshop_id=workshop.id, join_code="ABCDEFG", secret="x" * 22)
    for wrong in (ANYONE, ADMIN, other):
        with pytest.raises(AccessDenied):
            publish_round(engine, wrong, workshop.id, 1)
        with pytest.raises(AccessDenied):
            workshop_rounds(engine, wrong, workshop.id)
    publish_round(engine, grant, workshop.id, 1)
    with pytest.raises(AccessDenied):
        unpublish_round(engine, ANYONE, workshop.id, 1)
    assert len(publications_of(engine, ADMIN)) == 1


def test_an_administrator_withdraws_any_entry_and_nobody_else_can(
    engine: Engine, assessment: Assessment
) -> None:
    """Anyone may publish under any area's name: the administrators curate Compare."""
    response, token = start_response(engine, assessment.id, "councillor")
    save_draft(engine, response.id, given(p1a="3"), {}, step=1)
    submit_response(engine, response.id)
    publish_assessment(engine, token)
    for someone in (ANYONE, Grant("facilitator", workshop_id=1), Grant("owner", token=token)):
        with pytest.raises(AccessDenied):
            withdraw_entry(engine, someone, assessment.id, 1)
    assert assessment_publication(engine, token) is not None
    assert withdraw_entry(engine, ADMIN, assessment.id, 1) is True
    assert assessment_publication(engine, token) is None
    assert withdraw_entry(engine, ADMIN, assessment.id, 1) is False
    assert publications_of(engine, ADMIN) == []
