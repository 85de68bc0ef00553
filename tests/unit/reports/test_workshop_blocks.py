"""The workshop report's tables: numbers written as people read them, blanks where k hides."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from corpus.model import Corpus, Essay
from reports.blocks import BLANK, Paragraphs, Reference, References, Table, linkable
from reports.workshop_blocks import (
    NO_SPLITS,
    agreed_table_block,
    agreement_table,
    dk_table,
    essays_section,
    moved_table,
    role_numbers,
    split_change_table,
    split_counts,
)
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.role_figures import GAP_MARK
from scoring.workshop.rounds import agreed_table, compare_rounds
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"a": 1}, "P2": {"b": 1}, "T1": {"t": 1}})
DIMS = ("P1", "P2", "T1")
FIG = go.Figure()


def answers(columns: dict[str, list], roles: list[str] | None = None, round: int = 1):
    people = max(len(v) for v in columns.values())
    roles = roles or ["councillor"] * people
    rows = [
        (f"P{i + 1}", q, v[i], roles[i], round)
        for q, v in columns.items()
        for i in range(people)
        if i < len(v) and v[i] is not None
    ]
    return frame(rows, "role", "round")


def board(columns: dict[str, list], roles: list[str] | None = None, k: int = 3):
    return build_dashboard(BANK, answers(columns, roles), 1, DIMS, ("councillor",), k)


def cells(table: Table, column: str) -> list[str]:
    i = table.columns.index(column)
    return [row[i] for row in table.rows]


# The worked example on P1; P2 answered by two people only (fewer than k); T1 a split.
WORKED = {
    "a": [2, 3, 3, 3, 4, 4, 2, 5],
    "b": [1, 5],
    "t": [1, 1, 1, 5, 5, 5, "dk", "dk"],
}


def test_agreement_table_writes_two_decimals_percentages_and_dashes() -> None:
    table = agreement_table(board(WORKED))
    assert cells(table, "ID") == ["P1", "P2", "T1"]
    # P1: rwg* 0.4643 -> "0.46", ad_md 0.75 -> "0.75"; P2 rests on two people: dashes.
    # T1: 1,1,1,5,5,5 -> s^2 = 6 x 4 / 5 = 4.8, so rwg* = 1 - 2.4 = -1.40 (may go negative).
    assert cells(table, "Agreement index") == ["0.46", BLANK, "-1.40"]
    assert cells(table, "Distance from the middle") == ["0.75", BLANK, "2.00"]
    # T1: 6 levels and 2 dk -> answered 75 %, flagged? 2/8 = 25 %: no.
    assert cells(table, "Answered") == ["100 %", "100 %", "75 %"]
    assert cells(table, "Middle level") == ["3.0", BLANK, "3.0"]
    # The same words as the dashboard and the room view (scoring.workshop.screens).
    assert cells(table, "The room") == ["Agree", "Too few to tell", "Split"]


def test_split_counts_count_each_level() -> None:
    table = split_counts(board(WORKED))
    assert isinstance(table, Table)
    assert table.rows == (("t", "Question t", "Two camps", "3", "0", "0", "0", "3", "2"),)
    assert split_counts(board({"a": [3, 3, 3]})) == Paragraphs((NO_SPLITS,))


def test_role_table_has_a_column_per_shown_role_and_marks_gaps() -> None:
    roles = ["councillor"] * 3 + ["resident"] * 3 + ["partner"]
    d = board({"a": [2, 2, 2, 3, 3, 3, 5], "b": [3, 3, 3, 3, 3, 3, 5]}, roles)
    table = role_numbers(d)
    assert isinstance(table, Table)
    assert table.columns == (
        "ID",
        "Dimension",
        "councillor",
        "resident",
        "Gap",
        "A level apart",
    )
    assert cells(table, "A level apart") == [GAP_MARK, "", ""]
    assert cells(table, "Gap") == ["1.0", "0.0", BLANK]
    assert GAP_MARK in table.note
    assert role_numbers(board({"a": [3, 3, 3]}, ["a", "b", "c"])) == Paragraphs(
        ("No role has 3 or more people with levels yet.",)
    )


def test_moved_and_split_changes_between_rounds() -> None:
    data = answers({"a": [1, 1, 5, 5], "b": [3, 3, 3, 3]})
    later = answers({"a": [4, 4, 4, 5], "b": [2, 2, 2, 2]}, round=2)
    c = compare_rounds(BANK, pd.concat([data, later], ignore_index=True), 1, 2, DIMS, 3)
    table = moved_table(c)
    assert table.columns[2:] == ("Round 1", "Round 2", "Change")
    assert cells(table, "Change") == ["+1.0", "-1.0", BLANK]
    closed, opened = split_change_table(c)
    assert closed is not None
    assert closed.rows == (("a", "Question a", "Two camps", "Agree", "2.00", "0.25"),)
    assert opened is None


def test_agreed_table_block_marks_uncertain_and_dissent() -> None:
    d = board(WORKED)
    records = [
        {"round": 1, "dimension_id": "P1", "level": 4, "status": "agreed", "note": "n"},
        {"round": 1, "dimension_id": "T1", "level": None, "status": "uncertain", "dissent": "x"},
    ]
    table = agreed_table_block(agreed_table(DIMS, BANK, records, d), d)
    assert cells(table, "Agreed") == ["4 Embedded", BLANK, BLANK]
    assert cells(table, "Status") == ["Agreed", "Not recorded", "Uncertain"]
    # Beside them, the room in the dashboard's words, its middle level and middle half:
    # P1 quartiles 2.75 and 4 -> "2.8–4.0"; P2 rests on two people, so nothing is shown.
    assert cells(table, "The room") == ["Agree", "Too few to tell", "Split"]
    assert cells(table, "Room's middle level") == ["3.0", BLANK, "3.0"]
    assert cells(table, "Middle half") == ["2.8–4.0", BLANK, "1.0–5.0"]
    assert table.caption == "Round 1: the room and the levels it agreed"


def test_dk_table_lists_shares_as_percentages() -> None:
    table = dk_table(board({"a": [3] * 7 + ["dk"] * 3}))
    assert isinstance(table, Table)
    assert table.rows == (("a", "Question a", "P1", "7", "3", "30 %"),)
    assert isinstance(dk_table(board({"a": [3, 3, 3]})), Paragraphs)


def test_essays_behind_the_dimensions_once_each_as_a_short_list() -> None:
    corpus = Corpus((Essay("intro", "Intro", "Ed", 6, "Summary.", (), (), (), ()),))
    section = essays_section(BANK, corpus, DIMS)
    [block] = section.blocks
    assert block == References((Reference("Intro", "Ed, page 6 (P1, P2, T1)"),), block.empty)
    assert "Summary." not in str(section)  # summaries stay on the app's essays page
    assert "on its page The essays" in section.intro
    assert not section.new_page
    assert essays_section(BANK, Corpus(()), DIMS).blocks == (
        References((), "No essay stands behind these dimensions."),
    )


def test_essay_titles_link_to_the_app_only_by_web_address() -> None:
    corpus = Corpus(
        (
            Essay("intro", "Intro", "Ed", 6, "Summary.", (), (), (), ()),
            Essay("other", "Other", "Al", 9, "Summary.", (), (), (), ()),
        )
    )
    plain = make_bank({"P1": {"a": 1}})
    bank = replace(plain, criteria=(replace(plain.criteria[0], essays=("intro", "other")),))
    links = {"intro": "https://ladder.example/essays?essay=intro", "other": "javascript:alert(1)"}
    section = essays_section(bank, corpus, ("P1",), links)
    [block] = section.blocks
    assert isinstance(block, References)
    assert [linkable(r.href) for r in block.items] == [True, False]
    assert "Each title links to Ladder's summary of the essay." in section.intro
