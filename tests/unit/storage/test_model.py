"""Records are frozen, and inputs default to "nothing said yet"."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from storage.model import Agreement, AnswerInput, Area, Participant, PlanInput, Workshop


def test_records_are_frozen() -> None:
    area = Area(1, "Testshire", "council", None, None, datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(dataclasses.FrozenInstanceError):
        area.name = "Elsewhere"  # type: ignore[misc]


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
