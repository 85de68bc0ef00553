"""Agreed levels: recorded per dimension and round, replaced on re-recording, checked first."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.model import Agreement, Area, Workshop
from storage.core.schema import agreements as agreement_table
from storage.workshop.agreements import agreements, record_agreement
from storage.workshop.rooms import close_round, open_next_round, open_workshop
from tests.unit.storage.factories import host

NOTE = "Agreed after discussion:\n- partners lead two of five projects\n\t(see minutes) «café» 🙂"


def test_record_and_read_back(engine: Engine, workshop: Workshop) -> None:
    first = record_agreement(
        engine, host(engine, workshop.id), workshop.id, 1, "P2", 3, "agreed", note=NOTE
    )
    second = record_agreement(
        engine,
        host(engine, workshop.id),
        workshop.id,
        1,
        "P1",
        None,
        "uncertain",
        dissent="Residents saw 2; officers 4.",
    )
    assert isinstance(first, Agreement)
    assert (first.level, first.status, first.note, first.dissent) == (3, "agreed", NOTE, None)
    assert (second.level, second.status) == (None, "uncertain")
    assert second.dissent == "Residents saw 2; officers 4."
    assert first.recorded_at.tzinfo is not None
    assert agreements(engine, workshop.id) == [second, first]  # the workshop's dimension order


def test_recording_again_replaces(engine: Engine, workshop: Workshop) -> None:
    record_agreement(
        engine,
        host(engine, workshop.id),
        workshop.id,
        1,
        "P1",
        2,
        "agreed",
        note="first view",
        dissent="one",
    )
    again = record_agreement(
        engine, host(engine, workshop.id), workshop.id, 1, "P1", None, "Uncertain "
    )
    assert again.status == "uncertain"
    assert agreements(engine, workshop.id) == [again]
    assert (again.note, again.dissent, again.level) == (None, None, None)
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(agreement_table)) == 1


def test_rounds_are_kept_apart_and_ordered(engine: Engine, workshop: Workshop) -> None:
    close_round(engine, host(engine, workshop.id), workshop.id)
    open_next_round(engine, host(engine, workshop.id), workshop.id)
    later = record_agreement(engine, host(engine, workshop.id), workshop.id, 2, "P1", 4, "agreed")
    earlier = record_agreement(engine, host(engine, workshop.id), workshop.id, 1, "P1", 3, "agreed")
    p2 = record_agreement(
        engine, host(engine, workshop.id), workshop.id, 1, "P2", 1, "uncertain", dissent="  "
    )
    assert p2.dissent is None  # blank text is no text
    assert agreements(engine, workshop.id) == [earlier, p2, later]


def test_agreements_are_per_workshop(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank
) -> None:
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ["resident"])
    record_agreement(engine, host(engine, other.id), other.id, 1, "P1", 5, "agreed")
    assert agreements(engine, workshop.id) == []
    assert [a.level for a in agreements(engine, other.id)] == [5]


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((1, "T1", 3, "agreed"), {}, "dimension_id"),
        ((1, "", 3, "agreed"), {}, "dimension_id"),
        ((2, "P1", 3, "agreed"), {}, "round"),
        ((0, "P1", 3, "agreed"), {}, "round"),
        ((1, "P1", None, "agreed"), {}, "level"),
        ((1, "P1", 0, "agreed"), {}, "level"),
        ((1, "P1", 6, "uncertain"), {}, "level"),
        ((1, "P1", 3.5, "agreed"), {}, "level"),
        ((1, "P1", True, "agreed"), {}, "level"),
        ((1, "P1", 3, "settled"), {}, "status"),
        ((1, "P1", 3, "agreed"), {"note": "x" * 4001}, "note"),
        ((1, "P1", 3, "agreed"), {"note": "bell \x07"}, "note"),
        ((1, "P1", 3, "agreed"), {"dissent": "nul \x00"}, "dissent"),
        ((1, "P1", 3, "agreed"), {"dissent": 5}, "dissent"),
    ],
)
def test_bad_agreements_name_the_field_and_write_nothing(
    engine: Engine, workshop: Workshop, args: tuple, kwargs: dict, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        record_agreement(engine, host(engine, workshop.id), workshop.id, *args, **kwargs)
    assert caught.value.field == field
    assert "\n" not in caught.value.format()
    assert agreements(engine, workshop.id) == []


def test_messages_say_what_to_do(engine: Engine, workshop: Workshop) -> None:
    with pytest.raises(InputError) as caught:
        record_agreement(engine, host(engine, workshop.id), workshop.id, 1, "P1", None, "agreed")
    assert caught.value.format() == (
        "level: an agreed dimension needs a level; please choose 1-5, or record it as uncertain"
    )
    with pytest.raises(InputError) as caught:
        record_agreement(engine, host(engine, workshop.id), workshop.id, 1, "T1", 2, "agreed")
    assert caught.value.format() == (
        "dimension_id: 'T1' is not asked in this workshop; please choose one of P1, P2"
    )


def test_unknown_workshops(engine: Engine, workshop: Workshop) -> None:
    with pytest.raises(AccessDenied):  # another workshop's grant: refused, never "no such"
        record_agreement(engine, host(engine, workshop.id), 999, 1, "P1", 3, "agreed")
    with pytest.raises(InputError) as caught:
        agreements(engine, 999)
    assert caught.value.field == "workshop_id"


def test_only_the_facilitator_records(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank
) -> None:
    other, _ = open_workshop(
        engine, area.id, bank.content_hash, "Another room", ["P1"], ["resident"]
    )
    for grant in (ANYONE, host(engine, other.id), Grant("facilitator", workshop_id=workshop.id)):
        with pytest.raises(AccessDenied):
            record_agreement(engine, grant, workshop.id, 1, "P1", 3, "agreed")
    assert agreements(engine, workshop.id) == []
