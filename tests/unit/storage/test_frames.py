"""An assessment as the long answers table: the CSV columns, pseudonyms, scoreable."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from questions.model import Bank
from scoring.engine import group_scores
from storage.access import ANYONE, AccessDenied, Grant
from storage.drafts import save_draft, submit_response
from storage.engine import reading
from storage.errors import InputError
from storage.frames import (
    ANSWER_FRAME_COLUMNS,
    PARTICIPATION_COLUMNS,
    PLAN_FRAME_COLUMNS,
    answers_frame,
    participation,
    plans_frame,
    workshop_answers,
    workshop_rows,
)
from storage.model import AnswerInput, Area, Assessment, PlanInput, Workshop
from storage.paper import enter_group_response
from storage.participants import current_response, join_workshop
from storage.repo import create_assessment, save_bank, start_response
from storage.rooms import close_round, open_next_round, open_workshop
from tests.unit.storage.factories import BANK_SOURCE, ROLES, answers, host


def respond(
    engine: Engine,
    assessment: Assessment,
    role: str,
    saved: dict[str, AnswerInput],
    plans: dict[str, PlanInput] | None = None,
    submit: bool = True,
) -> str:
    response, token = start_response(engine, assessment.id, role)
    save_draft(engine, response.id, saved, plans or {}, step=1)
    if submit:
        submit_response(engine, response.id)
    return token


def test_columns_order_and_types(engine: Engine, assessment: Assessment) -> None:
    respond(engine, assessment, "councillor", {"p1b": AnswerInput("4", "high", "<i>minutes</i>")})
    respond(engine, assessment, "resident", answers(p1a="dk", p1b=""), submit=False)
    frame = answers_frame(engine, assessment.id)
    assert tuple(frame.columns) == ANSWER_FRAME_COLUMNS
    assert (
        *("respondent_id", "question_id", "answer", "role", "round"),
        *("confidence", "evidence", "submitted_at"),
    ) == ANSWER_FRAME_COLUMNS
    assert frame[["respondent_id", "question_id", "answer", "role", "round"]].values.tolist() == [
        ["R1", "p1b", "4", "councillor", 1],
        ["R2", "p1a", "dk", "resident", 1],
        ["R2", "p1b", "", "resident", 1],
    ]
    assert frame["round"].dtype == "int64"
    assert frame["evidence"].iloc[0] == "<i>minutes</i>"
    assert frame["confidence"].iloc[0] == "high"
    assert pd.isna(frame["confidence"].iloc[1])
    assert str(frame["submitted_at"].dtype) == "datetime64[us, UTC]"
    assert frame["submitted_at"].iloc[0].tzinfo is not None
    assert pd.isna(frame["submitted_at"].iloc[1])  # still a draft


def test_statuses_select_responses_but_keep_the_pseudonyms(
    engine: Engine, assessment: Assessment
) -> None:
    respond(engine, assessment, "councillor", answers(p1a="2"), submit=False)
    respond(engine, assessment, "resident", answers(p1a="3"))
    only_submitted = answers_frame(engine, assessment.id, statuses=("submitted",))
    assert only_submitted["respondent_id"].tolist() == ["R2"]
    assert answers_frame(engine, assessment.id, statuses=["draft"])["answer"].tolist() == ["2"]
    with pytest.raises(InputError) as caught:
        answers_frame(engine, assessment.id, statuses=("done",))
    assert caught.value.field == "statuses"


def test_pseudonyms_never_show_tokens_or_cross_assessments(
    engine: Engine, assessment: Assessment
) -> None:
    other = create_assessment(engine, assessment.area_id, "quick", assessment.bank_hash)
    tokens = [
        respond(engine, assessment, "councillor", answers(p1a="2")),
        respond(engine, other, "councillor", answers(p1a="4")),
        respond(engine, assessment, "partner", answers(p1a="5")),
    ]
    frame = answers_frame(engine, assessment.id)
    assert frame["respondent_id"].tolist() == ["R1", "R2"]
    assert frame["answer"].tolist() == ["2", "5"]
    assert answers_frame(engine, other.id)["respondent_id"].tolist() == ["R1"]
    text = frame.to_csv()
    assert not any(token in text for token in tokens)


def test_an_empty_assessment_gives_empty_frames(engine: Engine, assessment: Assessment) -> None:
    start_response(engine, assessment.id, "councillor")  # started, nothing saved
    assert tuple(answers_frame(engine, assessment.id).columns) == ANSWER_FRAME_COLUMNS
    assert answers_frame(engine, assessment.id).empty
    assert tuple(plans_frame(engine, assessment.id).columns) == PLAN_FRAME_COLUMNS
    assert plans_frame(engine, assessment.id).empty


def test_the_frame_scores_like_a_csv_would(
    engine: Engine, assessment: Assessment, bank: Bank
) -> None:
    # P1 weights: p1a 1, p1b 1, p1c 2. R1: (2 + 4 + 2x3) / 4 = 3. R2: 5, dk and a blank:
    # 1 answered of 3 applicable, undefined. R3 (a draft): dk and na, undefined.
    # P2: R1 answers 1 and 3 -> 2.
    respond(engine, assessment, "councillor", answers(p1a="2", p1b="4", p1c="3", p2a="1", p2b="3"))
    respond(engine, assessment, "resident", answers(p1a="5", p1b="dk", p1c=""))
    respond(engine, assessment, "partner", answers(p1a="dk", p1b="na"), submit=False)
    scores = group_scores(answers_frame(engine, assessment.id), bank).set_index("dimension")
    assert scores.loc["P1", "n"] == 1  # R2 fails the half rule (1 answered of 3 applicable)
    assert scores.loc["P1", "median"] == 3.0
    assert scores.loc["P2", "median"] == 2.0
    # Coverage: numeric / (numeric + dk) = (3 + 1) / (3 + 1 + 2).
    assert math.isclose(scores.loc["P1", "coverage"], 4 / 6)
    by_role = group_scores(answers_frame(engine, assessment.id), bank, by=["role"])
    assert set(by_role["role"]) == {"councillor", "resident", "partner"}


def test_plans_frame(engine: Engine, assessment: Assessment) -> None:
    respond(engine, assessment, "councillor", {}, {"P1": PlanInput(4, True), "T1": PlanInput()})
    respond(engine, assessment, "resident", {}, {"P2": PlanInput(2)}, submit=False)
    frame = plans_frame(engine, assessment.id)
    assert tuple(frame.columns) == PLAN_FRAME_COLUMNS
    assert frame["respondent_id"].tolist() == ["R1", "R1", "R2"]
    assert frame["dimension_id"].tolist() == ["P1", "T1", "P2"]
    assert frame["target"].tolist() == [4, pd.NA, 2]
    assert str(frame["target"].dtype) == "Int64"
    assert frame["priority"].tolist() == [True, False, False]
    assert plans_frame(engine, assessment.id, statuses=("submitted",))[
        "respondent_id"
    ].tolist() == [
        "R1",
        "R1",
    ]


# --- Workshops -----------------------------------------------------------------------


def take_part(
    engine: Engine, workshop: Workshop, role: str, saved: dict[str, AnswerInput], submit: bool
) -> int:
    """A participant joins and answers in the current round; returns their participant id."""
    participant, _ = join_workshop(engine, workshop.id, role)
    answer_again(engine, participant.id, saved, submit)
    return participant.id


def answer_again(
    engine: Engine, participant_id: int, saved: dict[str, AnswerInput], submit: bool = True
) -> None:
    response = current_response(engine, participant_id)
    save_draft(engine, response.id, saved, {}, step=1, allow_submitted=True)
    if submit:
        submit_response(engine, response.id)


def test_workshop_answers_use_pseudonyms_across_rounds(
    engine: Engine, workshop: Workshop, assessment: Assessment
) -> None:
    respond(engine, assessment, "councillor", answers(p1a="1"))  # another assessment
    first = take_part(engine, workshop, "councillor", answers(p1a="2", p1b="3"), submit=True)
    take_part(engine, workshop, "resident", answers(p1a="4"), submit=False)  # a draft counts
    close_round(engine, host(engine, workshop.id), workshop.id)
    open_next_round(engine, host(engine, workshop.id), workshop.id)
    answer_again(engine, first, answers(p1a="3"), submit=False)
    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert tuple(frame.columns) == ANSWER_FRAME_COLUMNS
    assert frame[["respondent_id", "question_id", "answer", "role", "round"]].values.tolist() == [
        ["P1", "p1a", "2", "councillor", 1],
        ["P1", "p1b", "3", "councillor", 1],
        ["P2", "p1a", "4", "resident", 1],
        ["P1", "p1a", "3", "councillor", 2],  # changed after discussion
        ["P1", "p1b", "3", "councillor", 2],  # prefilled from round 1
    ]
    assert frame["round"].dtype == "int64"
    assert str(frame["submitted_at"].dtype) == "datetime64[us, UTC]"
    assert frame["submitted_at"].notna().tolist() == [True, True, False, False, False]
    assert workshop_answers(engine, host(engine, workshop.id), workshop.id, rounds=[2])[
        "round"
    ].tolist() == [2, 2]
    assert workshop_answers(engine, host(engine, workshop.id), workshop.id, rounds=(1,))[
        "respondent_id"
    ].tolist() == [
        "P1",
        "P1",
        "P2",
    ]
    assert workshop_answers(engine, host(engine, workshop.id), workshop.id, rounds=[]).empty


def test_workshop_answers_feed_group_scores_by_round(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    # Round 1, P1: 1, 1, 1 -> 1. P2: 5, 5, 5 -> 5. P3: 3, 3, 3 -> 3. Median 3.
    # Round 2: P1 moves to 3 (3, 3, 3 -> 3), P2 to 4 (4, 4, 4 -> 4), P3 stays. Median 3.
    people = [
        take_part(engine, workshop, role, answers(p1a=v, p1b=v, p1c=v), submit=True)
        for role, v in (("councillor", "1"), ("resident", "5"), ("senior_officer", "3"))
    ]
    close_round(engine, host(engine, workshop.id), workshop.id)
    open_next_round(engine, host(engine, workshop.id), workshop.id)
    for participant_id, v in zip(people, ("3", "4", "3"), strict=True):
        answer_again(engine, participant_id, answers(p1a=v, p1b=v, p1c=v))
    scores = group_scores(
        workshop_answers(engine, host(engine, workshop.id), workshop.id), bank, by=["round"]
    )
    p1 = scores[scores["dimension"] == "P1"].set_index("round")
    assert p1["n"].tolist() == [3, 3]
    assert p1.loc[1, "median"] == 3.0
    assert (p1.loc[1, "min"], p1.loc[1, "max"]) == (1.0, 5.0)
    assert p1.loc[2, "median"] == 3.0
    assert (p1.loc[2, "min"], p1.loc[2, "max"]) == (3.0, 4.0)
    by_role = group_scores(
        workshop_answers(engine, host(engine, workshop.id), workshop.id, rounds=[2]),
        bank,
        by=["role"],
    )
    assert set(by_role["role"]) == {"councillor", "resident", "senior_officer"}


def test_workshop_answers_refuse_bad_input(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    for call, field in (
        (lambda: _unchecked(engine, 999), "workshop_id"),
        (lambda: workshop_answers(engine, grant, workshop.id, rounds=2), "rounds"),  # type: ignore[arg-type]
        (lambda: workshop_answers(engine, grant, workshop.id, rounds="1"), "rounds"),  # type: ignore[arg-type]
        (lambda: workshop_answers(engine, grant, workshop.id, rounds=[0]), "rounds"),
        (lambda: participation(engine, grant, "x", 1), "workshop_id"),  # type: ignore[arg-type]
        (lambda: participation(engine, grant, workshop.id, 0), "round"),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == field
    with pytest.raises(AccessDenied):  # counts by role are the facilitator's alone
        participation(engine, ANYONE, workshop.id, 1)
    with pytest.raises(AccessDenied):
        participation(engine, grant, 999, 1)


@pytest.fixture
def opened_twice(engine: Engine, bank: Bank, area: Area, workshop: Workshop) -> Workshop:
    """A second workshop in the same database, whose facilitator is someone else."""
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    return open_workshop(engine, area.id, bank_hash, "Another room", ["P1"], ROLES)[0]


def _unchecked(engine: Engine, workshop_id: int) -> pd.DataFrame:
    with reading(engine) as conn:
        return workshop_rows(conn, workshop_id)


def test_workshop_answers_need_the_workshops_own_facilitator(
    engine: Engine, workshop: Workshop, opened_twice: Workshop
) -> None:
    take_part(engine, workshop, "councillor", answers(p1a="2"), submit=True)
    assert len(workshop_answers(engine, host(engine, workshop.id), workshop.id)) == 1
    for grant in (ANYONE, host(engine, opened_twice.id), Grant("participant", token="x")):
        with pytest.raises(AccessDenied):
            workshop_answers(engine, grant, workshop.id)
    with pytest.raises(AccessDenied):  # an id it does not hold: refused before anything is read
        workshop_answers(engine, host(engine, workshop.id), 999)
    stale = replace(host(engine, workshop.id), secret="0" * 32)
    with pytest.raises(AccessDenied):
        workshop_answers(engine, stale, workshop.id)
    take_part(engine, workshop, "resident", answers(p1a="4"), submit=False)
    with reading(engine) as conn:  # the internal reader, for storage.compare, checks nothing
        assert workshop_rows(conn, workshop.id)["answer"].tolist() == ["2", "4"]
        assert workshop_rows(conn, workshop.id, sent_only=True)["answer"].tolist() == ["2"]


def test_participation_counts_by_role(engine: Engine, workshop: Workshop) -> None:
    take_part(engine, workshop, "councillor", answers(p1a="2"), submit=True)
    take_part(engine, workshop, "councillor", answers(p1a="dk"), submit=False)
    take_part(engine, workshop, "councillor", answers(p1a=""), submit=False)  # nothing given
    join_workshop(engine, workshop.id, "resident")  # joined, never opened the questions
    enter_group_response(
        engine, host(engine, workshop.id), workshop.id, "resident", answers(p1a="4")
    )
    frame = participation(engine, host(engine, workshop.id), workshop.id, 1)
    assert tuple(frame.columns) == PARTICIPATION_COLUMNS
    assert frame.values.tolist() == [
        ["councillor", 3, 2, 1],
        ["senior_officer", 0, 0, 0],
        ["resident", 2, 1, 1],
    ]
    assert frame["joined"].dtype == "int64"
    assert participation(engine, host(engine, workshop.id), workshop.id, 2).values.tolist() == [
        ["councillor", 3, 0, 0],
        ["senior_officer", 0, 0, 0],
        ["resident", 2, 0, 0],
    ]
