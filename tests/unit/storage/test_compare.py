"""What the compare page lists, and the answers it scores for each assessment."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from scoring.answers import STORED_COLUMNS
from scoring.engine import group_scores
from storage.compare import COMPARABLE_COLUMNS, assessment_answers, comparable_assessments
from storage.drafts import save_draft, submit_response
from storage.errors import InputError
from storage.model import Area, Assessment, Workshop
from storage.participants import current_response, join_workshop
from storage.repo import create_area, create_assessment, save_bank, start_response
from storage.rooms import close_round, open_next_round
from storage.schema import areas
from tests.unit.storage.factories import BANK_SOURCE, small_bank
from tests.unit.storage.factories import answers as given


def respond(engine: Engine, assessment_id: int, submit: bool = True, **values: str) -> None:
    response, _ = start_response(engine, assessment_id, "councillor")
    save_draft(engine, response.id, given(**values), {}, step=1)
    if submit:
        submit_response(engine, response.id)


def test_the_list_has_one_row_per_assessment_with_answers(
    engine: Engine, bank: Bank, area: Area, assessment: Assessment
) -> None:
    ward = create_area(engine, "Abbey ward", "ward", "E05000001", parent_id=area.id)
    later = create_assessment(
        engine, ward.id, "quick", assessment.bank_hash, "imported", "Round 2", date(2026, 3, 1)
    )
    early = create_assessment(
        engine, ward.id, "quick", assessment.bank_hash, title="Spring", held_on=date(2025, 3, 1)
    )
    create_assessment(engine, ward.id, "quick", assessment.bank_hash)  # nobody answered
    blank = create_assessment(engine, ward.id, "quick", assessment.bank_hash)
    respond(engine, blank.id, p1a="")  # opened, nothing given yet: not comparable
    respond(engine, assessment.id, p1a="3", p1b="dk")
    respond(engine, assessment.id, submit=False, p1a="na")  # drafts count
    respond(engine, assessment.id, p1a="")
    respond(engine, later.id, p1a="4")
    respond(engine, early.id, p1a="2")
    newer = small_bank("c" * 64)
    other = create_assessment(engine, area.id, "full", save_bank(engine, newer, BANK_SOURCE))
    respond(engine, other.id, t1a="5")

    listed = comparable_assessments(engine)
    assert tuple(listed.columns) == COMPARABLE_COLUMNS
    assert listed["assessment_id"].tolist() == [early.id, later.id, assessment.id, other.id]
    first = listed.iloc[0].to_dict()
    assert first == first | {
        "area_id": ward.id, "area_name": "Abbey ward", "area_kind": "ward",
        "ons_code": "E05000001", "parent_id": area.id, "parent_name": area.name,
        "kind": "self", "title": "Spring", "held_on": date(2025, 3, 1), "respondents": 1,
        "bank_hash": assessment.bank_hash, "bank_version": "1", "demo": False,
    }  # fmt: skip
    council = listed.iloc[2]
    assert council["respondents"] == 2
    assert council["parent_name"] is None
    assert pd.isna(council["parent_id"])
    assert council["title"] is None
    assert council["held_on"] is None
    assert listed["kind"].tolist() == ["self", "imported", "self", "self"]
    assert listed["bank_hash"].tolist()[-1] == "c" * 64
    assert str(listed["created_at"].dtype) == "datetime64[us, UTC]"
    assert listed["demo"].dtype == bool
    assert str(listed["parent_id"].dtype) == "Int64"


def test_an_empty_database_lists_nothing(engine: Engine) -> None:
    listed = comparable_assessments(engine)
    assert listed.empty
    assert tuple(listed.columns) == COMPARABLE_COLUMNS


def test_demo_areas_are_flagged(engine: Engine, area: Area, assessment: Assessment) -> None:
    respond(engine, assessment.id, p1a="3")
    with engine.begin() as conn:
        conn.execute(sa.update(areas).values(demo=True))
    assert comparable_assessments(engine)["demo"].tolist() == [True]


def test_an_assessment_s_answers_are_all_its_responses(
    engine: Engine, bank: Bank, assessment: Assessment
) -> None:
    respond(engine, assessment.id, p1a="3", p1b="4", p1c="2")
    respond(engine, assessment.id, submit=False, p1a="5", p1b="dk", p1c="4")
    frame = assessment_answers(engine, assessment.id)
    assert tuple(frame.columns) == STORED_COLUMNS
    assert frame["respondent_id"].tolist() == ["R1"] * 3 + ["R2"] * 3
    scores = group_scores(frame, bank)
    assert scores.loc[scores["dimension"] == "P1", "n"].item() == 2


def test_a_workshop_is_compared_on_its_latest_round(
    engine: Engine, bank: Bank, workshop: Workshop
) -> None:
    people = [join_workshop(engine, workshop.id, role)[0] for role in ("councillor", "resident")]
    for person, level in zip(people, ("2", "3"), strict=True):
        response = current_response(engine, person.id)
        save_draft(engine, response.id, given(p1a=level, p2a="4"), {}, step=1)
    close_round(engine, workshop.id)
    open_next_round(engine, workshop.id)

    def listed() -> tuple[int, list[str]]:
        row = comparable_assessments(engine).set_index("assessment_id").loc[workshop.assessment_id]
        frame = assessment_answers(engine, workshop.assessment_id)
        assert tuple(frame.columns) == STORED_COLUMNS
        return row["respondents"], frame.loc[frame["question_id"] == "p1a", "answer"].tolist()

    assert listed() == (2, ["2", "3"])  # round 2 opened, nobody back yet: round 1 stands
    again = current_response(engine, people[0].id)  # starts as a copy of round 1
    save_draft(engine, again.id, given(p1a="4"), {}, step=1, allow_submitted=True)
    assert listed() == (1, ["4"])
    frame = assessment_answers(engine, workshop.assessment_id)
    assert set(frame["round"]) == {2}
    assert frame["respondent_id"].unique().tolist() == ["P1"]
    assert comparable_assessments(engine)["kind"].tolist() == ["workshop"]
    assert comparable_assessments(engine)["title"].tolist() == [workshop.title]


def test_unknown_assessments_are_refused(engine: Engine) -> None:
    for bad in (999, 0, "1"):
        with pytest.raises(InputError) as caught:
            assessment_answers(engine, bad)  # type: ignore[arg-type]
        assert caught.value.field == "assessment_id"
