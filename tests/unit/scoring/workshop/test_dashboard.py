"""The workshop dashboard against the brief's rules: k, the worked example, splits,
role gaps, "don't know" hot spots, and the same numbers as the command line."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from questions.model import Role
from reports.exports import answers_csv
from scoring.consensus import RULES
from scoring.workshop.dashboard import (
    DIMENSION_COLUMNS,
    DK_COLUMNS,
    ITEM_TABLE_COLUMNS,
    PARTICIPATION_COLUMNS,
    build_dashboard,
    round_answers,
)
from scoring.workshop.roles import GAP_COLUMNS, ROLE_COLUMNS
from tests.support.cli import run_module
from tests.unit.reports.factories import shipped
from tests.unit.scoring.factories import frame, make_bank

BANK = replace(
    make_bank({"P1": {"a": 1, "b": 1, "c": 1}, "P2": {"d": 1, "e": 9}, "T1": {"t": 1}}),
    roles=(
        Role("councillor", "Councillor"),
        Role("resident", "Resident"),
        Role("partner", "Partner agency"),
    ),
)
DIMS = ("P1", "P2", "T1")
ROLES = ("councillor", "resident", "partner")


def answers(
    columns: dict[str, Sequence[Any]], roles: Sequence[str] | None = None, round: Any = 1
) -> pd.DataFrame:
    """Person i answers column[i] to each question (None: the row is left out)."""
    people = max(len(v) for v in columns.values())
    roles = roles or ["councillor"] * people
    rows = [
        (f"P{i + 1}", question, values[i], roles[i], round)
        for i in range(people)
        for question, values in columns.items()
        if i < len(values) and values[i] is not None
    ]
    return frame(rows, "role", "round")


def dashboard(data: pd.DataFrame, k: int = 3, round: Any = 1, roles: Sequence[str] = ROLES):
    return build_dashboard(BANK, data, round, DIMS, roles, k)


# --- k: nothing aggregate until n >= k ------------------------------------------------------


@pytest.mark.parametrize("k", [3, 5])
def test_at_k_minus_1_people_nothing_but_the_counts_is_shown(k: int) -> None:
    data = answers({"a": [4] * (k - 1)})
    d = dashboard(data, k)
    assert (d.n, d.shown, d.needed) == (k - 1, False, 1)
    for table in (d.dimensions, d.items, d.splits, d.role_medians, d.role_gaps, d.dk_items):
        assert table.empty
    assert (d.shown_roles, d.suppressed_roles) == ((), ())
    assert d.role_n("councillor") == k - 1  # counts are always shown
    assert "1 more is needed" in d.summary[-1]
    assert "4" not in " ".join(d.summary[1:])  # no level leaks into the words


@pytest.mark.parametrize("k", [3, 5])
def test_at_k_people_the_aggregate_appears(k: int) -> None:
    d = dashboard(answers({"a": [4] * k}), k)
    assert (d.n, d.shown, d.needed) == (k, True, 0)
    p1 = d.dimensions.set_index("dimension").loc["P1"]
    assert (p1["n"], p1["median"], p1["level"], p1["suppressed"]) == (k, 4.0, "Embedded", False)


def test_only_people_who_gave_a_level_count_towards_k() -> None:
    # Three people answered, but P3 only said "don't know" and P4 left everything blank.
    d = dashboard(answers({"a": [3, 4, "dk", ""], "b": [3, None, "na", ""]}))
    assert (d.participants, d.n, d.shown, d.needed) == (3, 2, False, 1)
    assert d.role_n("councillor") == 3


def test_a_dimension_fewer_than_k_people_scored_is_blank() -> None:
    # Everyone scores P1; only two people answered P2's items.
    d = dashboard(answers({"a": [2, 3, 4, 5], "d": [1, 5], "e": [1, 5]}))
    rows = d.dimensions.set_index("dimension")
    assert rows.at["P1", "median"] == 3.5
    assert rows.at["P2", "n"] == 2
    assert bool(rows.at["P2", "suppressed"])
    for column in ("median", "q1", "q3", "rwg_star", "ad_md_mean"):
        assert pd.isna(rows.at["P2", column])
    assert rows.at["P2", "level"] == ""
    assert rows.at["T1", "n"] == 0  # not asked: still listed, with nothing in it
    assert list(d.dimensions["dimension"]) == list(DIMS)
    assert tuple(d.dimensions.columns) == DIMENSION_COLUMNS


def test_an_item_is_listed_only_when_k_people_gave_it_a_level() -> None:
    k = 5
    # Item a: 1,1,5,5 (n = 4 = k - 1), polarised but hidden. Item b: 1,1,5,5,5 (n = 5).
    data = answers({"a": [1, 1, 5, 5, None], "b": [1, 1, 5, 5, 5]})
    d = dashboard(data, k)
    assert list(d.items["question_id"]) == ["b"]
    assert list(d.splits["question_id"]) == ["b"]
    assert tuple(d.splits.columns) == ITEM_TABLE_COLUMNS


# --- the worked example (domain_anchors.md 3.10) ---------------------------------------------


def test_the_worked_example_appears_identically_in_the_dashboard() -> None:
    d = dashboard(answers({"a": [2, 3, 3, 3, 4, 4, 2, 5]}))
    item = d.items.set_index("question_id").loc["a"]
    # Sorted 2,2,3,3,3,4,4,5: median 3; |x - 3| = 1,1,0,0,0,1,1,2 -> 6/8 = 0.75.
    assert (item["n"], item["median"], item["ad_md"]) == (8, 3.0, 0.75)
    # s^2 = 7.5 / 7 = 1.0714; rwg = 1 - 1.0714 / 2 = 0.4643. Only the 5 lies outside 2-4.
    assert round(item["rwg"], 4) == 0.4643
    assert item["outside_core"] == 0.125
    assert item["class"] == "consensus"
    counts = [item[f"level_{lv}"] for lv in range(1, 6)]
    assert counts == [0, 2, 3, 2, 1]
    assert item["dk"] == 0
    assert d.splits.empty
    # One item, so the dimension's r*wg(J) and mean ad_md are the item's own.
    p1 = d.dimensions.set_index("dimension").loc["P1"]
    assert (p1["median"], p1["n"], p1["ad_md_mean"], p1["coverage"]) == (3.0, 8, 0.75, 1.0)
    assert round(p1["rwg_star"], 4) == 0.4643
    # Quartiles by linear interpolation: q1 at position 1.75 (2 + 0.75), q3 at 5.25 (4).
    assert (p1["q1"], p1["q3"]) == (2.75, 4.0)


# --- where we split ------------------------------------------------------------------------


def test_a_polarised_item_is_listed_with_its_level_counts() -> None:
    d = dashboard(answers({"a": [1, 1, 1, 5, 5, 5, "dk"]}))
    row = d.splits.set_index("question_id").loc["a"]
    assert row["class"] == "polarised"
    assert [row[f"level_{lv}"] for lv in range(1, 6)] == [3, 0, 0, 0, 3]
    assert row["dk"] == 1
    # Median (1 + 5) / 2 = 3; every rating is 2 away.
    assert (row["median"], row["ad_md"]) == (3.0, 2.0)


def test_splits_are_polarised_first_then_widest() -> None:
    data = answers(
        {
            # a: 2,2,3,4,4 -> a third low and a third high: polarised, ad_md 4/5 = 0.8.
            "a": [2, 2, 3, 4, 4, None],
            # b: 1,3,3,3,5,5 -> 3/6 outside 2-4, only one low: spread, ad_md 6/6 = 1.0.
            "b": [1, 3, 3, 3, 5, 5],
            # c: 1,3,3,3,3,5 -> 2/6 outside: spread, ad_md 4/6 = 0.67.
            "c": [1, 3, 3, 3, 3, 5],
            # d: all 3 -> consensus, never listed.
            "d": [3, 3, 3, 3, 3, 3],
        }
    )
    d = dashboard(data)
    assert list(d.splits["question_id"]) == ["a", "b", "c"]
    assert list(d.splits["class"]) == ["polarised", "spread", "spread"]
    assert d.splits["ad_md"].tolist() == pytest.approx([0.8, 1.0, 4 / 6])


# --- how roles see it ------------------------------------------------------------------------


def roles_data(resident_p2: tuple[int, int] = (3, 4)) -> pd.DataFrame:
    """Three councillors and three residents; P1 one item, P2 two items weighted 1 and 9."""
    return answers(
        {
            "a": [2, 2, 2, 3, 3, 3],
            "d": [3, 3, 3, *[resident_p2[0]] * 3],
            "e": [3, 3, 3, *[resident_p2[1]] * 3],
        },
        roles=["councillor"] * 3 + ["resident"] * 3,
    )


def test_a_role_gap_of_a_level_is_flagged_and_0_9_is_not() -> None:
    d = dashboard(roles_data())
    gaps = d.role_gaps.set_index("dimension")
    # P1: councillors 2, residents 3 -> 1.0 level.
    assert gaps.at["P1", "gap"] == 1.0
    assert bool(gaps.at["P1", "gap_flag"])
    assert (gaps.at["P1", "lowest"], gaps.at["P1", "highest"]) == ("councillor", "resident")
    # P2: councillors (3 + 9 x 3) / 10 = 3.0, residents (3 + 9 x 4) / 10 = 3.9 -> 0.9.
    assert gaps.at["P2", "gap"] == pytest.approx(0.9)
    assert not bool(gaps.at["P2", "gap_flag"])
    assert tuple(d.role_gaps.columns) == GAP_COLUMNS
    assert any("a level or more apart" in s and "(P1)" in s for s in d.summary)


def test_a_gap_of_one_level_in_floating_point_is_still_flagged() -> None:
    # Councillors (3 + 9 x 2) / 10 = 2.1 and residents (4 + 9 x 3) / 10 = 3.1: 3.1 - 2.1 is
    # not exactly 1 in binary floating point, but it is one level.
    data = roles_data((4, 3))
    data.loc[(data["question_id"] == "d") & (data["role"] == "councillor"), "answer"] = 3
    data.loc[(data["question_id"] == "e") & (data["role"] == "councillor"), "answer"] = 2
    gaps = dashboard(data).role_gaps.set_index("dimension")
    assert gaps.at["P2", "gap"] == pytest.approx(1.0)
    assert bool(gaps.at["P2", "gap_flag"])


def test_a_role_of_k_minus_1_is_suppressed_and_a_role_of_k_is_shown() -> None:
    # Three councillors, two residents, one partner: k = 3.
    data = answers(
        {"a": [1, 2, 3, 5, 5, 4]},
        roles=["councillor"] * 3 + ["resident"] * 2 + ["partner"],
    )
    d = dashboard(data)
    assert d.shown_roles == ("councillor",)
    assert d.suppressed_roles == ("resident", "partner")
    assert set(d.role_medians["role"]) == {"councillor"}
    assert d.role_medians.set_index(["dimension", "role"]).at[("P1", "councillor"), "median"] == 2
    assert tuple(d.role_medians.columns) == ROLE_COLUMNS
    # One shown role: nothing to compare, so no gap.
    assert not d.role_gaps["gap_flag"].any()
    assert d.role_gaps["gap"].isna().all()
    # Their people are still counted, and their answers are in the room's median.
    assert (d.role_n("resident"), d.role_n("partner")) == (2, 1)
    assert d.dimensions.set_index("dimension").at["P1", "median"] == 3.5
    assert any(s.startswith("Resident and Partner agency have fewer than 3") for s in d.summary)


def test_a_role_cell_fewer_than_k_of_the_role_scored_is_blank() -> None:
    # Councillors and residents (3 each) all score P1; only two residents answer T1.
    data = answers(
        {"a": [1, 2, 3, 3, 4, 5], "t": [2, 2, 2, 4, 4, None]},
        roles=["councillor"] * 3 + ["resident"] * 3,
    )
    cells = dashboard(data).role_medians.set_index(["dimension", "role"])
    assert cells.at[("T1", "councillor"), "median"] == 2
    assert cells.at[("T1", "resident"), "n"] == 2
    assert pd.isna(cells.at[("T1", "resident"), "median"])


def test_participation_lists_offered_roles_then_others() -> None:
    data = answers({"a": [3, 3, 3, 3]}, roles=["resident", "zz_new", "", "resident"])
    d = dashboard(data)
    assert tuple(d.participation.columns) == PARTICIPATION_COLUMNS
    assert list(d.participation["role"]) == ["councillor", "resident", "partner", "zz_new", ""]
    assert list(d.participation["n"]) == [0, 2, 0, 1, 1]
    assert d.role_labels[""] == "Role not given"
    assert d.role_labels["zz_new"] == "zz_new"  # not in the bank: its id
    assert "none yet from Councillor and Partner agency" in d.summary[0]


# --- "don't know" hot spots ------------------------------------------------------------------


def test_dk_hot_spot_at_exactly_30_percent_and_not_at_29() -> None:
    # 100 people: item a has 70 levels and 30 dk (30 %), item b 71 levels and 29 dk (29 %).
    data = answers({"a": [3] * 70 + ["dk"] * 30, "b": [3] * 71 + ["dk"] * 29})
    d = dashboard(data)
    assert tuple(d.dk_items.columns) == DK_COLUMNS
    assert list(d.dk_items["question_id"]) == ["a"]
    assert d.dk_items.at[0, "dk_share"] == 0.3
    assert (d.dk_items.at[0, "n"], d.dk_items.at[0, "dk"]) == (70, 30)
    assert any("30 %" in s and "a (" in s for s in d.summary)


def test_dk_share_needs_k_people_answering_the_item() -> None:
    # Item b: one level and one dk (50 %), but only two people answered it.
    d = dashboard(answers({"a": [3, 3, 3], "b": [3, "dk", None]}))
    assert d.dk_items.empty


# --- rounds and inputs -------------------------------------------------------------------------


def test_only_the_rounds_rows_are_used_and_rounds_match_as_numbers() -> None:
    data = pd.concat(
        [answers({"a": [1, 1, 1]}, round=1), answers({"a": [5, 5, 5]}, round="2")],
        ignore_index=True,
    )
    assert dashboard(data, round=2).dimensions.at[0, "median"] == 5
    assert dashboard(data, round="1").dimensions.at[0, "median"] == 1
    assert len(round_answers(data, 2.0)) == 3


def test_bad_inputs_are_refused() -> None:
    data = answers({"a": [3, 3, 3]})
    with pytest.raises(ValueError, match="k must be"):
        dashboard(data, k=0)
    with pytest.raises(ValueError, match="'P9'"):
        build_dashboard(BANK, data, 1, ("P9",), ROLES, 3)
    with pytest.raises(ValueError, match="round"):
        build_dashboard(BANK, data.drop(columns="round"), 1, DIMS, ROLES, 3)


def test_nobody_yet() -> None:
    d = dashboard(answers({"a": [3]}).iloc[:0])
    assert (d.participants, d.n, d.shown, d.needed) == (0, 0, False, 3)
    assert d.summary[0] == "Nobody has answered round 1 yet."


# --- the command line and the dashboard agree ----------------------------------------------


@pytest.mark.parametrize("rule", list(RULES))
def test_the_agreement_command_gives_the_dashboards_numbers(tmp_path, rule: str) -> None:
    """For every consensus rule a workshop can choose: the command's classes and numbers are
    the dashboard's."""
    bank, data = two_rounds()
    path = tmp_path / "answers.csv"
    path.write_bytes(answers_csv(data))
    command = ("scoring", "agreement", "--responses", path, "--by", "round", "--rule", rule)
    result = run_module(*command)
    assert result.returncode == 0, result.stderr
    cli = pd.read_csv(io.StringIO(result.stdout))
    dims = [d.id for d in bank.criteria]
    compared = 0
    for r in (1, 2):
        d = build_dashboard(bank, data, r, dims, (), 3, rule=rule)
        assert d.rule == rule
        shown = d.items.set_index("question_id")
        theirs = cli[cli["round"] == r].set_index("question_id")
        assert set(shown.index) == set(theirs.index[theirs["n"] >= 3])
        for qid, row in shown.iterrows():
            other = theirs.loc[qid]
            assert (row["n"], row["dk"], row["class"]) == (other["n"], other["dk"], other["class"])
            for column in ("median", "ad_md", "rwg", "outside_core"):
                mine, cli_value = row[column], other[column]
                assert (pd.isna(mine) and pd.isna(cli_value)) or round(mine, 4) == cli_value
            compared += 1
    assert compared > 20


def two_rounds() -> tuple[Any, pd.DataFrame]:
    """The shipped bank, and a quick form answered by 7 people in round 1 and 6 in round 2
    (every kind of answer, mostly near level 3, so that the rules part on some questions)."""
    bank, _ = shipped()
    questions = [q.id for q in bank.form_questions("quick")]
    levels = ["3", "4", "3", "2", "3", "5", "1", "dk", "3", "4", "na", ""]
    rows = [
        (f"P{p}", q, levels[(p * 7 + i * 3 + r) % len(levels)], "councillor", r)
        for r in (1, 2)
        for p in range(1, 9 - r)
        for i, q in enumerate(questions)
    ]
    return bank, frame(rows, "role", "round")


def test_the_rules_class_those_rooms_differently() -> None:
    """Were every rule to class these rooms as the default does, the test over every rule
    above would prove little."""
    bank, data = two_rounds()
    dims = [d.id for d in bank.criteria]
    classes = {
        rule: [
            c
            for r in (1, 2)
            for c in build_dashboard(bank, data, r, dims, (), 3, rule=rule).items["class"]
        ]
        for rule in RULES
    }
    assert len({tuple(c) for c in classes.values()}) > 1


# --- Built from the room's view (storage.workshop.roomviews): roles only by their own views ---


def test_from_the_room_view_roles_come_only_from_their_views() -> None:
    from common.scopes import OTHER_ROLES

    room = answers(
        {"a": [2, 2, 2, 5, 4, 4], "b": [2, 2, 2, 5, 4, 4]},
        ["councillor"] * 3 + ["resident", "partner", "partner"],
    )
    # The councillors' own view is older than the room's: their medians come from it.
    views = answers(
        {"a": [1, 1, 1, 5, 4, 4], "b": [1, 1, 1, 5, 4, 4]}, ["councillor"] * 3 + [OTHER_ROLES] * 3
    )
    d = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=views, sent=7)
    assert d.participants == 7  # the live count of people who sent
    assert d.participation[["role", "label", "n"]].values.tolist() == [
        ["councillor", "Councillor", 3],
        [OTHER_ROLES, "Other roles", 3],
    ]
    assert d.shown_roles == ("councillor", OTHER_ROLES)
    assert d.suppressed_roles == ("resident", "partner")  # in the room, not shown on their own
    medians = d.role_medians.set_index(["dimension", "role"])["median"]
    assert medians[("P1", "councillor")] == 1  # from the role's view, not the room's 2
    assert medians[("P1", OTHER_ROLES)] == 4
    assert "resident" not in set(d.role_medians["role"])
    assert d.role_n("resident") == 0  # no count for a role under k
    assert d.dimensions.set_index("dimension").at["P1", "n"] == 6  # the room's view


def test_from_the_room_view_nothing_shows_until_k_have_sent() -> None:
    empty = answers({"a": []})
    d = build_dashboard(BANK, empty, 1, DIMS, ROLES, 3, role_answers=empty, sent=2)
    assert (d.shown, d.participants, d.needed) == (False, 2, 1)
    assert d.participation.empty
    assert d.suppressed_roles == ()
    assert "1 more is needed" in d.summary[-1]


def test_with_sent_moves_the_count_and_never_the_figures() -> None:
    from scoring.workshop.dashboard import with_sent

    room = answers({"a": [2, 3, 4]})
    d = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=room, sent=3)
    later = with_sent(d, 5)
    assert later.participants == 5
    assert later.summary[0].startswith("5 people answered round 1")
    assert later.dimensions is d.dimensions
    assert with_sent(d, 3) is d
    waiting = build_dashboard(
        BANK, answers({"a": []}), 1, DIMS, ROLES, 3, role_answers=room[:0], sent=1
    )
    assert with_sent(waiting, 2).needed == 1


def test_the_rounds_answers_are_coded_once_for_every_table(monkeypatch) -> None:
    """Item agreement, group scores and dimension agreement share one coding of the round
    (the roles' medians code their own frame, grouped by role)."""
    import scoring.coding
    import scoring.workshop.dashboard

    calls: list[tuple[str, ...]] = []

    def counted(prepare):
        def wrapper(answers, bank, by=()):
            calls.append(tuple(by))
            return prepare(answers, bank, by)

        return wrapper

    monkeypatch.setattr(
        scoring.workshop.dashboard, "prepare", counted(scoring.workshop.dashboard.prepare)
    )
    monkeypatch.setattr(scoring.coding, "prepare", counted(scoring.coding.prepare))
    data = answers({"a": [2, 3, 4, 5], "b": [1, 2, 3, 4], "t": [3, 3, 3, 3]})
    d = dashboard(data)
    assert d.shown
    assert not d.items.empty
    assert calls.count(()) == 1
    assert calls.count(("role",)) == 1


def test_with_sent_says_what_a_full_rebuild_would() -> None:
    from scoring.workshop.dashboard import with_sent
    from scoring.workshop.text import room_sentences

    room = answers({"a": [2, 3, 4, 1], "b": [5, 5, 1, 1]}, ["councillor", "resident"] * 2)
    d = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=room, sent=4)
    for sent in (5, 9, 1):
        later = with_sent(d, sent)
        assert later.summary == room_sentences(later)


def same_dashboard(a, b) -> None:
    """Every field equal; frames equal cell for cell."""
    from dataclasses import fields

    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        else:
            assert x == y, f.name


def test_the_roles_part_is_kept_while_their_views_stand_and_never_goes_stale(
    monkeypatch,
) -> None:
    """A new room view with the same roles' views reuses the roles' part; a new roles' frame
    is built afresh; every dashboard equals one built without the memo."""
    import scoring.workshop.dashboard
    from common.scopes import OTHER_ROLES

    calls = []
    real = scoring.workshop.dashboard.role_medians
    monkeypatch.setattr(
        scoring.workshop.dashboard, "role_medians", lambda *a: calls.append(1) or real(*a)
    )
    roles6 = ["councillor"] * 3 + ["resident", "partner", "partner"]
    views = answers(
        {"a": [1, 1, 1, 5, 4, 4], "b": [1, 2, 1, 5, 4, 4]}, ["councillor"] * 3 + [OTHER_ROLES] * 3
    )
    rooms = [
        answers({"a": [2, 2, 2, 5, 4, 4], "b": [2, 2, 2, 5, 4, 4]}, roles6),
        answers({"a": [3, 3, 2, 5, 4, 1], "b": [2, 5, 2, 5, 4, 4]}, roles6),
    ]
    memo: dict = {}
    for room in rooms:
        kept = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=views, sent=6, memo=memo)
        fresh = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=views, sent=6)
        same_dashboard(kept, fresh)
    assert len(calls) == 3  # the memo's first build, then only the two built without it
    changed = answers(
        {"a": [5, 5, 5, 5, 4, 4], "b": [5, 5, 5, 5, 4, 4]}, ["councillor"] * 3 + [OTHER_ROLES] * 3
    )
    kept = build_dashboard(BANK, rooms[1], 1, DIMS, ROLES, 3, role_answers=changed, memo=memo)
    fresh = build_dashboard(BANK, rooms[1], 1, DIMS, ROLES, 3, role_answers=changed)
    same_dashboard(kept, fresh)
    medians = kept.role_medians.set_index(["dimension", "role"])["median"]
    assert medians[("P1", "councillor")] == 5  # the new roles' views, not the kept ones


def test_roles_rows_taken_from_the_room_give_the_dashboard_built_from_the_roles_frame() -> None:
    """With ``role_rows`` the roles' rows are the room's coded rows, taken: every table
    equals the one built by coding the roles' frame itself, pool and a left-out person
    included."""
    import numpy as np

    from common.scopes import OTHER_ROLES

    room = answers(
        {"a": [2, 2, 2, 5, 4, 4, 3], "b": [2, "dk", 2, 5, 4, None, 1]},
        ["councillor"] * 3 + ["resident", "partner", "partner", "officer"],
    )
    # The councillors shown as a role, the pool next, and P7 (the officer) in no view.
    order = [0, 1, 2, 3, 4, 5]
    rows = np.concatenate([np.flatnonzero(room["respondent_id"] == f"P{i + 1}") for i in order])
    roles = room["role"].to_numpy()[rows]
    views = room.take(rows).reset_index(drop=True)
    views["role"] = np.where(roles == "councillor", "councillor", OTHER_ROLES)
    taken = build_dashboard(
        BANK, room, 1, DIMS, ROLES, 3, role_answers=views, role_rows=rows, sent=7
    )
    coded = build_dashboard(BANK, room, 1, DIMS, ROLES, 3, role_answers=views, sent=7)
    same_dashboard(taken, coded)
    assert taken.shown_roles == ("councillor", OTHER_ROLES)
    assert taken.role_n(OTHER_ROLES) == 3
