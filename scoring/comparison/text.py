"""A comparison in words: which differences exceed the noise, and where n is too small.

Why: a comparison page and its report must read without the charts, and must
not let a reader take noise for a finding. The sentences follow fixed rules:
assessments in the order given, dimensions in bank order, numbers with one
decimal (halves up, as in `scoring.format`), so the same answers always give
the same words. Every verdict is one of `scoring.intervals.VERDICTS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pandas as pd

from scoring.format import fmt_level_gap, fmt_score, join, respondents
from scoring.intervals import LARGER, NO_SCORE, TOO_FEW, WITHIN

__all__ = [
    "change_sentences",
    "comparison_sentences",
    "dimension_title",
    "largest_differences",
    "move_text",
]


def dimension_title(name: str, dimension_id: str) -> str:
    """ "Risk for reward (P4)"."""
    return f"{name} ({dimension_id})"


def move_text(before: float, after: float) -> str:
    """ "up 1.0 level (2.0 to 3.0)", "down 0.5 levels (3.5 to 3.0)", "unchanged at 3.0"."""
    change = after - before
    if fmt_score(abs(change)) == "0.0":
        return f"unchanged at {fmt_score(after)}"
    way = "up" if change > 0 else "down"
    return f"{way} {fmt_level_gap(abs(change))} ({fmt_score(before)} to {fmt_score(after)})"


def comparison_sentences(
    labels: Sequence[str],
    reference: str,
    people: Mapping[str, int],
    table: pd.DataFrame,
    differences: pd.DataFrame,
    min_n: int,
) -> tuple[str, ...]:
    """Overview; then per assessment against the reference: beyond the noise, within
    it, too few to tell, nothing to compare; then where no interval could be drawn."""
    sentences = [_overview(labels, reference, people)]
    for label in labels:
        if label != reference:
            rows = differences[differences["label"] == label]
            sentences += _against(label, reference, rows, min_n)
    for label in labels:
        sentences += _intervals(label, table[table["label"] == label], min_n)
    return tuple(sentences)


def largest_differences(
    reference: str, differences: pd.DataFrame, min_n: int, most: int = 3
) -> tuple[str, ...]:
    """The ``most`` largest differences from the reference that are beyond the noise, one
    sentence each, largest first (ties: assessments in order, then bank order); or one
    sentence saying there is none, and why when nobody could tell.

    Why: a reader opening a comparison wants its findings first, not every dimension of
    every pair; the rest stays in the tables.
    """
    larger = differences[differences["verdict"] == LARGER]
    if larger.empty:
        told = differences["verdict"].isin([LARGER, WITHIN]).any()
        if told:
            return (f"No difference from {reference} is larger than the noise.",)
        return (
            f"No difference from {reference} can be told from the noise: every comparison "
            f"needs {min_n} or more respondents with a score on both sides.",
        )
    order = larger.assign(_size=-larger["difference"].abs()).sort_values("_size", kind="stable")
    return tuple(
        f"{r['label']} is {fmt_level_gap(abs(r['difference']))} "
        f"{'higher' if r['difference'] > 0 else 'lower'} than {reference} on "
        f"{dimension_title(r['name'], r['dimension'])}: {fmt_score(r['median'])} against "
        f"{fmt_score(r['median_reference'])}, beyond the noise."
        for r in order.head(most).to_dict("records")
    )


def change_sentences(
    labels: Sequence[str], table: pd.DataFrame, steps: pd.DataFrame, min_n: int
) -> tuple[str, ...]:
    """What moved from the first date to the last, by how much, against the noise;
    then, with three or more dates, what moved beyond the noise at each step."""
    first, last = labels[0], labels[-1]
    verdict = table["verdict"]
    sentences = []
    larger = table[verdict == LARGER]
    if len(larger):
        moves = _moves(larger, "first", "last")
        sentences.append(f"Moved by more than the noise from {first} to {last}: {moves}.")
    within = table[verdict == WITHIN]
    if len(within):
        if not len(larger):
            sentences.append(f"Nothing moved by more than the noise from {first} to {last}.")
        sentences.append(f"Within the noise: {_moves(within, 'first', 'last')}.")
    few = table[verdict == TOO_FEW]
    if len(few):
        sentences.append(
            f"n too small to tell (fewer than {min_n} respondents with a score at {first} or at "
            f"{last}): {_moves(few, 'first', 'last')}."
        )
    missing = table[verdict == NO_SCORE]
    if len(missing):
        sentences.append(
            f"No score to compare on {_titles(missing)}: it was not scored at {first} or at {last}."
        )
    if not sentences:
        sentences.append(f"No dimension was asked at both {first} and {last}.")
    if len(labels) > 2:
        for before, after in itertools.pairwise(labels):
            step = steps[(steps["from"] == before) & (steps["to"] == after)]
            sentences.append(_step(before, after, step))
    return tuple(sentences)


def _overview(labels: Sequence[str], reference: str, people: Mapping[str, int]) -> str:
    parts = [
        f"{label} ({'the reference, ' if label == reference else ''}"
        f"{respondents(people.get(label, 0))})"
        for label in labels
    ]
    return f"Compared: {join(parts)}."


def _against(label: str, reference: str, rows: pd.DataFrame, min_n: int) -> list[str]:
    out = []
    verdict = rows["verdict"]
    larger = rows[verdict == LARGER]
    if len(larger):
        parts = [
            f"{dimension_title(r['name'], r['dimension'])} {fmt_score(r['median'])} against "
            f"{fmt_score(r['median_reference'])}{_direction(r['difference'])}"
            for r in larger.to_dict("records")
        ]
        out.append(f"Larger than the noise, {label} against {reference}: {'; '.join(parts)}.")
    within = rows[verdict == WITHIN]
    if len(within):
        where = _dimensions(len(within))
        if len(within) == 1 and len(larger):
            out.append(
                f"The difference on the one other dimension where both have {min_n} or more "
                "respondents with a score is within the noise."
            )
        elif len(larger):
            out.append(
                f"The differences on the other {where} where both have {min_n} or more "
                "respondents with a score are within the noise."
            )
        else:
            out.append(
                f"No difference between {label} and {reference} is larger than the noise on the "
                f"{where} where both have {min_n} or more respondents with a score."
            )
    few = rows[verdict == TOO_FEW]
    if len(few):
        where = "any dimension" if len(few) == len(rows) else _titles(few)
        out.append(
            f"n too small to tell between {label} and {reference} on {where}: fewer than "
            f"{min_n} respondents with a score in one or both."
        )
    missing = rows[verdict == NO_SCORE]
    if len(missing):
        out.append(
            f"No score to compare between {label} and {reference} on {_titles(missing)}: at "
            "least one of them has no score there."
        )
    return out


def _intervals(label: str, rows: pd.DataFrame, min_n: int) -> list[str]:
    if rows.empty:
        return [f"{label} has no answers, so it has no scores."]
    out = []
    small = rows[(rows["n"] > 0) & (rows["n"] < min_n)]
    if len(small):
        if len(small) == len(rows):
            where = "any dimension"
        else:
            where = join(
                [
                    f"{dimension_title(r['name'], r['dimension'])}, n = {r['n']}"
                    for r in small.to_dict("records")
                ]
            )
        out.append(
            f"No interval for {label} on {where}: fewer than {min_n} respondents with a score, "
            "so n is too small to tell."
        )
    unscored = rows[rows["n"] == 0]
    if len(unscored):
        out.append(f"{label} has no score on {_titles(unscored)}.")
    return out


def _step(before: str, after: str, step: pd.DataFrame) -> str:
    larger = step[step["verdict"] == LARGER]
    if len(larger):
        return (
            f"From {before} to {after}, beyond the noise: "
            f"{_moves(larger, 'median_from', 'median_to')}."
        )
    if (step["verdict"] == WITHIN).any():
        return f"From {before} to {after}, nothing moved by more than the noise."
    if (step["verdict"] == TOO_FEW).any():
        return f"From {before} to {after}, n is too small to tell on every dimension."
    return f"From {before} to {after}, no dimension has a score at both."


def _moves(rows: pd.DataFrame, before: str, after: str) -> str:
    return "; ".join(
        f"{dimension_title(r['name'], r['dimension'])} {move_text(r[before], r[after])}"
        for r in rows.to_dict("records")
    )


def _direction(difference: float) -> str:
    if fmt_score(abs(difference)) == "0.0":
        return ""
    way = "higher" if difference > 0 else "lower"
    return f" ({fmt_level_gap(abs(difference))} {way})"


def _titles(rows: pd.DataFrame) -> str:
    return join(
        [dimension_title(n, d) for n, d in zip(rows["name"], rows["dimension"], strict=True)]
    )


def _dimensions(count: int) -> str:
    return "one dimension" if count == 1 else f"{count} dimensions"
