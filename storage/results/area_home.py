"""An area's home: every result of the area and of the areas inside it, its action plan,
and its timeline (issue 17, item 1).

Why: "where are our results from March?" had no answer: the Areas page counts assessments
without naming them, and Results needs a resume code. The home lists each self-assessment,
workshop and imported result with its kind, form, people, date and status (draft, finished
or published), the actions agreed from any of them, and a timeline of both.

Reading it is an administrator's (`page:area_home`). It names what exists and how many took
part, as the Areas page already counts; it opens no one's answers: a result's scores open
only once its owner has published it (`storage.results.compare`), as Compare shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core import validate
from storage.core.access import Grant, require_admin
from storage.core.engine import reading
from storage.core.errors import InputError
from storage.core.repo import columns_of
from storage.core.schema import (
    action_updates,
    actions,
    areas,
    assessments,
    publications,
    responses,
    workshops,
)
from storage.results.actions import STATUS_NAMES, Action, ActionUpdate
from storage.results.publish import count_people

__all__ = [
    "ENTRY_STATUSES",
    "AreaHome",
    "Entry",
    "Event",
    "area_home",
    "timeline",
]

EntryStatus = Literal["draft", "finished", "published", "open", "closed"]
#: How each status of an entry reads.
ENTRY_STATUSES: Final = {
    "draft": "not finished yet",
    "finished": "finished, not published",
    "published": "published",
    "open": "workshop under way",
    "closed": "workshop closed, not published",
}
#: Areas inside areas are followed this deep (the register is a shallow tree).
_DEPTH: Final = 6
_WHAT: Final = "An area's home"


@dataclass(frozen=True, slots=True)
class Entry:
    """One result of the area (or of an area inside it, ``area_name``)."""

    assessment_id: int
    area_id: int
    area_name: str
    kind: str
    form_id: str
    title: str | None
    held_on: date | None
    created_at: datetime
    people: int
    status: EntryStatus

    @property
    def day(self) -> date:
        return self.held_on or self.created_at.date()


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the timeline: a result, or an action agreed or moved."""

    day: date
    kind: Literal["result", "action"]
    text: str


@dataclass(frozen=True, slots=True)
class AreaHome:
    area_id: int
    entries: tuple[Entry, ...]
    actions: tuple[Action, ...]
    updates: tuple[ActionUpdate, ...]


def area_home(engine: Engine, grant: Grant, area_id: object) -> AreaHome:
    """The area's results (newest first), its actions and their changes of status.

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked before the id).
        InputError: ``area_id`` names no area.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        wanted = validate.record_id("area_id", area_id)
        names = dict(conn.execute(sa.select(areas.c.id, areas.c.name)).all())
        if wanted not in names:
            raise InputError("area_id", f"there is no area with id {wanted}")
        parents = dict(conn.execute(sa.select(areas.c.id, areas.c.parent_id)).all())
        inside = _inside(wanted, parents)
        rows = conn.execute(
            sa.select(
                assessments.c.id,
                assessments.c.area_id,
                assessments.c.kind,
                assessments.c.form_id,
                assessments.c.title,
                assessments.c.held_on,
                assessments.c.created_at,
                workshops.c.round_open,
            )
            .outerjoin(workshops, workshops.c.assessment_id == assessments.c.id)
            .where(assessments.c.area_id.in_(inside))
        ).all()
        ids = [r.id for r in rows]
        sent = count_people(conn, ids, submitted_only=True)
        published = set(
            conn.scalars(
                sa.select(publications.c.assessment_id).where(publications.c.assessment_id.in_(ids))
            )
        )
        submitted = set(
            conn.scalars(
                sa.select(responses.c.assessment_id).where(
                    responses.c.assessment_id.in_(ids), responses.c.status == "submitted"
                )
            )
        )
        found = [
            Entry(
                assessment_id=r.id,
                area_id=r.area_id,
                area_name=names[r.area_id],
                kind=r.kind,
                form_id=r.form_id,
                title=r.title,
                held_on=r.held_on,
                created_at=r.created_at,
                people=max((n for (a, _), n in sent.items() if a == r.id), default=0),
                status=_status(r.kind, r.id in published, r.id in submitted, r.round_open),
            )
            for r in rows
        ]
        plan = conn.execute(
            sa.select(*columns_of(actions, Action))
            .where(actions.c.assessment_id.in_(ids))
            .order_by(actions.c.created_at, actions.c.id)
        ).all()
        agreed = tuple(Action(**r._mapping) for r in plan)
        moved = tuple(
            ActionUpdate(**r._mapping)
            for r in conn.execute(
                sa.select(*columns_of(action_updates, ActionUpdate))
                .where(action_updates.c.action_id.in_([a.id for a in agreed]))
                .order_by(action_updates.c.at, action_updates.c.id)
            )
        )
    found.sort(key=lambda e: (e.day, e.created_at, e.assessment_id), reverse=True)
    return AreaHome(wanted, tuple(found), agreed, moved)


def timeline(home: AreaHome, form_titles: dict[str, str]) -> tuple[Event, ...]:
    """Newest first: each result (kind, form, people, status) and each action agreed or
    moved, in words."""
    events = [
        Event(
            e.day,
            "result",
            f"{_kind(e)}, {form_titles.get(e.form_id, e.form_id)}, {_people(e.people)}"
            f" ({ENTRY_STATUSES[e.status]})" + _where(e, home.area_id),
        )
        for e in home.entries
    ]
    what = {a.id: a for a in home.actions}
    for u in home.updates:
        action = what.get(u.action_id)
        if action is None:
            continue
        first = u.status == "planned" and u.at == action.created_at
        said = "Action agreed" if first else f"Action marked {STATUS_NAMES[u.status].lower()}"
        events.append(Event(u.at.date(), "action", f"{said}: {action.what} ({action.owner})"))
    return tuple(sorted(events, key=lambda e: (e.day, e.kind == "action"), reverse=True))


def _inside(area_id: int, parents: dict[int, int | None]) -> list[int]:
    """``area_id`` and the areas inside it, to `_DEPTH` levels."""
    found = [area_id]
    frontier = {area_id}
    for _ in range(_DEPTH):
        frontier = {a for a, p in parents.items() if p in frontier and a not in found}
        if not frontier:
            break
        found += sorted(frontier)
    return found


def _status(kind: str, published: bool, submitted: bool, round_open: bool | None) -> EntryStatus:
    if published:
        return "published"
    if kind == "workshop":
        return "open" if round_open else "closed"
    if kind == "imported" or submitted:
        return "finished"
    return "draft"


def _kind(entry: Entry) -> str:
    return {"self": "Self-assessment", "workshop": "Workshop", "imported": "Imported result"}.get(
        entry.kind, entry.kind
    )


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _where(entry: Entry, home_id: int) -> str:
    return "" if entry.area_id == home_id else f", for {entry.area_name}"
