"""Banks, areas, assessments and responses: create them, find them again.

Why: pages call these plain functions with an Engine and get frozen records
back; no page writes SQL, and every check on what people type happens in
`storage.core.validate` before anything is written. Drafts (the answers
themselves) are in `storage.core.drafts`; tables for analysis in `storage.results.frames`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Any, Final, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.engine import dialect_insert, inserted_id, reading, writing
from storage.core.errors import InputError
from storage.core.model import Area, Assessment, Response
from storage.core.schema import areas, assessments, banks, now, responses
from storage.core.tokens import clean_token, hash_token, new_token

__all__ = [
    "KEEP",
    "area_key",
    "area_values",
    "bank_source",
    "create_area",
    "create_assessment",
    "find_or_create_area",
    "find_or_insert_area",
    "find_response",
    "get_area",
    "get_assessment",
    "get_response",
    "list_areas",
    "list_assessments",
    "new_response",
    "save_bank",
    "start_response",
    "update_area",
]


class _Keep:
    """The type of `KEEP`."""

    def __repr__(self) -> str:
        return "KEEP"


#: "Leave this field as it is" (`update_area`), as apart from None, which clears it.
KEEP: Final = _Keep()


class BankLike(Protocol):
    """What storage needs of a `questions.model.Bank` (so storage need not import questions)."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def content_hash(self) -> str: ...


def columns_of(table: sa.Table, record: type) -> list[sa.Column[Any]]:
    """The table's columns named like the record's fields, in field order."""
    return [table.c[f.name] for f in fields(record)]


def _one(conn: Connection, table: sa.Table, record: type, row_id: int) -> Any:
    row = conn.execute(sa.select(*columns_of(table, record)).where(table.c.id == row_id)).first()
    return None if row is None else record(**row._mapping)


# --- Banks -----------------------------------------------------------------


def save_bank(engine: Engine, bank: BankLike, source_text: str) -> str:
    """Keep a snapshot of the bank (once per content hash); return the hash.

    Why: every assessment records the bank content it was given against, so
    old answers can be re-scored and explained after the YAML is edited.
    Saving the same content again, from any process, changes nothing.
    """
    digest = validate.content_hash(bank.content_hash)
    if not isinstance(source_text, str):
        raise InputError("source_text", "the bank's YAML text is needed, as a string")
    row = {
        "content_hash": digest,
        "bank_id": str(bank.id),
        "version": str(bank.version),
        "title": str(bank.title),
        "source": source_text,
        "stored_at": now(),
    }
    with writing(engine) as conn:
        insert = dialect_insert(conn.dialect.name, banks).values(row)
        conn.execute(insert.on_conflict_do_nothing(index_elements=["content_hash"]))
    return digest


def bank_source(engine: Engine, content_hash: str) -> str | None:
    """The YAML text of a stored bank, or None if no bank with this hash was saved."""
    with reading(engine) as conn:
        query = sa.select(banks.c.source).where(banks.c.content_hash == content_hash)
        return conn.execute(query).scalar_one_or_none()


# --- Areas -----------------------------------------------------------------


def area_key(name: str, kind: str, ons_code: str | None) -> str:
    """The one rule for "the same area": the same name ignoring case, kind and ONS code.

    Give the values as `storage.core.validate` returns them (the name stripped, the code
    upper-cased). The database keeps the key in ``areas.area_key`` and refuses a
    second real area with the same one (a demo area may share a real one's).
    Kind and code come first: neither holds a ``|``, so no two areas' keys run together.
    """
    return f"{kind}|{ons_code or ''}|{name.casefold()}"


def area_values(
    name: object,
    kind: object,
    ons_code: object = None,
    parent_id: object = None,
    *,
    demo: bool = False,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """A new area's row, checked, with its `area_key`.

    Raises:
        InputError: naming ``name``, ``kind``, ``ons_code`` or ``parent_id``.
    """
    values: dict[str, Any] = {
        "name": validate.area_name(name),
        "kind": validate.area_kind(kind),
        "ons_code": validate.ons_code(ons_code),
        "parent_id": None if parent_id is None else validate.record_id("parent_id", parent_id),
        "created_at": created_at or now(),
        "demo": demo,
    }
    values["area_key"] = area_key(values["name"], values["kind"], values["ons_code"])
    return values


def create_area(
    engine: Engine,
    name: str,
    kind: str,
    ons_code: str | None = None,
    parent_id: int | None = None,
) -> Area:
    """A new area. ``parent_id`` places a ward or service inside a council, say.

    Raises:
        InputError: naming ``name``, ``kind``, ``ons_code`` or ``parent_id``; ``name``
            also when the same area (`area_key`) exists already.
    """
    values = area_values(name, kind, ons_code, parent_id)
    with writing(engine) as conn:
        check_parent(conn, None, values["parent_id"], demo=False)
        area, new = find_or_insert_area(conn, values)
        if not new:
            raise InputError("name", f"{_the_same(area)}; please use it, or name this one apart")
        return area


def find_or_create_area(engine: Engine, name: str, kind: str, ons_code: str | None = None) -> Area:
    """The real area that is the same as this one (`area_key`), or a new one, at the top level.

    One transaction, safe when two people name the same new area at once: the
    insert that loses the race reads the row the other one wrote. Demo areas are
    never matched: real answers never land among fictional data.

    Raises:
        InputError: naming ``name``, ``kind`` or ``ons_code``.
    """
    values = area_values(name, kind, ons_code)
    with writing(engine) as conn:
        return find_or_insert_area(conn, values)[0]


def find_or_insert_area(conn: Connection, values: Mapping[str, Any]) -> tuple[Area, bool]:
    """In the caller's transaction: the area with ``values``' key (real or demo, as
    ``values["demo"]`` says), inserting ``values`` when there is none; and whether it is new.

    ``values`` come from `area_values`. Insert first, and on a conflict read:
    between a read and an insert another writer could add the same area.
    """
    found = _area_by_key(conn, values["area_key"], values["demo"])
    if found is not None:
        return found, False
    insert = dialect_insert(conn.dialect.name, areas).values(dict(values))
    insert = insert.on_conflict_do_nothing(index_elements=["area_key", "demo"])
    new_id = conn.execute(insert.returning(areas.c.id)).scalar_one_or_none()
    if new_id is None:  # another writer's insert won: theirs is the area
        found = _area_by_key(conn, values["area_key"], values["demo"])
        if found is None:  # pragma: no cover - the conflicting row is committed by now
            raise AssertionError("an area conflicted on its key but cannot be read")
        return found, False
    return _one(conn, areas, Area, new_id), True


def _area_by_key(conn: Connection, key: str, demo: bool) -> Area | None:
    query = sa.select(*columns_of(areas, Area)).where(
        areas.c.area_key == key, areas.c.demo.is_(demo)
    )
    row = conn.execute(query).first()
    return None if row is None else Area(**row._mapping)


def _the_same(area: Area) -> str:
    """``'Leeds' (area 4) is already a council of that name (ONS code E08000035)``."""
    code = f"ONS code {area.ons_code}" if area.ons_code else "no ONS code"
    return f"{area.name!r} (area {area.id}) is already a {area.kind} of that name, with {code}"


def update_area(
    engine: Engine,
    area_id: int,
    name: str | _Keep = KEEP,
    kind: str | _Keep = KEEP,
    ons_code: str | _Keep | None = KEEP,
    parent_id: int | _Keep | None = KEEP,
) -> Area:
    """Change an area's name, kind, ONS code or parent; fields left as `KEEP` stay as they are.

    None clears the ONS code or the parent. A parent cannot be the area
    itself or one of the areas inside it (that would make a loop), and a real
    area cannot sit inside a demo one (removing the demo would orphan it).

    Raises:
        InputError: naming ``area_id`` (no such area) or the bad field.
    """
    area_id = validate.record_id("area_id", area_id)
    changes: dict[str, Any] = {}
    if not isinstance(name, _Keep):
        changes["name"] = validate.area_name(name)
    if not isinstance(kind, _Keep):
        changes["kind"] = validate.area_kind(kind)
    if not isinstance(ons_code, _Keep):
        changes["ons_code"] = validate.ons_code(ons_code)
    if not isinstance(parent_id, _Keep):
        changes["parent_id"] = (
            None if parent_id is None else validate.record_id("parent_id", parent_id)
        )
    with writing(engine) as conn:
        area = _one(conn, areas, Area, area_id)
        if area is None:
            raise InputError("area_id", f"there is no area with id {area_id}")
        if "parent_id" in changes:
            check_parent(conn, area, changes["parent_id"], demo=area.demo)
        after = dataclasses.replace(area, **changes)
        key = area_key(after.name, after.kind, after.ons_code)
        twin = _area_by_key(conn, key, area.demo)
        if twin is not None and twin.id != area.id:
            field = next(f for f in ("name", "kind", "ons_code") if f in changes)
            raise InputError(
                field,
                f"{_the_same(twin)}, so the two would be one area; please keep them apart "
                "(another name, kind or ONS code)",
            )
        if changes:
            update = sa.update(areas).where(areas.c.id == area_id)
            conn.execute(update.values({**changes, "area_key": key}))
        return after


def check_parent(conn: Connection, area: Area | None, parent_id: int | None, demo: bool) -> None:
    """Refuse a parent that is missing, is ``area`` or lies inside it, or is demo for a real area.

    Raises:
        InputError: naming ``parent_id``.
    """
    if parent_id is None:
        return
    parent_of = {row[0]: row[1] for row in conn.execute(sa.select(areas.c.id, areas.c.parent_id))}
    if parent_id not in parent_of:
        raise InputError("parent_id", f"there is no area with id {parent_id}")
    parent = conn.execute(
        sa.select(areas.c.name, areas.c.demo).where(areas.c.id == parent_id)
    ).one()
    if area is not None:
        seen: set[int] = set()
        step: int | None = parent_id
        while step is not None and step not in seen:
            if step == area.id:
                where = (
                    "an area cannot be inside itself"
                    if parent_id == area.id
                    else f"{parent.name!r} (area {parent_id}) is inside {area.name!r}, so each "
                    "would contain the other"
                )
                raise InputError("parent_id", f"{where}; please choose an area above it, or none")
            seen.add(step)
            step = parent_of.get(step)
    if not demo and parent.demo:
        raise InputError(
            "parent_id",
            f"{parent.name!r} (area {parent_id}) is fictional demo data, which is removed as a "
            "whole; please choose a real area, or none",
        )


def list_areas(engine: Engine) -> list[Area]:
    """Every area, by name (ignoring case), then id."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(*columns_of(areas, Area))).all()
    found = [Area(**row._mapping) for row in rows]
    return sorted(found, key=lambda a: (a.name.casefold(), a.id))


def get_area(engine: Engine, area_id: int) -> Area | None:
    with reading(engine) as conn:
        return _one(conn, areas, Area, area_id)


# --- Assessments -----------------------------------------------------------


def create_assessment(
    engine: Engine,
    area_id: int,
    form_id: str,
    bank_hash: str,
    kind: str = "self",
    title: str | None = None,
    held_on: date | None = None,
) -> Assessment:
    """A new assessment of an area, against a saved bank (see `save_bank`) and one of its forms.

    Raises:
        InputError: naming the field; also when the area or bank is not stored.
    """
    if held_on is not None and (not isinstance(held_on, date) or isinstance(held_on, datetime)):
        raise InputError("held_on", f"{held_on!r} is not a date; please give a day, or none")
    values: dict[str, Any] = {
        "area_id": validate.record_id("area_id", area_id),
        "kind": validate.assessment_kind(kind),
        "title": validate.title(title),
        "form_id": validate.identifier("form_id", form_id),
        "bank_hash": validate.content_hash(bank_hash),
        "held_on": held_on,
        "created_at": now(),
    }
    with writing(engine) as conn:
        return insert_assessment(conn, values)


def insert_assessment(conn: Connection, values: dict[str, Any]) -> Assessment:
    """Insert checked assessment values, in the caller's transaction, once the area and bank exist.

    Raises:
        InputError: ``area_id`` or ``bank_hash`` names nothing stored.
    """
    if _one(conn, areas, Area, values["area_id"]) is None:
        raise InputError("area_id", f"there is no area with id {values['area_id']}")
    stored = sa.select(banks.c.content_hash).where(banks.c.content_hash == values["bank_hash"])
    if conn.execute(stored).first() is None:
        raise InputError("bank_hash", "this bank has not been saved; please save_bank it first")
    return Assessment(id=inserted_id(conn, sa.insert(assessments).values(values)), **values)


def get_assessment(engine: Engine, assessment_id: int) -> Assessment | None:
    with reading(engine) as conn:
        return _one(conn, assessments, Assessment, assessment_id)


def list_assessments(engine: Engine, area_id: int | None = None) -> list[Assessment]:
    """Assessments (of one area, or all), newest first."""
    query = sa.select(*columns_of(assessments, Assessment))
    if area_id is not None:
        query = query.where(assessments.c.area_id == area_id)
    query = query.order_by(assessments.c.created_at.desc(), assessments.c.id.desc())
    with reading(engine) as conn:
        return [Assessment(**row._mapping) for row in conn.execute(query)]


# --- Responses -------------------------------------------------------------


def start_response(engine: Engine, assessment_id: int, role: str) -> tuple[Response, str]:
    """A new draft response, and the resume token to put in the respondent's URL.

    The token is returned once and never stored (only its SHA-256 is); lose
    it and the draft cannot be resumed.
    """
    with writing(engine) as conn:
        return new_response(conn, assessment_id, role)


def new_response(conn: Connection, assessment_id: object, role: object) -> tuple[Response, str]:
    """`start_response` in the caller's transaction."""
    assessment_id = validate.record_id("assessment_id", assessment_id)
    role = validate.identifier("role", role)
    token = new_token()
    stamp = now()
    values: dict[str, Any] = {
        "assessment_id": assessment_id,
        "role": role,
        "round": 1,
        "step": 0,
        "status": "draft",
        "created_at": stamp,
        "updated_at": stamp,
        "submitted_at": None,
    }
    if _one(conn, assessments, Assessment, assessment_id) is None:
        raise InputError("assessment_id", f"there is no assessment with id {assessment_id}")
    insert = sa.insert(responses).values({**values, "token_hash": hash_token(token)})
    response_id = inserted_id(conn, insert)
    return Response(id=response_id, **values), token


def find_response(engine: Engine, token: object) -> Response | None:
    """The response a resume token opens, or None (unknown or malformed token; never raises)."""
    cleaned = clean_token(token)
    if cleaned is None:
        return None
    query = sa.select(*columns_of(responses, Response)).where(
        responses.c.token_hash == hash_token(cleaned)
    )
    with reading(engine) as conn:
        row = conn.execute(query).first()
    return None if row is None else Response(**row._mapping)


def get_response(engine: Engine, response_id: int) -> Response | None:
    with reading(engine) as conn:
        return _one(conn, responses, Response, response_id)
