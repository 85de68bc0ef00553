"""Comparison groups: create, list, change and delete named sets of areas."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.groups import create_group, delete_group, list_groups, set_group_members
from storage.core.model import Area, AreaGroup
from storage.core.repo import create_area
from storage.core.schema import area_group_members, areas
from tests.unit.storage.results.test_publish import ADMIN


@pytest.fixture
def places(engine: Engine) -> list[Area]:
    return [
        create_area(engine, name, "council")
        for name in ("Barnsley", "Doncaster", "Rotherham", "Sheffield")
    ]


def test_create_list_change_and_delete(engine: Engine, places: list[Area]) -> None:
    b, d, r, s = (a.id for a in places)
    south = create_group(engine, ADMIN, " South Yorkshire ", [s, b, r, b])
    empty = create_group(engine, ADMIN, "added later")
    assert south == AreaGroup(south.id, "South Yorkshire", (b, r, s))
    assert empty.area_ids == ()
    assert list_groups(engine, ADMIN) == [empty, south]  # by name, ignoring case

    changed = set_group_members(engine, ADMIN, south.id, [d, b])
    assert changed == AreaGroup(south.id, "South Yorkshire", (b, d))
    assert list_groups(engine, ADMIN) == [empty, changed]
    assert set_group_members(engine, ADMIN, south.id, []).area_ids == ()

    delete_group(engine, ADMIN, empty.id)
    assert [g.name for g in list_groups(engine, ADMIN)] == ["South Yorkshire"]
    assert len(list_groups(engine, ADMIN)) == 1
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(areas)) == 4  # areas stay


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 81, "80 or fewer"),
        ("Nearest\nneighbours", "control character"),
        (None, "must be text"),
    ],
)
def test_bad_names_are_refused(engine: Engine, name: object, says: str) -> None:
    with pytest.raises(InputError, match=says) as caught:
        create_group(engine, ADMIN, name, [])  # type: ignore[arg-type]
    assert caught.value.field == "name"
    assert list_groups(engine, ADMIN) == []


def test_names_are_unique_ignoring_case(engine: Engine, places: list[Area]) -> None:
    create_group(engine, ADMIN, "Nearest neighbours", [places[0].id])
    assert create_group(engine, ADMIN, "x" * 80, []).name == "x" * 80
    with pytest.raises(InputError, match="already a group called 'Nearest neighbours'") as caught:
        create_group(engine, ADMIN, "NEAREST NEIGHBOURS", [places[1].id])
    assert caught.value.field == "name"
    assert [g.name for g in list_groups(engine, ADMIN)] == ["Nearest neighbours", "x" * 80]


def test_unknown_areas_and_groups_are_refused(engine: Engine, places: list[Area]) -> None:
    for area_ids, says in (([places[0].id, 999], "no area with id 999"), ("12", "list")):
        with pytest.raises(InputError, match=says) as caught:
            create_group(engine, ADMIN, "Mixed", area_ids)  # type: ignore[arg-type]
        assert caught.value.field == "area_ids"
    with pytest.raises(InputError, match="record id") as caught:
        create_group(engine, ADMIN, "Mixed", [True])
    assert list_groups(engine, ADMIN) == []

    group = create_group(engine, ADMIN, "Kept", [places[0].id])
    with pytest.raises(InputError, match="no area with id 999"):
        set_group_members(engine, ADMIN, group.id, [places[1].id, 999])
    assert list_groups(engine, ADMIN) == [group]  # unchanged: all or nothing
    for call in (
        lambda: set_group_members(engine, ADMIN, 999, []),
        lambda: delete_group(engine, ADMIN, 999),
    ):
        with pytest.raises(InputError, match="no comparison group with id 999") as caught:
            call()
        assert caught.value.field == "group_id"


def test_too_many_areas_are_refused(engine: Engine) -> None:
    with pytest.raises(InputError, match="501 were given; please choose 500 or fewer"):
        create_group(engine, ADMIN, "Everywhere", range(1, 502))


def test_deleting_an_area_or_a_group_removes_its_memberships(
    engine: Engine, places: list[Area]
) -> None:
    group = create_group(engine, ADMIN, "All", [a.id for a in places])
    other = create_group(engine, ADMIN, "Two", [places[0].id, places[1].id])
    with engine.begin() as conn:
        conn.execute(sa.delete(areas).where(areas.c.id == places[0].id))
    assert [g.area_ids for g in list_groups(engine, ADMIN)] == [
        tuple(a.id for a in places[1:]),
        (places[1].id,),
    ]
    delete_group(engine, ADMIN, group.id)
    with engine.connect() as conn:
        left = conn.execute(sa.select(area_group_members.c.group_id)).scalars().all()
    assert left == [other.id]


def test_only_an_administrator_makes_changes_or_lists_groups(engine: Engine) -> None:
    """Issue 12: anyone could delete everyone's comparison groups."""
    place = create_area(engine, "Sheffield", "council")
    group = create_group(engine, ADMIN, "Neighbours", [place.id])
    gone = Grant("admin", admin="removed@example.org", via="local")
    for grant in (ANYONE, Grant("facilitator", workshop_id=1), Grant("owner", token="x"), gone):
        with pytest.raises(AccessDenied):
            delete_group(engine, grant, group.id)
        with pytest.raises(AccessDenied):
            set_group_members(engine, grant, group.id, [])
        with pytest.raises(AccessDenied):
            create_group(engine, grant, "Mine", [])
        with pytest.raises(AccessDenied):
            list_groups(engine, grant)
    assert list_groups(engine, ADMIN) == [group]
