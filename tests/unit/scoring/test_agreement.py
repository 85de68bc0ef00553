"""Agreement per item and per dimension: the worked example, each class and its boundaries."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.agreement import (
    DIMENSION_AGREEMENT_COLUMNS,
    ITEM_AGREEMENT_COLUMNS,
    classify,
    dimension_agreement,
    item_agreement,
    item_stats,
)
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank()


def ratings_frame(question: str, ratings: list, dk: int = 0) -> pd.DataFrame:
    values = [*ratings, *["dk"] * dk]
    return frame((f"r{i}", question, v) for i, v in enumerate(values))


def test_the_worked_example_of_domain_anchors_3_10():
    stats = item_stats([2, 3, 3, 3, 4, 4, 2, 5])
    # Sorted 2,2,3,3,3,4,4,5: median 3. |x - 3| = 1,1,0,0,0,1,1,2 -> 6/8 = 0.75.
    assert stats.median == 3.0
    assert stats.ad_md == 0.75
    # Core [2, 4]: only the 5 lies outside -> 1/8.
    assert stats.outside_core == 0.125
    # mean 3.25; squared deviations sum to 7.5; s^2 = 7.5/7 = 1.0714; rwg = 1 - s^2/2 = 0.4643.
    assert stats.variance == pytest.approx(7.5 / 7)
    assert stats.rwg == pytest.approx(1 - (7.5 / 7) / 2)
    assert round(stats.rwg, 4) == 0.4643
    assert stats.agreement_class == "consensus"


def test_rwg_is_clamped_at_zero_and_blank_for_one_rating():
    # 1,1,5,5: mean 3, s^2 = 4 x 4 / 3 = 5.33 -> 1 - 2.67 < 0 -> 0.
    assert item_stats([1, 1, 5, 5]).rwg == 0.0
    one = item_stats([4])
    assert one.rwg is None
    assert one.variance is None
    assert (one.median, one.ad_md, one.outside_core) == (4.0, 0.0, 0.0)


def test_no_ratings_leave_every_statistic_blank():
    stats = item_stats([], dk=2)
    assert (stats.n, stats.dk) == (0, 2)
    assert stats.median is None
    assert stats.ad_md is None
    assert stats.outside_core is None
    assert stats.agreement_class == "insufficient"


@pytest.mark.parametrize(
    ("ratings", "dk", "expected"),
    [
        ([3, 3], 0, "insufficient"),  # n = 2 < 3
        ([3] * 7, 3, "insufficient"),  # dk share 3/10 = 0.3 exactly
        ([3] * 7, 2, "consensus"),  # dk share 2/9 < 0.3
        ([1, 1, 5, 5, 3, 3], 0, "polarised"),  # 2/6 <= 2 and 2/6 >= 4: exactly a third each
        ([1, 2, 4, 5, 3, 3, 3], 0, "spread"),  # 2/7 low < 1/3: not polarised; outside 2/7
        ([3, 3, 3, 5], 0, "consensus"),  # outside_core = 1/4 exactly, ad_md 0.5
        ([3, 3, 3, 5, 5], 0, "spread"),  # outside_core = 2/5 > 1/4
        ([1, 1, 1, 1, 2, 5], 0, "consensus"),  # ad_md = (0+0+0+0+1+4)/6 = 5/6 exactly
        ([1, 1, 1, 5], 0, "spread"),  # outside 1/4 but ad_md = 4/4 = 1 > 5/6
        ([2, 2, 3, 3], 0, "consensus"),  # median 2.5, core [1.5, 3.5], ad_md 0.5
    ],
)
def test_classes_and_their_exact_boundaries(ratings, dk, expected):
    assert classify(ratings, dk) == expected


def test_the_boundary_statistics_themselves():
    assert item_stats([3, 3, 3, 5]).outside_core == 0.25
    assert item_stats([1, 1, 1, 1, 2, 5]).ad_md == pytest.approx(5 / 6)
    assert item_stats([2, 2, 3, 3]).median == 2.5
    # 1,2,3,3,3,4,5: median 3, core [2, 4]: 1 and 5 lie outside -> 2/7 > 1/4.
    assert item_stats([1, 2, 4, 5, 3, 3, 3]).outside_core == pytest.approx(2 / 7)


def test_item_statistics_refuse_non_numeric_ratings():
    with pytest.raises(ValueError, match="levels 1-5"):
        item_stats([3, "dk"])


def test_item_agreement_table_per_group():
    rows = [
        ("r1", "p1a", 3, "A"),
        ("r2", "p1a", 3, "A"),
        ("r3", "p1a", 4, "A"),
        ("r4", "p1a", "dk", "A"),
        ("r1", "t1a", 5, "A"),
        ("r5", "p1a", 1, "B"),
    ]
    table = item_agreement(frame(rows, "area"), BANK, by=["area"])
    assert list(table.columns) == ["area", *ITEM_AGREEMENT_COLUMNS]
    assert table[["area", "question_id"]].values.tolist() == [
        ["A", "p1a"],
        ["A", "t1a"],
        ["B", "p1a"],
    ]
    first = table.iloc[0]
    # 3,3,4 with one dk: median 3, ad_md 1/3, dk share 1/4 < 0.3, n = 3 -> consensus.
    assert (first["n"], first["dk"], first["median"]) == (3, 1, 3.0)
    assert first["ad_md"] == pytest.approx(1 / 3)
    assert first["class"] == "consensus"
    assert math.isnan(table.iloc[2]["rwg"])  # B: one rating


def test_dimension_agreement_can_be_negative_and_skips_single_ratings():
    rows = []
    for i, value in enumerate([1, 5, 1, 5]):
        rows += [(f"r{i}", "p2a", value), (f"r{i}", "p2b", value)]
    rows.append(("r0", "p2c", 3))  # n = 1: left out of rwg_star and ad_md_mean
    table = dimension_agreement(frame(rows), BANK)
    assert list(table.columns) == list(DIMENSION_AGREEMENT_COLUMNS)
    row = table.iloc[0]
    # Each item: 1,5,1,5 -> mean 3, s^2 = 16/3; rwg* = 1 - (16/3)/2 = -5/3.
    assert row["rwg_star"] == pytest.approx(-5 / 3)
    assert row["ad_md_mean"] == 2.0  # median 3, every rating 2 away
    assert row["items"] == 2


def test_equity_items_keep_their_own_row_but_stay_out_of_the_theme_agreement():
    from dataclasses import replace

    base = make_bank({"P1": {"p1a": 1}, "T1": {"t1a": 1, "t1b": 1}})
    bank = replace(base, questions=tuple(replace(q, equity=q.id == "t1b") for q in base.questions))
    rows = []
    for i, (a, b) in enumerate([(3, 1), (3, 5), (3, 1), (3, 5)]):
        rows += [(f"r{i}", "t1a", a), (f"r{i}", "t1b", b)]
    items = item_agreement(frame(rows), bank)
    assert list(items["question_id"]) == ["t1a", "t1b"]
    (row,) = dimension_agreement(frame(rows), bank).to_dict("records")
    assert row["dimension"] == "T1"
    assert row["items"] == 1  # t1a only: full agreement
    assert row["rwg_star"] == 1.0


def test_dimension_agreement_is_blank_without_two_ratings():
    table = dimension_agreement(frame([("r1", "p1a", 3), ("r1", "p2a", "dk")]), BANK)
    assert table["dimension"].tolist() == ["P1", "P2"]
    assert table["items"].tolist() == [0, 0]
    assert table["rwg_star"].isna().all()


# ---------------------------------------------------------------- properties

RATINGS = st.lists(st.integers(1, 5), max_size=20)


def reference_class(ratings: list[int], dk: int) -> str:
    """The normative rule written with exact fractions, for comparison."""
    n = len(ratings)
    if n < 3 or Fraction(dk, n + dk) >= Fraction(3, 10):
        return "insufficient"
    low = Fraction(sum(r <= 2 for r in ratings), n)
    high = Fraction(sum(r >= 4 for r in ratings), n)
    if low >= Fraction(1, 3) and high >= Fraction(1, 3):
        return "polarised"
    median = Fraction(statistics.median(ratings))
    ad_md = sum(abs(r - median) for r in ratings) / n
    outside = Fraction(sum(abs(r - median) > 1 for r in ratings), n)
    return "consensus" if outside <= Fraction(1, 4) and ad_md <= Fraction(5, 6) else "spread"


@settings(deadline=None)  # timing is the benchmark's job, not the tests'
@given(RATINGS, st.integers(0, 10))
def test_class_matches_an_exact_reference(ratings, dk):
    assert classify(ratings, dk) == reference_class(ratings, dk)


@settings(deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=20))
def test_statistics_match_numpy_and_statistics(ratings):
    stats = item_stats(ratings)
    median = statistics.median(ratings)
    assert stats.median == median
    assert stats.ad_md == pytest.approx(sum(abs(r - median) for r in ratings) / len(ratings))
    if len(ratings) >= 2:
        variance = statistics.variance(ratings)
        assert stats.variance == pytest.approx(variance, abs=1e-12)
        assert stats.rwg == pytest.approx(max(0.0, 1 - variance / 2), abs=1e-12)
        assert 0 <= stats.rwg <= 1


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B"]),
            st.sampled_from(["p1a", "p1b"]),
            st.sampled_from([1, 2, 3, 4, 5, "dk", "na", None]),
        ),
        max_size=30,
    )
)
def test_batch_table_matches_the_single_item_path(cells):
    rows = [(f"r{i}", qid, value, area) for i, (area, qid, value) in enumerate(cells)]
    table = item_agreement(frame(rows, "area"), BANK, by=["area"])
    for row in table.to_dict("records"):
        values = [v for _, q, v, a in rows if a == row["area"] and q == row["question_id"]]
        ratings = [v for v in values if isinstance(v, int)]
        single = item_stats(ratings, dk=values.count("dk"))
        assert (row["n"], row["dk"], row["class"]) == (single.n, single.dk, single.agreement_class)
        for name in ("median", "ad_md", "rwg", "outside_core"):
            expected = getattr(single, name)
            assert (
                math.isnan(row[name]) if expected is None else row[name] == pytest.approx(expected)
            ), name


def test_coded_answers_give_the_same_tables_as_the_answers() -> None:
    from scoring.coding import prepare

    rows = [[1, 2, "dk"], [5, 4, 4], [3, 3, 1], [2, 5, 5]]
    answers = frame(
        (
            (f"r{i}", q, v, "xyxy"[i])
            for i, row in enumerate(rows)
            for q, v in zip(("p1a", "p1b", "t1a"), row, strict=True)
        ),
        "group",
    )
    for by in ((), ("group",)):
        coded = prepare(answers, BANK, by)
        pd.testing.assert_frame_equal(
            item_agreement(answers, BANK, by, coded=coded), item_agreement(answers, BANK, by)
        )
        pd.testing.assert_frame_equal(
            dimension_agreement(answers, BANK, by, coded=coded),
            dimension_agreement(answers, BANK, by),
        )
