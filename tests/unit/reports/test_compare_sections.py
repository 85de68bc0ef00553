"""The comparison report's sections as plain blocks: ids, tables and what they say (the
comparison group's section: tests/unit/reports/test_compare_profiles.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.blocks import Chart, Paragraphs, Section, Table
from reports.compare_profiles import GROUP_SECTION
from reports.compare_sections import COMPARE_SECTIONS, comparison_sections
from scoring.comparison.results import AssessmentInfo, change_over_time, compare
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


def test_what_is_compared_says_each_entry_s_kind_when_given() -> None:
    """Compare labels each entry by kind, form, people and date (issue 12); so does its report."""
    c = compare(
        BANK,
        {"North": answers({"p1a": [2] * 3}, "n"), "South": answers({"p1a": [4]}, "s")},
        n_boot=10,
    )
    entries = {"North": "workshop round 2, Quick check", "South": "self-assessment, Full"}
    table = table_of(comparison_sections(BANK, c, entries=entries)[0])
    assert table.columns == ("Assessment", "Kind", "Area", "Date", "Respondents", "Role")
    assert [row[:2] for row in table.rows] == [
        ("North", "workshop round 2, Quick check"),
        ("South", "self-assessment, Full"),
    ]
    assert table.numeric == frozenset({4})


def test_radar_tables_give_median_interval_and_n(sections: dict[str, Section]) -> None:
    """The profiles' numbers are the appendix's tables, one per family; the body's charts
    carry none (the body stays three or four pages)."""
    criteria, themes = sections["scores"].blocks
    assert isinstance(criteria, Table)
    assert isinstance(themes, Table)
    assert criteria.columns == ("ID", "Dimension", "North", "South")
    assert criteria.rows == (
        ("P1", "Dimension P1", "2.0 [2.0–2.0], n = 6", "4.0 [4.0–4.0], n = 6"),
        ("P2", "Dimension P2", "3.0 [3.0–3.0], n = 6", "3.0, n = 3"),
    )
    assert themes.rows == (("T1", "Dimension T1", "3.0 [3.0–3.0], n = 6", "not asked"),)
    for body in ("criteria", "heatmap", "change"):
        assert all(getattr(b, "table", None) is None for b in sections[body].blocks), body
    assert sections["differences"].new_page  # the appendix starts on a page of its own
    assert [s.new_page for s in sections.values()].count(True) == 1


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
    by_id = {s.id: s for s in comparison_sections(BANK, change.comparison, change)}
    assert [type(b).__name__ for b in by_id["change"].blocks] == ["Paragraphs", "Chart"]
    section = by_id["change-numbers"]  # the numbers: in the appendix
    assert [type(b).__name__ for b in section.blocks] == ["Paragraphs", "Table", "Table"]
    first = section.blocks[1]
    assert isinstance(first, Table)
    assert first.rows == (
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
    scores = {s.id: s for s in comparison_sections(BANK, c)}["scores"]
    assert [t.caption for t in scores.blocks] == ["The next-practice criteria compared"]


# ---------------------------------------------------------------- a comparison group

#: Six areas, five respondents each answering alike: the area's median on P1 and P2 is its
