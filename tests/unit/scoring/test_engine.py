"""Respondent and group scores: hand-computed cases, then hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.coding import DuplicateAnswerError
from scoring.engine import (
    GROUP_COLUMNS,
    RESPONDENT_COLUMNS,
    RespondentScore,
    group_scores,
    reach_scores,
    respondent_scores,
    score_respondent,
)
from tests.unit.scoring.factories import SMALL, frame, from_mappings, make_bank

BANK = make_bank()

# P1 has p1a (weight 1), p1b (1) and p1c (2).
HALF_RULE = {
    "r1": {"p1a": 3, "p1b": "dk", "p1c": "na"},  # applicable 2, answered 1: 2x1 >= 2, defined
    "r2": {"p1a": 4, "p1b": "dk", "p1c": "dk"},  # applicable 3, answered 1: 2 < 3, undefined
    "r3": {"p1a": "na", "p1b": "na", "p1c": "na"},  # applicable 0: undefined
    "r4": {"p1a": None, "p1b": 2, "p1c": 4},  # blank is applicable: 3, answered 2: defined
    "r5": {"p1a": 5, "p1b": "", "p1c": ""},  # applicable 3, answered 1: undefined
}


def by_respondent(table: pd.DataFrame) -> dict[str, dict]:
    return {row["respondent_id"]: row for row in table.to_dict("records")}


def test_half_rule_dk_na_and_blanks():
    table = by_respondent(respondent_scores(from_mappings(HALF_RULE), BANK))
    assert table["r1"]["score"] == 3.0
    assert (table["r1"]["answered"], table["r1"]["applicable"], table["r1"]["dk"]) == (1, 2, 1)
    assert math.isnan(table["r2"]["score"])
    assert (table["r2"]["answered"], table["r2"]["applicable"], table["r2"]["dk"]) == (1, 3, 2)
    assert math.isnan(table["r3"]["score"])
    assert table["r3"]["applicable"] == 0
    # r4: (1 x 2 + 2 x 4) / (1 + 2) = 10/3; the blank p1a counts as applicable, not answered.
    assert table["r4"]["score"] == pytest.approx(10 / 3)
    assert (table["r4"]["answered"], table["r4"]["applicable"]) == (2, 3)
    assert math.isnan(table["r5"]["score"])


def test_weighted_mean_uses_question_weights():
    # (1 x 1 + 1 x 2 + 2 x 5) / (1 + 1 + 2) = 13/4
    answers = from_mappings({"r1": {"p1a": 1, "p1b": 2, "p1c": 5}})
    assert respondent_scores(answers, BANK)["score"].tolist() == [3.25]


def test_group_statistics_of_the_half_rule_case():
    row = group_scores(from_mappings(HALF_RULE), BANK).iloc[0]
    # Defined respondent scores: r1 = 3 and r4 = 10/3; the median of two is their mean.
    assert row["dimension"] == "P1"
    assert row["n"] == 2
    assert row["median"] == pytest.approx(19 / 6)
    assert row["mean"] == pytest.approx(19 / 6)
    assert row["q1"] == pytest.approx(3 + 0.25 * (1 / 3))  # linear: 3 + 0.25 x (10/3 - 3)
    assert row["q3"] == pytest.approx(3 + 0.75 * (1 / 3))
    assert (row["min"], row["max"]) == (3.0, pytest.approx(10 / 3))
    # Coverage counts every respondent, scored or not: numeric 1+1+2+1 = 5, dk 1+2 = 3.
    assert row["coverage"] == pytest.approx(5 / 8)
    assert row["dk_share"] == pytest.approx(3 / 8)
    assert bool(row["dk_flag"]) is True


def test_median_of_an_even_count_and_linear_quartiles():
    answers = from_mappings({f"r{x}": {"p2a": x} for x in (2, 3, 4, 5)})
    row = group_scores(answers, BANK).iloc[0]
    # Scores 2,3,4,5: median (3+4)/2; q1 at position 0.75 -> 2.75; q3 at 2.25 -> 4.25.
    assert (row["n"], row["median"], row["mean"]) == (4, 3.5, 3.5)
    assert (row["q1"], row["q3"], row["min"], row["max"]) == (2.75, 4.25, 2.0, 5.0)


def test_quartiles_of_an_odd_count():
    answers = from_mappings({f"r{x}": {"p2a": x} for x in (1, 2, 4)})
    row = group_scores(answers, BANK).iloc[0]
    # Scores 1,2,4: q1 at position 0.5 -> 1.5; median 2; q3 at 1.5 -> 3.
    assert (row["q1"], row["median"], row["q3"]) == (1.5, 2.0, 3.0)


def test_dk_flag_at_exactly_thirty_percent():
    # Area A: 7 numeric and 3 dk on P2 -> dk share 3/10, flagged.
    # Area B: 8 numeric and 3 dk -> 3/11 = 27 %, not flagged.
    rows = [
        ("a1", "p2a", 3, "A"),
        ("a1", "p2b", 3, "A"),
        ("a2", "p2a", 3, "A"),
        ("a2", "p2b", 3, "A"),
        ("a3", "p2a", 3, "A"),
        ("a3", "p2b", "dk", "A"),
        ("a4", "p2a", "dk", "A"),
        ("a4", "p2b", "dk", "A"),
        ("a5", "p2a", 3, "A"),
        ("a5", "p2b", 3, "A"),
    ]
    rows += [("b1", q, 4, "B") for q in ("p2a", "p2b", "p2c", "p2d")]
    rows += [("b2", q, 4, "B") for q in ("p2a", "p2b", "p2c", "p2d")]
    rows += [("b3", q, "dk", "B") for q in ("p2a", "p2b", "p2c")]
    table = group_scores(frame(rows, "area"), BANK, by=["area"]).set_index("area")
    assert table.loc["A", "coverage"] == pytest.approx(0.7)
    assert table.loc["A", "dk_share"] == pytest.approx(0.3)
    assert bool(table.loc["A", "dk_flag"]) is True
    assert table.loc["B", "coverage"] == pytest.approx(8 / 11)
    assert bool(table.loc["B", "dk_flag"]) is False
    # a4 (0 of 2 answered) and b3 (0 of 3) have no score: n counts scored respondents only.
    assert (table.loc["A", "n"], table.loc["B", "n"]) == (4, 2)


def test_empty_statistics_and_coverage_are_blank():
    answers = from_mappings({"r1": {"p2a": "na", "p2b": ""}})
    row = group_scores(answers, BANK).iloc[0]
    assert row["n"] == 0
    for column in ("median", "mean", "q1", "q3", "min", "max", "coverage", "dk_share"):
        assert math.isnan(row[column]), column
    assert bool(row["dk_flag"]) is False


def test_a_criterion_uses_its_own_items_only():
    # t1a carries criterion P1 but belongs to theme T1: it must not move P1.
    answers = from_mappings({"r1": {"p1a": 2, "t1a": 5, "t1b": 4}})
    scores = score_respondent(BANK, {"p1a": 2, "t1a": 5, "t1b": 4})
    assert scores["P1"].score == 2.0
    assert scores["T1"].score == pytest.approx((5 + 0.5 * 4) / 1.5)
    batch = respondent_scores(answers, BANK).set_index("dimension")["score"]
    assert batch.to_dict() == pytest.approx({"P1": 2.0, "T1": 14 / 3})


def _with_equity(bank, *ids):
    from dataclasses import replace

    questions = tuple(replace(q, equity=q.id in ids) for q in bank.questions)
    return replace(bank, questions=questions)


def test_equity_items_are_scored_beside_their_theme_never_in_it():
    # t1b is the equity item: T1's score rests on t1a alone; t1b scores T1's reach.
    bank = _with_equity(make_bank({"P1": {"p1a": 1}, "T1": {"t1a": 1, "t1b": 1}}), "t1b")
    answers = from_mappings(
        {"r1": {"p1a": 3, "t1a": 4, "t1b": 1}, "r2": {"p1a": 3, "t1a": 5, "t1b": 2}}
    )
    scores = group_scores(answers, bank).set_index("dimension")
    assert list(scores.index) == ["P1", "T1"]
    assert scores.loc["T1", "median"] == 4.5
    reach = reach_scores(answers, bank)
    assert list(reach["dimension"]) == ["T1"]
    assert reach.loc[0, "median"] == 1.5
    assert list(reach.columns) == list(GROUP_COLUMNS)
    assert score_respondent(bank, {"t1a": 4, "t1b": 1})["T1"].score == 4.0
    per_respondent = respondent_scores(answers, bank)
    assert set(per_respondent["dimension"]) == {"P1", "T1"}


def test_a_bank_without_equity_items_has_no_reach_rows():
    answers = from_mappings({"r1": {"p1a": 3, "t1a": 4}})
    assert reach_scores(answers, BANK).empty


def test_dimensions_follow_bank_order_and_only_asked_ones_appear():
    rows = [
        ("r2", "t1a", 3, "B"),
        ("r1", "p2a", 4, "A"),
        ("r2", "p1a", 2, "B"),
        ("r1", "p1b", "na", "A"),
    ]
    table = group_scores(frame(rows, "area"), BANK, by=["area"])
    assert list(table.columns) == ["area", *GROUP_COLUMNS]
    assert list(zip(table["area"], table["dimension"], strict=True)) == [
        ("A", "P1"),
        ("A", "P2"),
        ("B", "P1"),
        ("B", "T1"),
    ]
    # A's P1 was asked (na), so it is listed, with n = 0.
    assert table.iloc[0]["n"] == 0


def test_respondent_rows_sort_by_group_then_id_then_bank_order():
    rows = [("r2", "t1a", 3), ("r1", "t1a", 4), ("r2", "p1a", 2), ("r1", "p2a", 1)]
    table = respondent_scores(frame(rows), BANK)
    assert list(table.columns) == list(RESPONDENT_COLUMNS)
    assert list(zip(table["respondent_id"], table["dimension"], strict=True)) == [
        ("r1", "P2"),
        ("r1", "T1"),
        ("r2", "P1"),
        ("r2", "T1"),
    ]


def test_by_columns_lead_and_split_respondents():
    rows = [("r1", "p1a", 2, "1"), ("r1", "p1a", 4, "2")]
    table = respondent_scores(frame(rows, "round"), BANK, by=["round"])
    assert list(table.columns) == ["round", *RESPONDENT_COLUMNS]
    assert table[["round", "score"]].values.tolist() == [["1", 2.0], ["2", 4.0]]


def test_a_repeated_answer_in_one_group_is_refused():
    rows = [("r1", "p1a", 2, "1"), ("r1", "p1b", 2, "1"), ("r1", "p1a", 4, "2")]
    answers = frame(rows, "round")
    answers.index = pd.Index([2, 3, 4])
    with pytest.raises(DuplicateAnswerError) as caught:
        group_scores(answers, BANK)
    assert caught.value.rows == (2, 4)
    assert (caught.value.respondent, caught.value.question) == ("r1", "p1a")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("r1", "nope", 3)], "'nope' is not in the bank"),
        ([("r1", "p1a", 6)], "6 is not an answer"),
        ([("r1", "p1a", "maybe")], "'maybe' is not an answer"),
    ],
)
def test_bad_frames_raise_value_errors(rows, message):
    with pytest.raises(ValueError, match=message):
        group_scores(frame(rows), BANK)


def test_no_answers_give_empty_tables_with_the_columns():
    empty = frame([])
    assert list(group_scores(empty, BANK).columns) == list(GROUP_COLUMNS)
    assert list(respondent_scores(empty, BANK).columns) == list(RESPONDENT_COLUMNS)
    assert len(group_scores(empty, BANK, by=[])) == 0


def test_answer_values_may_be_text_numbers_or_missing():
    answers = frame(
        [("r1", "p2a", "4.0"), ("r1", "p2b", 2.0), ("r1", "p2c", np.nan), ("r1", "p2d", " DK ")]
    )
    row = respondent_scores(answers, BANK).iloc[0]
    assert (row["score"], row["answered"], row["applicable"], row["dk"]) == (3.0, 2, 4, 1)


def test_single_respondent_path_matches_the_hand_case():
    scores = {rid: score_respondent(BANK, items)["P1"] for rid, items in HALF_RULE.items()}
    assert scores["r1"] == RespondentScore("P1", 3.0, 1, 2, 1)
    assert scores["r2"].score is None
    assert scores["r3"] == RespondentScore("P1", None, 0, 0, 0)
    assert scores["r4"].score == pytest.approx(10 / 3)


def test_single_respondent_path_refuses_unknown_ids_and_values():
    with pytest.raises(ValueError, match="not in the bank"):
        score_respondent(BANK, {"zz": 3})
    with pytest.raises(ValueError, match="not an answer"):
        score_respondent(BANK, {"p1a": 0})


# ---------------------------------------------------------------- properties

ANSWER = st.sampled_from([1, 2, 3, 4, 5, "dk", "na", None])
QUESTIONS = [qid for items in SMALL.values() for qid in items]
DIMENSION_OF = {qid: dim for dim, items in SMALL.items() for qid in items}
RESPONDENT = st.dictionaries(st.sampled_from(QUESTIONS), ANSWER, min_size=1)
GROUP = st.lists(RESPONDENT, min_size=1, max_size=8)


def as_frame(group: list[dict]) -> pd.DataFrame:
    return from_mappings({f"r{i}": items for i, items in enumerate(group)})


@settings(deadline=None)  # timing is the benchmark's job, not the tests'
@given(GROUP)
def test_scores_stay_on_the_scale(group):
    respondents = respondent_scores(as_frame(group), BANK)["score"].dropna()
    assert respondents.between(1, 5).all()
    groups = group_scores(as_frame(group), BANK)
    for column in ("median", "mean", "q1", "q3", "min", "max"):
        assert groups[column].dropna().between(1, 5).all(), column
    assert groups["coverage"].dropna().between(0, 1).all()


@settings(deadline=None)
@given(GROUP, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(group, rng):
    answers = as_frame(group)
    shuffled = answers.sample(frac=1, random_state=rng.randrange(2**32)).reset_index(drop=True)
    pd.testing.assert_frame_equal(group_scores(answers, BANK), group_scores(shuffled, BANK))
    pd.testing.assert_frame_equal(
        respondent_scores(answers, BANK), respondent_scores(shuffled, BANK)
    )


@settings(deadline=None)
@given(GROUP, st.data())
def test_raising_an_answer_never_lowers_a_score(group, data):
    raisable = [
        (i, q)
        for i, items in enumerate(group)
        for q, v in items.items()
        if isinstance(v, int) and v < 5
    ]
    if not raisable:
        return
    i, qid = data.draw(st.sampled_from(raisable))
    raised = [dict(items) for items in group]
    raised[i][qid] += 1
    dim = DIMENSION_OF[qid]
    before = score_respondent(BANK, group[i])[dim].score
    after = score_respondent(BANK, raised[i])[dim].score
    assert (before is None) == (after is None)
    if before is not None:
        assert after >= before - 1e-12
    median = {
        t: group_scores(as_frame(g), BANK).set_index("dimension").loc[dim, "median"]
        for t, g in (("before", group), ("after", raised))
    }
    if not math.isnan(median["before"]):
        assert median["after"] >= median["before"] - 1e-12


@settings(deadline=None)
@given(RESPONDENT, st.sampled_from(["dk", "na"]), st.data())
def test_a_new_dk_or_na_never_moves_a_defined_score(items, option, data):
    unasked = [q for q in QUESTIONS if q not in items]
    if not unasked:
        return
    qid = data.draw(st.sampled_from(unasked))
    dim = DIMENSION_OF[qid]
    before = score_respondent(BANK, items).get(dim)
    after = score_respondent(BANK, {**items, qid: option})[dim]
    if before is not None and before.score is not None and after.score is not None:
        assert after.score == pytest.approx(before.score, rel=1e-12)
    if option == "na":  # na is not applicable, so it cannot change definedness either
        assert after.score == (before.score if before else None)


@settings(max_examples=200, deadline=None)
@given(GROUP)
def test_batch_and_single_paths_agree(group):
    batch = respondent_scores(as_frame(group), BANK)
    expected = []
    for i, items in enumerate(group):
        for score in score_respondent(BANK, items).values():
            expected.append(
                (f"r{i}", score.dimension, score.score, score.answered, score.applicable, score.dk)
            )
    expected.sort(key=lambda row: (row[0], list(SMALL).index(row[1])))
    got = [
        (
            r["respondent_id"],
            r["dimension"],
            None if math.isnan(r["score"]) else r["score"],
            r["answered"],
            r["applicable"],
            r["dk"],
        )
        for r in batch.to_dict("records")
    ]
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected, strict=True):
        assert mine[:2] == theirs[:2]
        assert mine[3:] == theirs[3:]
        assert (mine[2] is None) == (theirs[2] is None)
        if mine[2] is not None:
            assert mine[2] == pytest.approx(theirs[2], rel=1e-12)


def test_group_scores_from_coded_answers_are_the_same() -> None:
    from scoring.coding import prepare

    answers = frame([("r1", "p1a", 3), ("r1", "p1b", "dk"), ("r2", "p1a", 5), ("r2", "t1a", 2)])
    coded = prepare(answers, BANK)
    pd.testing.assert_frame_equal(
        group_scores(answers, BANK, coded=coded), group_scores(answers, BANK)
    )


def test_regrouped_scores_are_the_scores_of_the_same_people_grouped_anew() -> None:
    """The room coded and tallied once, its people put in roles (one left out): the same
    scores as coding the roles' rows by role."""
    from scoring.coding import prepare
    from scoring.engine import regrouped_scores, tally

    answers = frame(
        [
            ("r1", "p1a", 3), ("r1", "p1b", "dk"), ("r2", "p1a", 5), ("r2", "t1a", 2),
            ("r3", "p1a", 1), ("r3", "p1c", 4), ("r4", "p1a", 2), ("r4", "t1a", "na"),
        ]
    )  # fmt: skip
    role = {"r1": "b", "r2": "a", "r3": "b"}  # r4 is in no role's view
    coded = prepare(answers, BANK)
    groups = ["a", "b"]
    unit_group = np.array(
        [groups.index(role[r]) if r in role else -1 for r in coded.unit_respondent]
    )
    got = regrouped_scores(coded, tally(coded), unit_group, groups, "role")
    kept = answers[answers["respondent_id"].isin(list(role))]
    want = group_scores(kept.assign(role=kept["respondent_id"].map(role)), BANK, by=["role"])
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(got, want)
    with pytest.raises(ValueError, match="a group of groups"):
        regrouped_scores(coded, tally(coded), unit_group[:-1], groups, "role")
    with pytest.raises(ValueError, match="a group of groups"):
        regrouped_scores(coded, tally(coded), np.full(len(unit_group), 2), groups, "role")
