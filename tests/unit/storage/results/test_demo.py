"""The demo dataset: fictional, realistic, the same every load, an administrator's to load and
remove, and removed without a trace and without touching anything real, whatever its name."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions import load_instrument
from questions.model import Bank
from scoring.engine import group_scores
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.drafts import save_draft
from storage.core.errors import InputError
from storage.core.groups import create_group, list_groups, set_group_members
from storage.core.model import Assessment
from storage.core.repo import (
    create_area,
    create_assessment,
    get_area,
    list_areas,
    list_assessments,
    save_bank,
    start_response,
)
from storage.core.schema import areas
from storage.results import demo
from storage.results.compare import assessment_answers, comparable_assessments
from storage.results.demo import DEMO_AREAS, DEMO_DATES, has_demo, load_demo, remove_demo
from storage.results.frames import workshop_answers
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import get_workshop, open_workshop
from tests.unit.storage.factories import answers as given
from tests.unit.storage.factories import dump
from tests.unit.storage.results.test_publish import ADMIN, host

REAL_BANK = load_instrument().bank


@pytest.fixture
def real_bank() -> Bank:
    assert REAL_BANK is not None
    return REAL_BANK


@pytest.fixture
def real_hash(engine: Engine, real_bank: Bank) -> str:
    return save_bank(engine, real_bank, "# the shipped bank\n")


def test_the_demo_is_labelled_fictional(engine: Engine, real_bank: Bank, real_hash: str) -> None:
    assert not has_demo(engine)
    assert load_demo(engine, ADMIN, real_bank, real_hash) == len(DEMO_AREAS)
    assert has_demo(engine)
    found = list_areas(engine)
    assert 6 <= len(found) <= 8
    assert all(a.demo for a in found)
    assert all(a.name.startswith("Demo: ") and a.name.endswith("(fictional)") for a in found)
    assert all(a.ons_code is None for a in found)
    by_id = {a.id: a for a in found}
    wards = [a for a in found if a.kind == "ward"]
    assert len(wards) == 2
    assert {by_id[w.parent_id].kind for w in wards if w.parent_id} == {"council"}
    assert len({a.kind for a in found}) >= 4


def test_two_years_of_full_assessments(engine: Engine, real_bank: Bank, real_hash: str) -> None:
    load_demo(engine, ADMIN, real_bank, real_hash)
    listed = comparable_assessments(engine, ADMIN)
    assert len(listed) == 2 * len(DEMO_AREAS)
    assert sorted(set(listed["held_on"])) == list(DEMO_DATES)
    assert listed["respondents"].between(5, 9).all()
    assert set(listed["kind"]) == {"self"}
    assert listed["demo"].all()
    full = {q.id for q in real_bank.form_questions("full")}
    answers = [assessment_answers(engine, ADMIN, i) for i in listed["assessment_id"]]
    for frame in answers:
        assert set(frame["question_id"]) == full
        assert frame.groupby("respondent_id")["question_id"].nunique().eq(len(full)).all()
    every = [a for frame in answers for a in frame["answer"]]
    share = {value: every.count(value) / len(every) for value in set(every)}
    assert set(share) == {"1", "2", "3", "4", "5", "dk", "na"}
    assert 0.03 < share["dk"] < 0.12
    assert 0.01 < share["na"] < 0.06


def test_some_areas_improve_in_year_two(engine: Engine, real_bank: Bank, real_hash: str) -> None:
    load_demo(engine, ADMIN, real_bank, real_hash)
    listed = comparable_assessments(engine, ADMIN)
    level = {}
    for row in listed.itertuples():
        scores = group_scores(assessment_answers(engine, ADMIN, row.assessment_id), real_bank)
        level[(row.area_name, row.held_on)] = scores["median"].mean()
    change = {
        name: level[(name, DEMO_DATES[1])] - level[(name, DEMO_DATES[0])]
        for name in {n for n, _ in level}
    }
    assert sum(c >= 0.5 for c in change.values()) >= 3
    assert sum(c < 0.2 for c in change.values()) >= 2
    assert all(1.0 <= v <= 5.0 for v in level.values())


def test_loading_again_adds_nothing_and_gives_the_same_numbers(
    engine: Engine, real_bank: Bank, real_hash: str
) -> None:
    load_demo(engine, ADMIN, real_bank, real_hash)
    first = dump(engine)
    assert load_demo(engine, ADMIN, real_bank, real_hash) == 0
    assert dump(engine) == first

    def answers() -> list[list[str]]:
        ids = comparable_assessments(engine, ADMIN)["assessment_id"]
        return [assessment_answers(engine, ADMIN, i)["answer"].tolist() for i in ids]

    before = answers()
    assert remove_demo(engine, ADMIN) == len(DEMO_AREAS)
    assert not has_demo(engine)
    load_demo(engine, ADMIN, real_bank, real_hash)
    assert answers() == before  # seeded: the same numbers every load


def test_two_loads_at_once_make_one_demo(
    engine: Engine, bank: Bank, assessment: Assessment
) -> None:
    barrier = threading.Barrier(2)
    added: list[int] = []

    def load() -> None:
        barrier.wait()
        added.append(load_demo(engine, ADMIN, bank, bank.content_hash))

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(added) == [0, len(DEMO_AREAS)]
    assert sum(a.demo for a in list_areas(engine)) == len(DEMO_AREAS)


def test_a_missing_demo_area_is_put_back(
    engine: Engine, bank: Bank, assessment: Assessment
) -> None:
    """The small bank has no forms: the demo then asks every question."""
    load_demo(engine, ADMIN, bank, bank.content_hash)
    ward = next(a for a in list_areas(engine) if a.name == DEMO_AREAS[1].name)
    with engine.begin() as conn:  # as if someone had deleted one ward
        conn.execute(sa.update(areas).where(areas.c.id == ward.id).values(demo=False))
    assert load_demo(engine, ADMIN, bank, bank.content_hash) == 1
    wards = [a for a in list_areas(engine) if a.name == ward.name]
    assert [a.demo for a in wards] == [False, True]
    assert wards[1].parent_id == ward.parent_id


def test_remove_demo_leaves_real_data_untouched(
    engine: Engine, real_bank: Bank, real_hash: str
) -> None:
    leeds = create_area(engine, "Leeds City Council", "council", "E08000035")
    create_area(engine, "Headingley", "ward", parent_id=leeds.id)
    real = create_assessment(engine, leeds.id, "full", real_hash, held_on=date(2025, 3, 15))
    response, _ = start_response(engine, real.id, "councillor")
    save_draft(engine, response.id, given(**{"P1.1": "3"}), {}, step=1)
    group = create_group(engine, ADMIN, "Neighbours", [leeds.id])
    real_room, _ = open_workshop(engine, leeds.id, real_hash, "Real room", ["P1"], ["resident"])
    person, _ = join_workshop(engine, real_room.id, "resident")
    current_response(engine, person.id)
    before = dump(engine)

    load_demo(engine, ADMIN, real_bank, real_hash)
    made_up = [a for a in list_areas(engine) if a.demo]
    set_group_members(engine, ADMIN, group.id, [leeds.id])  # a real group, untouched
    create_group(engine, ADMIN, "Demo only", [made_up[1].id])

    assert remove_demo(engine, ADMIN) == len(DEMO_AREAS)
    assert [g.name for g in list_groups(engine, ADMIN)] == ["Demo only", "Neighbours"]
    assert list_groups(engine, ADMIN)[0].area_ids == ()  # a user's group stays, emptied
    with engine.begin() as conn:  # drop the group made after `before`, to compare the rest
        conn.execute(sa.text("DELETE FROM area_groups WHERE name = 'Demo only'"))
    assert dump(engine) == before
    assert remove_demo(engine, ADMIN) == 0


def test_a_real_workshop_on_a_demo_area_s_name_survives_removal(
    engine: Engine, real_bank: Bank, real_hash: str
) -> None:
    """Issue 12: removing the demo also deleted a real workshop whose area shared a demo
    area's name (the Open a workshop page reuses an area typed by its name)."""
    load_demo(engine, ADMIN, real_bank, real_hash)
    council = next(a for a in list_areas(engine) if a.name == DEMO_AREAS[0].name)
    room, _ = open_workshop(engine, council.id, real_hash, "A real room", ["P1"], ["resident"])
    guest, _ = join_workshop(engine, room.id, "resident")
    save_draft(engine, current_response(engine, guest.id).id, given(**{"P1.1": "4"}), {}, 1)
    mine = create_assessment(engine, council.id, "quick", real_hash)  # someone's self-assessment
    group = create_group(engine, ADMIN, "Has the real one", [council.id])

    assert remove_demo(engine, ADMIN) == len(DEMO_AREAS) - 1
    assert not has_demo(engine)
    assert get_workshop(engine, room.id) is not None
    assert [a.id for a in list_assessments(engine)] == [mine.id, room.assessment_id]
    kept = get_area(engine, council.id)
    assert kept is not None
    assert not kept.demo
    assert kept.parent_id is None
    assert list_groups(engine, ADMIN)[0].area_ids == group.area_ids == (council.id,)
    assert len(workshop_answers(engine, host(engine, room.id), room.id)) == 1
    assert load_demo(engine, ADMIN, real_bank, real_hash) == len(DEMO_AREAS)  # all come back


def test_only_an_administrator_loads_or_removes_the_demo(
    engine: Engine, real_bank: Bank, real_hash: str
) -> None:
    gone = Grant("admin", admin="removed@example.org", via="local")
    for grant in (ANYONE, Grant("facilitator", workshop_id=1), gone):
        with pytest.raises(AccessDenied):
            load_demo(engine, grant, real_bank, real_hash)
    assert not has_demo(engine)
    load_demo(engine, ADMIN, real_bank, real_hash)
    for grant in (ANYONE, Grant("owner", token="x"), gone):
        with pytest.raises(AccessDenied):
            remove_demo(engine, grant)
    assert has_demo(engine)


def test_the_demo_is_published_to_compare(engine: Engine, real_bank: Bank, real_hash: str) -> None:
    load_demo(engine, ADMIN, real_bank, real_hash)
    listed = comparable_assessments(engine, ADMIN)
    assert set(listed["entry"]) == {"demo"}
    remove_demo(engine, ADMIN)
    assert comparable_assessments(engine, ADMIN).empty


def test_a_real_area_left_inside_a_demo_one_is_kept(
    engine: Engine, real_bank: Bank, real_hash: str
) -> None:
    load_demo(engine, ADMIN, real_bank, real_hash)
    council = next(a for a in list_areas(engine) if a.kind == "council")
    real = create_area(engine, "Leeds", "ward")
    with engine.begin() as conn:  # storage refuses this; an old database might hold it
        conn.execute(sa.update(areas).where(areas.c.id == real.id).values(parent_id=council.id))
    remove_demo(engine, ADMIN)
    assert [(a.name, a.parent_id) for a in list_areas(engine)] == [("Leeds", None)]


def test_the_bank_must_be_saved(engine: Engine, real_bank: Bank) -> None:
    with pytest.raises(InputError) as caught:
        load_demo(engine, ADMIN, real_bank, "d" * 64)
    assert caught.value.field == "bank_hash"
    assert not has_demo(engine)
    with pytest.raises(InputError) as caught:
        load_demo(engine, ADMIN, real_bank, "not a hash")
    assert caught.value.field == "content_hash"


def test_the_generator_is_seeded() -> None:
    assert demo.SEED == 20101201
    assert (date(2025, 3, 15), date(2026, 3, 15)) == DEMO_DATES
