"""What Compare lists and scores: published entries only, none under its k rule.

Why: the third job puts assessments side by side (issue 6), for administrators
only (issue 12). An entry is what its owner published (`storage.results.publish`): a
finished self-assessment, one closed round of a workshop, an imported
result, or the demo data. Drafts, open rounds and anything unpublished never
appear, and an entry with too few people (`storage.results.publish.withheld`, counted
again here on every read) is left out as if it were not there.

The page needs one table to choose from (area, kind of entry, form, date, how
many people, which bank version) and, for each chosen entry, its answers in
the long format that `scoring.engine.group_scores` takes, so the page and
``python -m scoring score`` compute the same numbers from the same rows.
Both functions take the caller's grant and refuse anyone but an administrator, and so
does `answer_stamps`: a stamp per chosen entry that moves whenever its answers do, so the
page reads an entry's answers again only when they changed (issue 14).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from common.columns import STORED_COLUMNS
from common.memo import Memo
from common.scopes import ROOM
from storage.core import validate
from storage.core.access import Grant, require_admin
from storage.core.engine import reading
from storage.core.errors import InputError
from storage.core.schema import (
    answers,
    areas,
    assessments,
    banks,
    publications,
    responses,
    room_views,
    workshops,
)
from storage.results.demo import DEMO_DATES, DEMO_TITLES
from storage.results.frames import answers_frame, plans_frame
from storage.results.publish import EntryKind, count_people, withheld
from storage.workshop.roomviews import shown_room_answers

__all__ = [
    "COMPARABLE_COLUMNS",
    "Stamps",
    "answer_stamps",
    "assessment_answers",
    "comparable_assessments",
    "many_stamp",
    "published_result",
    "require_compare",
]

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

#: {(assessment id, round): its change stamp} (`answer_stamps`).
Stamps = dict[tuple[int, int], Hashable]


def require_compare(engine: Engine, grant: Grant) -> None:
    """Refuse (`AccessDenied`) unless ``grant`` is an administrator's that still holds: what
    the Compare and Areas pages ask before drawing anything (one indexed read at most)."""
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)


def comparable_assessments(engine: Engine, grant: Grant) -> pd.DataFrame:
    """One row per entry Compare may show: `COMPARABLE_COLUMNS`.

    ``entry`` is the kind of entry (``self``, ``workshop``, ``imported`` or
    ``demo``; `storage.results.publish.ENTRY_NAMES` words them); ``round`` is the
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
        shown = [r for r in _entries(conn, [assessment_id]) if wanted in (None, r["round"])]
        if not shown:
            raise InputError(
                "assessment_id",
                f"assessment {assessment_id} is not in Compare (not published, or too few people)",
            )
        entry = max(shown, key=lambda r: r["round"])
        if entry["k"] is not None:  # a workshop: exactly what the room was shown of that round
            frame = shown_room_answers(engine, conn, entry["room_id"], entry["round"], entry["k"])
            return frame[list(STORED_COLUMNS)]
    frame = answers_frame(engine, assessment_id, statuses=("submitted",))
    return frame[list(STORED_COLUMNS)]


def answer_stamps(engine: Engine, grant: Grant, entries: Iterable[tuple[int, int]]) -> Stamps:
    """{(assessment id, round): a stamp} for those of ``entries`` Compare shows now: a value
    that changes whenever what `assessment_answers` returns for the entry changes, read in
    one snapshot with one check of ``grant``, so a page can keep each entry's answers under
    its stamp and read them again only when it moves.

    A workshop round's stamp is its stored room view (`storage.workshop.roomviews`: people
    and time taken, the round's only source) and the workshop's k. Any other entry's: its
    responses (count and latest id, which number the respondents R1, R2 ...), the sent ones
    (latest change) and their answers (count, latest change): counts catch deletions.
    Every stamp also holds when the assessment was created, so an id given out again after a
    deletion never matches an old one. An entry not in Compare (unpublished, under its k
    rule, unknown) gets no stamp: `assessment_answers` refuses it.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: an entry is not an (assessment id, round number) pair.
    """
    wanted = {
        (validate.record_id("assessment_id", a), validate.round_number(r)) for a, r in entries
    }
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        ids = sorted({a for a, _ in wanted})
        found = _entries(conn, ids) if ids else []
        shown = [r for r in found if (r["assessment_id"], r["round"]) in wanted]
        sent = _sent_stamps(conn, [r["assessment_id"] for r in shown if r["entry"] != "workshop"])
    stamps: Stamps = {}
    for row in shown:
        key = (row["assessment_id"], row["round"])
        if row["entry"] == "workshop":
            stamps[key] = ("room", row["created_at"], row["k"], row["view"])
        else:
            stamps[key] = ("sent", row["created_at"], sent.get(row["assessment_id"]))
    return stamps


def many_stamp(engine: Engine, grant: Grant, entries: Iterable[tuple[int, int]]) -> tuple[Any, ...]:
    """One stamp for many entries at once (Compare's "Many areas", up to 500): it moves
    whenever what `assessment_answers` returns for any of them may have moved, read in one
    snapshot with one check of ``grant``, without reading an answer.

    Why it is enough: every save of an answer stamps its response (``updated_at``), a
    response or answer is deleted only with its response, and an assessment id given out again
    after a deletion has another creation time; a workshop round's answers are its stored
    room views. So the stamp is, over the entries' assessments: their count and latest
    creation; their responses' count, latest id and latest change; and their workshops'
    stored views' count, people and latest taking. Coarser than `answer_stamps` (any change
    reads them all again), but two aggregate queries instead of a pass over every answer.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: an entry is not an (assessment id, round number) pair.
    """
    ids = sorted(
        {validate.record_id("assessment_id", a) for a, r in entries if validate.round_number(r)}
    )
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        if not ids:
            return ()
        made = conn.execute(
            sa.select(sa.func.count(), sa.func.max(assessments.c.created_at)).where(
                assessments.c.id.in_(ids)
            )
        ).one()
        said = conn.execute(
            sa.select(
                sa.func.count(), sa.func.max(responses.c.id), sa.func.max(responses.c.updated_at)
            ).where(responses.c.assessment_id.in_(ids))
        ).one()
        rooms = sa.select(workshops.c.id).where(workshops.c.assessment_id.in_(ids))
        seen = conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.sum(room_views.c.people),
                sa.func.max(room_views.c.taken_at),
            ).where(room_views.c.workshop_id.in_(rooms))
        ).one()
    return (tuple(ids), *made, *said, *seen)


def _sent_stamps(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """{assessment id: (responses, latest response id, the sent ones' latest change, their
    answers, the answers' latest change)} for the assessments that have responses.

    Every response, whatever its status, numbers the respondents (R1, R2 ...): their count and
    latest id. A sent response's own fields (role, time sent) change with its ``updated_at``;
    whether it is sent at all shows in its answers' count (one with none adds no rows)."""
    if not ids:
        return {}
    sent = responses.c.status == "submitted"
    heads = (
        sa.select(
            responses.c.assessment_id,
            sa.func.count(),
            sa.func.max(responses.c.id),
            sa.func.max(sa.case((sent, responses.c.updated_at))),
        )
        .where(responses.c.assessment_id.in_(ids))
        .group_by(responses.c.assessment_id)
    )
    given = (
        sa.select(responses.c.assessment_id, sa.func.count(), sa.func.max(answers.c.updated_at))
        .join_from(answers, responses)
        .where(responses.c.assessment_id.in_(ids), sent)
        .group_by(responses.c.assessment_id)
    )
    told = {a: (n, latest) for a, n, latest in conn.execute(given)}
    return {a: (*rest, *told.get(a, (0, None))) for a, *rest in conn.execute(heads)}


def published_result(
    engine: Engine, grant: Grant, assessment_id: object
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The answers and the plans (targets, priority marks) of a published self-assessment or
    imported result, for an administrator to open from the area's home: what Compare shows
    of it, and its targets, never its evidence notes (dropped here).

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: ``assessment_id`` is not a published self-assessment or imported
            result (a workshop round is opened in Compare).
    """
    wanted = validate.record_id("assessment_id", assessment_id)
    with reading(engine) as conn:
        require_admin(conn, grant, _WHAT)
        shown = _entries(conn, [wanted])
    if not shown or shown[0]["k"] is not None:
        raise InputError(
            "assessment_id",
            f"assessment {wanted} is not a published self-assessment or imported result; "
            "its owner publishes it to open it here (a workshop round opens in Compare)",
        )
    answers = answers_frame(engine, wanted, statuses=("submitted",))[list(STORED_COLUMNS)]
    answers = answers.assign(evidence=pd.NA)  # the owner's notes stay with the owner
    return answers, plans_frame(engine, wanted, statuses=("submitted",))


def _entries(conn: Connection, assessment_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The published entries that pass the k rule now, one dict per entry (unsorted); a
    workshop round's also carries ``room_id``, ``k`` and its stored ``view`` (people, taken
    at), which `comparable_assessments` leaves out."""
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
    if assessment_ids is not None:
        query = query.where(assessments.c.id.in_(assessment_ids))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    ids = sorted({r["assessment_id"] for r in rows})
    sent = count_people(conn, ids, submitted_only=True)
    seen = _room_people(conn, sorted({r["room_id"] for r in rows if r["room_id"] is not None}))
    found = []
    for row in rows:
        k, current, open_ = row["k"], row.pop("current_round"), row.pop("round_open")
        key = (row["assessment_id"], row["round"])
        entry: EntryKind
        if k is not None:  # a workshop: only a closed round, with at least k people
            entry = "workshop"
            if row["round"] > current or (row["round"] == current and open_):
                continue
            row["view"] = seen.get((row["room_id"], row["round"]), (0, None))
            people = row["view"][0]  # the people the room was shown
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


def _room_people(
    conn: Connection, workshop_ids: list[int]
) -> dict[tuple[int, int], tuple[int, datetime]]:
    """{(workshop id, round): (people, taken at) of the room's stored view}
    (`storage.workshop.roomviews`)."""
    if not workshop_ids:
        return {}
    view = room_views.c
    query = sa.select(view.workshop_id, view.round, view.people, view.taken_at).where(
        view.scope == ROOM, view.workshop_id.in_(workshop_ids)
    )
    return {(w, r): (n, taken) for w, r, n, taken in conn.execute(query)}


#: The frames `comparable_assessments` built, by their rows: Compare reads the entries on
#: every rerun (its change check) and gets the very same frame back while they stand, so
#: what its page keeps with that frame holds. Callers do not change a frame they are given.
_BUILT = Memo(16)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as typed columns: `_TYPES`, the times as UTC, the rest as objects (the
    same frame object for the same rows, `_BUILT`)."""
    key = tuple(tuple(r[name] for name in COMPARABLE_COLUMNS) for r in rows)
    return _BUILT.kept(key, lambda: _typed(rows))


def _typed(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            name: pd.Series([r[name] for r in rows], dtype=_TYPES.get(name, "object"))
            for name in COMPARABLE_COLUMNS
        }
    )
    for name in ("created_at", "published_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
    return frame
