"""storage's front door as pages use it: what it exports, a whole workshop session, and a
hundred people joining at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import storage
from questions.model import Bank
from scoring.answers import parse_answers
from scoring.engine import group_scores
from storage import (
    agreements,
    can_answer,
    check_key,
    close_round,
    current_response,
    enter_group_response,
    find_participant,
    find_workshop,
    get_workshop,
    import_answers,
    join_workshop,
    open_next_round,
    open_workshop,
    participation,
    record_agreement,
    workshop_answers,
)
from storage.core.drafts import load_draft, save_draft, submit_response
from storage.core.errors import InputError
from storage.core.model import AnswerInput, PlanInput
from storage.core.schema import answers, participants, plans, responses
from tests.unit.storage.factories import WORKSHOP_QUESTIONS, dump, host


def test_the_front_door_exports_what_pages_need_once_each() -> None:
    for name in storage.__all__:
        assert getattr(storage, name) is not None, name
    assert len(storage.__all__) == len(set(storage.__all__))
    workshop_api = {"Workshop", "Participant", "Agreement", "open_workshop", "import_answers"}
    assert workshop_api | {"unlock_workshop", "room_view", "Grant", "migrate"} <= set(
        storage.__all__
    )


def test_a_whole_workshop(engine: Engine, bank: Bank) -> None:
    area = storage.create_area(engine, "Testshire", "council")
    digest = storage.save_bank(engine, bank, "bank: {}\n")
    workshop, key = open_workshop(
        engine, area.id, digest, "Leaders", ["P1", "P2"], ["councillor", "resident"], k=2
    )
    assert check_key(engine, workshop.id, key)
    found = find_workshop(engine, workshop.join_code.lower())
    assert found == workshop

    tokens = [join_workshop(engine, found.id, role)[1] for role in ("councillor", "resident")]
    for n, token in enumerate(tokens):
        me = find_participant(engine, token)
        assert me is not None
        response = current_response(engine, me.id)
        level = str(2 + 2 * n)  # 2 and 4
        save_draft(
            engine,
            response.id,
            {q: AnswerInput(level) for q in WORKSHOP_QUESTIONS},
            {"P1": PlanInput(5)},
            step=2,
            allow_submitted=True,
        )
        submit_response(engine, response.id)
    enter_group_response(
        engine, host(engine, workshop.id), workshop.id, "resident", {"p1a": AnswerInput("3")}
    )
    paper = parse_answers(b"respondent_id,question_id,answer\nx,p2a,5\n", "paper.csv", bank)
    assert import_answers(engine, host(engine, workshop.id), workshop.id, paper, bank) == 1
    assert participation(engine, host(engine, workshop.id), workshop.id, 1)[
        "submitted"
    ].tolist() == [1, 2, 1]

    close_round(engine, host(engine, workshop.id), workshop.id)
    assert not can_answer(get_workshop(engine, workshop.id))  # type: ignore[arg-type]
    record_agreement(
        engine,
        host(engine, workshop.id),
        workshop.id,
        1,
        "P1",
        3,
        "agreed",
        note="after discussion",
    )
    assert open_next_round(engine, host(engine, workshop.id), workshop.id) == 2
    me = find_participant(engine, tokens[0])
    assert me is not None
    again = current_response(engine, me.id)
    assert load_draft(engine, again.id).answers["p1a"].answer == "2"
    save_draft(engine, again.id, {"p1a": AnswerInput("3")}, {}, step=1, allow_submitted=True)

    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    scores = group_scores(frame, bank, by=["round"])
    p1 = scores[scores["dimension"] == "P1"].set_index("round")
    # Round 1: P1 scores 2 and 4, and the group 3 (asked only p1a, it answered it).
    assert (p1.loc[1, "n"], p1.loc[1, "median"]) == (3, 3.0)
    # Round 2: only P1 is back, prefilled with 2s, p1a now 3: (3 + 2 + 2 x 2) / 4.
    assert (p1.loc[2, "n"], p1.loc[2, "median"]) == (1, 2.25)
    assert [a.level for a in agreements(engine, workshop.id)] == [3]
    text = dump(engine)
    assert not any(t in text for t in (*tokens, key, key.replace("-", "")))


@pytest.mark.timeout(240)
def test_a_hundred_participants_at_once_lose_nothing(engine: Engine, workshop_hundred) -> None:  # type: ignore[no-untyped-def]
    """100 threads, one Engine: each joins, opens its response, saves a full draft, submits."""
    workshop = workshop_hundred
    count = 100
    barrier = threading.Barrier(count, timeout=120)

    def take_part(n: int) -> tuple[str, str]:
        barrier.wait()
        participant, token = join_workshop(engine, workshop.id, ("councillor", "resident")[n % 2])
        response = current_response(engine, participant.id)
        saved = {
            q: AnswerInput(str(1 + (n + i) % 5), "medium", f"person {n} on {q}")
            for i, q in enumerate(WORKSHOP_QUESTIONS)
        }
        save_draft(engine, response.id, saved, {"P1": PlanInput(1 + n % 5, n % 2 == 0)}, 2)
        submit_response(engine, response.id)
        return token, participant.pseudonym

    with ThreadPoolExecutor(max_workers=count) as pool:
        joined = list(pool.map(take_part, range(count)))

    tokens = [t for t, _ in joined]
    assert len(set(tokens)) == count
    assert sorted(p for _, p in joined) == sorted(f"P{n}" for n in range(1, count + 1))
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(participants)) == count
        assert (
            conn.scalar(sa.select(sa.func.count()).where(responses.c.status == "submitted"))
            == count
        )
        assert conn.scalar(sa.select(sa.func.count()).select_from(answers)) == count * len(
            WORKSHOP_QUESTIONS
        )
        assert conn.scalar(sa.select(sa.func.count()).select_from(plans)) == count
    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert len(frame) == count * len(WORKSHOP_QUESTIONS)
    keys = zip(frame["respondent_id"], frame["question_id"], strict=True)
    evidence = dict(zip(keys, frame["evidence"], strict=True))
    for n, (token, pseudonym) in enumerate(joined):
        me = find_participant(engine, token)
        assert me is not None
        assert me.pseudonym == pseudonym
        for q in WORKSHOP_QUESTIONS:
            assert evidence[(pseudonym, q)] == f"person {n} on {q}"
    assert participation(engine, host(engine, workshop.id), workshop.id, 1)[
        ["role", "joined", "submitted"]
    ].values.tolist() == [
        ["councillor", 50, 50],
        ["resident", 50, 50],
    ]


@pytest.fixture
def workshop_hundred(engine: Engine, bank: Bank):  # type: ignore[no-untyped-def]
    area = storage.create_area(engine, "Testshire", "council")
    digest = storage.save_bank(engine, bank, "bank: {}\n")
    opened, _ = open_workshop(  # expecting 100: all may join in the same few seconds
        engine, area.id, digest, "Town hall", ["P1", "P2"], ["councillor", "resident"], expected=100
    )
    return opened


def test_saves_racing_a_close_are_all_or_nothing(engine: Engine, workshop) -> None:  # type: ignore[no-untyped-def]
    """Saves racing a close land whole or are refused whole: what was reported saved is there."""
    people = [join_workshop(engine, workshop.id, "councillor")[0] for _ in range(20)]
    ids = [current_response(engine, p.id).id for p in people]
    barrier = threading.Barrier(len(ids) + 1, timeout=30)

    def save(response_id: int) -> str:
        barrier.wait()
        try:
            save_draft(engine, response_id, {"p1a": AnswerInput("4")}, {}, 1, allow_submitted=True)
        except InputError as exc:
            return exc.field
        return "saved"

    def close() -> None:
        barrier.wait()
        close_round(engine, host(engine, workshop.id), workshop.id)

    with ThreadPoolExecutor(max_workers=len(ids) + 1) as pool:
        closing = pool.submit(close)
        saved = list(pool.map(save, ids))
        closing.result()
    assert set(saved) <= {"saved", "round"}
    frame = workshop_answers(engine, host(engine, workshop.id), workshop.id)
    assert len(frame) == saved.count("saved")  # every save reported done is there; no others
