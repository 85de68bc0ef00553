"""The register of areas: the tree (pure), the tally of assessments, and the text of both."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.access import ANYONE, AccessDenied
from storage.core.model import Area, Assessment
from storage.core.registry import (
    Activity,
    AreaNode,
    activity_text,
    area_tree,
    day_text,
    kinds_text,
    registry,
    tally,
    tree_lines,
    walk,
)
from storage.core.repo import create_area, create_assessment
from storage.core.schema import areas
from tests.unit.storage.results.test_publish import ADMIN

MADE = datetime(2025, 1, 1, 9, 30, tzinfo=UTC)


def area(
    id: int, name: str, parent_id: int | None = None, demo: bool = False, kind: str = "council"
) -> Area:
    return Area(id, name, kind, None, parent_id, MADE, demo)  # type: ignore[arg-type]


def flat(tree: tuple[AreaNode, ...]) -> list[tuple[int, str]]:
    return [(depth, node.label) for depth, node in walk(tree)]


def test_each_area_sits_beneath_the_one_it_is_inside_by_name() -> None:
    found = [
        area(1, "Calderdale Council"),
        area(2, "Todmorden", 1, kind="ward"),
        area(3, "brighouse", 1, kind="ward"),
        area(4, "Bradford Council"),
        area(5, "Walsden", 2, kind="ward"),
        area(6, "Airedale", 4, kind="ward"),
    ]
    assert flat(area_tree(found)) == [
        (0, "Bradford Council"),
        (1, "Airedale"),
        (0, "Calderdale Council"),
        (1, "brighouse"),  # by name, ignoring case
        (1, "Todmorden"),
        (2, "Walsden"),
    ]


def test_demo_areas_are_marked_and_last() -> None:
    found = [
        area(1, "Demo: Alpha (fictional)", demo=True),
        area(2, "Zed Council"),
        area(3, "Demo: Alpha ward (fictional)", 1, demo=True, kind="ward"),
        area(4, "Demo: Beta (fictional)", 2, demo=True),  # a demo area inside a real one
    ]
    assert flat(area_tree(found)) == [
        (0, "Zed Council"),
        (1, "Demo: Beta (fictional) (fictional demo data)"),
        (0, "Demo: Alpha (fictional) (fictional demo data)"),
        (1, "Demo: Alpha ward (fictional) (fictional demo data)"),
    ]


def test_an_id_is_shown_only_where_names_clash() -> None:
    found = [area(7, "Riverside"), area(3, " riverside"), area(5, "Hillside")]
    assert [label for _, label in flat(area_tree(found))] == [
        " riverside (id 3)",
        "Hillside",
        "Riverside (id 7)",
    ]


def test_every_area_appears_once_even_in_a_loop_or_with_a_missing_parent() -> None:
    found = [
        area(1, "A", 2),
        area(2, "B", 1),  # A and B are each inside the other
        area(3, "C", 1),
        area(4, "D", 4),  # inside itself
        area(5, "E", 99),  # inside an area not given
    ]
    tree = area_tree(found)
    assert flat(tree) == [(0, "A"), (1, "B"), (1, "C"), (0, "D"), (0, "E")]
    assert sorted(node.area.id for _, node in walk(tree)) == [1, 2, 3, 4, 5]
    assert area_tree([]) == ()


def test_activity_is_attached_and_defaults_to_none() -> None:
    seen = Activity(self_assessments=1, latest=date(2025, 3, 1))
    tree = area_tree([area(1, "A"), area(2, "B")], {1: seen})
    assert [node.activity for node in tree] == [seen, Activity()]


def test_tally_counts_by_kind_and_takes_the_latest_day() -> None:
    rows = [
        (1, "self", None, datetime(2025, 5, 2, 23, 0, tzinfo=UTC)),
        (1, "workshop", date(2025, 6, 1), datetime(2025, 1, 1, tzinfo=UTC)),
        (1, "self", date(2024, 1, 1), datetime(2026, 1, 1, tzinfo=UTC)),  # held earlier
        (2, "imported", date(2023, 3, 15), datetime(2026, 1, 1, tzinfo=UTC)),
    ]
    assert tally(rows) == {
        1: Activity(self_assessments=2, workshops=1, imported=0, latest=date(2025, 6, 1)),
        2: Activity(imported=1, latest=date(2023, 3, 15)),
    }
    assert tally([]) == {}


def test_the_words() -> None:
    assert day_text(date(2026, 3, 5)) == "5 March 2026"
    busy = Activity(self_assessments=2, workshops=1, latest=date(2026, 3, 15))
    assert kinds_text(busy) == "2 self-assessments, 1 workshop"
    assert activity_text(busy) == (
        "3 assessments (2 self-assessments, 1 workshop), latest 15 March 2026"
    )
    one = Activity(imported=1, latest=date(2025, 1, 2))
    assert activity_text(one) == "1 assessment (1 imported result), latest 2 January 2025"
    assert activity_text(Activity()) == "not assessed yet"
    assert kinds_text(Activity()) == ""


def test_tree_lines_indent_what_is_inside() -> None:
    council = Area(1, "Calderdale Council", "council", "E08000033", None, MADE)
    ward = Area(2, "Todmorden", "ward", None, 1, MADE)
    activity = {2: Activity(workshops=1, latest=date(2026, 2, 14))}
    assert tree_lines(area_tree([ward, council], activity)) == [
        "Calderdale Council · council · E08000033 · not assessed yet",
        "    Todmorden · ward · 1 assessment (1 workshop), latest 14 February 2026",
    ]
    assert tree_lines(()) == []


def test_registry_reads_the_database(engine: Engine, area: Area, assessment: Assessment) -> None:
    ward = create_area(engine, "Dover Town", "ward", parent_id=area.id)
    create_assessment(
        engine, ward.id, "full", assessment.bank_hash, kind="workshop", held_on=date(2026, 2, 1)
    )
    create_assessment(engine, ward.id, "full", assessment.bank_hash, held_on=date(2025, 7, 9))
    demo = create_area(engine, "Demo: Nowhere (fictional)", "council")
    with engine.begin() as conn:
        conn.execute(sa.update(areas).where(areas.c.id == demo.id).values(demo=True))
    with pytest.raises(AccessDenied):
        registry(engine, ANYONE)
    tree = registry(engine, ADMIN)
    assert [(d, n.area.id) for d, n in walk(tree)] == [(0, area.id), (1, ward.id), (0, demo.id)]
    county, nowhere = tree
    assert county.activity.self_assessments == 1
    assert county.activity.latest == assessment.created_at.date()
    assert county.children[0].activity == Activity(
        self_assessments=1, workshops=1, latest=date(2026, 2, 1)
    )
    assert nowhere.activity == Activity()
    assert nowhere.label.endswith("(fictional demo data)")
