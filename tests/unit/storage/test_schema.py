"""The schema: aware UTC times on both databases, and constraints that hold without storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.agreements import record_agreement
from storage.drafts import save_draft
from storage.engine import writing
from storage.model import Agreement, Area, AreaGroup, Assessment, Participant, PlanInput, Workshop
from storage.participants import current_response, join_workshop
from storage.schema import (
    AREA_KINDS,
    ASSESSMENT_KINDS,
    UTCDateTime,
    agreements,
    answers,
    area_group_members,
    area_groups,
    areas,
    assessments,
    metadata,
    now,
    participants,
    plans,
    responses,
    workshops,
)
from tests.unit.storage.factories import answers as given
from tests.unit.storage.factories import host


def test_now_is_aware_utc() -> None:
    assert now().tzinfo is UTC


def test_utc_datetimes_round_trip(engine: Engine) -> None:
    table = sa.Table("times", sa.MetaData(), sa.Column("at", UTCDateTime()))
    table.create(engine)
    ahead = timezone(timedelta(hours=5, minutes=30))
    moments = [
        datetime(2025, 3, 30, 0, 59, 59, 999999, tzinfo=UTC),
        datetime(2025, 3, 30, 7, 0, tzinfo=ahead),  # = 01:30 UTC
    ]
    with writing(engine) as conn:
        conn.execute(sa.insert(table), [{"at": m} for m in moments] + [{"at": None}])
    with engine.connect() as conn:
        stored = list(conn.scalars(sa.select(table.c.at).where(table.c.at.is_not(None))))
        assert conn.scalar(sa.select(sa.func.count()).where(table.c.at.is_(None))) == 1
    assert sorted(stored) == moments
    assert all(b.tzinfo == UTC for b in stored)
    assert stored[1] == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"), writing(engine) as conn:
        conn.execute(
            sa.insert(areas).values(name="x", kind="council", created_at=datetime(2025, 1, 1))
        )


def test_check_constraints_hold_in_the_database(engine: Engine) -> None:
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(
            sa.insert(areas).values(name="x", kind="county", created_at=now(), area_key="x")
        )


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    row = {"response_id": 999, "question_id": "p1a", "answer": "3", "updated_at": now()}
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(answers).values(row))


def test_shape_for_workshops() -> None:
    """Job 2 adds tables and columns; these are the hooks it relies on."""
    assert {"kind", "area_id", "bank_hash"} <= set(metadata.tables["assessments"].c.keys())
    assert {"assessment_id", "round", "status"} <= set(responses.c.keys())
    assert "token" not in " ".join(responses.c.keys()).replace("token_hash", "")
    assert AREA_KINDS == ("council", "ward", "partnership", "service", "other")
    assert list(Assessment.__dataclass_fields__) == [
        c.name for c in metadata.tables["assessments"].columns
    ]


def test_shape_for_comparing() -> None:
    """Job 3: areas carry a demo flag, assessments may be imported, groups list areas."""
    assert list(Area.__dataclass_fields__) == [
        c.name
        for c in areas.columns
        if c.name != "area_key"  # derived: storage.repo.area_key
    ]
    assert ASSESSMENT_KINDS == ("self", "workshop", "imported")
    assert list(AreaGroup.__dataclass_fields__)[:2] == [c.name for c in area_groups.columns][:2]
    assert [c.name for c in area_group_members.primary_key] == ["group_id", "area_id"]


def test_an_area_is_real_unless_marked(engine: Engine) -> None:
    with writing(engine) as conn:
        conn.execute(
            sa.insert(areas).values(name="x", kind="council", created_at=now(), area_key="x")
        )
        assert conn.scalar(sa.select(areas.c.demo)) is False


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("area_groups", {"id": 2, "name": "Same", "created_at": "now"}),
        ("area_group_members", {"group_id": 1, "area_id": 999}),
        ("area_group_members", {"group_id": 999, "area_id": 1}),
        ("area_group_members", {"group_id": 1, "area_id": 1}),
    ],
)
def test_group_constraints_hold_in_the_database(engine: Engine, table: str, row: dict) -> None:
    stamp = now()
    with writing(engine) as conn:
        conn.execute(
            sa.insert(areas).values(id=1, name="x", kind="council", created_at=stamp, area_key="x")
        )
        conn.execute(sa.insert(area_groups).values(id=1, name="Same", created_at=stamp))
        conn.execute(sa.insert(area_group_members).values(group_id=1, area_id=1))
    values = {k: stamp if v == "now" else v for k, v in row.items()}
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(metadata.tables[table]).values(values))


def test_workshop_records_mirror_their_tables() -> None:
    assert list(Participant.__dataclass_fields__) == [
        c.name for c in participants.columns if c.name != "token_hash"
    ]
    assert list(Agreement.__dataclass_fields__) == [c.name for c in agreements.columns]
    secret = {"key_salt", "key_hash", "grant_secret"}
    assert set(Workshop.__dataclass_fields__) == {
        c.name for c in workshops.columns if c.name not in secret
    } | {"area_id"}
    assert "participant_id" in responses.c


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("agreements", {"status": "agreed", "level": None}),
        ("agreements", {"level": 6}),
        ("agreements", {"status": "maybe"}),
        ("agreements", {"round": 0}),
        ("workshops", {"k": 1}),
        ("workshops", {"k": 51}),
        ("workshops", {"current_round": 0}),
        ("workshops", {"join_code": "SAME"}),
        ("participants", {"kind": "robot"}),
        ("participants", {"pseudonym": "P1"}),
        ("responses", {"round": 1}),
    ],
)
def test_workshop_constraints_hold_in_the_database(
    engine: Engine, workshop: Workshop, table: str, change: dict
) -> None:
    """Each change breaks a rule that storage checks first; the database refuses it too."""
    participant, _ = join_workshop(engine, workshop.id, "councillor")
    response = current_response(engine, participant.id)
    stamp = now()
    with writing(engine) as conn:
        conn.execute(sa.update(workshops).values(join_code="SAME"))
        assessment_id = conn.scalar(
            sa.insert(assessments)
            .values(area_id=workshop.area_id, kind="workshop", form_id="quick",
                    bank_hash=conn.scalar(sa.select(assessments.c.bank_hash)), created_at=stamp)
            .returning(assessments.c.id)
        )  # fmt: skip
    rows = {
        "agreements": {
            "workshop_id": workshop.id, "round": 1, "dimension_id": "P1", "level": 3,
            "status": "uncertain", "recorded_at": stamp,
        },
        "workshops": {
            "assessment_id": assessment_id, "title": "t", "join_code": "OTHER", "key_salt": "s",
            "key_hash": "h", "dimensions": "[]", "roles": "[]", "k": 3, "current_round": 1,
            "round_open": True, "created_at": stamp,
        },
        "participants": {
            "workshop_id": workshop.id, "token_hash": "t" * 64, "pseudonym": "P2",
            "role": "resident", "kind": "person", "created_at": stamp,
        },
        "responses": {
            "assessment_id": workshop.assessment_id, "token_hash": "r" * 64, "role": "x",
            "round": 2, "status": "draft", "created_at": stamp, "updated_at": stamp,
            "participant_id": participant.id,
        },
    }  # fmt: skip
    target = metadata.tables[table]
    with writing(engine) as conn:  # the row as given is fine
        conn.execute(sa.insert(target).values(rows[table]))
        conn.rollback()
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(target).values(rows[table] | change))
    assert response.round == 1


def test_deleting_a_workshop_takes_its_room_with_it(engine: Engine, workshop: Workshop) -> None:
    """Issue 7 deletes workshops: one statement clears the room, then the assessment can go."""
    for role in ("councillor", "resident"):
        participant, _ = join_workshop(engine, workshop.id, role)
        response = current_response(engine, participant.id)
        save_draft(engine, response.id, given(p1a="3"), {"P1": PlanInput(4)}, step=1)
    record_agreement(engine, host(engine, workshop.id), workshop.id, 1, "P1", 3, "agreed")

    def count(table: sa.Table) -> int:
        with engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(table))  # type: ignore[return-value]

    room = (participants, responses, answers, plans, agreements)
    assert [count(t) for t in room] == [2, 2, 2, 2, 1]
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:  # not the other way
        conn.execute(sa.delete(assessments).where(assessments.c.id == workshop.assessment_id))
    with writing(engine) as conn:
        conn.execute(sa.delete(workshops).where(workshops.c.id == workshop.id))
        conn.execute(sa.delete(assessments).where(assessments.c.id == workshop.assessment_id))
    assert [count(t) for t in (workshops, *room)] == [0, 0, 0, 0, 0, 0]
