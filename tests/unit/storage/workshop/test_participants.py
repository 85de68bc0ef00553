"""Joining a workshop: pseudonyms, roles, tokens; one response per round, prefilled in round 2."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core.access import ANYONE, AccessDenied
from storage.core.drafts import load_draft, save_draft, submit_response
from storage.core.errors import InputError
from storage.core.model import AnswerInput, Area, PlanInput, Workshop
from storage.core.repo import find_response, get_response
from storage.core.schema import now, participants, responses
from storage.core.tokens import hash_token, spaced_token
from storage.workshop import participants as participants_module
from storage.workshop.paper import enter_group_response
from storage.workshop.participants import (
    count_joined,
    current_response,
    find_participant,
    join_workshop,
)
from storage.workshop.rooms import (
    close_round,
    lock_joining,
    open_next_round,
    open_workshop,
    set_expected,
)
from tests.unit.storage.factories import answers, dump, host


def next_round(engine: Engine, workshop: Workshop) -> int:
    close_round(engine, host(engine, workshop.id), workshop.id)
    return open_next_round(engine, host(engine, workshop.id), workshop.id)


# --- Joining -------------------------------------------------------------------


def test_pseudonyms_follow_joining_order_per_workshop(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank
) -> None:
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ["resident"])
    joined = [join_workshop(engine, workshop.id, role)[0] for role in ("councillor", "resident")]
    elsewhere, _ = join_workshop(engine, other.id, "resident")
    joined.append(join_workshop(engine, workshop.id, "councillor")[0])
    assert [p.pseudonym for p in joined] == ["P1", "P2", "P3"]
    assert elsewhere.pseudonym == "P1"
    assert [p.role for p in joined] == ["councillor", "resident", "councillor"]
    assert {p.kind for p in joined} == {"person"}
    assert {p.workshop_id for p in joined} == {workshop.id}


def test_the_token_finds_the_participant_and_is_stored_only_hashed(
    engine: Engine, workshop: Workshop
) -> None:
    participant, token = join_workshop(engine, workshop.id, "senior_officer")
    assert find_participant(engine, token) == participant
    assert find_participant(engine, spaced_token(token)) == participant
    assert find_participant(engine, token[:-1]) is None
    assert find_participant(engine, None) is None
    assert find_response(engine, token) is None  # a participant token opens no response directly
    text = dump(engine)
    assert token not in text
    assert hash_token(token) in text
    assert "token" not in " ".join(type(participant).__dataclass_fields__)


@pytest.mark.parametrize(
    ("role", "kind", "field"),
    [
        ("mayor", "person", "role"),
        ("Councillor", "person", "role"),
        ("", "person", "role"),
        (None, "person", "role"),
        ("councillor", "robot", "kind"),
    ],
)
def test_bad_joins_name_the_field_and_write_nothing(
    engine: Engine, workshop: Workshop, role: object, kind: str, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        join_workshop(engine, workshop.id, role, kind)  # type: ignore[arg-type]
    assert caught.value.field == field
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(participants)) == 0


def test_the_role_message_lists_the_roles_offered(engine: Engine, workshop: Workshop) -> None:
    with pytest.raises(InputError) as caught:
        join_workshop(engine, workshop.id, "mayor")
    assert caught.value.format() == (
        "role: 'mayor' is not a role offered in this workshop; please choose one of "
        "councillor, senior_officer, resident"
    )


def test_joining_an_unknown_workshop(engine: Engine) -> None:
    with pytest.raises(InputError) as caught:
        join_workshop(engine, 999, "councillor")
    assert caught.value.field == "workshop_id"


# --- Filling the room (issue 12) ----------------------------------------------------


def people(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(participants)) or 0)


def test_locked_joining_refuses_newcomers_and_keeps_those_in(
    engine: Engine, workshop: Workshop
) -> None:
    """Two made-up "residents" could lift a one-resident role over k: once the room is in,
    the facilitator locks joining and nobody else gets in."""
    me, token = join_workshop(engine, workshop.id, "resident")
    lock_joining(engine, host(engine, workshop.id), workshop.id, True)
    for role in ("resident", "councillor"):
        with pytest.raises(InputError) as caught:
            join_workshop(engine, workshop.id, role)
        assert caught.value.field == "joining"
        assert "closed joining" in caught.value.message
    assert people(engine) == 1
    assert find_participant(engine, token) == me  # those in the room stay in
    lock_joining(engine, host(engine, workshop.id), workshop.id, False)
    assert join_workshop(engine, workshop.id, "resident")[0].pseudonym == "P2"


def test_joins_are_rate_limited_per_workshop(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(participants_module, "JOIN_LIMIT", 3)
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ["resident"])
    for _ in range(3):
        join_workshop(engine, workshop.id, "resident")
    with pytest.raises(InputError) as caught:
        join_workshop(engine, workshop.id, "resident")  # the (N+1)th in the window
    assert caught.value.format() == (
        "joining: many people are joining at once; please try again in a few seconds"
    )
    assert people(engine) == 3
    join_workshop(engine, other.id, "resident")  # per workshop: another room is not held up
    enter_group_response(  # the facilitator's own entries are not joins
        engine, host(engine, workshop.id), workshop.id, "resident", answers(p1a="3")
    )
    with engine.begin() as conn:  # the window passes
        earlier = now() - participants_module.JOIN_WINDOW - timedelta(seconds=1)
        conn.execute(sa.update(participants).values(created_at=earlier))
    assert join_workshop(engine, workshop.id, "resident")[0].pseudonym == "P5"


def test_a_room_of_fifty_arriving_at_once_gets_in(engine: Engine, workshop: Workshop) -> None:
    assert participants_module.JOIN_LIMIT >= 50
    for n in range(50):
        join_workshop(engine, workshop.id, ("resident", "councillor")[n % 2])
    assert count_joined(engine, host(engine, workshop.id), workshop.id) == 50


def test_a_bigger_room_expected_allows_a_fifth_more(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(participants_module, "JOIN_LIMIT", 2)
    set_expected(engine, host(engine, workshop.id), workshop.id, 5)  # 5 + 1 = 6 a window
    for _ in range(6):
        join_workshop(engine, workshop.id, "resident")
    with pytest.raises(InputError):
        join_workshop(engine, workshop.id, "resident")


def test_count_joined_counts_people_for_the_facilitator_only(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    assert count_joined(engine, grant, workshop.id) == 0
    join_workshop(engine, workshop.id, "resident")
    enter_group_response(engine, grant, workshop.id, "resident", answers(p1a="3"))
    assert count_joined(engine, grant, workshop.id) == 1  # a table group is not a person
    with pytest.raises(AccessDenied):
        count_joined(engine, ANYONE, workshop.id)


def test_people_can_join_while_a_round_is_closed(engine: Engine, workshop: Workshop) -> None:
    close_round(engine, host(engine, workshop.id), workshop.id)
    participant, _ = join_workshop(engine, workshop.id, "resident")
    assert participant.pseudonym == "P1"


# --- Responses -----------------------------------------------------------------


def test_current_response_is_created_once_per_round(engine: Engine, workshop: Workshop) -> None:
    participant, _ = join_workshop(engine, workshop.id, "councillor")
    first = current_response(engine, participant.id)
    assert (first.round, first.status, first.role, first.step) == (1, "draft", "councillor", 0)
    assert first.assessment_id == workshop.assessment_id
    assert current_response(engine, participant.id) == first
    assert get_response(engine, first.id) == first
    assert next_round(engine, workshop) == 2
    second = current_response(engine, participant.id)
    assert second.id != first.id
    assert second.round == 2
    with engine.connect() as conn:
        owners = conn.execute(sa.select(responses.c.participant_id, responses.c.round)).all()
    assert sorted(owners) == [(participant.id, 1), (participant.id, 2)]


def test_round_two_starts_from_round_one(engine: Engine, workshop: Workshop) -> None:
    me, _ = join_workshop(engine, workshop.id, "councillor")
    other, _ = join_workshop(engine, workshop.id, "resident")
    saved = {
        "p1a": AnswerInput("3", "high", "minutes of 3 March"),
        "p1b": AnswerInput("dk"),
        "p2a": AnswerInput(""),
    }
    plans = {"P1": PlanInput(4, True), "P2": PlanInput()}
    one = current_response(engine, me.id)
    save_draft(engine, one.id, saved, plans, step=2, allow_submitted=True)
    submit_response(engine, one.id)
    save_draft(engine, current_response(engine, other.id).id, answers(p1a="5"), {}, 1)

    next_round(engine, workshop)
    two = current_response(engine, me.id)
    draft = load_draft(engine, two.id)
    assert dict(draft.answers) == saved
    assert dict(draft.plans) == plans
    assert (draft.round, draft.status, draft.step, draft.submitted_at) == (2, "draft", 0, None)

    save_draft(engine, two.id, answers(p1a="4"), {}, step=1, allow_submitted=True)
    assert load_draft(engine, one.id).answers["p1a"].answer == "3"  # round 1 is kept as it was
    assert load_draft(engine, two.id).answers["p1a"] == AnswerInput("4")
    assert load_draft(engine, current_response(engine, other.id).id).answers["p1a"].answer == "5"


def test_prefill_comes_from_the_latest_round_answered(engine: Engine, workshop: Workshop) -> None:
    me, _ = join_workshop(engine, workshop.id, "councillor")
    save_draft(engine, current_response(engine, me.id).id, answers(p1a="2"), {}, 1)
    next_round(engine, workshop)  # round 2: I do not come back
    next_round(engine, workshop)
    assert load_draft(engine, current_response(engine, me.id).id).answers["p1a"].answer == "2"
    late, _ = join_workshop(engine, workshop.id, "resident")  # joins in round 3
    assert dict(load_draft(engine, current_response(engine, late.id).id).answers) == {}


def test_current_response_of_nobody(engine: Engine) -> None:
    for bad in (999, 0, "1"):
        with pytest.raises(InputError) as caught:
            current_response(engine, bad)  # type: ignore[arg-type]
        assert caught.value.field == "participant_id"


@pytest.mark.timeout(60)
def test_two_tabs_at_once_get_one_response(engine: Engine, workshop: Workshop) -> None:
    me, _ = join_workshop(engine, workshop.id, "councillor")
    save_draft(engine, current_response(engine, me.id).id, answers(p1a="2", p1b="3"), {}, 1)
    next_round(engine, workshop)
    tabs = 8
    barrier = threading.Barrier(tabs, timeout=30)

    def open_tab(_: int) -> int:
        barrier.wait()
        return current_response(engine, me.id).id

    with ThreadPoolExecutor(max_workers=tabs) as pool:
        ids = set(pool.map(open_tab, range(tabs)))
    assert len(ids) == 1
    with engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).where(responses.c.round == 2))
    assert count == 1
    assert {q: a.answer for q, a in load_draft(engine, ids.pop()).answers.items()} == {
        "p1a": "2",
        "p1b": "3",
    }


def test_a_lost_race_is_retried(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two tabs meets the unique index, then finds the first tab's response."""
    from storage.workshop import participants as module

    me, _ = join_workshop(engine, workshop.id, "councillor")
    real = module._current_response
    calls: list[int] = []

    def racing(conn: sa.Connection, participant_id: int):  # type: ignore[no-untyped-def]
        calls.append(participant_id)
        if len(calls) == 1:
            raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))
        return real(conn, participant_id)

    monkeypatch.setattr(module, "_current_response", racing)
    assert current_response(engine, me.id).round == 1
    assert len(calls) == 2

    calls.clear()
    current_response(engine, me.id)  # found by the read-only path: no write at all
    assert calls == []

    def never(conn: sa.Connection, participant_id: int):  # type: ignore[no-untyped-def]
        calls.append(participant_id)
        raise sa.exc.IntegrityError("INSERT", {}, Exception("something else"))

    monkeypatch.setattr(module, "_current_response", never)
    other, _ = join_workshop(engine, workshop.id, "resident")
    with pytest.raises(sa.exc.IntegrityError):
        current_response(engine, other.id)
    assert calls == [other.id] * module.RESPONSE_ATTEMPTS
