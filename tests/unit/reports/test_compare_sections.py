"""The comparison report's sections as plain blocks: ids, tables and what they say, and a
chosen comparison group's median beside the assessments (or why it is not shown)."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.blocks import Chart, Paragraphs, Section, Table
from reports.compare_sections import (
    COMPARE_SECTIONS,
    GROUP_SECTION,
    GROUP_TOO_FEW,
    ChosenGroup,
    comparison_sections,
)
from scoring.compare import AssessmentInfo, Comparison, change_over_time, compare
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1}})


def answers(levels: dict[str, list], prefix: str) -> pd.DataFrame:
    size = max(len(v) for v in levels.values())
    return frame(
        (f"{prefix}{i}", q, v[i]) for i in range(size) for q, v in levels.items() if i < len(v)
    )


@pytest.fixture(scope="module")
def sections() -> dict[str, Section]:
    c = compare(
        BANK,
        {
            "North": answers({"p1a": [2] * 6, "p2a": [3] * 6, "t1a": [3] * 6}, "n"),
            "South": answers({"p1a": [4] * 6, "p2a": [3, 3, 3]}, "s"),  # T1 not asked
        },
        n_boot=50,
        info={"North": AssessmentInfo("Northbrook")},
    )
    return {s.id: s for s in comparison_sections(BANK, c)}


def table_of(section: Section) -> Table:
    for block in section.blocks:
        if isinstance(block, Chart) and block.table is not None:
            return block.table
        if isinstance(block, Table):
            return block
    raise AssertionError(f"no table in {section.id}")


def test_the_sections_come_in_the_documented_order(sections: dict[str, Section]) -> None:
    assert tuple(sections) == COMPARE_SECTIONS
    assert GROUP_SECTION not in sections  # no group chosen, no group section


def test_what_is_compared_lists_area_date_and_respondents(sections: dict[str, Section]) -> None:
    table = table_of(sections["compared"])
    assert table.columns == ("Assessment", "Area", "Date", "Respondents", "Role")
    assert table.rows == (
        ("North", "Northbrook", "–", "6", "Reference"),
        ("South", "–", "–", "6", ""),
    )


def test_radar_tables_give_median_interval_and_n(sections: dict[str, Section]) -> None:
    criteria = table_of(sections["criteria"])
    assert criteria.columns == ("ID", "Dimension", "North", "South")
    assert criteria.rows == (
        ("P1", "Dimension P1", "2.0 [2.0–2.0], n = 6", "4.0 [4.0–4.0], n = 6"),
        ("P2", "Dimension P2", "3.0 [3.0–3.0], n = 6", "3.0, n = 3"),
    )
    themes = table_of(sections["themes"])
    assert themes.rows == (("T1", "Dimension T1", "3.0 [3.0–3.0], n = 6", "not asked"),)


def test_differences_table_has_verdicts(sections: dict[str, Section]) -> None:
    table = table_of(sections["differences"])
    assert table.columns == (
        "Assessment",
        "Dimension",
        "Reference",
        "Score",
        "Difference",
        "Interval",
        "Verdict",
    )
    assert table.rows == (
        (
            "South",
            "Dimension P1 (P1)",
            "2.0 (n = 6)",
            "4.0 (n = 6)",
            "+2.0",
            "+2.0 to +2.0",
            "larger than the noise",
        ),
        (
            "South",
            "Dimension P2 (P2)",
            "3.0 (n = 6)",
            "3.0 (n = 3)",
            "0.0",
            "–",
            "n too small to tell",
        ),
        ("South", "Dimension T1 (T1)", "3.0 (n = 6)", "– (n = 0)", "–", "–", "no score to compare"),
    )


def test_a_change_adds_its_chart_table_and_steps() -> None:
    dates = {
        "2024": answers({"p1a": [2] * 5}, "r"),
        "2025": answers({"p1a": [3] * 5}, "r"),
        "2026": answers({"p1a": [3] * 5}, "r"),
    }
    change = change_over_time(BANK, dates, n_boot=20)
    section = {s.id: s for s in comparison_sections(BANK, change.comparison, change)}["change"]
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds == ["Paragraphs", "Chart", "Table"]
    chart = section.blocks[1]
    assert isinstance(chart, Chart)
    assert chart.table is not None
    assert chart.table.rows == (
        (
            "P1",
            "Dimension P1",
            "5",
            "2.0",
            "5",
            "3.0",
            "+1.0",
            "+1.0 to +1.0",
            "larger than the noise",
        ),
    )
    steps = section.blocks[2]
    assert isinstance(steps, Table)
    assert [r[-1] for r in steps.rows] == ["larger than the noise", "within the noise"]


def test_left_out_sentences_become_a_list() -> None:
    c = compare(BANK, {"A": answers({"p1a": [1]}, "a"), "B": answers({"p1a": [2]}, "b")}, n_boot=5)
    left = {s.id: s for s in comparison_sections(BANK, c, None, ["One.", "Two."])}["left-out"]
    block = left.blocks[0]
    assert block == Paragraphs(("One.", "Two."), bullets=True)
    themes = {s.id: s for s in comparison_sections(BANK, c)}["themes"]
    assert themes.blocks == (Paragraphs(("No essay themes were compared.",)),)


# ---------------------------------------------------------------- a comparison group

#: Six areas, five respondents each answering alike: the area's median on P1 and P2 is its
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


def group_section(c: Comparison, group: ChosenGroup | None) -> Section | None:
    return {s.id: s for s in comparison_sections(BANK, c, group=group)}.get(GROUP_SECTION)


def test_a_chosen_group_comes_after_change_over_time(six: Comparison) -> None:
    ids = tuple(s.id for s in comparison_sections(BANK, six, group=FIVE))
    assert ids == (*COMPARE_SECTIONS[:6], GROUP_SECTION, *COMPARE_SECTIONS[6:])
    assert COMPARE_SECTIONS[5] == "change"
    assert group_section(six, None) is None


def test_the_group_section_names_the_group_and_its_members(six: Comparison) -> None:
    section = group_section(six, FIVE)
    assert section is not None
    assert section.title == "Comparison group: Neighbours"
    members = section.blocks[0]
    assert isinstance(members, Table)
    assert members.columns == ("Assessment", "Area", "Date")
    assert members.rows == tuple((f"Area {i}", f"Town {i}", "–") for i in range(1, 6))


def test_the_group_median_sits_beside_each_assessment(six: Comparison) -> None:
    section = group_section(six, FIVE)
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
    section = group_section(six, ChosenGroup("Neighbours", AREAS[:4]))
    assert section is not None
    assert len(section.blocks) == 2
    assert isinstance(section.blocks[0], Table)
    assert section.blocks[1] == Paragraphs((GROUP_TOO_FEW,))
    assert not any(isinstance(b, Chart) for b in section.blocks)


def test_a_group_with_no_member_compared_says_so(six: Comparison) -> None:
    section = group_section(six, ChosenGroup("Far away", ()))
    assert section is not None
    assert section.blocks == (
        Paragraphs(("None of the areas in Far away is among the assessments compared.",)),
        Paragraphs((GROUP_TOO_FEW,)),
    )
