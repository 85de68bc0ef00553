"""The register of areas: what is inside what, and how often each has been assessed.

Why: areas are made in passing (a self-assessment's Start page, a workshop,
a CSV import), so nobody sees the whole list. The Areas page and
``python -m storage list-areas`` both show it as a tree: each top-level area
with the areas inside it beneath, by name, fictional demo areas last. The
tree is built by a pure function from the stored areas and a tally of their
assessments, so it is tested without a database. Reading the register is an
administrator's (`registry` takes the caller's grant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.access import Grant, require_admin
from storage.core.engine import reading
from storage.core.model import Area
from storage.core.repo import list_areas
from storage.core.schema import assessments

__all__ = [
    "DEMO_MARK",
    "Activity",
    "AreaNode",
    "activity_text",
    "area_activity",
    "area_tree",
    "day_text",
    "kinds_text",
    "registry",
    "tally",
    "tree_lines",
    "walk",
]

#: Added to the name of every fictional demo area wherever it is shown.
DEMO_MARK = "(fictional demo data)"


@dataclass(frozen=True, slots=True)
class Activity:
    """How often one area has been assessed, by kind, and the day of the latest."""

    self_assessments: int = 0
    workshops: int = 0
    imported: int = 0
    latest: date | None = None

    @property
    def total(self) -> int:
        return self.self_assessments + self.workshops + self.imported


@dataclass(frozen=True, slots=True)
class AreaNode:
    """One area in the tree, with the areas directly inside it (sorted like the top level).

    ``label`` is the name as shown: with ``(id N)`` when another area has the
    same name (ignoring case and outer spaces), and `DEMO_MARK` for demo areas.
    """

    area: Area
    label: str
    activity: Activity = field(default_factory=Activity)
    children: tuple[AreaNode, ...] = ()


def tally(rows: Iterable[tuple[int, str, date | None, datetime]]) -> dict[int, Activity]:
    """Activity per area id from ``(area_id, kind, held_on, created_at)`` rows, one per assessment.

    An assessment's day is the day it was held, else the day it was made.
    """
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    latest: dict[int, date] = {}
    for area_id, kind, held_on, created_at in rows:
        counts[area_id][kind] += 1
        day = held_on if held_on is not None else created_at.date()
        latest[area_id] = max(day, latest.get(area_id, day))
    return {
        area_id: Activity(
            self_assessments=by_kind["self"],
            workshops=by_kind["workshop"],
            imported=by_kind["imported"],
            latest=latest[area_id],
        )
        for area_id, by_kind in counts.items()
    }


def area_activity(engine: Engine) -> dict[int, Activity]:
    """`tally` over every stored assessment; areas never assessed are absent."""
    query = sa.select(
        assessments.c.area_id, assessments.c.kind, assessments.c.held_on, assessments.c.created_at
    )
    with reading(engine) as conn:
        return tally(tuple(row) for row in conn.execute(query))


def _key(area: Area) -> tuple[bool, str, int]:
    return (area.demo, area.name.casefold(), area.id)


def area_tree(
    areas: Iterable[Area], activity: Mapping[int, Activity] | None = None
) -> tuple[AreaNode, ...]:
    """The areas as a tree: top-level areas (real, then demo), each with its own inside it.

    Every area appears exactly once. One whose parent is not among ``areas``
    is shown at the top level; so is the first (by name) of a loop of parents,
    which storage refuses but an edited database might hold.
    """
    listed = sorted(areas, key=_key)
    activity = activity or {}
    ids = {a.id for a in listed}
    names: dict[str, int] = defaultdict(int)
    for a in listed:
        names[a.name.strip().casefold()] += 1
    inside: dict[int, list[Area]] = defaultdict(list)
    for a in listed:
        if a.parent_id is not None and a.parent_id in ids and a.parent_id != a.id:
            inside[a.parent_id].append(a)
    placed: set[int] = set()

    def node(area: Area) -> AreaNode:
        placed.add(area.id)
        label = area.name
        if names[area.name.strip().casefold()] > 1:
            label += f" (id {area.id})"
        if area.demo:
            label += f" {DEMO_MARK}"
        children = tuple(node(c) for c in inside[area.id] if c.id not in placed)
        return AreaNode(area, label, activity.get(area.id, Activity()), children)

    tops = [node(a) for a in listed if a.parent_id is None or a.parent_id not in ids]
    for a in listed:  # only areas in a loop of parents are left
        if a.id not in placed:
            tops.append(node(a))
    return tuple(sorted(tops, key=lambda n: _key(n.area)))


def walk(tree: Iterable[AreaNode], depth: int = 0) -> Iterator[tuple[int, AreaNode]]:
    """Every node with its depth (0 at the top), each followed by the areas inside it."""
    for top in tree:
        yield depth, top
        yield from walk(top.children, depth + 1)


def registry(engine: Engine, grant: Grant) -> tuple[AreaNode, ...]:
    """The stored areas as `area_tree`, with their assessments counted.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, "The list of areas")
    return area_tree(list_areas(engine), area_activity(engine))


def day_text(day: date) -> str:
    """``15 March 2026``."""
    return f"{day.day} {day:%B %Y}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def kinds_text(activity: Activity) -> str:
    """``2 self-assessments, 1 workshop`` (kinds with none left out; empty when none at all)."""
    parts = [
        _count(activity.self_assessments, "self-assessment", "self-assessments"),
        _count(activity.workshops, "workshop", "workshops"),
        _count(activity.imported, "imported result", "imported results"),
    ]
    counts = (activity.self_assessments, activity.workshops, activity.imported)
    return ", ".join(p for p, n in zip(parts, counts, strict=True) if n)


def activity_text(activity: Activity) -> str:
    """``3 assessments (2 self-assessments, 1 workshop), latest 15 March 2026``.

    ``not assessed yet`` when there are none.
    """
    if activity.total == 0 or activity.latest is None:
        return "not assessed yet"
    total = _count(activity.total, "assessment", "assessments")
    return f"{total} ({kinds_text(activity)}), latest {day_text(activity.latest)}"


def tree_lines(tree: Iterable[AreaNode], indent: str = "    ") -> list[str]:
    """The tree as plain text, one area a line, indented beneath the area it is inside.

    ``Calderdale Council · council · E08000033 · 1 assessment (1 workshop), latest 3 March 2026``
    """
    lines = []
    for depth, n in walk(tree):
        parts = [n.label, n.area.kind, *([n.area.ons_code] if n.area.ons_code else [])]
        lines.append(indent * depth + " · ".join([*parts, activity_text(n.activity)]))
    return lines
