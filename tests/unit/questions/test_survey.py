"""The survey's steps, progress and evidence prompt."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from questions.model import Form, Role
from questions.survey import (
    ANSWER_OPTIONS,
    answer_label,
    asked_of,
    clamp_step,
    minutes,
    one_by_one,
    progress,
    question_progress,
    reading_minutes,
    role_line,
    screen_at,
    survey_steps,
    thin_roles,
    unanswered,
    wants_evidence,
)
from tests.unit.scoring.factories import make_bank

BANK = replace(
    make_bank(),
    forms=(Form("quick", "Quick", ("P2", "P1")), Form("full", "Full", ("P1", "P2", "T1"))),
)


def test_one_step_per_dimension_in_the_forms_order():
    steps = survey_steps(BANK, "quick")
    assert [s.dimension.id for s in steps] == ["P2", "P1"]
    assert [s.index for s in steps] == [0, 1]
    assert [q.id for q in steps[1].questions] == ["p1a", "p1b", "p1c"]


def test_progress_counts_dk_and_na_but_not_blanks():
    steps = survey_steps(BANK, "full")  # 3 + 4 + 2 = 9 questions
    answers = {"p1a": "3", "p1b": "dk", "p1c": "", "t1a": "na", "ghost": "4"}
    p = progress(steps, answers, current=1)
    assert (p.step, p.steps, p.answered, p.total) == (2, 3, 3, 9)
    assert p.text == "Step 2 of 3 · 3 of 9 questions answered"
    assert p.share == pytest.approx(3 / 9)


@pytest.mark.parametrize(("stored", "expected"), [(-4, 0), (0, 0), (2, 2), (3, 2), (99, 2)])
def test_a_stored_step_is_kept_inside_the_survey(stored, expected):
    assert clamp_step(stored, survey_steps(BANK, "full")) == expected


def test_unanswered_questions_of_a_step():
    step = survey_steps(BANK, "full")[0]
    assert [q.id for q in unanswered(step, {"p1a": "2", "p1b": ""})] == ["p1b", "p1c"]


@pytest.mark.parametrize(
    ("answer", "evidence", "asked"),
    [
        ("4", None, True),
        ("5", "  ", True),
        ("5", "Cabinet minute 12", False),
        ("3", None, False),
        ("dk", None, False),
        (None, None, False),
    ],
)
def test_evidence_is_asked_for_at_levels_four_and_five_only_when_missing(answer, evidence, asked):
    assert wants_evidence(answer, evidence) is asked


def test_minutes_come_from_the_words_read_and_a_choice_per_question():
    quick = BANK.form_questions("quick")
    words = sum(len(q.text.split()) + sum(len(d.split()) for d in q.levels) for q in quick)
    seconds = words / 200 * 60 + len(quick) * 10
    assert minutes(BANK, "quick") == math.ceil(seconds / 60)
    longer = replace(BANK, questions=tuple(replace(q, text=q.text + " word" * 200) for q in quick))
    assert minutes(longer, "quick") == math.ceil((seconds + len(quick) * 60) / 60)


def test_every_option_reads_as_words():
    q = BANK.question("p1a")
    labels = [answer_label(BANK, q, o) for o in ANSWER_OPTIONS]
    assert labels[0] == "1 · Not yet — one"
    assert labels[4] == "5 · Leading — five"
    assert labels[5:] == ["Don't know", "Not applicable"]


def test_a_phone_walks_every_question_once_in_order() -> None:
    steps = survey_steps(BANK, BANK.forms[0].id)
    walked = one_by_one(steps)
    assert [q.id for _, q in walked] == [q.id for s in steps for q in s.questions]
    assert all(q in step.questions for step, q in walked)


def test_a_phone_asks_each_role_only_what_it_can_judge() -> None:
    steps = survey_steps(BANK, BANK.forms[0].id)
    first = steps[0].questions[0]
    judged = replace(first, answerable_by=("councillor",))
    steps = (replace(steps[0], questions=(judged, *steps[0].questions[1:])), *steps[1:])
    every = [q.id for s in steps for q in s.questions]
    assert [q.id for _, q in one_by_one(steps, "councillor")] == every
    assert [q.id for _, q in one_by_one(steps, "resident")] == every[1:]
    assert [q.id for _, q in one_by_one(steps)] == every  # no role known: everything
    nobody = tuple(
        replace(s, questions=tuple(replace(q, answerable_by=("councillor",)) for q in s.questions))
        for s in steps
    )
    assert [q.id for _, q in one_by_one(nobody, "other")] == every  # never left with nothing


@pytest.mark.parametrize(
    ("stored", "later", "expected"),
    [
        (None, False, 0),  # round 1 starts at the first question
        (None, True, -1),  # a later round starts on "nothing changed"
        (-1, False, 0),  # round 1 has no start screen
        (-5, True, -1),
        (7, False, 7),
        (99, True, 18),  # past the end: the screen that sends
    ],
)
def test_where_a_phone_stands_is_always_a_screen(stored, later, expected) -> None:
    assert screen_at(stored, 18, later) == expected


def test_question_progress_in_words() -> None:
    assert question_progress(0, 18, 0) == "Question 1 of 18 · 0 answered"
    assert question_progress(17, 18, 12) == "Question 18 of 18 · 12 answered"
    assert question_progress(18, 18, 18) == "All 18 questions seen · 18 answered"


LABELS = {"councillor": "Councillor", "resident": "Resident"}


def _judged_by_councillors_only(bank, n: int):
    """``bank`` with the first ``n`` questions of its full form judged by councillors alone."""
    dims = bank.form("full").dimensions
    chosen = {q.id for q in [q for d in dims for q in bank.questions_in(d)][:n]}
    qs = tuple(
        replace(q, answerable_by=("councillor",)) if q.id in chosen else q for q in bank.questions
    )
    return replace(bank, questions=qs, roles=tuple(Role(i, t) for i, t in LABELS.items()))


def test_a_role_is_told_how_many_questions_it_gets_and_how_long() -> None:
    dims = BANK.form("full").dimensions
    total = sum(len(BANK.questions_in(d)) for d in dims)
    bank = _judged_by_councillors_only(BANK, 2)
    asked = asked_of(bank, dims, "resident")
    assert len(asked) == total - 2
    time = reading_minutes(asked)
    assert time == math.ceil(
        (
            sum(len(q.text.split()) + sum(len(d.split()) for d in q.levels) for q in asked)
            / 200
            * 60
            + 10 * len(asked)
        )
        / 60
    )
    unit = "minute" if time == 1 else "minutes"
    assert role_line(bank, dims, "resident") == (
        f"You will be asked {total - 2} of the {total} questions, those the role you chose "
        f"({LABELS['resident']}) can judge from its own side: about {time} {unit}."
    )
    assert role_line(bank, dims, "councillor").startswith(f"You will be asked all {total} ")


def test_a_role_that_can_judge_under_a_quarter_is_named() -> None:
    dims = BANK.form("full").dimensions
    total = sum(len(BANK.questions_in(d)) for d in dims)
    most = total - math.ceil(total / 4) + 1  # residents can judge fewer than a quarter
    bank = _judged_by_councillors_only(BANK, most)
    (note,) = thin_roles(bank, dims, ("councillor", "resident"))
    assert note.startswith(f"{LABELS['resident']}: only {total - most} of the {total} questions")
    assert thin_roles(_judged_by_councillors_only(BANK, total // 2), dims, ("resident",)) == ()
