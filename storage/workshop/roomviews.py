"""The room's view of a workshop round: what the dashboard, the projector and the downloads
may show, kept per scope so that it changes only when k more people's answers differ.

Why: `storage.workshop.disclosure` decides, purely, when a scope's view may change; the
rule needs the view the room last saw, which must outlive a page refresh, a
server restart and a second server (replica). So each scope's last view is a
row of ``room_views`` (workshop, round, scope, people, taken_at, rows as
compact JSON), and `room_view` is the only way the dashboard and the exports
read a workshop's figures:

1. check the caller's grant (`storage.core.access.room_reach`: the facilitator's, or the
   room screen's once that round's results are revealed) in the same connection that reads;
2. read the round's *sent* answers (responses with status 'submitted'; paper
   and table-group entries are submitted when entered) and the stored views;
3. apply the rule to every scope; when a scope's view changes, write it under
   the workshop's row lock, deciding again inside the write if anything moved
   since the read (someone sent, or another server stored a view), so two
   replicas refreshing at once store one view, not two a person apart;
4. return the views as frames `scoring.workshop.dashboard` builds from.

A closed round follows the same rule (nothing extra is revealed when it closes).

Reading is the hot path (the dashboard refreshes every few seconds per open
dashboard): when no sent response changed and no view was stored since the last
refresh (one small query says so: `RoomStamp`, which `room_stamp` also gives the
facilitator's other pages), the last `RoomView` is returned as it was, and its memo
keeps the dashboard and figures built from it. After a send, only the responses new
or changed since the last read have their answers read again; a stored view is
parsed once per process and kept while its ``taken_at`` is unchanged. Every cache
here is bounded, keyed by database, workshop and round, and consulted only after
the caller's grant was checked for that workshop.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from common.columns import STORED_COLUMNS
from common.scopes import OTHER_ROLES, OTHER_ROLES_LABEL, ROOM
from storage.core import validate
from storage.core.access import Grant, require_facilitator, require_room, room_reach, within_reach
from storage.core.engine import dialect_insert, reading, writing
from storage.core.errors import InputError
from storage.core.model import Workshop
from storage.core.schema import agreements, answers, now, participants, responses, workshops
from storage.core.schema import room_views as room_views_table
from storage.workshop.disclosure import NEXT, PAIR, RoomViews, ScopeView, Sent, room_views
from storage.workshop.rooms import workshop_in, workshop_query, workshop_record

__all__ = [
    "HistoryFrames",
    "RoomStamp",
    "RoomView",
    "export_roles",
    "history_frames",
    "read_ahead",
    "room_history",
    "room_stamp",
    "room_view",
    "shown_room_answers",
]

#: The JSON layout of ``room_views.rows``. 1: each person's answers as [question, answer]
#: pairs; 2: as one text, ``question<US>answer<RS>...`` (the text `_read_people` reads),
#: which writes and reads about twice as fast. Rows of either format are read.
_FORMAT: Final = 2
_CACHE_SIZE: Final = 256  # parsed views kept per process (about 11 scopes per workshop round)
_ROUNDS_KEPT: Final = 64  # workshop rounds whose sent answers are kept per process
_TEXT = "str"
#: The views' frames hold Python strings (``object``): building them is three times faster
#: than Arrow-backed text, and scoring factorizes them either way.
_PLAIN = object


@dataclass(frozen=True, slots=True)
class _Notes:
    """What the room scope keeps beside the answers, for the exports only: each person's
    date of sending, and any confidence or evidence note, per question."""

    dates: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, Mapping[str, tuple[str | None, str | None]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class RoomView:
    """A workshop round as the room may see it (treat the frames as read-only).

    Attributes:
        workshop_id, round, k: which round, and the threshold applied.
        round_open: whether people can still send in this round.
        sent: how many people have sent in the round now (live; a count of people).
        views: every scope's view (`storage.workshop.disclosure.RoomViews`).
        taken_at: when the room's view was taken (None: never shown).
        answers: the room scope's view as long answers (`scoring.answers.STORED_COLUMNS`;
            ``role`` is each person's own role, for scoring only; empty when not shown).
        role_answers: the shown role scopes and the shown pool, as long answers whose
            ``role`` is the role id, or `storage.workshop.disclosure.OTHER_ROLES` for the pool.
        role_rows: when the roles' views hold only people of the room's view, each once and
            with the answers the room's view holds (a room's first view, or whenever the
            views moved together): for each row of ``role_answers``, the position of the
            row of ``answers`` it repeats (same person, question and answer; only ``role``
            may differ). None otherwise. Why: the dashboard codes the room's rows once and
            takes the roles' rows from them, instead of coding the same answers twice.
    """

    workshop_id: int
    round: int
    k: int
    round_open: bool
    sent: int
    views: RoomViews = field(repr=False)
    taken_at: datetime | None
    answers: pd.DataFrame = field(repr=False)
    role_answers: pd.DataFrame = field(repr=False)
    notes: _Notes = field(repr=False, default_factory=_Notes)
    role_rows: np.ndarray | None = field(repr=False, default=None)
    #: Things derived from the views, kept with them (the page's `Dashboard` and figures):
    #: while no scope's view changes, later `RoomView` objects share this memo, so nothing
    #: is built twice (only ``sent`` may differ: see `scoring.workshop.dashboard.with_sent`).
    memo: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def shown(self) -> bool:
        """Whether the room's view rests on k or more people."""
        return self.views.room.shown(self.k)

    @property
    def people(self) -> int:
        """How many people the room's view rests on (0 when not shown)."""
        return len(self.views.room) if self.shown else 0

    def export_answers(self) -> pd.DataFrame:
        """The room's view as answer rows for a download: dates, not times
        (``submitted_at`` is the date sent); a role with fewer than k people in the
        view is replaced by "Other roles" when those roles together reach k, else left
        blank; confidence and evidence as they were when the view was taken. Empty
        when the room's view is not shown."""
        if not self.shown:
            return _empty_answers()
        roles = export_roles(self.views.room, self.k)
        frame = self.answers.assign(role=self.answers["respondent_id"].map(roles))
        notes = self.notes.notes
        pairs = zip(frame["respondent_id"], frame["question_id"], strict=True)
        kept = [notes.get(p, {}).get(q, (None, None)) for p, q in pairs]
        return frame.assign(
            confidence=pd.Series([c for c, _ in kept], dtype=_TEXT),
            evidence=pd.Series([e for _, e in kept], dtype=_TEXT),
            submitted_at=[
                date.fromisoformat(day) if (day := self.notes.dates.get(p)) else None
                for p in frame["respondent_id"]
            ],
        )[list(STORED_COLUMNS)]


def export_roles(view: ScopeView, k: int) -> dict[str, str]:
    """Person -> the role a download may show: their role when k or more people of it are in
    the view; `OTHER_ROLES_LABEL` when the smaller roles together reach k; else blank."""
    counts: dict[str, int] = {}
    for sent in view.people.values():
        counts[sent.role] = counts.get(sent.role, 0) + 1
    small = sum(n for n in counts.values() if n < k)
    pooled = OTHER_ROLES_LABEL if small >= k else ""
    return {p: s.role if counts[s.role] >= k else pooled for p, s in view.people.items()}


@dataclass(frozen=True, slots=True)
class RoomStamp:
    """What a workshop round's dashboard rests on, in a few numbers: equal stamps, nothing
    it shows has changed (compare two with ``==``; a cache keyed by one is never stale).

    Attributes:
        workshop_id, round: which round.
        k, current_round, round_open: the workshop's threshold and where its rounds stand.
        sent: the round's sent responses: how many, the sum of their ids, their last change
            (every save of an answer stamps its response, so an edit moves it).
        views: the round's stored room views: how many, the people they rest on, the first
            and last taken.
        joined: the workshop's participants: how many, and the last to join.
        agreed: the round's agreed levels: how many, and the last recorded.
    """

    workshop_id: int
    round: int
    k: int
    current_round: int
    round_open: bool
    sent: tuple[Any, ...]
    views: tuple[Any, ...]
    joined: tuple[Any, ...]
    agreed: tuple[Any, ...]

    @property
    def views_mark(self) -> tuple[Any, ...]:
        """The part a `RoomView`'s figures rest on: k, the sent answers, the stored views."""
        return (self.k, self.sent, self.views)


def room_stamp(
    engine: Engine, grant: Grant, workshop_id: int, round: int | None = None
) -> RoomStamp:
    """The round's `RoomStamp` (the current round when ``round`` is None): one small query
    once the grant is checked, however many people are in the room.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``workshop_id`` names no workshop, or ``round`` is not a round held.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        return _stamp(conn, workshop_id, round)[1]


def room_view(engine: Engine, grant: Grant, workshop_id: int, round: int | None = None) -> RoomView:
    """The room's view of one round (the current round when ``round`` is None).

    Raises:
        AccessDenied: ``grant`` is neither this workshop's facilitator's nor its room
            screen's with that round's results revealed.
        InputError: ``workshop_id`` names no workshop, or ``round`` is not a round held.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        reach = room_reach(conn, grant, workshop_id)  # before the workshop is looked for
        workshop, stamp = _stamp(conn, workshop_id, round)  # one small query
        round_ = stamp.round
        within_reach(reach, round_)
        mark = stamp.views_mark
        place = (engine.url.render_as_string(), workshop_id, round_)
        last = _last_view(place, mark)
        if last is not None:  # nobody sent or changed anything, no view was stored since
            return _reopened(last, workshop, round_)
        # Worked out while the key was checked, when still what the database holds; else now.
        worked = _taken_ahead(place, mark) or _worked_out(engine, conn, workshop, round_, mark)
    views, notes, stored = worked.views, worked.notes, dict(worked.stored)
    if views.changed:
        with writing(engine) as conn:
            require_room(conn, grant, workshop_id, round_)
            workshop = workshop_in(conn, workshop_id, lock=True)
            now_mark = _stamp(conn, workshop_id, round_)[1].views_mark
            if now_mark != mark:
                # Someone sent, or another server stored a view, since the read: decide
                # again on what is true now, under the lock, so two servers agree.
                worked = _worked_out(engine, conn, workshop, round_, now_mark)
                views, notes, stored = worked.views, worked.notes, dict(worked.stored)
            stored |= _store(engine, conn, workshop_id, round_, views, notes)
            mark = _stamp(conn, workshop_id, round_)[1].views_mark
    view = _make(workshop, round_, views, stored.get(ROOM), _memo_of(place, views))
    _remember_view(place, mark, view)
    return view


def read_ahead(engine: Engine, workshop_id: int) -> None:
    """Work out the current round's views into this process's cache, handing nothing out.

    Why: Unlock hashes the facilitator's key (deliberately slow) and then shows the room,
    whose first view reads every sent answer, applies the rule and builds the frames. Run
    while the key hashes (`storage.core.access.unlock_workshop`'s ``meanwhile``, only when
    a key is hashed, so bounded as key checks are), that is done by the time a right key
    opens the dashboard. `room_view` then checks the grant and uses it only when the
    round's `RoomStamp` is still the one it was worked out from (nobody sent, nothing was
    stored since: the test `_LAST` passes too); else it reads again. Nothing is stored
    here: storing a view stays `room_view`'s, under the grant and the workshop's lock. A
    wrong key shows nothing, and the cache holds only what the next grant-checked view would
    read. Best effort: a database that cannot answer now leaves the cache as it was.
    """
    try:
        with reading(engine) as conn:
            workshop, stamp = _stamp(conn, workshop_id, None)
            worked = _worked_out(engine, conn, workshop, stamp.round, stamp.views_mark)
    except (InputError, sa.exc.SQLAlchemyError):
        return
    _frames(workshop.k, stamp.round, worked.views)  # kept in _FRAMES, by view
    place = (engine.url.render_as_string(), workshop_id, stamp.round)
    with _PARSED_LOCK:
        _AHEAD[place] = worked
        _AHEAD.move_to_end(place)
        while len(_AHEAD) > _AHEAD_KEPT:
            _AHEAD.popitem(last=False)


@dataclass(frozen=True, slots=True)
class _Ahead:
    """A round's views as the rule gives them from what the database holds at ``mark``
    (read in the same connection): sent answers, notes and stored views."""

    mark: tuple[Any, ...]
    views: RoomViews
    notes: _Notes
    stored: Mapping[str, _Parsed]


#: Per (database, workshop, round): the views `read_ahead` worked out, until used.
_AHEAD: OrderedDict[tuple[Any, ...], _Ahead] = OrderedDict()
_AHEAD_KEPT: Final = 16


def _worked_out(
    engine: Engine, conn: Connection, workshop: Workshop, round_: int, mark: tuple[Any, ...]
) -> _Ahead:
    sent, notes = _sent(conn, workshop.id, round_)
    stored = _stored(engine, conn, workshop.id, round_)
    views = room_views(_scopes(stored), sent, workshop.k)
    return _Ahead(mark, views, notes, MappingProxyType(stored))


def _taken_ahead(place: tuple[Any, ...], mark: tuple[Any, ...]) -> _Ahead | None:
    """`read_ahead`'s views of the round, once, when they rest on ``mark`` (read now)."""
    with _PARSED_LOCK:
        ahead = _AHEAD.pop(place, None)
    return ahead if ahead is not None and ahead.mark == mark else None


def _memo_of(place: tuple[Any, ...], views: RoomViews) -> dict[str, Any]:
    """The last view's memo when every scope's view is still the same object (someone sent,
    but not enough to change a view): what was built from the views still holds."""
    with _PARSED_LOCK:
        hit = _LAST.get(place)
    if hit is None:
        return {}
    before, now_ = hit[1].views.scopes(), views.scopes()
    same = before.keys() == now_.keys() and all(
        before[s] is now_[s] or not (before[s].people or now_[s].people) for s in now_
    )
    return hit[1].memo if same else {}


def shown_room_answers(
    engine: Engine, conn: Connection, workshop_id: int, round_: int, k: int
) -> pd.DataFrame:
    """The room's stored view of a round as long answers (`STORED_COLUMNS`, each person's
    own role), or an empty frame when the room never saw k or more people.

    Internal, without a grant check: for `storage.results.compare`, which checked that its caller
    is an administrator and the round is published. Compare draws on exactly what the room
    was shown, so comparing its figures with the dashboard's reveals no one's answers.
    """
    room = _stored(engine, conn, workshop_id, round_).get(ROOM)
    if room is None or not room.view.shown(k):
        return _empty_answers()
    return _build_frame(((room.view, None),), round_)


def room_history(engine: Engine, grant: Grant, workshop_id: int) -> tuple[RoomView, ...]:
    """The room's view of every round held, in order (for the downloads)."""
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        current = workshop_in(conn, workshop_id).current_round
    return tuple(room_view(engine, grant, workshop_id, r) for r in range(1, current + 1))


@dataclass(frozen=True, slots=True, eq=False)
class HistoryFrames:
    """Every round's room view at once, as the downloads take them.

    ``answers`` and ``role_answers`` are the rounds' `RoomView` frames one after
    another; ``sent`` maps each round to how many people sent in it; ``export`` is
    every round's `RoomView.export_answers` (rows a download may carry); ``people``
    the distinct people in ``export``.
    """

    rounds: tuple[int, ...]
    answers: pd.DataFrame = field(repr=False)
    role_answers: pd.DataFrame = field(repr=False)
    sent: Mapping[int, int]
    export: pd.DataFrame = field(repr=False)

    @property
    def people(self) -> int:
        return int(self.export["respondent_id"].nunique())


def history_frames(history: tuple[RoomView, ...]) -> HistoryFrames:
    """`room_history` as one set of frames for `reports.workshop`."""

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else _empty_answers()

    return HistoryFrames(
        rounds=tuple(v.round for v in history),
        answers=joined([v.answers for v in history]),
        role_answers=joined([v.role_answers for v in history]),
        sent={v.round: v.sent for v in history},
        export=joined([v.export_answers() for v in history]),
    )


# --- Reading ---------------------------------------------------------------------

_LAST: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], RoomView]] = OrderedDict()


def _stamp(conn: Connection, workshop_id: int, round: int | None) -> tuple[Workshop, RoomStamp]:
    """The workshop and the round's `RoomStamp`, in one query: the workshop's row with
    aggregates of the round's sent responses, stored views, agreed levels and the workshop's
    participants (each computed once, over an index; one row, whatever the room's size).

    Raises:
        InputError: no such workshop, or ``round`` is not a round held.
    """
    wanted = None if round is None else validate.round_number(round)
    row = conn.execute(_STAMP, {"workshop_id": workshop_id, "round": wanted}).first()
    if row is None:
        raise InputError("workshop_id", f"there is no workshop with id {workshop_id}")
    workshop = workshop_record(row)
    held = _round(workshop, wanted)
    values = {name: tuple(row._mapping[label] for label in labels) for name, labels in _LABELS}
    return workshop, RoomStamp(
        workshop_id=workshop.id,
        round=held,
        k=workshop.k,
        current_round=workshop.current_round,
        round_open=workshop.round_open,
        **values,
    )


def _stamp_query() -> tuple[sa.Select[Any], tuple[tuple[str, tuple[str, ...]], ...]]:
    """`_stamp`'s statement, built once (bound: ``workshop_id``, ``round``, None for the
    current round), and the labels of each aggregate's columns."""
    here = sa.bindparam("workshop_id", type_=sa.Integer)
    current = sa.select(workshops.c.current_round).where(workshops.c.id == here)
    round_ = sa.func.coalesce(sa.bindparam("round", type_=sa.Integer), current.scalar_subquery())
    aggregates = {
        "sent": (
            (sa.func.count(responses.c.id), sa.func.sum(responses.c.id)),
            (sa.func.max(responses.c.updated_at),),
            responses.join(participants),
            (
                participants.c.workshop_id == here,
                responses.c.round == round_,
                responses.c.status == "submitted",
            ),
        ),
        "views": (
            (sa.func.count(room_views_table.c.scope), sa.func.sum(room_views_table.c.people)),
            (sa.func.min(room_views_table.c.taken_at), sa.func.max(room_views_table.c.taken_at)),
            room_views_table,
            (room_views_table.c.workshop_id == here, room_views_table.c.round == round_),
        ),
        "joined": (
            (sa.func.count(participants.c.id), sa.func.max(participants.c.id)),
            (),
            participants,
            (participants.c.workshop_id == here,),
        ),
        "agreed": (
            (sa.func.count(agreements.c.dimension_id),),
            (sa.func.max(agreements.c.recorded_at),),
            agreements,
            (agreements.c.workshop_id == here, agreements.c.round == round_),
        ),
    }
    query = workshop_query().where(workshops.c.id == here)
    labels: list[tuple[str, tuple[str, ...]]] = []
    for name, (counts, times, table, where) in aggregates.items():
        columns = (*counts, *times)
        names = tuple(f"_{name}_{i}" for i in range(len(columns)))
        # Each set of aggregates is one row, computed once, joined in (not one subquery
        # per column: the sent responses would be read three times).
        one = (
            sa.select(*(c.label(n) for c, n in zip(columns, names, strict=True)))
            .select_from(table)
            .where(*where)
            .subquery(name)
        )
        query = query.join_from(workshops, one, sa.true()).add_columns(*one.c)
        labels.append((name, names))
    return query, tuple(labels)


_STAMP, _LABELS = _stamp_query()


def _last_view(place: tuple[Any, ...], mark: tuple[Any, ...]) -> RoomView | None:
    with _PARSED_LOCK:
        hit = _LAST.get(place)
        if hit is None or hit[0] != mark:
            return None
        _LAST.move_to_end(place)
        return hit[1]


def _remember_view(place: tuple[Any, ...], mark: tuple[Any, ...], view: RoomView) -> None:
    with _PARSED_LOCK:
        _LAST[place] = (mark, view)
        _LAST.move_to_end(place)
        while len(_LAST) > _CACHE_SIZE:
            _LAST.popitem(last=False)


def _reopened(view: RoomView, workshop: Workshop, round_: int) -> RoomView:
    """The same view, with whether its round is open now (closing changes no figure)."""
    is_open = workshop.round_open and round_ == workshop.current_round
    return view if view.round_open == is_open else replace(view, round_open=is_open)


def _round(workshop: Workshop, round: int | None) -> int:
    if round is None:
        return workshop.current_round
    round_ = validate.round_number(round)
    if round_ > workshop.current_round:
        raise InputError("round", f"round {round_} has not been held yet")
    return round_


@dataclass(frozen=True, slots=True)
class _Person:
    """One sent response as last read: its last change, who, their answers, date and notes."""

    changed: Any
    name: str
    sent: Sent
    day: str
    notes: Mapping[str, tuple[str | None, str | None]]


#: Per (database, workshop, round): each sent response as last read, by response id.
_SENT: OrderedDict[tuple[Any, ...], dict[int, _Person]] = OrderedDict()
#: Above this many responses changed since the last read, every sent response is read.
_READ_ALL_FROM: Final = 200


def _sent(conn: Connection, workshop_id: int, round_: int) -> tuple[dict[str, Sent], _Notes]:
    """Everyone's sent answers in the round (blank answers left out), and the room's notes.

    Why incremental: the dashboard refreshes every few seconds while people send one at a
    time, so only responses new or changed since this process last read the round (their
    id and last change, one row each) have their answers read; the others are kept. A
    response's answers and its last change are read in one statement, so what is kept is
    always what that change held.
    """
    where = (
        participants.c.workshop_id == workshop_id,
        responses.c.round == round_,
        responses.c.status == "submitted",
    )
    place = (conn.engine.url.render_as_string(), workshop_id, round_)
    heads = (
        sa.select(responses.c.id, responses.c.updated_at)
        .join_from(responses, participants)
        .where(*where)
        .order_by(responses.c.id)
    )
    now_sent = conn.execute(heads).all()
    with _PARSED_LOCK:
        known = _SENT.get(place, {})
    stale = [
        rid for rid, changed in now_sent if (p := known.get(rid)) is None or p.changed != changed
    ]
    fresh: dict[int, _Person] = {}
    if stale:
        only = None if len(stale) > _READ_ALL_FROM else stale
        fresh = _read_people(conn, where, only)
    people: dict[int, _Person] = {}
    for rid, _ in now_sent:
        found = fresh.get(rid) or known.get(rid)
        if found is not None:  # None: no longer sent by the time its answers were read
            people[rid] = found
    with _PARSED_LOCK:
        _SENT[place] = people
        _SENT.move_to_end(place)
        while len(_SENT) > _ROUNDS_KEPT:
            _SENT.popitem(last=False)
    return (
        {p.name: p.sent for p in people.values()},
        _Notes(
            {p.name: p.day for p in people.values()},
            {p.name: p.notes for p in people.values() if p.notes},
        ),
    )


def _read_people(
    conn: Connection, where: tuple[Any, ...], only: list[int] | None
) -> dict[int, _Person]:
    """The sent responses (``only`` these ids, or all), each with its answers and notes.

    Why one row per person: the database joins each response's answers into one text
    (``question<US>answer<RS>...``), so 300 people are 300 rows to read, not 22,000.
    Each text is a subquery on one response, read from the answers' ``ix_answers_pairs``
    index alone (migration 0011), not a join of every answer grouped afterwards: 22 ms
    instead of 37 ms for 1,000 people. Ids come from the bank and answers from a fixed
    list: neither holds a control character.
    """
    if only is not None:
        where = (*where, responses.c.id.in_(only))
    pair = answers.c.question_id + PAIR + answers.c.answer
    if conn.dialect.name == "postgresql":
        joined = sa.func.string_agg(pair, sa.literal(NEXT))
    else:
        joined = sa.func.group_concat(pair, NEXT)
    given = (
        sa.select(joined)
        .where(answers.c.response_id == responses.c.id, answers.c.answer != "")
        .scalar_subquery()
    )
    people = (
        sa.select(
            responses.c.id,
            responses.c.updated_at,
            participants.c.pseudonym,
            responses.c.role,
            responses.c.submitted_at,
            given.label("given"),
        )
        .select_from(responses.join(participants))
        .where(*where)
    )
    noted = (
        sa.select(
            answers.c.response_id,
            answers.c.question_id,
            answers.c.confidence,
            answers.c.evidence,
        )
        .select_from(answers.join(responses).join(participants))
        .where(
            *where,
            answers.c.answer != "",
            sa.or_(answers.c.confidence.is_not(None), answers.c.evidence.is_not(None)),
        )
    )
    notes: dict[int, dict[str, tuple[str | None, str | None]]] = {}
    for rid, question, confidence, evidence in conn.execute(noted).all():
        notes.setdefault(rid, {})[question] = (confidence, evidence)
    read: dict[int, _Person] = {}
    for rid, changed, name, role, at, text in conn.execute(people).all():
        # The database joins them in no set order: sorted, as `Answers` are kept.
        sent = Sent(role, NEXT.join(sorted(text.split(NEXT))) if text else "")
        day = at.date().isoformat() if at else ""
        read[rid] = _Person(changed, name, sent, day, notes.get(rid, {}))
    return read


@dataclass(frozen=True, slots=True)
class _Parsed:
    view: ScopeView
    notes: _Notes
    taken_at: datetime


_PARSED: OrderedDict[tuple[Any, ...], _Parsed] = OrderedDict()
_PARSED_LOCK = threading.Lock()


def _stored(engine: Engine, conn: Connection, workshop_id: int, round_: int) -> dict[str, _Parsed]:
    """Every stored scope of the round, parsed (from this process's cache when unchanged)."""
    query = sa.select(
        room_views_table.c.scope, room_views_table.c.people, room_views_table.c.taken_at
    ).where(room_views_table.c.workshop_id == workshop_id, room_views_table.c.round == round_)
    found: dict[str, _Parsed] = {}
    missing: list[str] = []
    keys: dict[str, tuple[Any, ...]] = {}
    for scope, people, taken_at in conn.execute(query).all():
        key = (engine.url.render_as_string(), workshop_id, round_, scope, people, taken_at)
        keys[scope] = key
        with _PARSED_LOCK:
            hit = _PARSED.get(key)
            if hit is not None:
                _PARSED.move_to_end(key)
                found[scope] = hit
                continue
        missing.append(scope)
    if missing:
        rows = sa.select(
            room_views_table.c.scope, room_views_table.c.rows, room_views_table.c.taken_at
        ).where(
            room_views_table.c.workshop_id == workshop_id,
            room_views_table.c.round == round_,
            room_views_table.c.scope.in_(missing),
        )
        for scope, text, taken_at in conn.execute(rows).all():
            parsed = _parse(scope, text, taken_at)
            found[scope] = parsed
            _remember(keys[scope], parsed)
    return found


def _remember(key: tuple[Any, ...], parsed: _Parsed) -> None:
    with _PARSED_LOCK:
        _PARSED[key] = parsed
        _PARSED.move_to_end(key)
        while len(_PARSED) > _CACHE_SIZE:
            _PARSED.popitem(last=False)


def _scopes(stored: Mapping[str, _Parsed]) -> dict[str, ScopeView]:
    return {scope: parsed.view for scope, parsed in stored.items()}


def _parse(scope: str, text: str, taken_at: datetime) -> _Parsed:
    data = json.loads(text)
    if data.get("format", 1) == 1:
        people = {
            person: Sent.of(role, ((q, a) for q, a in pairs))
            for person, (role, pairs) in data["people"].items()
        }
    else:
        people = {person: Sent(role, given) for person, (role, given) in data["people"].items()}
    notes = _Notes(
        dict(data.get("dates", {})),
        {
            p: {q: (c, e) for q, (c, e) in given.items()}
            for p, given in data.get("notes", {}).items()
        },
    )
    return _Parsed(ScopeView(scope, people), notes, taken_at)


# --- Writing ---------------------------------------------------------------------


def _store(
    engine: Engine,
    conn: Connection,
    workshop_id: int,
    round_: int,
    views: RoomViews,
    notes: _Notes,
) -> dict[str, _Parsed]:
    """Upsert every changed scope's view (the caller holds the workshop's row lock)."""
    stamp = now()
    written: dict[str, _Parsed] = {}
    rows: list[dict[str, Any]] = []
    for scope in sorted(views.changed):
        view = views.scopes()[scope]
        data: dict[str, Any] = {
            "format": _FORMAT,
            "people": {p: [s.role, s.answers] for p, s in view.people.items()},
        }
        kept = _Notes()
        if scope == ROOM:  # the exports' dates and notes, for the people in the view only
            kept = _Notes(
                {p: notes.dates.get(p, "") for p in view.people},
                {p: notes.notes[p] for p in view.people if p in notes.notes},
            )
            data["dates"] = dict(kept.dates)
            data["notes"] = {p: {q: list(cn) for q, cn in n.items()} for p, n in kept.notes.items()}
        rows.append(
            {
                "workshop_id": workshop_id,
                "round": round_,
                "scope": scope,
                "people": len(view),
                "taken_at": stamp,
                "rows": json.dumps(data, separators=(",", ":"), ensure_ascii=False),
            }
        )
        key = (engine.url.render_as_string(), workshop_id, round_, scope, len(view), stamp)
        written[scope] = _Parsed(view, kept, stamp)
        _remember(key, written[scope])
    if rows:
        conn.execute(_upsert(conn.dialect.name), rows)
    return written


@functools.cache
def _upsert(dialect: str) -> Any:
    """Insert a scope's view, or replace the one stored (built once per dialect)."""
    insert = dialect_insert(dialect, room_views_table)
    return insert.on_conflict_do_update(
        index_elements=["workshop_id", "round", "scope"],
        set_={c: insert.excluded[c] for c in ("people", "taken_at", "rows")},
    )


# --- Frames ----------------------------------------------------------------------


def _make(
    workshop: Workshop,
    round_: int,
    views: RoomViews,
    room: _Parsed | None,
    memo: dict[str, Any],
) -> RoomView:
    k = workshop.k
    shown_room = views.room.shown(k)
    answers, role_answers, role_rows = _frames(k, round_, views)
    return RoomView(
        workshop_id=workshop.id,
        round=round_,
        k=k,
        round_open=workshop.round_open and round_ == workshop.current_round,
        sent=views.sent,
        views=views,
        taken_at=room.taken_at if room is not None and shown_room else None,
        answers=answers,
        role_answers=role_answers,
        notes=room.notes if room is not None else _Notes(),
        role_rows=role_rows,
        memo=memo,
    )


def _frames(
    k: int, round_: int, views: RoomViews
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray | None]:
    """`RoomView.answers`, ``role_answers`` and ``role_rows`` of ``views`` (kept in `_FRAMES`)."""
    parts = [(views.roles[role], role) for role in views.shown_roles]
    if views.other.shown(k):
        parts.append((views.other, OTHER_ROLES))
    room_part: _Parts = ((views.room, None),) if views.room.shown(k) else ()
    answers = _frame(room_part, round_)
    role_answers, role_rows = _role_frame(tuple(parts), round_, room_part, answers)
    return answers, role_answers, role_rows


_Parts = tuple[tuple[ScopeView, str | None], ...]
#: What a view does not keep: notes and times (the exports take them from the room's notes).
_BLANK_COLUMNS: Final = ("confidence", "evidence", "submitted_at")
_FRAMES: OrderedDict[tuple[Any, ...], tuple[_Parts, pd.DataFrame]] = OrderedDict()


def _frame(parts: _Parts, round_: int) -> pd.DataFrame:
    """Views as one long answers frame (`STORED_COLUMNS`): each part's people, with the
    part's role in place of their own when it names one.

    A view unchanged since the last refresh is the same object (`next_view` keeps it),
    so its frame is kept too: the dashboard's refresh rebuilds nothing it showed before.
    """
    return _kept((round_,), parts, lambda: _build_frame(parts, round_))


def _kept(head: tuple[Any, ...], parts: _Parts, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``make()``, kept in `_FRAMES` under ``head`` and the very views of ``parts`` (checked
    with ``is``, so a view's id reused by another object is never served its frame)."""
    key = (*head, *((id(v), role) for v, role in parts))
    with _PARSED_LOCK:
        hit = _FRAMES.get(key)
        if hit is not None and all(a is b for (a, _), (b, _) in zip(hit[0], parts, strict=True)):
            _FRAMES.move_to_end(key)
            return hit[1]
    frame = make()
    with _PARSED_LOCK:
        _FRAMES[key] = (parts, frame)
        while len(_FRAMES) > _CACHE_SIZE:
            _FRAMES.popitem(last=False)
    return frame


def _role_frame(
    parts: _Parts, round_: int, room: _Parts, room_frame: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The roles' views as one frame (as `_frame`), and `RoomView.role_rows`: taken from
    the room's frame when every person of ``parts`` is in the room's view (``room``),
    once, with the same answers; built apart otherwise."""
    found = _rows_in_room(parts, room[0][0]) if room and parts else None
    if found is None:
        return _frame(parts, round_), None
    rows, counts = found

    def taken() -> pd.DataFrame:
        roles = [role for view, role in parts for _ in view.people]
        frame = room_frame.take(rows).reset_index(drop=True)
        frame["role"] = pd.Series(np.repeat(np.array(roles, dtype=object), counts), dtype=_PLAIN)
        return frame

    return _kept(("rows", round_), (*room, *parts), taken), rows


def _rows_in_room(parts: _Parts, room: ScopeView) -> tuple[np.ndarray, np.ndarray] | None:
    """For each row `_build_frame` would give ``parts``, the row of the room's frame it
    repeats, and each person's number of rows (in ``parts``' order); None when a person
    of ``parts`` is not in the room's view, is in two parts, or sent other answers than the
    room's view holds."""
    seen: set[str] = set()
    order: list[str] = []
    for view, _ in parts:
        for person, sent in sorted(view.people.items(), key=lambda item: _order(item[0])):
            mine = room.people.get(person)
            if person in seen or mine is None or mine.answers != sent.answers:
                return None
            seen.add(person)
            order.append(person)
    ranked = sorted(room.people.items(), key=lambda item: _order(item[0]))
    sizes = np.array([_pairs(sent.answers) for _, sent in ranked], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])) if len(sizes) else sizes
    place = {person: i for i, (person, _) in enumerate(ranked)}
    chosen = np.array([place[p] for p in order], dtype=np.int64)
    counts = sizes[chosen]
    # Each chosen person's rows in the room's frame: their start, then one row after another.
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts[chosen], counts) + offsets, counts


def _pairs(answers: str) -> int:
    """How many (question, answer) pairs one person's `Answers` text holds."""
    return answers.count(NEXT) + 1 if answers else 0


def _build_frame(parts: _Parts, round_: int) -> pd.DataFrame:
    names: list[str] = []
    roles: list[str] = []
    given: list[str] = []
    seen: set[str] = set()
    for view, role in parts:
        # A role that reached k has its own view while the pool's (changed only after k
        # more people) may still hold its first people: each view is scored apart, so
        # there the person is another respondent ("P2/Other roles"), not P2 twice in one role.
        mine = sorted(view.people.items(), key=lambda item: _order(item[0]))
        names += [p if p not in seen else f"{p}/{role}" for p, _ in mine]
        roles += [role if role is not None else sent.role for _, sent in mine]
        given += [sent.answers for _, sent in mine]
        seen.update(p for p, _ in mine)
    # Why one text: every person's `Answers` joined and split in C, question and answer
    # alternating, not a Python loop over 70,000 pairs.
    counts = np.array([_pairs(a) for a in given], dtype=np.int64)
    joined = NEXT.join(a for a in given if a)
    items = joined.replace(PAIR, NEXT).split(NEXT) if joined else []
    flat = np.fromiter(items, dtype=object, count=len(items))
    size = len(flat) // 2
    return pd.DataFrame(
        {
            "respondent_id": pd.Series(
                np.repeat(np.array(names, dtype=object), counts), dtype=_PLAIN
            ),
            "question_id": pd.Series(flat[0::2], dtype=_PLAIN),
            "answer": pd.Series(flat[1::2], dtype=_PLAIN),
            "role": pd.Series(np.repeat(np.array(roles, dtype=object), counts), dtype=_PLAIN),
            "round": pd.Series(np.full(size, round_, dtype=np.int64)),
            **{c: pd.Series(np.full(size, None, dtype=object)) for c in _BLANK_COLUMNS},
        },
        copy=False,  # the columns are new: no need for the frame to copy them again
    )


def _order(person: str) -> tuple[int, str]:
    """P2 before P10: pseudonyms in joining order."""
    digits = person[1:]
    return (int(digits), person) if digits.isdigit() else (1 << 30, person)


def _empty_answers() -> pd.DataFrame:
    return _build_frame((), 1)


def forget_cached_views() -> None:
    """Empty this process's caches of views, frames and sent answers: as if the server had
    just started (benchmarks and tests measure a cold refresh with it)."""
    with _PARSED_LOCK:
        for cache in (_PARSED, _FRAMES, _LAST, _SENT, _AHEAD):
            cache.clear()


def forget_last_reads() -> None:
    """Make every kept read look out of date, as if someone had just sent: the next refresh
    reads and compares again, but keeps its parsed views (benchmarks time that rerun)."""
    with _PARSED_LOCK:
        for place, (_, last) in list(_LAST.items()):
            _LAST[place] = (("someone sent",), last)
