"""The comparison report's profiles and a chosen comparison group's median beside the
assessments (or why it is not shown): reports/compare_profiles.py."""

from __future__ import annotations

import pytest

from reports.blocks import Chart, Paragraphs, Section, Table
from reports.compare_profiles import GROUP_SECTION, GROUP_TOO_FEW, ChosenGroup
from reports.compare_sections import COMPARE_SECTIONS, comparison_sections
from scoring.comparison.results import AssessmentInfo, Comparison, compare
from tests.unit.reports.test_compare_sections import BANK, answers

#: level; T1 is asked in areas 1-4 only.
P1_LEVELS = (1, 2, 4, 5, 3, 2)
P2_LEVELS = (5, 4, 2, 1, 4, 1)
AREAS = tuple(f"Area {i}" for i in range(1, 7))
FIVE = ChosenGroup("Neighbours", AREAS[:5])


@pytest.fixture(scope="module")
def six() -> Comparison:
    by_label = {}
    for i, (label, p1, p2) in enumerate(zip(AREAS, P1_LEVELS, P2_LEVELS, strict=True)):
        levels = {"p1a": [p1] * 5, "p2a": [p2] * 5, **({"t1a": [p1] * 5} if i < 4 else {})}
        by_label[label] = answers(levels, f"a{i}")
    info = {label: AssessmentInfo(f"Town {i}") for i, label in enumerate(AREAS, 1)}
    return compare(BANK, by_label, n_boot=20, info=info)


def section_of(c: Comparison, group: ChosenGroup | None) -> Section | None:
    return {s.id: s for s in comparison_sections(BANK, c, group=group)}.get(GROUP_SECTION)


def test_a_chosen_group_comes_after_change_over_time(six: Comparison) -> None:
    ids = tuple(s.id for s in comparison_sections(BANK, six, group=FIVE))
    at = COMPARE_SECTIONS.index("change") + 1
    assert ids == (*COMPARE_SECTIONS[:at], GROUP_SECTION, *COMPARE_SECTIONS[at:])
    assert section_of(six, None) is None


def test_the_group_section_names_the_group_and_its_members(six: Comparison) -> None:
    section = section_of(six, FIVE)
    assert section is not None
    assert section.title == "Comparison group: Neighbours"
    members = section.blocks[0]
    assert isinstance(members, Table)
    assert members.columns == ("Assessment", "Area", "Date")
    assert members.rows == tuple((f"Area {i}", f"Town {i}", "–") for i in range(1, 6))


def test_the_group_median_sits_beside_each_assessment(six: Comparison) -> None:
    section = section_of(six, FIVE)
    assert section is not None
    assert [type(b).__name__ for b in section.blocks] == ["Table", "Chart", "Table"]
    chart = section.blocks[1]
    assert isinstance(chart, Chart)
    assert chart.table is not None
    assert chart.table.columns == ("ID", "Dimension", *AREAS, "Group median")
    # By hand: the members' P1 medians 1, 2, 4, 5, 3 -> 3.0 (all six would give 2.5);
    # P2 5, 4, 2, 1, 4 -> 4.0 (all six: 3.0).
    assert chart.table.rows == (
        (
            "P1",
            "Dimension P1",
            *(f"{lv}.0 [{lv}.0–{lv}.0], n = 5" for lv in P1_LEVELS),
            "3.0, median of 5 areas",
        ),
        (
            "P2",
            "Dimension P2",
            *(f"{lv}.0 [{lv}.0–{lv}.0], n = 5" for lv in P2_LEVELS),
            "4.0, median of 5 areas",
        ),
    )
    # The radar has the group's own line: criteria P1, P2 (the first point repeated).
    line = chart.figure.data[-1]
    assert line.name == "Neighbours"
    assert list(line.r) == [3.0, 4.0, 3.0]
    assert len(chart.figure.data) == len(AREAS) + 1
    # T1: only four members have a score, so the group's median is hidden there.
    themes = section.blocks[2]
    assert isinstance(themes, Table)
    assert themes.rows[0][0] == "T1"
    assert themes.rows[0][-3:] == ("not asked", "not asked", "– (4 areas with a score)")


def test_with_fewer_than_five_members_the_section_says_why(six: Comparison) -> None:
    section = section_of(six, ChosenGroup("Neighbours", AREAS[:4]))
    assert section is not None
    assert len(section.blocks) == 2
    assert isinstance(section.blocks[0], Table)
    assert section.blocks[1] == Paragraphs((GROUP_TOO_FEW,))
    assert not any(isinstance(b, Chart) for b in section.blocks)


def test_a_group_with_no_member_compared_says_so(six: Comparison) -> None:
    section = section_of(six, ChosenGroup("Far away", ()))
    assert section is not None
    assert section.blocks == (
        Paragraphs(("None of the areas in Far away is among the assessments compared.",)),
        Paragraphs((GROUP_TOO_FEW,)),
    )
