"""Hybrid rooms: a group's agreed response, and paper answers imported all or nothing."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from scoring.answers import parse_answers
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.drafts import load_draft
from storage.core.errors import InputError
from storage.core.model import AnswerInput, PlanInput, Workshop
from storage.core.schema import answers, participants, responses
from storage.results.frames import participation, workshop_answers
from storage.workshop.paper import PAPER_ROLE, enter_group_response, import_answers
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import close_round, open_next_round
from tests.unit.storage.factories import answers as given
from tests.unit.storage.factories import dump, host


def csv(bank: Bank, text: str) -> pd.DataFrame:
    return parse_answers(text.encode(), "paper.csv", bank=bank)


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.scalar(sa.select(sa.func.count()).select_from(t))
            for t in (participants, responses, answers)
        )


def round_two(engine: Engine, workshop: Workshop) -> None:
    close_round(engine, host(engine, workshop.id), workshop.id)
    open_next_round(engine, host(engine, workshop.id), workshop.id)


# --- Group responses -------------------------------------------------------------


def test_a_group_response_is_a_submitted_participant(engine: Engine, workshop: Workshop) -> None:
    join_workshop(engine, workshop.id, "councillor")
    saved = {"p1a": AnswerInput("4", "medium", "table 3 agreed"), "p1b": AnswerInput("dk")}
    group = enter_group_response(
        engine, host(engine, workshop.id), workshop.id, "resident", saved, {"P1": PlanInput(5)}
    )
    assert (group.pseudonym, group.kind, group.role) == ("P2", "group", "resident")
    with engine.connect() as conn:
        response_id = conn.scalar(
            sa.select(responses.c.id).where(responses.c.participant_id == group.id)
        )
    draft = load_draft(engine, response_id)
    assert (draft.status, draft.round, draft.role) == ("submitted", 1, "resident")
    assert draft.submitted_at is not None
    assert dict(draft.answers) == saved
    assert dict(draft.plans) == {"P1": PlanInput(5)}
    assert current_response(engine, group.id).id == response_id


def test_a_group_may_fill_in_an_earlier_round(engine: Engine, workshop: Workshop) -> None:
    round_two(engine, workshop)
    close_round(
        engine, host(engine, workshop.id), workshop.id
    )  # closed rounds are the facilitator's to fill in
    earlier = enter_group_response(
        engine, host(engine, workshop.id), workshop.id, "councillor", given(p1a="2"), round=1
    )
    now = enter_group_response(
        engine, host(engine, workshop.id), workshop.id, "councillor", given(p1a="3")
    )
    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert frame[["respondent_id", "round", "answer"]].values.tolist() == [
        [earlier.pseudonym, 1, "2"],
        [now.pseudonym, 2, "3"],
    ]


@pytest.mark.parametrize(
    ("role", "saved", "plans", "round_", "field"),
    [
        ("mayor", given(p1a="2"), None, None, "role"),
        ("resident", given(p1a="6"), None, None, "answers.p1a.answer"),
        ("resident", given(p1a="2"), {"P1": PlanInput(0)}, None, "plans.P1.target"),
        ("resident", given(p1a="2"), None, 2, "round"),
        ("resident", given(p1a="2"), None, 0, "round"),
    ],
)
def test_bad_group_responses_write_nothing(
    engine: Engine,
    workshop: Workshop,
    role: str,
    saved: dict,
    plans: dict | None,
    round_: int | None,
    field: str,
) -> None:
    with pytest.raises(InputError) as caught:
        enter_group_response(
            engine, host(engine, workshop.id), workshop.id, role, saved, plans, round=round_
        )
    assert caught.value.field == field
    assert counts(engine) == (0, 0, 0)


# --- Paper imports ------------------------------------------------------------------


PAPER = """respondent_id,question_id,answer,role,round,confidence,evidence
paper-alice-17,p1a,3,councillor,1,high,"minutes, 3 March"
paper-alice-17,p1b,dk,councillor,1,,
paper-bob-23,p1a,5,Resident,1,low,
paper-alice-17,p1a,4,councillor,2,,
paper-carol-42,p2a,,,2,,
"""


def test_paper_answers_become_pseudonymous_participants(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    join_workshop(engine, workshop.id, "councillor")  # P1, on a phone
    round_two(engine, workshop)
    assert (
        import_answers(engine, host(engine, workshop.id), workshop.id, csv(bank, PAPER), bank) == 5
    )
    with engine.connect() as conn:
        people = conn.execute(
            sa.select(participants.c.pseudonym, participants.c.role, participants.c.kind).order_by(
                participants.c.id
            )
        ).all()
        statuses = set(conn.scalars(sa.select(responses.c.status)))
    assert [tuple(p) for p in people] == [
        ("P1", "councillor", "person"),
        ("P2", "councillor", "paper"),
        ("P3", "resident", "paper"),  # the role is matched ignoring case
        ("P4", PAPER_ROLE, "paper"),  # a blank role is 'other'
    ]
    assert statuses == {"submitted"}
    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert frame[["respondent_id", "question_id", "answer", "role", "round"]].values.tolist() == [
        ["P2", "p1a", "3", "councillor", 1],
        ["P2", "p1b", "dk", "councillor", 1],
        ["P3", "p1a", "5", "resident", 1],
        ["P2", "p1a", "4", "councillor", 2],
        ["P4", "p2a", "", "other", 2],
    ]
    assert frame["confidence"].iloc[0] == "high"
    assert frame["evidence"].iloc[0] == "minutes, 3 March"
    assert pd.isna(frame["evidence"].iloc[1])
    text = dump(engine)
    assert not any(name in text for name in ("alice", "bob", "carol", "paper-"))
    assert participation(engine, host(engine, workshop.id), workshop.id, 2).values.tolist() == [
        ["councillor", 2, 1, 1],
        ["senior_officer", 0, 0, 0],
        ["resident", 1, 0, 0],
        ["other", 1, 0, 1],  # not offered, but present: after the roles offered
    ]


def test_without_role_or_round_columns(engine: Engine, workshop: Workshop, bank: Bank) -> None:
    round_two(engine, workshop)
    frame = csv(bank, "respondent_id,question_id,answer\nr1,p1a,2\nr2,p1a,3\nr1,p2b,na\n")
    assert import_answers(engine, host(engine, workshop.id), workshop.id, frame, bank) == 3
    stored = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert stored[["respondent_id", "role", "round"]].drop_duplicates().values.tolist() == [
        ["P1", "other", 2],
        ["P2", "other", 2],
    ]
    again = import_answers(
        engine, host(engine, workshop.id), workshop.id, frame, bank
    )  # another batch: new people
    assert again == 3
    assert set(
        workshop_answers(engine, host(engine, workshop.id), workshop.id)["respondent_id"]
    ) == {"P1", "P2", "P3", "P4"}


GOOD = "".join(f"r{n},p1a,{1 + n % 5},councillor,1\n" for n in range(1, 40))


@pytest.mark.parametrize(
    ("bad_row", "field", "says"),
    [
        ("r99,p1a,3,mayor,1", "role", "'mayor' is not a role offered in this workshop"),
        ("r99,p1a,3,councillor,2", "round", "round 2 has not started"),
        ("r99,p1a,3,councillor,two", "round", "'two' is not a round"),
        ("r99,p1a,3,councillor,0", "round", "'0' is not a round"),
        ("r99,t1a,3,councillor,1", "question_id", "'t1a' is in dimension T1, which this work"),
        ("r5,p1b,3,resident,1", "role", "respondent 'r5' was given role 'councillor' on row 6"),
    ],
)
def test_a_bad_row_anywhere_imports_nothing(
    engine: Engine, workshop: Workshop, bank: Bank, bad_row: str, field: str, says: str
) -> None:
    join_workshop(engine, workshop.id, "resident")
    before = counts(engine)
    text = f"respondent_id,question_id,answer,role,round\n{GOOD}{bad_row}\n"
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, csv(bank, text), bank)
    assert caught.value.field == f"row 41, {field}"  # header is row 1; 39 good rows follow
    assert says in caught.value.message
    assert caught.value.format().startswith(f"row 41, {field}: ")
    assert counts(engine) == before


def test_bad_confidence_and_evidence_name_the_row(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    frame = csv(bank, "respondent_id,question_id,answer,confidence\nr1,p1a,3,high\nr1,p1b,2,sure\n")
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, frame, bank)
    assert caught.value.format() == (
        "row 3, confidence: 'sure' is not a confidence; please choose low, medium or high"
    )
    frame = csv(bank, 'respondent_id,question_id,answer,evidence\nr1,p1a,3,"bell \x07"\n')
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, frame, bank)
    assert caught.value.field == "row 2, evidence"
    assert counts(engine) == (0, 0, 0)


def test_frames_not_from_parse_answers_are_checked_too(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    repeated = pd.DataFrame(
        {"respondent_id": ["a", "a"], "question_id": ["p1a", "p1a"], "answer": ["1", "2"]},
        index=pd.Index([2, 3], name="row"),
    )
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, repeated, bank)
    assert caught.value.field == "row 3, question_id"
    assert "already answered 'p1a' in round 1 on row 2" in caught.value.message
    unknown = repeated.assign(question_id=["p1a", "zz9"])
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, unknown, bank)
    assert caught.value.field == "row 3, question_id"
    with pytest.raises(InputError) as caught:
        import_answers(
            engine,
            host(engine, workshop.id),
            workshop.id,
            repeated[["respondent_id", "answer"]],
            bank,
        )
    assert caught.value.field == "frame"
    with pytest.raises(InputError) as caught:
        import_answers(engine, host(engine, workshop.id), workshop.id, "not a frame", bank)  # type: ignore[arg-type]
    assert caught.value.field == "frame"
    assert counts(engine) == (0, 0, 0)


def test_an_empty_file_imports_nothing(engine: Engine, workshop: Workshop, bank: Bank) -> None:
    empty = csv(bank, "respondent_id,question_id,answer\n")
    assert import_answers(engine, host(engine, workshop.id), workshop.id, empty, bank) == 0
    assert counts(engine) == (0, 0, 0)


def test_importing_into_an_unknown_workshop(engine: Engine, workshop: Workshop, bank: Bank) -> None:
    empty = csv(bank, "respondent_id,question_id,answer\n")
    with pytest.raises(AccessDenied):  # another workshop's grant: refused, never "no such"
        import_answers(engine, host(engine, workshop.id), 999, empty, bank)


def test_only_the_facilitator_enters_or_imports(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    stale = Grant("facilitator", workshop_id=workshop.id, join_code="ABCDEFG", secret="0" * 32)
    for grant in (ANYONE, stale):
        with pytest.raises(AccessDenied):
            import_answers(engine, grant, workshop.id, csv(bank, PAPER), bank)
        with pytest.raises(AccessDenied):
            enter_group_response(engine, grant, workshop.id, "resident", given(p1a="4"))
    assert counts(engine) == (0, 0, 0)
