"""Comparison groups: named sets of areas ("our nearest neighbours", "wards in the east").

Why: councils benchmark against sets they choose (issue 6). A group is a
name and its areas; the compare page shows the group's median beside a
chosen area. Names are unique ignoring case, so two people cannot make
"East wards" and "east wards" and wonder which is which. Deleting a group
or an area removes its memberships (the database cascades). Groups are an
administrator's: every function takes the caller's grant and checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage import validate
from storage.access import Grant, require_admin
from storage.engine import inserted_id, reading, writing
from storage.errors import InputError
from storage.model import AreaGroup
from storage.schema import area_group_members, area_groups, areas, now

__all__ = ["create_group", "delete_group", "list_groups", "set_group_members"]


_WHAT = "Comparison groups"


def create_group(
    engine: Engine, grant: Grant, name: str, area_ids: Iterable[int] = ()
) -> AreaGroup:
    """A new group of these areas (in the order given; repeats dropped; none is fine).

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: naming ``name`` (bad, or another group has it, ignoring
            case) or ``area_ids`` (not ids, too many, or naming no area).
    """
    checked = validate.group_name(name)
    members = validate.record_ids("area_ids", area_ids, validate.GROUP_MAX)
    try:
        with writing(engine) as conn:
            require_admin(conn, grant, _WHAT)
            _name_is_free(conn, checked)
            _areas_exist(conn, members)
            insert = sa.insert(area_groups).values(name=checked, created_at=now())
            group_id = inserted_id(conn, insert)
            _insert_members(conn, group_id, members)
    except sa.exc.IntegrityError:
        if any(g.name == checked for g in list_groups(engine, grant)):  # made at the same moment
            raise _taken(checked) from None
        raise
    return AreaGroup(group_id, checked, tuple(sorted(members)))


def set_group_members(
    engine: Engine, grant: Grant, group_id: int, area_ids: Iterable[int]
) -> AreaGroup:
    """Make the group's areas exactly these (replacing the old list).

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: naming ``group_id`` (no such group) or ``area_ids``.
    """
    group_id = validate.record_id("group_id", group_id)
    members = validate.record_ids("area_ids", area_ids, validate.GROUP_MAX)
    with writing(engine) as conn:
        require_admin(conn, grant, _WHAT)
        name = conn.scalar(
            sa.select(area_groups.c.name).where(area_groups.c.id == group_id).with_for_update()
        )
        if name is None:
            raise InputError("group_id", f"there is no comparison group with id {group_id}")
        _areas_exist(conn, members)
        conn.execute(sa.delete(area_group_members).where(area_group_members.c.group_id == group_id))
        _insert_members(conn, group_id, members)
    return AreaGroup(group_id, name, tuple(sorted(members)))


def list_groups(engine: Engine, grant: Grant) -> list[AreaGroup]:
    """Every group, by name (ignoring case), each with its area ids in ascending order.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        groups = conn.execute(sa.select(area_groups.c.id, area_groups.c.name)).all()
        pairs = conn.execute(
            sa.select(area_group_members.c.group_id, area_group_members.c.area_id).order_by(
                area_group_members.c.group_id, area_group_members.c.area_id
            )
        ).all()
    members: dict[int, list[int]] = {}
    for group_id, area_id in pairs:
        members.setdefault(group_id, []).append(area_id)
    found = [AreaGroup(g.id, g.name, tuple(members.get(g.id, ()))) for g in groups]
    return sorted(found, key=lambda g: (g.name.casefold(), g.id))


def delete_group(engine: Engine, grant: Grant, group_id: int) -> None:
    """Delete the group (its areas stay; only the grouping goes).

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: ``group_id`` names no group.
    """
    group_id = validate.record_id("group_id", group_id)
    with writing(engine) as conn:
        require_admin(conn, grant, _WHAT)
        result = conn.execute(sa.delete(area_groups).where(area_groups.c.id == group_id))
        if result.rowcount == 0:
            raise InputError("group_id", f"there is no comparison group with id {group_id}")


def _name_is_free(conn: Connection, name: str) -> None:
    """Refuse a name another group has, ignoring case (in Python: SQLite lowers ASCII only)."""
    for taken in conn.scalars(sa.select(area_groups.c.name)):
        if taken.casefold() == name.casefold():
            raise _taken(taken)


def _taken(name: str) -> InputError:
    return InputError(
        "name", f"there is already a group called {name!r}; please choose another name"
    )


def _areas_exist(conn: Connection, area_ids: tuple[int, ...]) -> None:
    if not area_ids:
        return
    found = set(conn.scalars(sa.select(areas.c.id).where(areas.c.id.in_(area_ids))))
    missing = [i for i in area_ids if i not in found]
    if missing:
        raise InputError("area_ids", f"there is no area with id {missing[0]}")


def _insert_members(conn: Connection, group_id: int, area_ids: tuple[int, ...]) -> None:
    if area_ids:
        conn.execute(
            sa.insert(area_group_members),
            [{"group_id": group_id, "area_id": area_id} for area_id in area_ids],
        )
