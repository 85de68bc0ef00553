"""Drafts: saved at every step, replaced on re-answer, intact after a restart, none lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.drafts import find_draft, load_draft, save_draft, submit_response
from storage.core.engine import make_engine
from storage.core.errors import InputError
from storage.core.model import AnswerInput, Assessment, PlanInput, Workshop
from storage.core.repo import find_response, get_response, start_response
from storage.core.schema import answers as answer_table
from storage.core.schema import responses
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import close_round, open_next_round
from tests.unit.storage.factories import QUESTIONS, answers, host

EVIDENCE = (
    "Café minutes, 3 March: «partners agreed» — see <script>alert('x')</script> & <b>bold</b>\n"
    "\tSecond line\r\nThird; emoji 🙂; Welsh ŵ ŷ; Urdu اردو; quotes \"double\" 'single'  "
)


def started(engine: Engine, assessment: Assessment, role: str = "councillor") -> int:
    return start_response(engine, assessment.id, role)[0].id


def test_round_trip_keeps_every_character(engine: Engine, assessment: Assessment) -> None:
    response_id = started(engine, assessment)
    saved = {
        "p1a": AnswerInput("3", "high", EVIDENCE),
        "p1b": AnswerInput("dk", "low", ""),
        "p1c": AnswerInput("na"),
        "p2a": AnswerInput("", None, "x" * 4000),
    }
    save_draft(engine, response_id, saved, {"P1": PlanInput(4, True)}, step=1)
    draft = load_draft(engine, response_id)
    assert dict(draft.answers) == saved
    assert draft.answers["p1a"].evidence == EVIDENCE  # not escaped, not stripped
    assert dict(draft.plans) == {"P1": PlanInput(4, True)}
    assert (draft.step, draft.status, draft.role, draft.round) == (1, "draft", "councillor", 1)
    assert draft.assessment == assessment
    with pytest.raises(TypeError):
        draft.answers["p1a"] = AnswerInput("1")  # type: ignore[index]


def test_a_resume_code_finds_the_same_draft_in_one_read(
    engine: Engine, assessment: Assessment
) -> None:
    response, token = start_response(engine, assessment.id, "councillor")
    save_draft(engine, response.id, {"p1a": AnswerInput("3", "high", EVIDENCE)}, {}, step=2)
    found = find_draft(engine, token)
    assert found == load_draft(engine, response.id)
    spaced = " ".join(token[i : i + 4] for i in range(0, len(token), 4))
    assert find_draft(engine, spaced) == found  # spaced, as printed on paper
    for wrong in (None, "", "not a code", token[:-1] + ("A" if token[-1] != "A" else "B"), 42):
        assert find_draft(engine, wrong) is None


def test_saving_again_replaces_and_keeps_the_rest(engine: Engine, assessment: Assessment) -> None:
    response_id = started(engine, assessment)
    save_draft(engine, response_id, answers(p1a="2", p1b="3"), {"P1": PlanInput(3)}, step=1)
    save_draft(
        engine,
        response_id,
        {"p1a": AnswerInput("5", "medium", "new evidence")},
        {"P1": PlanInput(None, True), "P2": PlanInput(2)},
        step=2,
    )
    save_draft(engine, response_id, {}, {}, step=1)  # going back a step
    draft = load_draft(engine, response_id)
    assert dict(draft.answers) == {
        "p1a": AnswerInput("5", "medium", "new evidence"),
        "p1b": AnswerInput("3"),
    }
    assert dict(draft.plans) == {"P1": PlanInput(None, True), "P2": PlanInput(2, False)}
    assert draft.step == 1


def test_answers_are_kept_per_response(engine: Engine, assessment: Assessment) -> None:
    first, second = started(engine, assessment), started(engine, assessment, "resident")
    save_draft(engine, first, answers(p1a="1"), {}, step=1)
    save_draft(engine, second, answers(p1a="5"), {}, step=1)
    assert load_draft(engine, first).answers["p1a"].answer == "1"
    assert load_draft(engine, second).answers["p1a"].answer == "5"
    assert load_draft(engine, second).role == "resident"


def test_a_restarted_server_sees_every_saved_answer(
    db_url: str, engine: Engine, assessment: Assessment
) -> None:
    _, token = start_response(engine, assessment.id, "frontline")
    response_id = find_response(engine, token).id  # type: ignore[union-attr]
    saved = {q: AnswerInput(str(1 + i % 5), "medium", f"note {q}") for i, q in enumerate(QUESTIONS)}
    save_draft(engine, response_id, saved, {"T1": PlanInput(3, True)}, step=3)
    engine.dispose()

    restarted = make_engine(db_url)
    try:
        found = find_response(restarted, token)
        assert found is not None
        assert found.id == response_id
        draft = load_draft(restarted, found.id)
        assert dict(draft.answers) == saved
        assert dict(draft.plans) == {"T1": PlanInput(3, True)}
        assert draft.step == 3
    finally:
        restarted.dispose()


def test_submitted_responses_are_locked(engine: Engine, assessment: Assessment) -> None:
    response_id = started(engine, assessment)
    save_draft(engine, response_id, answers(p1a="2"), {}, step=2)
    submit_response(engine, response_id)
    first = get_response(engine, response_id)
    assert first is not None
    assert first.status == "submitted"
    assert first.submitted_at is not None

    with pytest.raises(InputError) as caught:
        save_draft(engine, response_id, answers(p1a="4"), {}, step=3)
    assert caught.value.field == "status"
    assert load_draft(engine, response_id).answers["p1a"].answer == "2"

    submit_response(engine, response_id)  # a second click changes nothing
    assert get_response(engine, response_id) == first

    save_draft(engine, response_id, answers(p1a="4"), {}, step=3, allow_submitted=True)
    draft = load_draft(engine, response_id)
    assert (draft.answers["p1a"].answer, draft.status) == ("4", "submitted")
    assert draft.submitted_at == first.submitted_at


@pytest.mark.parametrize(
    ("saved", "plans", "step", "field"),
    [
        (answers(p1a="6"), {}, 1, "answers.p1a.answer"),
        ({"p1a": AnswerInput("3", "certain")}, {}, 1, "answers.p1a.confidence"),
        ({"p1a": AnswerInput("3", None, "x" * 4001)}, {}, 1, "answers.p1a.evidence"),
        ({"p1a": AnswerInput("3", None, "a\x00b")}, {}, 1, "answers.p1a.evidence"),
        ({"": AnswerInput("3")}, {}, 1, "answers"),
        ({"p1a": "3"}, {}, 1, "answers.p1a"),
        ({}, {"P1": PlanInput(9)}, 1, "plans.P1.target"),
        ({}, {}, -1, "step"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    engine: Engine, assessment: Assessment, saved: dict, plans: dict, step: int, field: str
) -> None:
    response_id = started(engine, assessment)
    good = answers(p1b="4", p1c="5")
    with pytest.raises(InputError) as caught:
        save_draft(engine, response_id, good | saved, plans, step)
    assert caught.value.field == field
    draft = load_draft(engine, response_id)
    assert (dict(draft.answers), draft.step) == ({}, 0)


def test_a_closed_round_refuses_saves_and_submissions(engine: Engine, workshop: Workshop) -> None:
    me, _ = join_workshop(engine, workshop.id, "councillor")
    late, _ = join_workshop(engine, workshop.id, "resident")
    mine = current_response(engine, me.id).id
    theirs = current_response(engine, late.id).id
    save_draft(engine, mine, answers(p1a="2"), {}, step=1, allow_submitted=True)
    submit_response(engine, mine)
    save_draft(engine, mine, answers(p1a="3"), {}, step=1, allow_submitted=True)  # amending
    close_round(engine, host(engine, workshop.id), workshop.id)

    for call in (
        lambda: save_draft(engine, mine, answers(p1a="5"), {}, step=2, allow_submitted=True),
        lambda: save_draft(engine, theirs, answers(p1a="5"), {}, step=1),
        lambda: submit_response(engine, theirs),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == "round"
        assert caught.value.message.startswith("this round has closed (round 1)")
        assert "wait for the facilitator to open the next round" in caught.value.message
    submit_response(engine, mine)  # already submitted: a second click changes nothing
    assert load_draft(engine, mine).answers["p1a"].answer == "3"
    assert load_draft(engine, theirs).status == "draft"

    open_next_round(engine, host(engine, workshop.id), workshop.id)
    with pytest.raises(InputError) as caught:
        save_draft(engine, mine, answers(p1a="5"), {}, step=2, allow_submitted=True)
    assert caught.value.format() == (
        "round: this round has closed (round 1), so its answers can no longer change; "
        "the workshop is now in round 2"
    )
    now_mine = current_response(engine, me.id).id
    save_draft(engine, now_mine, answers(p1a="5"), {}, step=1, allow_submitted=True)
    assert load_draft(engine, now_mine).answers["p1a"].answer == "5"
    assert load_draft(engine, mine).answers["p1a"].answer == "3"


def test_self_assessments_have_no_rounds_to_close(engine: Engine, assessment: Assessment) -> None:
    response_id = started(engine, assessment)
    save_draft(engine, response_id, answers(p1a="2"), {}, step=1)
    submit_response(engine, response_id)
    assert load_draft(engine, response_id).status == "submitted"


def test_unknown_responses(engine: Engine) -> None:
    for call in (
        lambda: save_draft(engine, 999, {}, {}, 1),
        lambda: load_draft(engine, 999),
        lambda: submit_response(engine, 999),
    ):
        with pytest.raises(InputError) as caught:
            call()
        assert caught.value.field == "response_id"


@pytest.mark.timeout(180)
def test_a_hundred_respondents_at_once_lose_nothing(engine: Engine, assessment: Assessment) -> None:
    count = 100
    barrier = threading.Barrier(count, timeout=60)

    def respond(n: int) -> str:
        response, token = start_response(engine, assessment.id, "resident")
        barrier.wait()
        for step, questions in enumerate((QUESTIONS[:4], QUESTIONS[4:]), start=1):
            saved = {
                q: AnswerInput(str(1 + (n + i) % 5), None, f"r{n} {q}")
                for i, q in enumerate(questions)
            }
            save_draft(engine, response.id, saved, {"P1": PlanInput(1 + n % 5)}, step)
        submit_response(engine, response.id)
        return token

    with ThreadPoolExecutor(max_workers=count) as pool:
        tokens = list(pool.map(respond, range(count)))

    assert len(set(tokens)) == count
    with engine.connect() as conn:
        submitted = conn.scalar(sa.select(sa.func.count()).where(responses.c.status == "submitted"))
        saved_answers = conn.scalar(sa.select(sa.func.count()).select_from(answer_table))
    assert submitted == count
    assert saved_answers == count * len(QUESTIONS)
    for n, token in enumerate(tokens):
        response = find_response(engine, token)
        assert response is not None
        draft = load_draft(engine, response.id)
        assert draft.step == 2
        assert {q: a.evidence for q, a in draft.answers.items()} == {
            q: f"r{n} {q}" for q in QUESTIONS
        }
