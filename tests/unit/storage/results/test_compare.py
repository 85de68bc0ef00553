"""What Compare lists and scores: published entries only, nothing under its k rule, and only
for an administrator."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.columns import STORED_COLUMNS
from common.scopes import ROOM
from questions.model import Bank
from scoring.engine import group_scores
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.drafts import save_draft, submit_response
from storage.core.errors import InputError
from storage.core.model import Area, Assessment, Workshop
from storage.core.repo import create_area, create_assessment, save_bank, start_response
from storage.core.schema import answers, areas, responses, room_views
from storage.results.compare import (
    COMPARABLE_COLUMNS,
    answer_stamps,
    assessment_answers,
    comparable_assessments,
    many_stamp,
)
from storage.results.publish import publish_assessment, publish_round, record_publication
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import close_round, open_next_round
from storage.workshop.roomviews import room_view
from tests.unit.storage.factories import BANK_SOURCE, small_bank
from tests.unit.storage.factories import answers as given
from tests.unit.storage.results.test_publish import ADMIN, fill, host


def respond(engine: Engine, assessment_id: int, submit: bool = True, **values: str) -> str:
    """One response; returns its resume code."""
    response, token = start_response(engine, assessment_id, "councillor")
    save_draft(engine, response.id, given(**values), {}, step=1)
    if submit:
        submit_response(engine, response.id)
    return token


def publish_as_imported(engine: Engine, assessment_id: int) -> None:
    """What an administrator's import does (storage.results.imports) for an assessment made here."""
    with engine.begin() as conn:
        record_publication(conn, assessment_id, 1, 0)


def test_the_list_has_one_row_per_published_entry(
    engine: Engine, bank: Bank, area: Area, assessment: Assessment
) -> None:
    ward = create_area(engine, "Abbey ward", "ward", "E05000001", parent_id=area.id)
    later = create_assessment(
        engine, ward.id, "quick", assessment.bank_hash, "imported", "Round 2", date(2026, 3, 1)
    )
    early = create_assessment(
        engine, ward.id, "quick", assessment.bank_hash, title="Spring", held_on=date(2025, 3, 1)
    )
    unpublished = create_assessment(engine, ward.id, "quick", assessment.bank_hash)
    respond(engine, unpublished.id, p1a="4")  # finished, never published: not listed
    publish_assessment(engine, respond(engine, assessment.id, p1a="3", p1b="dk"))
    for _ in range(3):
        respond(engine, later.id, p1a="4")
    publish_as_imported(engine, later.id)
    publish_assessment(engine, respond(engine, early.id, p1a="2"))
    newer = small_bank("c" * 64)
    other = create_assessment(engine, area.id, "full", save_bank(engine, newer, BANK_SOURCE))
    publish_assessment(engine, respond(engine, other.id, t1a="5"))

    listed = comparable_assessments(engine, ADMIN)
    assert tuple(listed.columns) == COMPARABLE_COLUMNS
    assert listed["assessment_id"].tolist() == [early.id, later.id, assessment.id, other.id]
    first = listed.iloc[0].to_dict()
    assert first == first | {
        "area_id": ward.id, "area_name": "Abbey ward", "area_kind": "ward",
        "ons_code": "E05000001", "parent_id": area.id, "parent_name": area.name,
        "kind": "self", "entry": "self", "round": 1, "form_id": "quick", "title": "Spring",
        "held_on": date(2025, 3, 1), "respondents": 1,
        "bank_hash": assessment.bank_hash, "bank_version": "1", "demo": False,
    }  # fmt: skip
    council = listed.iloc[2]
    assert council["respondents"] == 1
    assert council["parent_name"] is None
    assert pd.isna(council["parent_id"])
    assert council["title"] is None
    assert council["held_on"] is None
    assert listed["entry"].tolist() == ["self", "imported", "self", "self"]
    assert listed["respondents"].tolist() == [1, 3, 1, 1]
    assert listed["bank_hash"].tolist()[-1] == "c" * 64
    assert str(listed["created_at"].dtype) == "datetime64[us, UTC]"
    assert str(listed["published_at"].dtype) == "datetime64[us, UTC]"
    assert listed["demo"].dtype == bool
    assert str(listed["parent_id"].dtype) == "Int64"


def test_an_empty_database_lists_nothing(engine: Engine) -> None:
    listed = comparable_assessments(engine, ADMIN)
    assert listed.empty
    assert tuple(listed.columns) == COMPARABLE_COLUMNS


def test_only_an_administrator_may_compare(engine: Engine, assessment: Assessment) -> None:
    token = respond(engine, assessment.id, p1a="3")
    publish_assessment(engine, token)
    gone = Grant("admin", admin="removed@example.org", via="local")  # no such local account
    for grant in (ANYONE, Grant("owner", token=token), gone):
        with pytest.raises(AccessDenied):
            comparable_assessments(engine, grant)
        with pytest.raises(AccessDenied):
            assessment_answers(engine, grant, assessment.id)
        with pytest.raises(AccessDenied):
            answer_stamps(engine, grant, [(assessment.id, 1)])
        with pytest.raises(AccessDenied):
            answer_stamps(engine, grant, [])  # refused even when asking for nothing
        with pytest.raises(AccessDenied):
            many_stamp(engine, grant, [])


def test_a_published_self_assessment_s_answers_are_its_finished_ones(
    engine: Engine, bank: Bank, assessment: Assessment
) -> None:
    token = respond(engine, assessment.id, p1a="3", p1b="4", p1c="2")
    respond(engine, assessment.id, submit=False, p1a="5", p1b="dk", p1c="4")  # a draft: left out
    with pytest.raises(InputError):  # not published yet
        assessment_answers(engine, ADMIN, assessment.id)
    publish_assessment(engine, token)
    frame = assessment_answers(engine, ADMIN, assessment.id)
    assert tuple(frame.columns) == STORED_COLUMNS
    assert frame["respondent_id"].tolist() == ["R1"] * 3
    scores = group_scores(frame, bank)
    assert scores.loc[scores["dimension"] == "P1", "n"].item() == 1


def test_drafts_open_rounds_and_rounds_under_k_never_appear(
    engine: Engine, bank: Bank, workshop: Workshop, assessment: Assessment
) -> None:
    respond(engine, assessment.id, submit=False, p1a="3")  # a draft, never published
    grant = host(engine, workshop.id)
    fill(engine, workshop, 2)
    with engine.begin() as conn:  # even if a publication were written for the open round
        record_publication(conn, workshop.assessment_id, 1, 2)
    assert comparable_assessments(engine, ADMIN).empty
    close_round(engine, grant, workshop.id)
    assert comparable_assessments(engine, ADMIN).empty  # closed, but 2 people under k=3
    with pytest.raises(InputError):
        assessment_answers(engine, ADMIN, workshop.assessment_id)


def test_a_workshop_entry_is_one_closed_round(
    engine: Engine, bank: Bank, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    people = [join_workshop(engine, workshop.id, "resident")[0] for _ in range(4)]
    for person, level in zip(people, ("2", "3", "4", "1"), strict=True):
        response = current_response(engine, person.id)
        save_draft(engine, response.id, given(p1a=level), {}, 1)
        if level != "1":  # the fourth never sent: a draft, never in Compare
            submit_response(engine, response.id)
    close_round(engine, grant, workshop.id)
    publish_round(engine, grant, workshop.id, 1)
    open_next_round(engine, grant, workshop.id)
    again = current_response(engine, people[0].id)  # round 2, open: never in Compare
    save_draft(engine, again.id, given(p1a="5"), {}, step=1, allow_submitted=True)

    listed = comparable_assessments(engine, ADMIN)
    assert listed[["entry", "round", "respondents"]].values.tolist() == [["workshop", 1, 3]]
    assert listed["title"].tolist() == [workshop.title]
    frame = assessment_answers(engine, ADMIN, workshop.assessment_id)
    assert tuple(frame.columns) == STORED_COLUMNS
    assert set(frame["round"]) == {1}
    assert frame.loc[frame["question_id"] == "p1a", "answer"].tolist() == ["2", "3", "4"]
    with pytest.raises(InputError):
        assessment_answers(engine, ADMIN, workshop.assessment_id, round=2)


def test_imported_entries_need_three_people_or_exactly_one(
    engine: Engine, area: Area, assessment: Assessment
) -> None:
    made = {}
    for n in (1, 2, 3):
        made[n] = create_assessment(engine, area.id, "quick", assessment.bank_hash, "imported")
        for _ in range(n):
            respond(engine, made[n].id, p1a="3")
        publish_as_imported(engine, made[n].id)
    listed = comparable_assessments(engine, ADMIN)
    assert sorted(listed["respondents"]) == [1, 3]
    assert made[2].id not in set(listed["assessment_id"])


def test_demo_areas_are_flagged(engine: Engine, area: Area, assessment: Assessment) -> None:
    publish_assessment(engine, respond(engine, assessment.id, p1a="3"))
    with engine.begin() as conn:
        conn.execute(sa.update(areas).values(demo=True))
    listed = comparable_assessments(engine, ADMIN)
    assert listed["demo"].tolist() == [True]
    assert listed["entry"].tolist() == ["self"]  # a real assessment, whatever its area


def test_unknown_assessments_are_refused(engine: Engine) -> None:
    for bad in (999, 0, "1"):
        with pytest.raises(InputError) as caught:
            assessment_answers(engine, ADMIN, bad)  # type: ignore[arg-type]
        assert caught.value.field == "assessment_id"


def test_a_workshop_entry_is_what_the_room_was_shown_never_more(
    engine: Engine, workshop: Workshop
) -> None:
    """Three sent and the room saw them; a fourth sent just before the close. One person is
    fewer than k, so the room never saw the fourth: neither does Compare (else comparing the
    two would show that one person's answers)."""
    grant = host(engine, workshop.id)
    fill(engine, workshop, 3)
    assert room_view(engine, grant, workshop.id).people == 3  # the dashboard refreshed
    fill(engine, workshop, 1)
    close_round(engine, grant, workshop.id)
    published = publish_round(engine, grant, workshop.id, 1)
    assert published.people == 3
    [entry] = comparable_assessments(engine, ADMIN).to_dict("records")
    assert entry["respondents"] == 3
    shown = assessment_answers(engine, ADMIN, workshop.assessment_id)
    assert sorted(shown["respondent_id"].unique()) == ["P1", "P2", "P3"]


def test_a_self_assessment_s_stamp_moves_with_every_change_to_its_sent_answers(
    engine: Engine, assessment: Assessment
) -> None:
    """Each change `assessment_answers` would show moves the stamp (counts catch deletions);
    a draft's answers do not. Some changes are written here as no page writes them, so that
    each part of the stamp is needed."""
    early = [start_response(engine, assessment.id, "councillor")[0] for _ in range(2)]
    first = respond(engine, assessment.id, p1a="3", p1b="4")  # R3: the drafts started first
    publish_assessment(engine, first)
    entry = (assessment.id, 1)
    seen: list[object] = []
    shown: list[pd.DataFrame] = []

    def stamp() -> object:
        return answer_stamps(engine, ADMIN, [entry])[entry]

    def moved() -> None:
        now = stamp()
        assert now not in seen
        assert stamp() == now  # steady while nothing changes
        seen.append(now)
        shown.append(assessment_answers(engine, ADMIN, *entry))

    def write(*statements: sa.Executable) -> None:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(statement)

    def later(column: sa.Column[Any], *where: sa.ColumnElement[bool]) -> Any:
        with engine.connect() as conn:
            latest = conn.execute(sa.select(sa.func.max(column)).where(*where)).scalar()
        return latest + pd.Timedelta(seconds=1)

    moved()
    save_draft(engine, early[0].id, given(p1a="5"), {}, step=1)
    assert stamp() == seen[-1]  # a draft's answers never reach Compare
    respond(engine, assessment.id, p1a="2", p1b="2")
    moved()  # a new sent response
    with engine.connect() as conn:
        ids = conn.scalars(
            sa.select(responses.c.id)
            .where(responses.c.assessment_id == assessment.id, responses.c.status == "submitted")
            .order_by(responses.c.id)
        ).all()
    save_draft(engine, ids[-1], given(p1a="1"), {}, step=1, allow_submitted=True)
    moved()  # a changed answer (as a workshop's amendment writes it)
    mine = answers.c.response_id == ids[-1]
    write(
        sa.update(answers)
        .where(mine, answers.c.question_id == "p1a")
        .values(answer="4", updated_at=later(answers.c.updated_at, mine))
    )
    moved()  # a changed answer, its response untouched
    theirs = responses.c.id == ids[-1]
    write(
        sa.update(responses)
        .where(theirs)
        .values(role="officer", updated_at=later(responses.c.updated_at, theirs))
    )
    moved()  # a sent response's role
    older = answers.c.response_id == ids[0]
    write(sa.delete(answers).where(older, answers.c.question_id == "p1b"))
    moved()  # a deleted answer, not the latest
    write(
        sa.delete(answers).where(answers.c.response_id == early[0].id),
        sa.delete(responses).where(responses.c.id == early[0].id),
    )
    moved()  # a deleted draft: the sent ones are numbered again
    write(sa.delete(responses).where(responses.c.id == early[1].id))
    start_response(engine, assessment.id, "councillor")
    moved()  # as many responses as before, numbered again
    write(sa.delete(answers).where(older), sa.delete(responses).where(responses.c.id == ids[0]))
    moved()  # a deleted sent response
    assert all(not a.equals(b) for a, b in pairwise(shown))  # each changed the answers


def test_a_workshop_round_s_stamp_is_the_room_s_stored_view(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    fill(engine, workshop, 3)
    assert room_view(engine, grant, workshop.id).people == 3
    close_round(engine, grant, workshop.id)
    publish_round(engine, grant, workshop.id, 1)
    entry = (workshop.assessment_id, 1)
    before = answer_stamps(engine, ADMIN, [entry])[entry]
    assert answer_stamps(engine, ADMIN, [entry])[entry] == before
    with engine.begin() as conn:  # the view taken again (same people, later)
        view = sa.select(room_views.c.taken_at).where(
            room_views.c.workshop_id == workshop.id, room_views.c.scope == ROOM
        )
        taken = conn.execute(view).scalar_one()
        conn.execute(
            sa.update(room_views)
            .where(room_views.c.workshop_id == workshop.id, room_views.c.scope == ROOM)
            .values(taken_at=taken + pd.Timedelta(seconds=1))
        )
    after = answer_stamps(engine, ADMIN, [entry])[entry]
    assert after != before
    with engine.begin() as conn:
        conn.execute(
            sa.update(room_views)
            .where(room_views.c.workshop_id == workshop.id, room_views.c.scope == ROOM)
            .values(people=4)
        )
    assert answer_stamps(engine, ADMIN, [entry])[entry] not in (before, after)


def test_only_entries_in_compare_get_a_stamp(
    engine: Engine, workshop: Workshop, assessment: Assessment
) -> None:
    grant = host(engine, workshop.id)
    fill(engine, workshop, 3)
    room_view(engine, grant, workshop.id)
    close_round(engine, grant, workshop.id)
    publish_round(engine, grant, workshop.id, 1)
    open_next_round(engine, grant, workshop.id)
    fill(engine, workshop, 3)
    token = respond(engine, assessment.id, p1a="3")  # sent, not published yet
    asked = [(workshop.assessment_id, 1), (workshop.assessment_id, 2), (assessment.id, 1)]
    assert list(answer_stamps(engine, ADMIN, [*asked, (999, 1)])) == [asked[0]]
    publish_assessment(engine, token)
    assert set(answer_stamps(engine, ADMIN, asked)) == {asked[0], asked[2]}
    assert answer_stamps(engine, ADMIN, [(assessment.id, 2)]) == {}  # a self-assessment has one
    for bad in ([(0, 1)], [(1, 0)], [("1", 1)]):
        with pytest.raises(InputError):
            answer_stamps(engine, ADMIN, bad)  # type: ignore[arg-type]


def test_the_same_entries_give_the_same_frame_and_a_change_a_new_one(
    engine: Engine, area: Area, assessment: Assessment
) -> None:
    """Compare keeps what it worked out with the frame of entries it was given (its change
    check): the very same object while the entries stand, another as soon as one changes."""
    made = create_assessment(engine, area.id, "quick", assessment.bank_hash, "imported")
    for _ in range(3):
        respond(engine, made.id, p1a="3")
    publish_as_imported(engine, made.id)
    first = comparable_assessments(engine, ADMIN)
    assert comparable_assessments(engine, ADMIN) is first
    respond(engine, made.id, p1a="4")  # a fourth person: the entry's count changes
    again = comparable_assessments(engine, ADMIN)
    assert again is not first
    assert list(again["respondents"]) == [4]
    assert list(first["respondents"]) == [3]  # the frame handed out before is as it was


def test_one_stamp_of_many_entries_moves_with_what_any_of_them_shows(
    engine: Engine, assessment: Assessment
) -> None:
    """many_stamp: steady while nothing changes; moved by a new sent response, a re-saved
    answer (a page's write stamps its response) and a deleted response, in any entry."""
    first = respond(engine, assessment.id, p1a="3", p1b="4")
    publish_assessment(engine, first)
    entries = [(assessment.id, 1)]
    seen = [many_stamp(engine, ADMIN, entries)]
    assert many_stamp(engine, ADMIN, entries) == seen[-1]
    draft = start_response(engine, assessment.id, "councillor")[0]
    save_draft(engine, draft.id, given(p1a="5"), {}, step=1)
    respond(engine, assessment.id, p1a="2", p1b="2")
    with engine.connect() as conn:
        sent = conn.scalars(
            sa.select(responses.c.id).where(responses.c.status == "submitted")
        ).all()

    def moved() -> None:
        now = many_stamp(engine, ADMIN, entries)
        assert now not in seen
        assert many_stamp(engine, ADMIN, entries) == now
        seen.append(now)

    moved()  # a draft started and a response sent
    save_draft(engine, sent[-1], given(p1a="1"), {}, step=1, allow_submitted=True)
    moved()  # a sent answer saved again
    with engine.begin() as conn:
        conn.execute(sa.delete(answers).where(answers.c.response_id == sent[0]))
        conn.execute(sa.delete(responses).where(responses.c.id == sent[0]))
    moved()  # a sent response deleted
    assert many_stamp(engine, ADMIN, []) == ()
