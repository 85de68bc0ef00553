"""Deleting a workshop or a self-assessment with everything in it; exporting an area."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.access import ANYONE, AccessDenied, Grant, facilitator_grant
from storage.agreements import record_agreement
from storage.cli import COMMAND_LINE
from storage.drafts import save_draft
from storage.errors import InputError
from storage.lifecycle import (
    area_by_name,
    delete_assessment,
    delete_assessment_as_admin,
    delete_workshop,
    delete_workshop_as_admin,
    export_area,
)
from storage.model import AnswerInput, Area, Assessment, PlanInput, Workshop
from storage.participants import current_response, join_workshop
from storage.repo import (
    create_area,
    create_assessment,
    get_assessment,
    save_bank,
    start_response,
)
from storage.rooms import get_workshop, open_workshop
from storage.schema import (
    agreements,
    answers,
    assessments,
    participants,
    plans,
    responses,
    workshops,
)
from tests.unit.storage.factories import BANK_SOURCE, ROLES, host
from tests.unit.storage.test_publish import ADMIN

TABLES = (assessments, responses, answers, plans, workshops, participants, agreements)
SECRET_WORDS = ("token", "hash", "salt", "key", "secret")


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in TABLES
        }


def answered_self(engine: Engine, assessment: Assessment, n: int = 2) -> list[str]:
    """``n`` responses with an answer with evidence and a plan each; their resume tokens."""
    tokens = []
    for _ in range(n):
        response, token = start_response(engine, assessment.id, "councillor")
        save_draft(
            engine,
            response.id,
            {"p1a": AnswerInput("3", "high", "Minutes of May"), "p1b": AnswerInput("dk")},
            {"P1": PlanInput(4, True)},
            step=1,
        )
        tokens.append(token)
    return tokens


def busy_workshop(engine: Engine, workshop: Workshop) -> None:
    for role in ("councillor", "resident"):
        participant, _ = join_workshop(engine, workshop.id, role)
        response = current_response(engine, participant.id)
        save_draft(engine, response.id, {"p1a": AnswerInput("4")}, {"P1": PlanInput(5)}, 1)
    record_agreement(
        engine, host(engine, workshop.id), workshop.id, 1, "P1", 3, "agreed", note="We agree"
    )


def other_data(engine: Engine, bank: Bank) -> tuple[Area, Assessment, Workshop]:
    """Another area with a self-assessment and a workshop: must survive every deletion."""
    other = create_area(engine, "Otherton Borough Council", "council")
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    kept = create_assessment(engine, other.id, "full", bank_hash)
    answered_self(engine, kept, 1)
    workshop, _ = open_workshop(engine, other.id, bank_hash, "Other room", ["P1"], ROLES)
    busy_workshop(engine, workshop)
    return other, kept, workshop


def test_deleting_a_workshop_removes_everything_in_it_and_nothing_else(
    engine: Engine, bank: Bank, opened: tuple[Workshop, str], assessment: Assessment
) -> None:
    workshop, key = opened
    busy_workshop(engine, workshop)
    answered_self(engine, assessment)
    _, _, other_workshop = other_data(engine, bank)
    before = counts(engine)

    deleted = delete_workshop(engine, workshop.id, key.lower().replace("-", " "))

    after = counts(engine)
    # 2 participants, 2 responses, 2 answers, 2 plans, 1 agreement, the workshop, its assessment
    assert deleted == 11 == sum(before.values()) - sum(after.values())
    assert get_workshop(engine, workshop.id) is None
    assert get_assessment(engine, workshop.assessment_id) is None
    assert get_workshop(engine, other_workshop.id) is not None
    assert get_assessment(engine, assessment.id) is not None
    assert after["agreements"] == 1
    assert after["participants"] == 2


def test_a_wrong_key_deletes_nothing(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop, _ = opened
    busy_workshop(engine, workshop)
    before = counts(engine)
    for key in ("ABCDE-FGHJK-MNPQR-STVWX", "", None, 12):
        with pytest.raises(InputError) as caught:
            delete_workshop(engine, workshop.id, key)
        assert caught.value.field == "key"
    with pytest.raises(InputError) as caught:
        delete_workshop(engine, workshop.id + 99, "ABCDE-FGHJK-MNPQR-STVWX")
    assert caught.value.field == "workshop_id"
    for bad in (0, -1, "1", 2**40):
        with pytest.raises(InputError):
            delete_workshop(engine, bad, "x")
    assert counts(engine) == before


def test_deleting_a_self_assessment_removes_all_its_responses(
    engine: Engine, bank: Bank, assessment: Assessment, opened: tuple[Workshop, str]
) -> None:
    tokens = answered_self(engine, assessment, 3)
    busy_workshop(engine, opened[0])
    other_data(engine, bank)
    before = counts(engine)

    deleted = delete_assessment(engine, assessment.id, " ".join(tokens[1]))  # spaces ignored

    # 3 responses, 6 answers, 3 plans and the assessment
    assert deleted == 13 == sum(before.values()) - sum(counts(engine).values())
    assert get_assessment(engine, assessment.id) is None
    assert get_workshop(engine, opened[0].id) is not None


def test_a_token_of_another_assessment_or_none_deletes_nothing(
    engine: Engine, bank: Bank, assessment: Assessment
) -> None:
    answered_self(engine, assessment)
    _, kept, _ = other_data(engine, bank)
    stranger = answered_self(engine, kept, 1)[0]
    before = counts(engine)
    for token in (stranger, "", None, "not a token", "A" * 22):
        with pytest.raises(InputError) as caught:
            delete_assessment(engine, assessment.id, token)
        assert caught.value.field == "token"
        assert "nothing was deleted" in caught.value.message
    with pytest.raises(InputError) as caught:
        delete_assessment(engine, 9999, stranger)
    assert caught.value.field == "assessment_id"
    assert counts(engine) == before


def test_a_workshop_assessment_is_refused(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop = opened[0]
    participant, token = join_workshop(engine, workshop.id, "councillor")
    current_response(engine, participant.id)
    before = counts(engine)
    with pytest.raises(InputError, match="workshop") as caught:
        delete_assessment(engine, workshop.assessment_id, token)
    assert caught.value.field == "assessment_id"
    assert counts(engine) == before


def _keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return list(value) + [k for v in value.values() for k in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_the_export_has_every_answer_and_no_secret(
    engine: Engine, bank: Bank, area: Area, assessment: Assessment, opened: tuple[Workshop, str]
) -> None:
    workshop, key = opened
    tokens = answered_self(engine, assessment)
    busy_workshop(engine, workshop)
    ward = create_area(engine, "Testshire Riverside ward", "ward", parent_id=area.id)
    other_data(engine, bank)

    exported = export_area(engine, ADMIN, area.id)

    text = json.dumps(exported)  # plain JSON, as is
    assert exported["area"]["name"] == "Testshire County Council"
    assert exported["child_area_ids"] == [ward.id]
    by_kind = {a["kind"]: a for a in exported["assessments"]}
    assert set(by_kind) == {"self", "workshop"}
    mine = by_kind["self"]
    assert mine["bank_hash"] == bank.content_hash
    assert mine["bank_version"] == "1"
    assert [r["respondent"] for r in mine["responses"]] == ["R1", "R2"]
    first = mine["responses"][0]
    assert first["answers"][0] == {
        "question_id": "p1a",
        "answer": "3",
        "confidence": "high",
        "evidence": "Minutes of May",
        "updated_at": first["answers"][0]["updated_at"],
    }
    assert first["plans"][0]["target"] == 4
    assert first["plans"][0]["priority"] is True
    room = by_kind["workshop"]["workshop"]
    assert room["join_code"] == workshop.join_code
    assert room["k"] == 3
    assert room["roles"] == list(ROLES)
    assert room["current_round"] == 1
    assert room["agreements"][0]["level"] == 3
    assert room["agreements"][0]["note"] == "We agree"
    assert len(room["participants"]) == 2
    assert "Otherton" not in text
    assert "Other room" not in text
    secrets = [k for k in _keys(exported) if any(w in k for w in SECRET_WORDS)]
    assert secrets == ["bank_hash", "bank_hash"]  # the bank's content hash, which is public
    for token in tokens:
        assert token not in text
    assert key.replace("-", "") not in text.replace("-", "")


def test_an_export_of_an_area_with_nothing_and_of_no_area(engine: Engine, area: Area) -> None:
    exported = export_area(engine, ADMIN, area.id)
    assert exported["assessments"] == []
    assert exported["child_area_ids"] == []
    with pytest.raises(InputError) as caught:
        export_area(engine, ADMIN, area.id + 1)
    assert caught.value.field == "area_id"


def test_areas_are_found_by_name(engine: Engine, area: Area) -> None:
    assert area_by_name(engine, "Testshire County Council") == area
    assert area_by_name(engine, "  testshire county COUNCIL ") == area
    assert area_by_name(engine, "Nowhere") is None
    assert area_by_name(engine, "") is None
    assert area_by_name(engine, None) is None
    create_area(engine, "testshire county council", "other")
    assert area_by_name(engine, "Testshire County Council") == area  # exact wins
    create_area(engine, "Twin", "ward")
    create_area(engine, "Twin", "service")  # one name, two areas (the same kind would be one)
    with pytest.raises(InputError, match="please give the id"):
        area_by_name(engine, "Twin")


def test_only_an_administrator_exports_an_area(
    engine: Engine, bank: Bank, area: Area, assessment: Assessment, opened: tuple[Workshop, str]
) -> None:
    """Issue 12: anyone could open a workshop on an existing area's name, unlock it with the
    key just given, and export every other workshop and self-assessment of that area."""
    workshop, _ = opened
    answered_self(engine, assessment)
    busy_workshop(engine, workshop)
    bank_hash = assessment.bank_hash
    mine, _ = open_workshop(engine, area.id, bank_hash, "My own room", ["P1"], ["resident"])
    with engine.connect() as conn:
        own_key = facilitator_grant(conn, mine.id)  # the newcomer's unlock of their workshop
        theirs = facilitator_grant(conn, workshop.id)
    gone = Grant("admin", admin="removed@example.org", via="local")
    for grant in (own_key, theirs, ANYONE, Grant("owner", token="x"), gone):
        assert grant is not None
        with pytest.raises(AccessDenied):
            export_area(engine, grant, area.id)
        with pytest.raises(AccessDenied):  # refused before saying whether the area exists
            export_area(engine, grant, area.id + 99)
    exported = export_area(engine, ADMIN, area.id)
    assert {a["title"] for a in exported["assessments"]} >= {workshop.title, "My own room"}
    assert export_area(engine, COMMAND_LINE, area.id) == exported


def test_an_administrator_deletes_by_name_and_nobody_else_does(
    engine: Engine, bank: Bank, area: Area, assessment: Assessment, opened: tuple[Workshop, str]
) -> None:
    workshop, _ = opened
    answered_self(engine, assessment)
    busy_workshop(engine, workshop)
    imported = create_assessment(engine, area.id, "quick", assessment.bank_hash, "imported")
    start_response(engine, imported.id, "other")
    before = counts(engine)
    gone = Grant("admin", admin="removed@example.org", via="local")
    with engine.connect() as conn:
        theirs = facilitator_grant(conn, workshop.id)
    for grant in (ANYONE, theirs, Grant("owner", token="x"), gone):
        assert grant is not None
        with pytest.raises(AccessDenied):
            delete_workshop_as_admin(engine, grant, workshop.id)
        with pytest.raises(AccessDenied):
            delete_assessment_as_admin(engine, grant, imported.id)
    assert counts(engine) == before
    with pytest.raises(InputError, match="a workshop's"):
        delete_assessment_as_admin(engine, ADMIN, workshop.assessment_id)
    assert delete_assessment_as_admin(engine, ADMIN, imported.id) > 0
    assert get_assessment(engine, imported.id) is None
    assert delete_workshop_as_admin(engine, ADMIN, workshop.id) > 0
    assert get_workshop(engine, workshop.id) is None
    assert get_assessment(engine, assessment.id) is not None  # nothing else went
    with pytest.raises(InputError):
        delete_workshop_as_admin(engine, ADMIN, workshop.id)
