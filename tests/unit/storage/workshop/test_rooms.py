"""Opening workshops, finding them by code, the facilitator key, and the rounds."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core import codes
from storage.core.access import ANYONE, AccessDenied, Grant, grant_holds, unlock_workshop
from storage.core.codes import normalise_key
from storage.core.engine import reading, writing
from storage.core.errors import InputError
from storage.core.model import Area, Workshop
from storage.core.repo import create_area, get_assessment, list_assessments, save_bank
from storage.core.schema import workshops
from storage.results.lifecycle import delete_workshop
from storage.workshop import rooms
from storage.workshop.rooms import (
    MODULES_FORM,
    can_answer,
    check_key,
    close_round,
    find_workshop,
    get_workshop,
    list_workshops,
    lock_joining,
    open_next_round,
    open_workshop,
    set_expected,
)
from tests.unit.storage.factories import BANK_SOURCE, ROLES, dump, host


def bank_hash(engine: Engine, bank: Bank) -> str:
    return save_bank(engine, bank, BANK_SOURCE)


# --- Opening -----------------------------------------------------------------


def test_opening_makes_a_workshop_assessment(
    engine: Engine, opened: tuple[Workshop, str], area: Area, bank: Bank
) -> None:
    workshop, key = opened
    assert workshop.title == "Leadership team, March"
    assert workshop.area_id == area.id
    assert workshop.dimensions == ("P1", "P2")
    assert workshop.roles == ROLES
    assert (workshop.k, workshop.current_round, workshop.round_open) == (3, 1, True)
    assert workshop.form_id is None
    assessment = get_assessment(engine, workshop.assessment_id)
    assert assessment is not None
    assert (assessment.kind, assessment.area_id, assessment.title) == (
        "workshop",
        area.id,
        workshop.title,
    )
    assert assessment.form_id == MODULES_FORM
    assert assessment.bank_hash == bank.content_hash
    assert get_workshop(engine, workshop.id) == workshop
    assert normalise_key(key) is not None


def test_one_form_is_remembered_and_order_kept(engine: Engine, area: Area, bank: Bank) -> None:
    workshop, _ = open_workshop(
        engine,
        area.id,
        bank_hash(engine, bank),
        "  Quick check  ",
        ["P2", "T1", "P1", "T1"],  # two modules sharing T1 ask it once
        ["resident", "councillor", "resident"],
        k=5,
        form_id="quick",
    )
    assert workshop.title == "Quick check"
    assert workshop.dimensions == ("P2", "T1", "P1")
    assert workshop.roles == ("resident", "councillor")
    assert (workshop.form_id, workshop.k) == ("quick", 5)
    assert get_assessment(engine, workshop.assessment_id).form_id == "quick"  # type: ignore[union-attr]
    assert get_workshop(engine, workshop.id) == workshop


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\nb"}, "title"),
        ({"dimensions": []}, "dimensions"),
        ({"dimensions": "P1"}, "dimensions"),
        ({"dimensions": ["P1", " P2"]}, "dimensions"),
        ({"roles": []}, "roles"),
        ({"roles": [None]}, "roles"),
        ({"k": 1}, "k"),
        ({"k": 51}, "k"),
        ({"k": True}, "k"),
        ({"k": "3"}, "k"),
        ({"form_id": ""}, "form_id"),
        ({"area_id": 999}, "area_id"),
        ({"bank_hash": "c" * 64}, "bank_hash"),
        ({"bank_hash": "nope"}, "content_hash"),
        ({"consensus_rule": "delphi"}, "consensus_rule"),
        ({"consensus_rule": None}, "consensus_rule"),
        ({"consensus_rule": "ladder; DROP TABLE workshops"}, "consensus_rule"),
    ],
)
def test_bad_workshops_name_the_field_and_write_nothing(
    engine: Engine, area: Area, bank: Bank, change: dict, field: str
) -> None:
    given = {
        "area_id": area.id,
        "bank_hash": bank_hash(engine, bank),
        "title": "Workshop",
        "dimensions": ["P1"],
        "roles": ["councillor"],
        "k": 3,
        "form_id": None,
    }
    with pytest.raises(InputError) as caught:
        open_workshop(engine, **(given | change))
    assert caught.value.field == field
    assert list_workshops(engine) == []
    assert list_assessments(engine) == []


def test_a_join_code_collision_is_retried(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = codes.normalise_code(workshop.join_code)
    drawn = iter([taken, taken, "ABCDEFG"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second, _ = open_workshop(engine, area.id, bank.content_hash, "Second", ["P1"], ["councillor"])
    assert second.join_code == "ABC-DEFG"
    assert [w.title for w in list_workshops(engine)] == ["Second", workshop.title]
    assert len(list_assessments(engine)) == 2  # the failed attempts left no assessment


def test_collisions_past_the_limit_raise(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = codes.normalise_code(workshop.join_code)
    monkeypatch.setattr(codes, "new_code", lambda: taken)
    with pytest.raises(sa.exc.IntegrityError):
        open_workshop(engine, area.id, bank.content_hash, "Again", ["P1"], ["councillor"])
    assert len(list_workshops(engine)) == 1


def test_list_workshops_newest_first_and_by_area(
    engine: Engine, workshop: Workshop, bank: Bank
) -> None:
    ward = create_area(engine, "Dodworth", "ward")
    later, _ = open_workshop(engine, ward.id, bank.content_hash, "Ward walk", ["P1"], ["resident"])
    assert list_workshops(engine) == [later, workshop]
    assert list_workshops(engine, area_id=ward.id) == [later]
    assert list_workshops(engine, area_id=workshop.area_id) == [workshop]
    assert list_workshops(engine, area_id=999) == []


# --- Finding by code -----------------------------------------------------------


def variants(code: str) -> Iterator[str]:
    plain = code.replace("-", "")
    yield code
    yield code.lower()
    yield plain
    yield f"  {plain[:2]} {plain[2:5]} {plain[5:]}  "
    yield "-".join(plain)


def test_find_by_code_typed_any_way(engine: Engine, workshop: Workshop) -> None:
    assert len(workshop.join_code) == 8
    assert workshop.join_code[3] == "-"
    for typed in variants(workshop.join_code):
        assert find_workshop(engine, typed) == workshop, typed


def test_a_wrong_or_malformed_code_is_none(engine: Engine, workshop: Workshop) -> None:
    plain = workshop.join_code.replace("-", "")
    other = next(c for c in codes.CODE_ALPHABET if c != plain[-1])
    for typed in (plain[:-1] + other, "", "ABC", None, 42, "0" * 7, "'; drop table workshops"):
        assert find_workshop(engine, typed) is None
    assert find_workshop(engine, workshop.join_code) == workshop


def test_get_workshop_of_nothing(engine: Engine) -> None:
    assert get_workshop(engine, 999) is None
    assert get_workshop(engine, "1") is None  # type: ignore[arg-type]


# --- The facilitator key -------------------------------------------------------


def test_the_key_opens_its_own_workshop_only(
    engine: Engine, opened: tuple[Workshop, str], area: Area, bank: Bank
) -> None:
    workshop, key = opened
    other, other_key = open_workshop(engine, area.id, bank.content_hash, "B", ["P1"], ["resident"])
    assert check_key(engine, workshop.id, key)
    assert check_key(engine, workshop.id, key.lower().replace("-", " "))
    assert check_key(engine, other.id, other_key)
    assert not check_key(engine, workshop.id, other_key)
    assert not check_key(engine, other.id, key)
    for wrong in ("", None, key[:-1], key + "A", "x" * 5000, 12345):
        assert not check_key(engine, workshop.id, wrong)
    assert not check_key(engine, 999, key)


def test_keys_are_stored_salted_and_nowhere_in_clear(
    engine: Engine, area: Area, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    same = "ABCDEFGHJKMNPQRSTVWX"
    monkeypatch.setattr(codes, "new_key", lambda: same)
    digest = bank_hash(engine, bank)
    first, key = open_workshop(engine, area.id, digest, "A", ["P1"], ["resident"])
    second, again = open_workshop(engine, area.id, digest, "B", ["P1"], ["resident"])
    assert key == again == "ABCDE-FGHJK-MNPQR-STVWX"
    with engine.connect() as conn:
        rows = conn.execute(sa.select(workshops.c.key_salt, workshops.c.key_hash)).all()
    assert len({r.key_salt for r in rows}) == 2
    assert len({r.key_hash for r in rows}) == 2  # the same key, hashed differently
    assert all(len(r.key_hash) == 64 for r in rows)
    text = dump(engine)
    for form in (same, key, same.lower(), key.lower(), same[:10], same[10:]):
        assert form not in text
    assert check_key(engine, first.id, key)
    assert check_key(engine, second.id, key)
    assert "key" not in " ".join(Workshop.__dataclass_fields__)


# --- Rounds ----------------------------------------------------------------------


def test_close_and_open_rounds(engine: Engine, workshop: Workshop) -> None:
    assert can_answer(workshop)
    with pytest.raises(InputError) as caught:
        open_next_round(engine, host(engine, workshop.id), workshop.id)
    assert caught.value.format() == (
        "round: round 1 is still open; please close it before opening round 2"
    )
    close_round(engine, host(engine, workshop.id), workshop.id)
    close_round(engine, host(engine, workshop.id), workshop.id)  # twice is fine
    closed = get_workshop(engine, workshop.id)
    assert closed is not None
    assert (closed.current_round, closed.round_open, can_answer(closed)) == (1, False, False)
    assert open_next_round(engine, host(engine, workshop.id), workshop.id) == 2
    reopened = get_workshop(engine, workshop.id)
    assert reopened is not None
    assert (reopened.current_round, reopened.round_open, can_answer(reopened)) == (2, True, True)
    close_round(engine, host(engine, workshop.id), workshop.id)
    assert open_next_round(engine, host(engine, workshop.id), workshop.id) == 3


def test_rounds_of_an_unknown_workshop(engine: Engine, workshop: Workshop) -> None:
    for call in (close_round, open_next_round):
        with pytest.raises(InputError) as caught:
            call(engine, host(engine, workshop.id), 0)
        assert caught.value.field == "workshop_id"
        with pytest.raises(AccessDenied):  # another workshop's grant: refused, never "no such"
            call(engine, host(engine, workshop.id), 999)


def test_only_the_facilitator_runs_the_rounds(
    engine: Engine, opened: tuple[Workshop, str], area: Area, bank: Bank
) -> None:
    workshop, key = opened
    other, _ = open_workshop(engine, area.id, bank_hash(engine, bank), "Other", ["P1"], ROLES)
    forged = Grant("facilitator", workshop_id=workshop.id, join_code="ABCDEFG", secret="0" * 32)
    for grant in (ANYONE, host(engine, other.id), forged):
        with pytest.raises(AccessDenied):
            close_round(engine, grant, workshop.id)
        with pytest.raises(AccessDenied):
            lock_joining(engine, grant, workshop.id, True)
        with pytest.raises(AccessDenied):
            set_expected(engine, grant, workshop.id, 5)
    assert get_workshop(engine, workshop.id) == workshop  # nothing changed
    unlocked = unlock_workshop(engine, workshop.join_code, key)
    assert unlocked is not None
    close_round(engine, unlocked, workshop.id)
    assert open_next_round(engine, unlocked, workshop.id) == 2


# --- Stale unlock (issue 12) ------------------------------------------------------


def test_a_deleted_workshops_id_is_never_given_again_and_its_grant_opens_nothing(
    engine: Engine, area: Area, bank: Bank
) -> None:
    """Open, delete the newest workshop, open another: a new id, and the old grant refused
    (on the new workshop, and on any workshop that might have the old id)."""
    hashed = bank_hash(engine, bank)
    first, _ = open_workshop(engine, area.id, hashed, "First", ["P1"], ROLES)
    newest, key = open_workshop(engine, area.id, hashed, "Newest", ["P1"], ROLES)
    old = unlock_workshop(engine, newest.join_code, key)
    assert old is not None
    delete_workshop(engine, newest.id, key)
    fresh, _ = open_workshop(engine, area.id, hashed, "Fresh", ["P1"], ROLES)
    assert fresh.id != newest.id
    assert fresh.id > newest.id
    with reading(engine) as conn:
        assert not grant_holds(conn, old, fresh.id)
        assert not grant_holds(conn, old, newest.id)
    for workshop_id in (fresh.id, newest.id, first.id):
        with pytest.raises(AccessDenied):
            close_round(engine, old, workshop_id)


def test_a_grant_for_a_reused_id_is_refused(engine: Engine, area: Area, bank: Bank) -> None:
    """As an older SQLite database would have done: the deleted workshop's id given to the
    next one. The grant carries the old join code and secret, so it opens nothing."""
    hashed = bank_hash(engine, bank)
    gone, key = open_workshop(engine, area.id, hashed, "Gone", ["P1"], ROLES)
    old = unlock_workshop(engine, gone.join_code, key)
    assert old is not None
    delete_workshop(engine, gone.id, key)
    fresh, _ = open_workshop(engine, area.id, hashed, "Fresh", ["P1"], ROLES)
    with writing(engine) as conn:
        conn.execute(sa.update(workshops).where(workshops.c.id == fresh.id).values(id=gone.id))
    for call in (
        lambda: close_round(engine, old, gone.id),
        lambda: lock_joining(engine, old, gone.id, True),
        lambda: set_expected(engine, old, gone.id, 3),
    ):
        with pytest.raises(AccessDenied):
            call()
    reused = get_workshop(engine, gone.id)
    assert reused is not None
    assert (reused.title, reused.round_open, reused.joining_locked) == ("Fresh", True, False)


# --- Who may join ------------------------------------------------------------------


def test_expected_people_are_set_when_opening_and_changed_later(
    engine: Engine, area: Area, bank: Bank
) -> None:
    workshop, _ = open_workshop(
        engine, area.id, bank_hash(engine, bank), "Room", ["P1"], ROLES, expected=24
    )
    assert workshop.expected == 24
    assert get_workshop(engine, workshop.id) == workshop
    set_expected(engine, host(engine, workshop.id), workshop.id, 30)
    assert get_workshop(engine, workshop.id).expected == 30
    set_expected(engine, host(engine, workshop.id), workshop.id, None)
    assert get_workshop(engine, workshop.id).expected is None
    for wrong in (0, -1, rooms.EXPECTED_MAX + 1, 2.5, True, "12"):
        with pytest.raises(InputError) as caught:
            set_expected(engine, host(engine, workshop.id), workshop.id, wrong)  # type: ignore[arg-type]
        assert caught.value.field == "expected"
    with pytest.raises(InputError):
        open_workshop(engine, area.id, bank_hash(engine, bank), "Room", ["P1"], ROLES, expected=0)


def test_lock_and_unlock_joining(engine: Engine, workshop: Workshop) -> None:
    assert not workshop.joining_locked
    lock_joining(engine, host(engine, workshop.id), workshop.id, True)
    assert get_workshop(engine, workshop.id).joining_locked
    lock_joining(engine, host(engine, workshop.id), workshop.id, False)
    assert not get_workshop(engine, workshop.id).joining_locked


def test_the_stored_row_keeps_lists_as_json(engine: Engine, workshop: Workshop) -> None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(workshops)).one()
    assert json.loads(row.dimensions) == ["P1", "P2"]
    assert json.loads(row.roles) == list(ROLES)
    assert row.join_code == workshop.join_code.replace("-", "")


def test_workshop_in_locks_and_names_the_missing(engine: Engine, workshop: Workshop) -> None:
    with engine.begin() as conn:
        assert rooms.workshop_in(conn, workshop.id, lock=True) == workshop
        with pytest.raises(InputError) as caught:
            rooms.workshop_in(conn, 999)
    assert caught.value.field == "workshop_id"


def test_a_workshop_read_in_a_larger_query_is_the_same_record(
    engine: Engine, workshop: Workshop
) -> None:
    from storage.workshop.rooms import get_workshop, workshop_query, workshop_record

    query = workshop_query().add_columns(sa.literal(7).label("extra"))
    with reading(engine) as conn:
        row = conn.execute(query.where(workshops.c.id == workshop.id)).one()
    assert row.extra == 7
    assert workshop_record(row) == get_workshop(engine, workshop.id) == workshop
