"""Benchmark: scoring 1,000,000 answers (design.md "Performance budgets").

Budgets, each measured against a floor timed in the same run:
- the engine's arithmetic is at least 5x faster than a plain-Python loop over the rows;
- it is within 10x of a bare numpy ``bincount`` of weighted sums and counts.

Also a budget: the full size fits the answers reader's limit (``scoring.answers.MAX_ROWS``),
checked in quick mode too, so the benchmark cannot outgrow the reader again unnoticed.

Run: ``python bench/bench_scoring.py [--quick]`` (exit 1, naming the budget, when one is
missed; ``--quick``: 1,000 respondents, the same code paths, a miss printed but not failed).
Also reported, for information: the preparation (coding) step, the whole
``respondent_scores`` and ``group_scores`` calls, and reading the CSV.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.budget import Budgets, parse
from questions.model import Bank, Citation, Dimension, Question, Scale
from scoring.answers import MAX_ROWS, read_answers
from scoring.coding import prepare
from scoring.engine import group_scores, respondent_scores, tally
from scoring.rules import ANSWER_TEXT, DK, NA, is_defined

N_RESPONDENTS = 16_666  # x 60 questions = 999,960 rows: inside the reader's 1,000,000-row limit
QUICK_RESPONDENTS = 1_000
N_CRITERIA, N_THEMES, ITEMS_PER_DIMENSION = 6, 14, 3  # 60 questions
REPEATS = 5
SPEEDUP_BUDGET = 5.0
FLOOR_BUDGET = 10.0
WEIGHTS = (1.0, 1.0, 2.0, 0.5)
# Answer mix: mostly levels, some dk, na and blanks.
ANSWERS = ("1", "2", "3", "4", "5", "dk", "na", "")
SHARES = (0.10, 0.15, 0.25, 0.20, 0.10, 0.08, 0.06, 0.06)


def make_bank() -> Bank:
    """A generated bank: 6 criteria and 14 themes of 3 items each, mixed weights."""
    scale = Scale(
        levels=tuple(enumerate(("Not yet", "Emerging", "Developing", "Embedded", "Leading"), 1)),
        options=(("dk", "Don't know"), ("na", "Not applicable")),
    )

    def dimension(dim_id: str, kind: Any) -> Dimension:
        return Dimension(dim_id, kind, dim_id, "summary", (), ())

    criteria = tuple(dimension(f"P{i + 1}", "criterion") for i in range(N_CRITERIA))
    themes = tuple(dimension(f"T{i + 1}", "theme") for i in range(N_THEMES))
    questions = []
    for d, dim in enumerate((*criteria, *themes)):
        for k in range(ITEMS_PER_DIMENSION):
            questions.append(
                Question(
                    id=f"{dim.id}.{k + 1}",
                    dimension=dim.id,
                    criterion=criteria[d % N_CRITERIA].id,
                    text="text",
                    levels=("1", "2", "3", "4", "5"),
                    evidence="evidence",
                    essays=(Citation("essay", 1),),
                    weight=WEIGHTS[len(questions) % len(WEIGHTS)],
                )
            )
    return Bank("bench", "1", "Bench", scale, (), criteria, themes, (), tuple(questions))


def make_answers(
    bank: Bank, n_respondents: int = N_RESPONDENTS, seed: int = 20101201
) -> pd.DataFrame:
    """Every respondent answers every question: 16,666 x 60 = 999,960 rows at full size.

    Why not a round million: the answers reader refuses files of more than 1,000,000 rows.
    """
    rng = np.random.default_rng(seed)
    n_questions = len(bank.questions)
    rows = n_respondents * n_questions
    respondents = np.array([f"R{i:05d}" for i in range(n_respondents)], dtype=object)
    questions = np.array([q.id for q in bank.questions], dtype=object)
    answer = np.asarray(ANSWERS, dtype=object)[rng.choice(len(ANSWERS), rows, p=SHARES)]
    order = rng.permutation(rows)  # rows arrive in no particular order
    frame = pd.DataFrame(
        {
            "respondent_id": np.repeat(respondents, n_questions)[order],
            "question_id": np.tile(questions, n_respondents)[order],
            "answer": answer,
        }
    )
    return frame.astype("str")


def loop_scores(rows: list[tuple[str, str, str]], bank: Bank) -> dict[tuple[str, str], tuple]:
    """(b) The plain-Python way: a dict of running sums keyed by (respondent, dimension)."""
    info = {q.id: (q.dimension, q.weight) for q in bank.questions}
    sums: dict[tuple[str, str], list[float]] = {}
    for respondent, question, answer in rows:
        dimension, weight = info[question]
        cell = sums.get((respondent, dimension))
        if cell is None:
            cell = sums[(respondent, dimension)] = [0.0, 0.0, 0, 0, 0]
        code = ANSWER_TEXT[answer]
        if 1 <= code <= 5:
            cell[0] += weight
            cell[1] += weight * code
            cell[2] += 1
        if code != NA:
            cell[3] += 1
        if code == DK:
            cell[4] += 1
    out = {}
    for key, (weight_sum, weighted_sum, answered, applicable, dk) in sums.items():
        defined = is_defined(answered, applicable) and weight_sum > 0
        out[key] = (weighted_sum / weight_sum if defined else None, answered, applicable, dk)
    return out


def floor_sums(
    respondent: np.ndarray,
    question: np.ndarray,
    answer: np.ndarray,
    question_dimension: np.ndarray,
    question_weight: np.ndarray,
    n_respondents: int,
) -> tuple[np.ndarray, ...]:
    """(c) The floor: weighted sums and counts per (respondent, dimension) by bincount."""
    n_dims = int(question_dimension.max()) + 1
    size = n_respondents * n_dims
    key = respondent * n_dims + question_dimension[question]
    weight = question_weight[question] * ((answer >= 1) & (answer <= 5))
    return (
        np.bincount(key, weights=weight, minlength=size),
        np.bincount(key, weights=weight * answer, minlength=size),
        np.bincount(key, minlength=size),
    )


def _timed(function: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median wall time over `repeats` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def engine_as_dict(coded: Any, counts: Any) -> dict[tuple[str, str], tuple]:
    """The engine's respondent scores in the loop's shape, for the cross-check."""
    cells = np.flatnonzero(counts.asked > 0)
    unit, dim = np.divmod(cells, counts.n_dimensions)
    return {
        (coded.unit_respondent[u], coded.dimensions[d]): (
            None if np.isnan(counts.score[c]) else float(counts.score[c]),
            int(counts.answered[c]),
            int(counts.applicable[c]),
            int(counts.dk[c]),
        )
        for c, u, d in zip(cells, unit, dim, strict=True)
    }


def same_scores(ours: dict, theirs: dict) -> str | None:
    """None when both give the same cells, counts and (to 1e-9) scores; else why not."""
    if ours.keys() != theirs.keys():
        return f"different cells: {len(ours)} vs {len(theirs)}"
    for key, (score, *counts) in ours.items():
        other, *other_counts = theirs[key]
        if counts != other_counts or (score is None) != (other is None):
            return f"{key}: {ours[key]} vs {theirs[key]}"
        if score is not None and abs(score - other) > 1e-9:
            return f"{key}: score {score} vs {other}"
    return None


def full_rows(bank: Bank) -> int:
    """Answer rows at full size (what the reader must accept)."""
    return N_RESPONDENTS * len(bank.questions)


def main(args: list[str] | None = None) -> int:
    quick = parse(__doc__, args).quick
    budgets = Budgets(quick)
    started = time.perf_counter()
    bank = make_bank()
    fits = full_rows(bank) <= MAX_ROWS
    n_respondents = QUICK_RESPONDENTS if quick else N_RESPONDENTS
    repeats = 3 if quick else REPEATS
    answers = make_answers(bank, n_respondents)
    rows = list(answers.itertuples(index=False, name=None))
    print(
        f"{len(answers):,} answers: {n_respondents:,} respondents x {len(bank.questions)} "
        f"questions, {len(bank.dimensions)} dimensions; median of {repeats} runs"
        f"{' (quick mode)' if quick else ''}\n"
    )

    def timed(function: Callable[[], Any], repeats: int = repeats) -> tuple[float, Any]:
        return _timed(function, repeats)

    t_prepare, coded = timed(lambda: prepare(answers, bank))
    t_engine, counts = timed(lambda: tally(coded))
    t_loop, looped = timed(lambda: loop_scores(rows, bank))
    floor_args = (
        coded.unit,
        coded.question,
        coded.answer,
        coded.question_dimension,
        coded.question_weight,
        coded.n_units,
    )
    t_floor, _ = timed(lambda: floor_sums(*floor_args))
    t_respondent, _ = timed(lambda: respondent_scores(answers, bank))
    t_group, _ = timed(lambda: group_scores(answers, bank))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        answers.to_csv(path, index=False, lineterminator="\r\n", encoding="utf-8-sig")
        t_read, _ = timed(lambda: read_answers(path, bank), repeats=min(3, repeats))

    mismatch = same_scores(engine_as_dict(coded, counts), looped)
    table = [
        ("(a) engine arithmetic: tally() on coded answers", t_engine),
        ("(b) plain-Python dict loop over row tuples", t_loop),
        ("(c) numpy bincount floor (weighted sums, counts)", t_floor),
        ("    preparation: prepare() strings -> integer codes", t_prepare),
        ("    respondent_scores() from the frame, end to end", t_respondent),
        ("    group_scores() from the frame, end to end", t_group),
        (f"    read_answers() of the {len(answers):,}-row CSV", t_read),
    ]
    for label, seconds in table:
        print(f"{label:<54} {seconds * 1000:>9.1f} ms")
    speedup = t_loop / t_engine
    floor_multiple = t_engine / t_floor
    print(f"end-to-end respondent_scores vs loop: {t_loop / t_respondent:.1f}x (for information)")
    print(f"total benchmark time: {time.perf_counter() - started:.1f} s\n")
    budgets.holds(
        "full size fits the reader",
        fits,
        f"{full_rows(bank):,} rows at full size (<= MAX_ROWS {MAX_ROWS:,})",
    )
    budgets.at_least("engine speed-up vs loop", speedup, SPEEDUP_BUDGET)
    budgets.at_most("engine vs bincount floor", floor_multiple, FLOOR_BUDGET)
    budgets.holds(
        "engine agrees with loop",
        mismatch is None,
        "equal" if mismatch is None else f"DIFFERENT: {mismatch}",
    )
    if not fits:  # the full run would stop with the reader's refusal: never only a warning
        print(f"the full size ({full_rows(bank):,} rows) exceeds the reader's limit")
        return 1
    return budgets.exit_code()


if __name__ == "__main__":
    raise SystemExit(main())
