"""scoring.workshop.model: the dashboard record is frozen and counts each role's people."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest

from questions.model import Role
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.model import Dashboard
from tests.unit.scoring.factories import frame, make_bank

BANK = replace(
    make_bank({"P1": {"a": 1, "b": 1}, "P2": {"c": 1}}),
    roles=(Role("councillor", "Councillor"), Role("resident", "Resident")),
)


def built(people: int) -> Dashboard:
    rows = [(f"r{i}", q, "3", "councillor") for i in range(people) for q in ("a", "b", "c")]
    data = frame([(*r, 1) for r in rows], "role", "round")
    return build_dashboard(BANK, data, 1, ("P1", "P2"), ("councillor", "resident"), 3)


def test_the_record_counts_each_roles_people_and_is_frozen():
    dashboard = built(4)
    assert isinstance(dashboard, Dashboard)
    assert (dashboard.role_n("councillor"), dashboard.role_n("resident")) == (4, 0)
    assert dashboard.role_n("nobody") == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        dashboard.k = 1  # type: ignore[misc]


def test_under_k_people_nothing_is_shown_but_who_took_part():
    dashboard = built(2)
    assert (dashboard.shown, dashboard.needed) == (False, 1)
    assert dashboard.dimensions.empty
    assert not dashboard.participation.empty
