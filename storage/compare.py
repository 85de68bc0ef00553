"""What Compare lists and scores: published entries only, none under its k rule.

Why: the third job puts assessments side by side (issue 6), for administrators
only (issue 12). An entry is what its owner published (`storage.publish`): a
finished self-assessment, one closed round of a workshop, an imported
result, or the demo data. Drafts, open rounds and anything unpublished never
appear, and an entry with too few people (`storage.publish.withheld`, counted
again here on every read) is left out as if it were not there.

The page needs one table to choose from (area, kind of entry, form, date, how
many people, which bank version) and, for each chosen entry, its answers in
the long format that `scoring.engine.group_scores` takes, so the page and
``python -m scoring score`` compute the same numbers from the same rows.
Both functions take the caller's grant and refuse anyone but an administrator.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from scoring.answers import STORED_COLUMNS
from scoring.disclosure import ROOM
from storage import validate
from storage.access import Grant, require_admin
from storage.demo import DEMO_DATES, DEMO_TITLES
from storage.engine import reading
from storage.errors import InputError
from storage.frames import answers_frame
from storage.publish import EntryKind, count_people, withheld
from storage.roomviews import shown_room_answers
from storage.schema import (
    areas,
    assessments,
    banks,
    publications,
    room_views,
    workshops,
)

__all__ = ["COMPARABLE_COLUMNS", "assessment_answers", "comparable_assessments", "require_compare"]

COMPARABLE_COLUMNS: tuple[str, ...] = (
    "assessment_id",
    "round",
    "entry",
    "area_id",
    "area_name",
    "area_kind",
    "ons_code",
    "parent_id",
    "parent_name",
    "kind",
    "form_id",
    "title",
    "held_on",
    "created_at",
    "published_at",
    "respondents",
    "bank_hash",
    "bank_version",
    "demo",
)
_TYPES = {
    "assessment_id": "int64",
    "round": "int64",
    "area_id": "int64",
    "parent_id": "Int64",  # <NA> when the area has no parent
    "respondents": "int64",
    "demo": "bool",
}  # every other column is text, a date or None (object), except the two times
_WHAT = "Compare"


def require_compare(engine: Engine, grant: Grant) -> None:
    """Refuse (`AccessDenied`) unless ``grant`` is an administrator's that still holds: what
    the Compare and Areas pages ask before drawing anything (one indexed read at most)."""
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)


def comparable_assessments(engine: Engine, grant: Grant) -> pd.DataFrame:
    """One row per entry Compare may show: `COMPARABLE_COLUMNS`.

    ``entry`` is the kind of entry (``self``, ``workshop``, ``imported`` or
    ``demo``; `storage.publish.ENTRY_NAMES` words them); ``round`` is the
    workshop round (1 otherwise). ``respondents`` counts the people in it now:
    sent (submitted) responses with at least one answer given, in that round.
    ``held_on`` is a `datetime.date` or None; ``ons_code``, ``parent_id``,
    ``parent_name`` and ``title`` may be missing (None, <NA>).
    Rows by area name (ignoring case), then date (undated last), then
    creation, then round.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        found = _entries(conn)
    found.sort(
        key=lambda r: (
            r["area_name"].casefold(),
            r["held_on"] is None,
            r["held_on"] or r["created_at"].date(),
            r["created_at"],
            r["assessment_id"],
            r["round"],
        )
    )
    return _frame(found)


def assessment_answers(
    engine: Engine, grant: Grant, assessment_id: int, round: int | None = None
) -> pd.DataFrame:
    """The answers of one entry Compare shows, in `scoring.answers.STORED_COLUMNS`.

    A workshop round: the answers its participants sent in that round
    (respondents P1, P2 ...; drafts never reached the room, so they are left
    out); ``round`` None means its latest round in Compare. Any other entry:
    its submitted responses (R1, R2 ...). Pass it to
    `scoring.engine.group_scores`.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: ``assessment_id`` (or ``round``) names no entry Compare shows.
    """
    assessment_id = validate.record_id("assessment_id", assessment_id)
    wanted = None if round is None else validate.round_number(round)
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        shown = [r for r in _entries(conn, assessment_id) if wanted in (None, r["round"])]
        if not shown:
            raise InputError(
                "assessment_id",
                f"assessment {assessment_id} is not in Compare (not published, or too few people)",
            )
        entry = max(shown, key=lambda r: r["round"])
        room = conn.execute(
            sa.select(workshops.c.id, workshops.c.k).where(
                workshops.c.assessment_id == assessment_id
            )
        ).first()
        if room is not None:  # exactly what the room was shown of that round
            frame = shown_room_answers(engine, conn, room.id, entry["round"], room.k)
            return frame[list(STORED_COLUMNS)]
    frame = answers_frame(engine, assessment_id, statuses=("submitted",))
    return frame[list(STORED_COLUMNS)]


def _entries(conn: Connection, assessment_id: int | None = None) -> list[dict[str, Any]]:
    """The published entries that pass the k rule now, one dict per entry (unsorted)."""
    parent = areas.alias("parent")
    query = (
        sa.select(
            assessments.c.id.label("assessment_id"),
            publications.c.round,
            assessments.c.area_id,
            areas.c.name.label("area_name"),
            areas.c.kind.label("area_kind"),
            areas.c.ons_code,
            areas.c.parent_id,
            parent.c.name.label("parent_name"),
            assessments.c.kind,
            assessments.c.form_id,
            assessments.c.title,
            assessments.c.held_on,
            assessments.c.created_at,
            publications.c.published_at,
            assessments.c.bank_hash,
            banks.c.version.label("bank_version"),
            areas.c.demo,
            workshops.c.k,
            workshops.c.current_round,
            workshops.c.round_open,
            workshops.c.id.label("room_id"),
        )
        .join_from(publications, assessments, publications.c.assessment_id == assessments.c.id)
        .join(areas, assessments.c.area_id == areas.c.id)
        .join(banks, assessments.c.bank_hash == banks.c.content_hash)
        .outerjoin(parent, areas.c.parent_id == parent.c.id)
        .outerjoin(workshops, workshops.c.assessment_id == assessments.c.id)
    )
    if assessment_id is not None:
        query = query.where(assessments.c.id == assessment_id)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    ids = sorted({r["assessment_id"] for r in rows})
    sent = count_people(conn, ids, submitted_only=True)
    seen = _room_people(conn, sorted({r["room_id"] for r in rows if r["room_id"] is not None}))
    found = []
    for row in rows:
        k, current, open_ = row.pop("k"), row.pop("current_round"), row.pop("round_open")
        room_id = row.pop("room_id")
        key = (row["assessment_id"], row["round"])
        entry: EntryKind
        if k is not None:  # a workshop: only a closed round, with at least k people
            entry = "workshop"
            if row["round"] > current or (row["round"] == current and open_):
                continue
            people = seen.get((room_id, row["round"]), 0)  # the people the room was shown
        else:
            entry = "imported" if row["kind"] == "imported" else "self"
            if row["demo"] and row["title"] in DEMO_TITLES and row["held_on"] in DEMO_DATES:
                entry = "demo"
            if row["round"] != 1:
                continue
            people = sent.get(key, 0)
        if withheld(entry, people, k or 0) is not None:
            continue
        found.append(row | {"entry": entry, "respondents": people})
    return found


def _room_people(conn: Connection, workshop_ids: list[int]) -> dict[tuple[int, int], int]:
    """{(workshop id, round): people in the room's stored view} (`storage.roomviews`)."""
    if not workshop_ids:
        return {}
    query = sa.select(room_views.c.workshop_id, room_views.c.round, room_views.c.people).where(
        room_views.c.scope == ROOM, room_views.c.workshop_id.in_(workshop_ids)
    )
    return {(w, r): n for w, r, n in conn.execute(query)}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as typed columns: `_TYPES`, the times as UTC, the rest as objects."""
    frame = pd.DataFrame(
        {
            name: pd.Series([r[name] for r in rows], dtype=_TYPES.get(name, "object"))
            for name in COMPARABLE_COLUMNS
        }
    )
    for name in ("created_at", "published_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
    return frame
