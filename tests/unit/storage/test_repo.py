"""Banks, areas, assessments and responses on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import storage.repo
from questions.model import Bank
from storage.engine import writing
from storage.errors import InputError
from storage.model import Area, Assessment
from storage.repo import (
    KEEP,
    area_key,
    area_values,
    bank_source,
    create_area,
    create_assessment,
    find_or_create_area,
    find_or_insert_area,
    find_response,
    get_area,
    get_assessment,
    get_response,
    list_areas,
    list_assessments,
    save_bank,
    start_response,
    update_area,
)
from storage.schema import areas, banks, responses
from storage.tokens import hash_token, spaced_token
from tests.unit.storage.factories import BANK_SOURCE, small_bank


def test_save_bank_is_idempotent_on_the_content_hash(engine: Engine, bank: Bank) -> None:
    assert save_bank(engine, bank, BANK_SOURCE) == bank.content_hash
    assert save_bank(engine, bank, "# same content, edited comments\n") == bank.content_hash
    with engine.connect() as conn:
        rows = conn.execute(sa.select(banks)).mappings().all()
    assert len(rows) == 1
    assert rows[0]["bank_id"] == "test"
    assert rows[0]["version"] == "1"
    assert rows[0]["title"] == "Test bank"
    assert bank_source(engine, bank.content_hash) == BANK_SOURCE  # the first snapshot is kept
    assert bank_source(engine, "c" * 64) is None


def test_a_bank_without_a_content_hash_is_refused(engine: Engine) -> None:
    with pytest.raises(InputError) as caught:
        save_bank(engine, small_bank(content_hash=""), BANK_SOURCE)
    assert caught.value.field == "content_hash"


def test_create_list_and_get_areas(engine: Engine) -> None:
    council = create_area(
        engine, "  Barnsley Metropolitan Borough Council ", "council", "e08000016"
    )
    ward = create_area(engine, "Dodworth", "ward", "E05000979", parent_id=council.id)
    service = create_area(engine, "adult social care", "service", parent_id=council.id)
    assert council.name == "Barnsley Metropolitan Borough Council"
    assert council.ons_code == "E08000016"
    assert council.created_at.tzinfo == UTC
    assert ward.parent_id == council.id
    assert service.ons_code is None
    assert list_areas(engine) == [service, council, ward]  # by name, ignoring case
    assert get_area(engine, ward.id) == ward
    assert get_area(engine, 999) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "kind": "council"}, "name"),
        ({"name": "x" * 121, "kind": "council"}, "name"),
        ({"name": "Tab\tname", "kind": "council"}, "name"),
        ({"name": "Leeds", "kind": "city"}, "kind"),
        ({"name": "Leeds", "kind": "council", "ons_code": "E8000035"}, "ons_code"),
        ({"name": "Leeds", "kind": "council", "parent_id": 999}, "parent_id"),
        ({"name": "Leeds", "kind": "council", "parent_id": "1"}, "parent_id"),
    ],
)
def test_bad_areas_name_the_field_and_write_nothing(
    engine: Engine, kwargs: dict, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        create_area(engine, **kwargs)
    assert caught.value.field == field
    assert caught.value.format().startswith(f"{field}: ")
    assert list_areas(engine) == []


def test_update_an_area(engine: Engine) -> None:
    council = create_area(engine, "Leeds City Council", "council", "E08000035")
    ward = create_area(engine, "Headingley", "service")
    changed = update_area(engine, ward.id, name=" Headingley & Hyde Park ", kind="WARD")
    assert (changed.name, changed.kind, changed.parent_id) == (
        "Headingley & Hyde Park",
        "ward",
        None,
    )
    placed = update_area(engine, ward.id, ons_code="e05011409", parent_id=council.id)
    assert (placed.ons_code, placed.parent_id, placed.name) == (
        "E05011409", council.id, "Headingley & Hyde Park"
    )  # fmt: skip
    assert get_area(engine, ward.id) == placed
    assert update_area(engine, ward.id) == placed  # nothing to change
    cleared = update_area(engine, ward.id, ons_code=None, parent_id=None, name=KEEP)
    assert (cleared.ons_code, cleared.parent_id) == (None, None)
    assert get_area(engine, ward.id) == cleared
    assert not cleared.demo
    assert repr(KEEP) == "KEEP"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"kind": "city"}, "kind"),
        ({"ons_code": "E8"}, "ons_code"),
        ({"parent_id": 999}, "parent_id"),
        ({"parent_id": 0}, "parent_id"),
    ],
)
def test_bad_area_updates_name_the_field_and_change_nothing(
    engine: Engine, change: dict, field: str
) -> None:
    area = create_area(engine, "Leeds", "council", "E08000035")
    with pytest.raises(InputError) as caught:
        update_area(engine, area.id, **({"kind": "ward"} | change))
    assert caught.value.field == field
    assert get_area(engine, area.id) == area


def test_updating_no_area_is_refused(engine: Engine) -> None:
    with pytest.raises(InputError, match="no area with id 999") as caught:
        update_area(engine, 999, name="Leeds")
    assert caught.value.field == "area_id"


def test_an_area_cannot_end_up_inside_itself(engine: Engine) -> None:
    county = create_area(engine, "Kent County Council", "council")
    district = create_area(engine, "Dover District Council", "council", parent_id=county.id)
    ward = create_area(engine, "Dover Town", "ward", parent_id=district.id)
    with pytest.raises(InputError, match="cannot be inside itself") as caught:
        update_area(engine, county.id, parent_id=county.id)
    assert caught.value.field == "parent_id"
    for below in (district, ward):  # a child, and a grandchild
        with pytest.raises(InputError, match="each would contain the other"):
            update_area(engine, county.id, parent_id=below.id)
    assert [a.parent_id for a in list_areas(engine)] == [county.id, district.id, None]
    moved = update_area(engine, ward.id, parent_id=county.id)  # up the tree is fine
    assert moved.parent_id == county.id


def test_a_real_area_cannot_sit_inside_a_demo_one(engine: Engine) -> None:
    demo = create_area(engine, "Demo: Nowhere (fictional)", "council")
    with engine.begin() as conn:
        conn.execute(sa.update(areas).where(areas.c.id == demo.id).values(demo=True))
    real = create_area(engine, "Leeds", "council")
    for attempt in (
        lambda: create_area(engine, "Headingley", "ward", parent_id=demo.id),
        lambda: update_area(engine, real.id, parent_id=demo.id),
    ):
        with pytest.raises(InputError, match="fictional demo data") as caught:
            attempt()
        assert caught.value.field == "parent_id"
    assert update_area(engine, demo.id, parent_id=real.id).parent_id == real.id  # the other way


def test_the_same_area_is_the_same_name_ignoring_case_kind_and_ons_code() -> None:
    assert area_key("Leeds", "council", "E08000035") == area_key("LEEDS", "council", "E08000035")
    assert area_key("Straße", "ward", None) == area_key("STRASSE", "ward", None)
    assert area_key("Leeds", "council", None) != area_key("Leeds", "ward", None)
    assert area_key("Leeds", "council", None) != area_key("Leeds", "council", "E08000035")
    assert area_key("a|b", "other", None) != area_key("a", "other", "b")


def test_find_or_create_reuses_the_same_area_and_only_it(engine: Engine) -> None:
    leeds = find_or_create_area(engine, "Leeds", "council", "e08000035")
    assert leeds.ons_code == "E08000035"
    assert find_or_create_area(engine, "  LEEDS ", "council", "E08000035") == leeds
    ward = find_or_create_area(engine, "Leeds", "ward", "E08000035")
    uncoded = find_or_create_area(engine, "Leeds", "council")
    assert len({leeds.id, ward.id, uncoded.id}) == 3
    assert [a.id for a in list_areas(engine)] == sorted([leeds.id, ward.id, uncoded.id])
    with pytest.raises(InputError) as caught:
        find_or_create_area(engine, "Leeds", "county")
    assert caught.value.field == "kind"


def test_find_or_create_never_lands_on_demo_data(engine: Engine) -> None:
    with writing(engine) as conn:
        demo, new = find_or_insert_area(conn, area_values("Northbrook", "council", demo=True))
    assert new
    assert demo.demo
    real = find_or_create_area(engine, "Northbrook", "council")
    assert real.id != demo.id
    assert not real.demo
    assert find_or_create_area(engine, "NORTHBROOK", "council") == real


def test_creating_the_same_area_twice_is_refused(engine: Engine) -> None:
    first = create_area(engine, "Calderdale", "council", "E08000033")
    with pytest.raises(
        InputError, match=rf"'Calderdale' \(area {first.id}\) is already a council"
    ) as caught:
        create_area(engine, "calderdale", "council", "E08000033")
    assert caught.value.field == "name"
    assert "with ONS code E08000033" in caught.value.message
    assert list_areas(engine) == [first]


def test_the_database_refuses_a_second_area_with_one_key(engine: Engine) -> None:
    """Race-safe without the code's help: the unique constraint on (area_key, demo)."""
    values = area_values("Kirklees", "council")
    with writing(engine) as conn:
        conn.execute(sa.insert(areas).values(values))
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:
        conn.execute(sa.insert(areas).values(values))
    with writing(engine) as conn:  # a demo twin is allowed: it is apart from real areas
        conn.execute(sa.insert(areas).values({**values, "demo": True}))


def test_an_insert_that_loses_the_race_reads_the_winner(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the read and the insert another writer adds the area: the insert does nothing
    and the area read afterwards is theirs (simulated: the first read misses it)."""
    theirs = create_area(engine, "Wakefield", "council")
    real_read = storage.repo._area_by_key
    reads: list[str] = []

    def late(conn: sa.Connection, key: str, demo: bool) -> Area | None:
        reads.append(key)
        return None if len(reads) == 1 else real_read(conn, key, demo)

    monkeypatch.setattr(storage.repo, "_area_by_key", late)
    assert find_or_create_area(engine, "WAKEFIELD", "council") == theirs
    assert len(reads) == 2
    assert list_areas(engine) == [theirs]


def test_people_naming_one_new_area_at_once_get_one_area(engine: Engine) -> None:
    start = threading.Barrier(4)
    found: list[int] = []

    def name_it(spelling: str) -> None:
        start.wait()
        found.append(find_or_create_area(engine, spelling, "ward").id)

    threads = [threading.Thread(target=name_it, args=(s,)) for s in ("Todmorden", "todmorden") * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 4
    assert len(set(found)) == 1
    assert [a.id for a in list_areas(engine)] == found[:1]


def test_an_update_cannot_make_two_areas_one(engine: Engine) -> None:
    ward = create_area(engine, "Brighouse", "ward")
    other = create_area(engine, "Brighouse", "service")
    with pytest.raises(InputError, match="so the two would be one area") as caught:
        update_area(engine, other.id, kind="ward")
    assert caught.value.field == "kind"
    with pytest.raises(InputError) as caught:
        update_area(engine, other.id, name="BRIGHOUSE", kind="ward")
    assert caught.value.field == "name"
    assert get_area(engine, other.id) == other
    renamed = update_area(engine, other.id, name="Brighouse Town")
    assert find_or_create_area(engine, "brighouse town", "service") == renamed
    assert update_area(engine, ward.id, name="BRIGHOUSE").name == "BRIGHOUSE"  # itself: fine


def test_create_and_get_assessments(engine: Engine, bank: Bank, area: Area) -> None:
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    quick = create_assessment(engine, area.id, "quick", bank_hash)
    workshop = create_assessment(
        engine, area.id, "full", bank_hash, "workshop", " Spring workshop ", date(2025, 4, 1)
    )
    assert quick.kind == "self"
    assert quick.title is None
    assert workshop.title == "Spring workshop"
    assert workshop.held_on == date(2025, 4, 1)
    assert get_assessment(engine, workshop.id) == workshop
    assert get_assessment(engine, 999) is None
    assert list_assessments(engine, area.id) == [workshop, quick]
    assert list_assessments(engine, 999) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"area_id": 999}, "area_id"),
        ({"bank_hash": "c" * 64}, "bank_hash"),
        ({"bank_hash": "not a hash"}, "content_hash"),
        ({"form_id": ""}, "form_id"),
        ({"kind": "survey"}, "kind"),
        ({"title": "x" * 201}, "title"),
        ({"held_on": "2025-04-01"}, "held_on"),
        ({"held_on": datetime(2025, 4, 1, tzinfo=UTC)}, "held_on"),
    ],
)
def test_bad_assessments_name_the_field(
    engine: Engine, bank: Bank, area: Area, change: dict, field: str
) -> None:
    kwargs = {"area_id": area.id, "form_id": "quick", "bank_hash": save_bank(engine, bank, "x")}
    with pytest.raises(InputError) as caught:
        create_assessment(engine, **(kwargs | change))
    assert caught.value.field == field


def test_start_and_find_a_response(engine: Engine, assessment: Assessment) -> None:
    response, token = start_response(engine, assessment.id, "councillor")
    assert (response.status, response.step, response.round) == ("draft", 0, 1)
    assert response.role == "councillor"
    assert response.submitted_at is None
    assert find_response(engine, token) == response
    assert find_response(engine, spaced_token(token)) == response  # typed from paper
    assert get_response(engine, response.id) == response
    other, other_token = start_response(engine, assessment.id, "resident")
    assert other_token != token
    assert find_response(engine, other_token) == other


def test_the_token_itself_is_never_stored(engine: Engine, assessment: Assessment) -> None:
    _, token = start_response(engine, assessment.id, "councillor")
    with engine.connect() as conn:
        row = conn.execute(sa.select(responses)).mappings().one()
    assert row["token_hash"] == hash_token(token)
    assert token not in {str(v) for v in row.values()}


@pytest.mark.parametrize(
    "token",
    [None, "", "x", "a" * 22, "a" * 200, "' or 1=1 --", "%00", "é" * 22, 12345, b"bytes"],
)
def test_unknown_or_malformed_tokens_find_nothing(
    engine: Engine, assessment: Assessment, token: object
) -> None:
    start_response(engine, assessment.id, "councillor")
    assert find_response(engine, token) is None


def test_bad_response_starts(engine: Engine, assessment: Assessment) -> None:
    for args, field in (((999, "councillor"), "assessment_id"), ((assessment.id, ""), "role")):
        with pytest.raises(InputError) as caught:
            start_response(engine, *args)
        assert caught.value.field == field
