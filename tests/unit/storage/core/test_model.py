"""Records are frozen, and inputs default to "nothing said yet"."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from storage.core.model import (
    Agreement,
    AnswerInput,
    Area,
    AreaGroup,
    Participant,
    PlanInput,
    Workshop,
)


def test_records_are_frozen() -> None:
    area = Area(1, "Testshire", "council", None, None, datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(dataclasses.FrozenInstanceError):
        area.name = "Elsewhere"  # type: ignore[misc]


def test_areas_are_real_unless_marked_demo() -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    assert Area(1, "Testshire", "council", None, None, at).demo is False
    assert Area(1, "Demo: X (fictional)", "council", None, None, at, demo=True).demo


def test_groups_are_frozen_with_a_tuple_of_areas() -> None:
    group = AreaGroup(1, "Nearest neighbours", (2, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        group.area_ids = (4,)  # type: ignore[misc]
    assert hash(group) == hash(AreaGroup(1, "Nearest neighbours", (2, 3)))


def test_input_defaults() -> None:
    assert AnswerInput("") == AnswerInput("", None, None)
    assert PlanInput() == PlanInput(target=None, priority=False)


def test_workshop_records_are_frozen() -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    records = [
        Workshop(1, 1, 1, "W", "ABC-DEFG", ("P1",), None, ("resident",), 3, 1, True, at),
        Participant(1, 1, "P1", "resident", "person", at),
        Agreement(1, 1, "P1", 3, "agreed", None, None, at),
    ]
    for record in records:
        first = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, first, 2)
    assert isinstance(records[0].dimensions, tuple)
