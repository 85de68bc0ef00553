"""Assessments side by side: the engine's numbers, intervals where n allows, verdicts
against the noise, group medians and change over time — on hand-worked cases."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from questions import load_instrument
from scoring.comparison.results import (
    DIFFERENCE_COLUMNS,
    TABLE_COLUMNS,
    AssessmentInfo,
    change_over_time,
    compare,
    group_median,
)
from scoring.engine import group_scores
from scoring.intervals import LARGER, NO_SCORE, TOO_FEW, WITHIN
from tests.support.cli import run_module
from tests.unit.scoring.factories import frame, make_bank

# One question per dimension, weight 1: a respondent's score is their answer.
BANK = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1}})
NORTH = "Northbrook Borough · 2026-03-15"
SOUTH = "Southmere <script>alert(1)</script>"


def people(prefix: str, columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Respondent i answers question q with columns[q][i] (None: the row is left out)."""
    size = max(len(v) for v in columns.values())
    return frame(
        (f"{prefix}{i + 1}", q, values[i])
        for i in range(size)
        for q, values in columns.items()
        if i < len(values) and values[i] is not None
    )


def flat(level: Any, n: int, prefix: str = "r") -> pd.DataFrame:
    return people(prefix, {q: [level] * n for q in ("p1a", "p2a", "t1a")})


def row(table: pd.DataFrame, label: str, dim: str) -> pd.Series:
    match = table[(table["label"] == label) & (table["dimension"] == dim)]
    assert len(match) == 1, (label, dim)
    return match.iloc[0]


# ---------------------------------------------------------------- the engine's numbers


def test_median_and_n_are_the_engines_grouped_by_label():
    a = people("a", {"p1a": [1, 2, 4, 5], "p2a": [3, 3, "dk", "na"], "t1a": [2, 5, 5]})
    b = people("b", {"p1a": [2, 3, 3], "p2a": [4, 5, 1]})
    c = compare(BANK, {NORTH: a, SOUTH: b})
    # By hand: P1 in NORTH is the median of 1, 2, 4, 5 = 3.0 (n 4); P2 of 3, 3 = 3.0 (n 2).
    assert (row(c.table, NORTH, "P1")["n"], row(c.table, NORTH, "P1")["median"]) == (4, 3.0)
    assert (row(c.table, NORTH, "P2")["n"], row(c.table, NORTH, "P2")["median"]) == (2, 3.0)
    assert (row(c.table, SOUTH, "P2")["n"], row(c.table, SOUTH, "P2")["median"]) == (3, 4.0)
    together = pd.concat([a.assign(label=NORTH), b.assign(label=SOUTH)], ignore_index=True)
    engine = group_scores(together, BANK, by=["label"])[["label", "dimension", "n", "median"]]
    ours = c.table[["label", "dimension", "n", "median"]]
    key = ["label", "dimension"]
    pd.testing.assert_frame_equal(
        ours.sort_values(key).reset_index(drop=True),
        engine.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    assert list(c.table.columns) == list(TABLE_COLUMNS)
    assert list(c.differences.columns) == list(DIFFERENCE_COLUMNS)


def test_the_cli_grouped_by_area_gives_the_same_numbers(tmp_path: Path):
    instrument = load_instrument()
    assert instrument.bank is not None
    bank = instrument.bank
    questions = bank.form_questions("full")
    areas = {NORTH: 6, "Eastham, ward 3": 4, SOUTH: 5}
    rows = []
    for a, (area, size) in enumerate(areas.items()):
        for p in range(size):
            for i, q in enumerate(questions):
                value = (i + p + a) % 7  # 0 and 6: "dk" and "na" now and then
                answer = {0: "dk", 6: "na"}.get(value, str(value))
                rows.append((f"A{a}R{p + 1}", q.id, answer, area))
    csv = pd.DataFrame(rows, columns=["respondent_id", "question_id", "answer", "area"])
    path = tmp_path / "answers.csv"
    csv.to_csv(path, index=False)
    by_area = {area: part.drop(columns="area") for area, part in csv.groupby("area", sort=False)}
    c = compare(bank, by_area, n_boot=50)

    result = run_module("scoring", "score", "--responses", path, "--by", "area")
    assert result.returncode == 0, result.stderr
    cli = pd.read_csv(io.StringIO(result.stdout), dtype={"area": str})
    cli = cli.rename(columns={"area": "label"})[["label", "dimension", "n", "median"]]
    ours = c.table[["label", "dimension", "n", "median"]].assign(median=c.table["median"].round(4))
    merged = ours.merge(cli, on=["label", "dimension"], how="outer", suffixes=("", "_cli"))
    assert len(merged) == len(ours) == len(cli)
    assert (merged["n"] == merged["n_cli"]).all()
    same = np.isclose(merged["median"], merged["median_cli"], equal_nan=True, atol=1e-9)
    assert same.all(), merged[~same]


def test_labels_keep_the_callers_order_and_wide_and_heatmap_follow_it():
    c = compare(BANK, {"Zeta": flat(2, 3, "z"), "Alpha": flat(4, 3, "a")})
    assert c.labels == ("Zeta", "Alpha")
    assert list(c.table["label"]) == ["Zeta"] * 3 + ["Alpha"] * 3
    assert list(c.wide.columns) == ["Zeta", "Alpha"]
    assert list(c.wide.index) == ["P1", "P2", "T1"]
    assert c.wide.at["P1", "Zeta"] == 2.0
    assert c.wide.at["T1", "Alpha"] == 4.0
    assert list(c.heatmap.index) == ["Zeta", "Alpha"]
    assert c.heatmap.at["Alpha", "P2"] == 4.0
    assert c.reference == "Zeta"
    assert dict(c.respondents) == {"Zeta": 3, "Alpha": 3}
    assert list(c.table["family"][:3]) == ["criterion", "criterion", "theme"]
    assert row(c.table, "Zeta", "P1")["name"] == "Dimension P1"


# ---------------------------------------------------------------- intervals


def test_an_interval_appears_at_n_5_and_not_at_n_4_and_the_sentences_say_so():
    five = people("f", {"p1a": [1, 2, 3, 4, 5], "p2a": [2, 2, 3, 3, 4], "t1a": [3] * 5})
    four = people("g", {"p1a": [2, 3, 3, 4, 4], "p2a": [1, 2, 3, 4, "dk"], "t1a": [3] * 5})
    c = compare(BANK, {"Five": five, "Four": four}, n_boot=400)
    shown = row(c.table, "Five", "P1")
    assert shown["n"] == 5
    assert shown["low"] <= shown["median"] == 3.0 <= shown["high"]
    assert shown["interval"] == f"{shown['low']:.1f}–{shown['high']:.1f}"
    hidden = row(c.table, "Four", "P2")
    assert hidden["n"] == 4
    assert math.isnan(hidden["low"])
    assert math.isnan(hidden["high"])
    assert hidden["interval"] == TOO_FEW == "n too small to tell"
    assert not math.isnan(row(c.table, "Four", "P1")["low"])  # n = 5 there
    assert (
        "No interval for Four on Dimension P2 (P2), n = 4: fewer than 5 respondents with a "
        "score, so n is too small to tell."
    ) in c.sentences
    assert row(c.differences, "Four", "P2")["verdict"] == TOO_FEW
    # With min_n = 4 the same four respondents get an interval.
    lower = compare(BANK, {"Five": five, "Four": four}, n_boot=400, min_n=4)
    assert not math.isnan(row(lower.table, "Four", "P2")["low"])


def test_the_bootstrap_is_deterministic_by_seed_and_contains_the_median():
    a = people("a", {"p1a": [1, 2, 2, 3, 4, 5, 5], "p2a": [2, 3, 3, 3, 4, 4, 5]})
    b = people("b", {"p1a": [2, 2, 3, 3, 4, 4], "p2a": [1, 1, 2, 5, 5, 5]})
    first = compare(BANK, {"A": a, "B": b}, n_boot=500, seed=11)
    again = compare(BANK, {"A": a, "B": b}, n_boot=500, seed=11)
    pd.testing.assert_frame_equal(first.table, again.table)
    pd.testing.assert_frame_equal(first.differences, again.differences)
    assert first.sentences == again.sentences
    # Another seed draws other resamples; with few draws, the percentiles show it.
    few = compare(BANK, {"A": a, "B": b}, n_boot=25, seed=11).table[["low", "high"]]
    other = compare(BANK, {"A": a, "B": b}, n_boot=25, seed=12).table[["low", "high"]]
    assert not few.equals(other)
    for r in first.table.to_dict("records"):
        assert r["low"] <= r["median"] <= r["high"], r


def test_an_interval_does_not_depend_on_what_else_is_compared():
    a = people("a", {"p1a": [1, 2, 2, 3, 4, 5, 5]})
    with_b = compare(BANK, {"A": a, "B": flat(3, 6, "b")}, n_boot=300)
    with_c = compare(BANK, {"C": flat(1, 9, "c"), "A": a}, n_boot=300)
    assert row(with_b.table, "A", "P1")[["low", "high"]].tolist() == (
        row(with_c.table, "A", "P1")[["low", "high"]].tolist()
    )


# ---------------------------------------------------------------- verdicts


def test_all_2s_against_all_4s_is_larger_than_the_noise():
    c = compare(BANK, {"Low": flat(2, 8, "l"), "High": flat(4, 8, "h")}, n_boot=300)
    d = c.differences
    assert list(d["label"]) == ["High"] * 3
    assert list(d["reference"]) == ["Low"] * 3
    # Every resample of eight 4s has median 4, of eight 2s median 2: the difference is 2.
    assert list(d["difference"]) == [2.0] * 3
    assert list(d["low"]) == [2.0] * 3
    assert list(d["high"]) == [2.0] * 3
    assert list(d["verdict"]) == [LARGER] * 3
    assert (
        "Larger than the noise, High against Low: Dimension P1 (P1) 4.0 against 2.0 "
        "(2.0 levels higher); Dimension P2 (P2) 4.0 against 2.0 (2.0 levels higher); "
        "Dimension T1 (T1) 4.0 against 2.0 (2.0 levels higher)."
    ) in c.sentences


def test_identical_assessments_are_within_the_noise():
    answers = people("r", {"p1a": [1, 2, 3, 4, 5, 3, 2, 4], "p2a": [2] * 4 + [4] * 4})
    c = compare(BANK, {"Before": answers, "After": answers.copy()}, n_boot=500)
    d = c.differences
    assert list(d["difference"]) == [0.0, 0.0]
    assert (d["low"] <= 0).all()
    assert (d["high"] >= 0).all()
    assert list(d["verdict"]) == [WITHIN, WITHIN]
    assert (
        "No difference between After and Before is larger than the noise on the 2 dimensions "
        "where both have 5 or more respondents with a score."
    ) in c.sentences


def test_too_few_in_either_and_nothing_to_compare_are_said_plainly():
    big = flat(3, 6, "b")
    small = people("s", {"p1a": [1, 2, 3, 4], "p2a": [2, 2, 2, 2, 2, 2]})  # no T1 asked
    c = compare(BANK, {"Big": big, "Small": small}, n_boot=200)
    assert row(c.differences, "Small", "P1")["verdict"] == TOO_FEW
    # By hand: Small's P1 median is 2.5, Big's 3.0.
    assert row(c.differences, "Small", "P1")["difference"] == -0.5
    assert row(c.differences, "Small", "P2")["verdict"] == LARGER  # six 2s against six 3s
    missing = row(c.differences, "Small", "T1")
    assert missing["verdict"] == NO_SCORE
    assert missing["n"] == 0
    assert math.isnan(missing["difference"])
    assert math.isnan(c.wide.at["T1", "Small"])
    sentences = " ".join(c.sentences)
    assert "n too small to tell between Small and Big on Dimension P1 (P1)" in sentences
    assert "No score to compare between Small and Big on Dimension T1 (T1)" in sentences


def test_a_chosen_reference_turns_the_differences_around():
    c = compare(
        BANK,
        {"A": flat(2, 5, "a"), "B": flat(4, 5, "b"), "C": flat(3, 5, "c")},
        reference="B",
        n_boot=100,
    )
    assert c.reference == "B"
    d = c.differences
    assert list(dict.fromkeys(d["label"])) == ["A", "C"]
    assert list(d.loc[d["label"] == "A", "difference"]) == [-2.0] * 3
    assert list(d.loc[d["label"] == "C", "difference"]) == [-1.0] * 3
    assert c.sentences[0] == (
        "Compared: A (5 respondents), B (the reference, 5 respondents) and C (5 respondents)."
    )


def test_info_is_kept_for_the_page_and_reports():
    from datetime import date

    info = {"A": AssessmentInfo("Northbrook", date(2026, 3, 15))}
    c = compare(BANK, {"A": flat(2, 2, "a"), "B": flat(3, 2, "b")}, info=info, n_boot=10)
    assert c.info["A"].area == "Northbrook"
    assert "B" not in c.info


@pytest.mark.parametrize(
    ("labels", "reference", "message"),
    [
        (["only"], None, "2 to 8"),
        ([f"L{i}" for i in range(9)], None, "2 to 8"),
        (["A", " "], None, "label"),
        (["A", "B"], "C", "reference"),
    ],
)
def test_bad_comparisons_are_refused(labels, reference, message):
    answers = {label: flat(3, 1, f"r{i}") for i, label in enumerate(labels)}
    with pytest.raises(ValueError, match=message):
        compare(BANK, answers, reference=reference)


def test_missing_columns_and_min_n_below_1_are_refused():
    with pytest.raises(ValueError, match="B: the answers have no column"):
        compare(BANK, {"A": flat(3, 1), "B": flat(3, 1).drop(columns="answer")})
    with pytest.raises(ValueError, match="min_n"):
        compare(BANK, {"A": flat(3, 1), "B": flat(3, 1)}, min_n=0)


# ---------------------------------------------------------------- group median


def areas(medians: Sequence[Any]) -> dict[str, pd.DataFrame]:
    """One area per value: its one respondent answers p1a with it and p2a with 3."""
    return {
        f"Area {i}": people(f"r{i}", {"p1a": [m], "p2a": [3]}) for i, m in enumerate(medians, 1)
    }


def test_the_group_median_is_hidden_below_five_areas_and_shown_at_five():
    c = compare(BANK, areas([1, 2, 4, 5, 3, 2]), n_boot=10)
    assert group_median(c, ["Area 1", "Area 2", "Area 3", "Area 4"]) is None
    group = group_median(c, ["Area 1", "Area 2", "Area 3", "Area 4", "Area 5"])
    assert group is not None
    assert list(group["dimension"]) == ["P1", "P2"]
    # By hand: the median of 1, 2, 4, 5, 3 is 3; of five 3s is 3.
    assert list(group["median"]) == [3.0, 3.0]
    assert list(group["n_areas"]) == [5, 5]
    everyone = group_median(c, list(c.labels))
    assert everyone is not None
    assert everyone["median"].iloc[0] == 2.5  # 1, 2, 2, 3, 4, 5


def test_a_member_without_results_does_not_count_towards_five():
    answers = areas([1, 2, 4, 5])
    answers["Empty"] = people("e", {"p1a": ["dk"], "p2a": ["dk"]})
    c = compare(BANK, answers, n_boot=10)
    assert group_median(c, list(c.labels)) is None
    assert group_median(c, list(c.labels), min_areas=4) is not None


def test_a_dimension_scored_by_too_few_members_is_blank():
    answers = areas([1, 2, 4, 5, 3])
    answers["Area 5"] = people("r5", {"p1a": [3], "p2a": ["dk"]})
    c = compare(BANK, answers, n_boot=10)
    group = group_median(c, list(c.labels))
    assert group is not None
    assert group["median"].iloc[0] == 3.0
    assert group["n_areas"].iloc[1] == 4
    assert math.isnan(group["median"].iloc[1])
    with pytest.raises(ValueError, match="not one of the assessments"):
        group_median(c, ["Area 1", "Nowhere"])


# ---------------------------------------------------------------- change over time


def test_change_over_time_gives_first_last_change_and_each_step():
    dates = {"2024": flat(2, 8, "p"), "2025": flat(3, 8, "p"), "2026": flat(4, 8, "p")}
    dates["2026"] = people("p", {"p1a": [4] * 8, "p2a": [2] * 8, "t1a": [3, 4, 3, 4]})
    change = change_over_time(BANK, dates, n_boot=200)
    assert (change.first, change.last) == ("2024", "2026")
    t = change.table.set_index("dimension")
    assert (t.at["P1", "first"], t.at["P1", "last"], t.at["P1", "change"]) == (2.0, 4.0, 2.0)
    assert t.at["P1", "verdict"] == LARGER
    assert (t.at["P2", "change"], t.at["P2", "verdict"]) == (0.0, WITHIN)
    assert (t.at["T1", "n_last"], t.at["T1", "last"], t.at["T1", "verdict"]) == (4, 3.5, TOO_FEW)
    steps = change.steps
    assert (
        list(zip(steps["from"], steps["to"], strict=True))
        == [("2024", "2025")] * 3 + [("2025", "2026")] * 3
    )
    p1 = steps[steps["dimension"] == "P1"]
    assert list(p1["change"]) == [1.0, 1.0]
    p2 = steps[steps["dimension"] == "P2"]
    assert list(p2["change"]) == [1.0, -1.0]
    assert change.sentences[0] == (
        "Moved by more than the noise from 2024 to 2026: Dimension P1 (P1) up 2.0 levels "
        "(2.0 to 4.0)."
    )
    assert (
        "From 2025 to 2026, beyond the noise: Dimension P1 (P1) up 1.0 level (3.0 to 4.0); "
        "Dimension P2 (P2) down 1.0 level (3.0 to 2.0)."
    ) in change.sentences
    assert any("Dimension P2 (P2) unchanged at 2.0" in s for s in change.sentences)
    assert change.comparison.reference == "2024"


# ---------------------------------------------------------------- kept between reruns


def spread(seed: int, n: int, prefix: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return people(prefix, {q: list(rng.integers(1, 6, n).astype(str)) for q in ("p1a", "p2a")})


def same_comparison(a: Any, b: Any) -> None:
    assert a.labels == b.labels
    assert a.reference == b.reference
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.differences, b.differences)
    assert a.sentences == b.sentences


def test_a_memo_gives_what_no_memo_gives_and_adding_an_entry_bootstraps_only_it(
    monkeypatch: pytest.MonkeyPatch,
):
    from common.memo import Memo
    from scoring.comparison import results

    entries = {f"A{i}": spread(i, 7 + i, f"a{i}-") for i in range(4)}
    memo = Memo(64)
    three = dict(list(entries.items())[:3])
    same_comparison(compare(BANK, three, memo=memo), compare(BANK, three))
    drawn: list[str] = []
    real = results.cell_rng

    def counted(seed: int, label: str, dim: str) -> np.random.Generator:
        drawn.append(label)
        return real(seed, label, dim)

    monkeypatch.setattr(results, "cell_rng", counted)
    again = compare(BANK, dict(three), memo=memo)  # a rerun: new dict, same frames
    assert drawn == []
    assert again is compare(BANK, three, memo=memo)
    four = compare(BANK, entries, memo=memo)
    assert set(drawn) == {"A3"}  # only the added entry's intervals were drawn
    drawn.clear()
    change = change_over_time(BANK, {k: entries[k] for k in ("A1", "A3")}, memo=memo)
    assert drawn == []  # both entries' intervals were kept from the comparison
    same_comparison(four, compare(BANK, entries))
    expected = change_over_time(BANK, {k: entries[k] for k in ("A1", "A3")})
    pd.testing.assert_frame_equal(change.table, expected.table)
    pd.testing.assert_frame_equal(change.steps, expected.steps)


def test_a_memo_never_serves_a_result_whose_answers_changed():
    from common.memo import Memo

    memo = Memo(64)
    first = {"N": flat("2", 6, "n"), "S": flat("4", 6, "s")}
    before = compare(BANK, first, memo=memo)
    changed = {"N": flat("2", 6, "n"), "S": flat("1", 6, "s")}  # same people, other answers
    after = compare(BANK, changed, memo=memo)
    assert row(before.table, "S", "P1")["median"] == 4
    assert row(after.table, "S", "P1")["median"] == 1
    same_comparison(after, compare(BANK, changed))
    other_bank = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1}})
    assert compare(other_bank, changed, memo=memo) is not after  # another bank, made again
