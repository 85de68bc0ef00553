"""Records are frozen, and inputs default to "nothing said yet"."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from storage.model import AnswerInput, Area, PlanInput


def test_records_are_frozen() -> None:
    area = Area(1, "Testshire", "council", None, None, datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(dataclasses.FrozenInstanceError):
        area.name = "Elsewhere"  # type: ignore[misc]


def test_input_defaults() -> None:
    assert AnswerInput("") == AnswerInput("", None, None)
    assert PlanInput() == PlanInput(target=None, priority=False)
