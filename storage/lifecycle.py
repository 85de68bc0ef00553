"""Deleting a workshop or a self-assessment with everything in it, and exporting an area.

Why: issue 7, "Data lifecycle". A council must be able to remove what it
collected (a workshop, or one person's self-assessment) and to hand over
everything Ladder holds about an area. Deleting needs proof of ownership:
the facilitator key for a workshop, a resume code for a self-assessment, or an
administrator's grant (a deletion request that names the workshop or assessment;
also the only way to delete an imported result).
Ladder stores no names or e-mail addresses; the export leaves out every
secret as well (key hashes, salts, token hashes, grant secrets), so it can be
shared. Exporting a whole area is an administrator's alone (the grant is
checked): a facilitator's key opens one workshop, never its neighbours.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage import codes, validate
from storage.access import Grant, KeyLocked, require_admin
from storage.engine import reading, writing
from storage.errors import InputError
from storage.model import Area
from storage.repo import columns_of
from storage.rooms import check_key
from storage.schema import (
    agreements,
    answers,
    areas,
    assessments,
    banks,
    participants,
    plans,
    publications,
    responses,
    workshops,
)
from storage.tokens import clean_token, hash_token

__all__ = [
    "EXPORT_FORMAT",
    "MAX_ID",
    "area_by_name",
    "delete_assessment",
    "delete_assessment_as_admin",
    "delete_workshop",
    "delete_workshop_as_admin",
    "export_area",
]

#: Names the shape of `export_area`'s output, for whoever reads the file later.
EXPORT_FORMAT = "ladder-area-export/1"


MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL


def _record_id(field: str, value: object, what: str) -> int:
    """A checked id; one too large for the column names no row (PostgreSQL would refuse it)."""
    checked = validate.record_id(field, value)
    if checked > MAX_ID:
        raise InputError(field, f"there is no {what} with id {checked}")
    return checked


def _delete_responses(conn: Connection, assessment_id: int) -> int:
    """Delete the assessment's responses with their answers and plans; return rows deleted."""
    ids = sa.select(responses.c.id).where(responses.c.assessment_id == assessment_id)
    count = conn.execute(sa.delete(answers).where(answers.c.response_id.in_(ids))).rowcount
    count += conn.execute(sa.delete(plans).where(plans.c.response_id.in_(ids))).rowcount
    count += conn.execute(
        sa.delete(responses).where(responses.c.assessment_id == assessment_id)
    ).rowcount
    return count


def delete_workshop(engine: Engine, workshop_id: int, key: object) -> int:
    """Delete a workshop and everything in it, in one transaction; return the rows deleted.

    Goes: its participants, their responses (answers, plans), its agreed
    levels, the workshop and its assessment. Nothing else is touched.

    Raises:
        InputError: ``workshop_id`` names no workshop; ``key`` is not its facilitator key,
            or its key entry is locked after too many wrong keys, or the key pool is busy.
    """
    workshop_id = _record_id("workshop_id", workshop_id, "workshop")
    try:
        opens = check_key(engine, workshop_id, key)
    except (KeyLocked, codes.KeyBusy) as exc:
        raise InputError("key", f"{exc.message} Nothing was deleted.") from exc
    if not opens:
        with reading(engine) as conn:
            found = conn.execute(sa.select(workshops.c.id).where(workshops.c.id == workshop_id))
            if found.first() is None:
                raise InputError("workshop_id", f"there is no workshop with id {workshop_id}")
        raise InputError("key", "that is not this workshop's facilitator key; nothing was deleted")
    with writing(engine) as conn:
        return _delete_workshop_rows(conn, workshop_id)


def delete_workshop_as_admin(engine: Engine, grant: Grant, workshop_id: int) -> int:
    """`delete_workshop` for an administrator, without the key (a deletion request that
    names the workshop). Returns the rows deleted.

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked before the id).
        InputError: ``workshop_id`` names no workshop.
    """
    with writing(engine) as conn:
        require_admin(conn, grant, "Deleting by name")
        return _delete_workshop_rows(conn, _record_id("workshop_id", workshop_id, "workshop"))


def _delete_workshop_rows(conn: Connection, workshop_id: int) -> int:
    query = sa.select(workshops.c.assessment_id).where(workshops.c.id == workshop_id)
    assessment_id = conn.execute(query.with_for_update()).scalar_one_or_none()
    if assessment_id is None:  # or deleted by someone else since the key was checked
        raise InputError("workshop_id", f"there is no workshop with id {workshop_id}")
    count = _delete_responses(conn, assessment_id)
    for table in (agreements, participants):
        count += conn.execute(sa.delete(table).where(table.c.workshop_id == workshop_id)).rowcount
    count += conn.execute(sa.delete(workshops).where(workshops.c.id == workshop_id)).rowcount
    return count + _delete_assessment_row(conn, assessment_id)


def _delete_assessment_row(conn: Connection, assessment_id: int) -> int:
    """Delete the assessment and its entries in Compare (its responses must be gone)."""
    count = conn.execute(
        sa.delete(publications).where(publications.c.assessment_id == assessment_id)
    ).rowcount
    return (
        count
        + conn.execute(sa.delete(assessments).where(assessments.c.id == assessment_id)).rowcount
    )


def delete_assessment(engine: Engine, assessment_id: int, token: object) -> int:
    """Delete a self-assessment with all its responses, answers and plans; return rows deleted.

    ``token`` is the resume code of one of its responses (spaces ignored): whoever
    holds it may delete the assessment. A workshop's assessment is refused
    (`delete_workshop` takes its key instead).

    Raises:
        InputError: ``assessment_id`` names no assessment, or a workshop's;
            ``token`` opens no response of this assessment.
    """
    assessment_id = _record_id("assessment_id", assessment_id, "assessment")
    cleaned = clean_token(token)
    with writing(engine) as conn:
        _not_a_workshop(conn, assessment_id, "with its code and facilitator key")
        owned = (
            cleaned is not None
            and conn.execute(
                sa.select(responses.c.id).where(
                    responses.c.assessment_id == assessment_id,
                    responses.c.token_hash == hash_token(cleaned),
                )
            ).first()
        )
        if not owned:
            raise InputError(
                "token",
                f"that resume code does not belong to assessment {assessment_id}; "
                "nothing was deleted",
            )
        return _delete_responses(conn, assessment_id) + _delete_assessment_row(conn, assessment_id)


def _not_a_workshop(conn: Connection, assessment_id: int, how: str) -> None:
    """Refuse an id that names no assessment, or a workshop's (deleted ``how``, as a workshop)."""
    kind = conn.execute(
        sa.select(assessments.c.kind).where(assessments.c.id == assessment_id)
    ).scalar_one_or_none()
    if kind is None:
        raise InputError("assessment_id", f"there is no assessment with id {assessment_id}")
    if kind == "workshop":
        raise InputError(
            "assessment_id",
            f"assessment {assessment_id} is a workshop's; please delete the workshop {how} instead",
        )


def delete_assessment_as_admin(engine: Engine, grant: Grant, assessment_id: int) -> int:
    """`delete_assessment` for an administrator, without a resume code: a self-assessment
    or an imported result (which nobody holds a code for). Returns the rows deleted.

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked before the id).
        InputError: ``assessment_id`` names no assessment, or a workshop's
            (`delete_workshop_as_admin` deletes those).
    """
    with writing(engine) as conn:
        require_admin(conn, grant, "Deleting by name")
        assessment_id = _record_id("assessment_id", assessment_id, "assessment")
        _not_a_workshop(conn, assessment_id, "by its code")
        return _delete_responses(conn, assessment_id) + _delete_assessment_row(conn, assessment_id)


def area_by_name(engine: Engine, name: object) -> Area | None:
    """The area called ``name`` (exactly, else ignoring case and outer spaces), or None.

    Raises:
        InputError: ``area`` when several areas have that name (give the id instead).
    """
    if not isinstance(name, str) or not name.strip():
        return None
    with reading(engine) as conn:
        rows = [Area(**r._mapping) for r in conn.execute(sa.select(*columns_of(areas, Area)))]
    for matches in (
        [a for a in rows if a.name == name],
        [a for a in rows if a.name.strip().casefold() == name.strip().casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ids = ", ".join(str(a.id) for a in sorted(matches, key=lambda a: a.id))
            raise InputError(
                "area", f"several areas are called {name!r} (ids {ids}); please give the id"
            )
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _record(row: sa.Row[*tuple[Any, ...]], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row._mapping.items() if k not in skip}


def export_area(engine: Engine, grant: Grant, area_id: int) -> dict[str, Any]:
    """Everything stored about an area, as JSON-able data (no secrets: see the module notes).

    The area, the ids of the areas inside it, and each assessment (newest
    first) with its bank (version and content hash), its responses (labelled
    R1, R2 ... or by workshop pseudonym) with their answers and plans, and,
    for a workshop, its rounds, k, roles, dimensions, participants and agreed
    levels.

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked before the id).
        InputError: ``area_id`` names no area.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, "Exporting an area")
    area_id = _record_id("area_id", area_id, "area")
    with reading(engine) as conn:
        row = conn.execute(sa.select(*columns_of(areas, Area)).where(areas.c.id == area_id)).first()
        if row is None:
            raise InputError("area_id", f"there is no area with id {area_id}")
        children = conn.execute(
            sa.select(areas.c.id).where(areas.c.parent_id == area_id).order_by(areas.c.id)
        ).scalars()
        query = (
            sa.select(
                *(c for c in assessments.c if c.name != "area_id"),
                banks.c.bank_id,
                banks.c.version.label("bank_version"),
                banks.c.title.label("bank_title"),
            )
            .join_from(assessments, banks)
            .where(assessments.c.area_id == area_id)
            .order_by(assessments.c.created_at.desc(), assessments.c.id.desc())
        )
        found = [_record(r) for r in conn.execute(query)]
        return {
            "format": EXPORT_FORMAT,
            "area": _record(row),
            "child_area_ids": list(children),
            "assessments": [_assessment(conn, a) for a in found],
        }


_RESPONSE = (
    responses.c.id,
    responses.c.role,
    responses.c.round,
    responses.c.step,
    responses.c.status,
    responses.c.created_at,
    responses.c.updated_at,
    responses.c.submitted_at,
    participants.c.pseudonym,
)


def _assessment(conn: Connection, found: dict[str, Any]) -> dict[str, Any]:
    assessment_id = found.pop("id")
    out: dict[str, Any] = {"id": assessment_id, **found, "workshop": None}
    query = (
        sa.select(*_RESPONSE)
        .join_from(responses, participants, isouter=True)
        .where(responses.c.assessment_id == assessment_id)
        .order_by(responses.c.created_at, responses.c.id)
    )
    heads = conn.execute(query).all()
    ids = [h.id for h in heads]
    got_answers: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    got_plans: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for table, into, order in (
        (answers, got_answers, answers.c.question_id),
        (plans, got_plans, plans.c.dimension_id),
    ):
        rows = conn.execute(
            sa.select(table)
            .where(table.c.response_id.in_(ids))
            .order_by(table.c.response_id, order)
        )
        for r in rows:
            into[r.response_id].append(_record(r, frozenset({"response_id"})))
    out["responses"] = [
        {
            "respondent": h.pseudonym or f"R{n}",
            **_record(h, frozenset({"id", "pseudonym"})),
            "answers": got_answers[h.id],
            "plans": got_plans[h.id],
        }
        for n, h in enumerate(heads, start=1)
    ]
    out["workshop"] = _workshop(conn, assessment_id)
    out["published"] = [
        _record(r)
        for r in conn.execute(
            sa.select(publications.c.round, publications.c.people, publications.c.published_at)
            .where(publications.c.assessment_id == assessment_id)
            .order_by(publications.c.round)
        )
    ]
    return out


def _workshop(conn: Connection, assessment_id: int) -> dict[str, Any] | None:
    secret = {"key_salt", "key_hash", "grant_secret", "assessment_id"}
    shown = [c for c in workshops.c if c.name not in secret]
    row = conn.execute(sa.select(*shown).where(workshops.c.assessment_id == assessment_id)).first()
    if row is None:
        return None
    out = _record(row)
    workshop_id = out.pop("id")
    out["dimensions"] = json.loads(out["dimensions"])
    out["roles"] = json.loads(out["roles"])
    out["round_open"] = bool(out["round_open"])
    out["join_code"] = codes.format_code(out["join_code"])
    people = sa.select(participants.c.pseudonym, participants.c.role, participants.c.kind)
    out["participants"] = [
        _record(r)
        for r in conn.execute(
            people.where(participants.c.workshop_id == workshop_id).order_by(participants.c.id)
        )
    ]
    agreed = sa.select(*(c for c in agreements.c if c.name != "workshop_id"))
    out["agreements"] = [
        _record(r)
        for r in conn.execute(
            agreed.where(agreements.c.workshop_id == workshop_id).order_by(
                agreements.c.round, agreements.c.dimension_id
            )
        )
    ]
    return out
