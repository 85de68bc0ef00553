"""The room's view, stored: sent answers only, k on every scope, changes only after k more
people, the facilitator's grant checked, and two servers agreeing on one view."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.scopes import OTHER_ROLES, OTHER_ROLES_LABEL, ROOM
from storage.core.access import ANYONE, AccessDenied
from storage.core.drafts import save_draft, submit_response
from storage.core.engine import make_engine, reading
from storage.core.errors import InputError
from storage.core.model import AnswerInput, Area, Workshop
from storage.core.repo import save_bank
from storage.core.schema import room_views
from storage.workshop import roomviews
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import close_round, open_next_round, open_workshop
from storage.workshop.roomviews import export_roles, history_frames, room_history, room_view
from tests.unit.storage.factories import BANK_SOURCE, ROLES, host


def person(
    engine: Engine,
    workshop: Workshop,
    role: str = "councillor",
    level: str = "3",
    send: bool = True,
    evidence: str | None = None,
) -> int:
    """Someone joins and answers p1a and p1b; sends unless ``send`` is False."""
    participant, _ = join_workshop(engine, workshop.id, role)
    again(engine, participant.id, level, send, evidence)
    return participant.id


def again(
    engine: Engine, participant_id: int, level: str, send: bool = True, evidence: str | None = None
) -> None:
    response = current_response(engine, participant_id)
    given = {"p1a": AnswerInput(level, None, evidence), "p1b": AnswerInput(level)}
    save_draft(engine, response.id, given, {}, step=1, allow_submitted=True)
    if send:
        submit_response(engine, response.id)


def levels(view: roomviews.RoomView) -> list[str]:
    return view.answers.loc[view.answers["question_id"] == "p1a", "answer"].tolist()


def stored_rows(engine: Engine, workshop_id: int) -> list[tuple[int, str, int]]:
    query = (
        sa.select(room_views.c.round, room_views.c.scope, room_views.c.people)
        .where(room_views.c.workshop_id == workshop_id)
        .order_by(room_views.c.round, room_views.c.scope)
    )
    with reading(engine) as conn:
        return [tuple(r) for r in conn.execute(query).all()]


@pytest.fixture
def other(engine: Engine, workshop: Workshop, bank, area: Area) -> Workshop:
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    return open_workshop(engine, area.id, bank_hash, "Another room", ["P1"], ROLES)[0]


def test_only_this_workshops_facilitator_gets_its_view(
    engine: Engine, workshop: Workshop, other: Workshop
) -> None:
    for _ in range(3):
        person(engine, workshop)
    for grant in (ANYONE, host(engine, other.id)):
        with pytest.raises(AccessDenied):
            room_view(engine, grant, workshop.id)
        with pytest.raises(AccessDenied):
            room_history(engine, grant, workshop.id)
    assert stored_rows(engine, workshop.id) == []  # a refused caller moves nothing on
    assert room_view(engine, host(engine, workshop.id), workshop.id).shown


def test_drafts_never_reach_the_room(engine: Engine, workshop: Workshop) -> None:
    for _ in range(3):
        person(engine, workshop, send=False)
    view = room_view(engine, host(engine, workshop.id), workshop.id)
    assert view.sent == 0
    assert not view.shown
    assert view.answers.empty
    assert view.export_answers().empty
    assert stored_rows(engine, workshop.id) == []


def test_the_room_changes_only_after_k_more_people(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    first = [person(engine, workshop, level="2") for _ in range(2)]
    assert not room_view(engine, grant, workshop.id).shown  # two is under k = 3
    person(engine, workshop, level="2")
    shown = room_view(engine, grant, workshop.id)
    assert shown.shown
    assert shown.people == 3
    assert levels(shown) == ["2", "2", "2"]
    person(engine, workshop, level="5")  # a fourth sends
    again(engine, first[0], "4")  # and someone changes an answer: two people differ
    fourth = room_view(engine, grant, workshop.id)
    assert fourth.sent == 4
    assert fourth.taken_at == shown.taken_at
    assert levels(fourth) == ["2", "2", "2"]
    person(engine, workshop, level="5")  # the third person to differ
    moved = room_view(engine, grant, workshop.id)
    assert moved.people == 5
    assert sorted(levels(moved)) == ["2", "2", "4", "5", "5"]
    assert moved.taken_at > shown.taken_at


def test_views_are_stored_and_two_servers_see_the_same(
    engine: Engine, workshop: Workshop, db_url: str
) -> None:
    grant = host(engine, workshop.id)
    for _ in range(3):
        person(engine, workshop)
    first = room_view(engine, grant, workshop.id)
    person(engine, workshop, level="1")
    roomviews.forget_cached_views()  # a restarted server: only the database remembers
    replica = make_engine(db_url)
    try:
        again_view = room_view(replica, grant, workshop.id)
    finally:
        replica.dispose()
    assert again_view.taken_at == first.taken_at
    assert levels(again_view) == levels(first)
    assert (1, ROOM, 3) in stored_rows(engine, workshop.id)
    with reading(engine) as conn:
        text = conn.scalar(sa.select(room_views.c.rows).where(room_views.c.scope == ROOM))
    assert set(json.loads(text)["people"]) == {"P1", "P2", "P3"}  # not P4, who came after


def test_a_view_stored_by_an_older_ladder_is_read_after_an_upgrade(
    engine: Engine, workshop: Workshop
) -> None:
    """Format 1 kept each person's answers as [question, answer] pairs; format 2 keeps one
    text. A room view stored before the upgrade must still be the room's view after it."""
    grant = host(engine, workshop.id)
    for level in ("2", "3", "4"):
        person(engine, workshop, level=level)
    first = room_view(engine, grant, workshop.id)
    with reading(engine) as conn:
        text = conn.scalar(sa.select(room_views.c.rows).where(room_views.c.scope == ROOM))
    data = json.loads(text)
    assert data["format"] == 2
    people = data["people"]
    assert all(isinstance(given, str) for _, given in people.values())
    old = {
        "format": 1,
        "people": {
            p: [role, [pair.split("\x1f") for pair in given.split("\x1e")]]
            for p, (role, given) in people.items()
        },
    }
    with engine.begin() as conn:
        conn.execute(
            sa.update(room_views)
            .where(room_views.c.workshop_id == workshop.id)
            .values(rows=json.dumps(old))
        )
    roomviews.forget_cached_views()  # a restarted server: only the database remembers
    person(engine, workshop, level="5")  # one more: not enough to change the view
    again_view = room_view(engine, grant, workshop.id)
    assert again_view.taken_at == first.taken_at
    assert sorted(levels(again_view)) == ["2", "3", "4"]
    pd.testing.assert_frame_equal(again_view.answers, first.answers)


def test_two_servers_racing_store_one_view_not_two(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Server A read six people's answers, server B (this call) seven. A writes first; if B
    then wrote its own view, the room would see two views one person apart. B decides again
    under the lock, against A's view, and keeps it."""
    grant = host(engine, workshop.id)
    for _ in range(3):
        person(engine, workshop)
    room_view(engine, grant, workshop.id)  # the room saw P1-P3
    for _ in range(4):
        person(engine, workshop, level="5")  # P4-P7 send
    real_writing, raced = roomviews.writing, []

    def server_a_first(*args: object, **kwargs: object):
        if not raced:  # just before B's write: A stores the view it read (P1-P6)
            raced.append(True)
            with real_writing(engine) as conn:
                stored = roomviews._stored(engine, conn, workshop.id, 1)
                sent, notes = roomviews._sent(conn, workshop.id, 1)
                sent.pop("P7")
                views = roomviews.room_views(roomviews._scopes(stored), sent, 3)
                roomviews._store(engine, conn, workshop.id, 1, views, notes)
        return real_writing(*args, **kwargs)

    monkeypatch.setattr(roomviews, "writing", server_a_first)
    view = room_view(engine, grant, workshop.id)
    assert raced
    assert view.people == 6  # A's view, P1-P6: not a second view with P7 alone added
    assert "P7" not in set(view.answers["respondent_id"])
    assert [r for r in stored_rows(engine, workshop.id) if r[1] == ROOM] == [(1, ROOM, 6)]


def test_roles_under_k_are_pooled_once_the_pool_reaches_k(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    for _ in range(3):
        person(engine, workshop, "councillor", "2")
    person(engine, workshop, "resident", "5")
    person(engine, workshop, "senior_officer", "4")
    view = room_view(engine, grant, workshop.id)
    assert view.views.shown_roles == ("councillor",)
    assert set(view.role_answers["role"]) == {"councillor"}
    person(engine, workshop, "senior_officer", "4")
    view = room_view(engine, grant, workshop.id)
    assert set(view.role_answers["role"]) == {"councillor", OTHER_ROLES}
    assert view.views.pooled == ("resident", "senior_officer")
    assert "resident" not in set(view.role_answers["role"])


def test_exports_carry_dates_pooled_roles_and_only_the_views_evidence(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    for _ in range(3):
        person(engine, workshop, "councillor", "2", evidence="=minutes of May")
    person(engine, workshop, "resident", "5", evidence="my own street")
    person(engine, workshop, "senior_officer", "4")
    person(engine, workshop, "senior_officer", "4")
    rows = room_view(engine, grant, workshop.id).export_answers()
    assert set(rows["respondent_id"]) == {f"P{i}" for i in range(1, 7)}
    assert set(rows["role"]) == {"councillor", OTHER_ROLES_LABEL}
    assert all(type(d) is date for d in rows["submitted_at"])
    assert set(rows["evidence"].dropna()) == {"=minutes of May", "my own street"}
    person(engine, workshop, "resident", "1", evidence="sent after the view")
    later = room_view(engine, grant, workshop.id).export_answers()
    assert "sent after the view" not in set(later["evidence"].dropna())
    assert "P7" not in set(later["respondent_id"])


def test_a_small_round_yields_no_rows_and_closing_reveals_nothing(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    people = [person(engine, workshop) for _ in range(3)]
    room_view(engine, grant, workshop.id)
    close_round(engine, grant, workshop.id)
    open_next_round(engine, grant, workshop.id)
    again(engine, people[0], "5")
    again(engine, people[1], "5")  # two people send in round 2: under k
    person(engine, workshop, "resident", "1")
    close_round(engine, grant, workshop.id)
    history = room_history(engine, grant, workshop.id)
    assert [h.round for h in history] == [1, 2]
    assert history[0].shown
    assert history[1].sent == 3
    assert history[1].shown  # three sent in round 2: its first view
    frames = history_frames(history)
    assert frames.sent == {1: 3, 2: 3}
    assert set(frames.export["round"]) == {1, 2}
    with pytest.raises(InputError, match="round"):
        room_view(engine, grant, workshop.id, 3)


def test_a_round_under_k_shows_nothing_even_when_closed(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    person(engine, workshop)
    person(engine, workshop)
    close_round(engine, grant, workshop.id)  # no special reveal at the close
    view = room_view(engine, grant, workshop.id)
    assert not view.shown
    assert view.sent == 2
    frames = history_frames(room_history(engine, grant, workshop.id))
    assert frames.export.empty
    assert frames.answers.empty
    assert frames.people == 0


def test_export_roles_pool_or_blank() -> None:
    from storage.workshop.disclosure import ScopeView, Sent

    def view(*roles: str) -> ScopeView:
        return ScopeView(ROOM, {f"P{i}": Sent(r, "") for i, r in enumerate(roles, start=1)})

    assert export_roles(view("a", "a", "a", "b", "c"), 3) == {
        "P1": "a",
        "P2": "a",
        "P3": "a",
        "P4": "",
        "P5": "",
    }
    assert set(export_roles(view("a", "a", "a", "b", "c", "c"), 3).values()) == {
        "a",
        OTHER_ROLES_LABEL,
    }


def test_an_unchanged_room_is_not_read_again(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant = host(engine, workshop.id)
    for _ in range(3):
        person(engine, workshop)
    first = room_view(engine, grant, workshop.id)
    reads = []
    real = roomviews._sent
    monkeypatch.setattr(roomviews, "_sent", lambda *a: reads.append(a) or real(*a))
    assert room_view(engine, grant, workshop.id) is first  # nothing sent: the same view
    assert reads == []
    person(engine, workshop, send=False)  # a draft changes nothing either
    assert room_view(engine, grant, workshop.id) is first
    assert reads == []
    close_round(engine, grant, workshop.id)
    closed = room_view(engine, grant, workshop.id)
    assert not closed.round_open
    assert closed.answers is first.answers
    assert reads == []


def test_a_change_of_answer_is_noticed(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    people = [person(engine, workshop) for _ in range(3)]
    first = room_view(engine, grant, workshop.id)
    for p in people:
        again(engine, p, "5")  # the same three people, every answer changed
    moved = room_view(engine, grant, workshop.id)
    assert moved.taken_at > first.taken_at
    assert levels(moved) == ["5", "5", "5"]


def test_frames_are_typed_for_scoring(engine: Engine, workshop: Workshop) -> None:
    for _ in range(3):
        person(engine, workshop)
    view = room_view(engine, host(engine, workshop.id), workshop.id)
    assert tuple(view.answers.columns) == (
        "respondent_id",
        "question_id",
        "answer",
        "role",
        "round",
        "confidence",
        "evidence",
        "submitted_at",
    )
    assert view.answers["round"].dtype == "int64"
    assert isinstance(view.answers, pd.DataFrame)


def test_someone_in_a_role_view_and_in_a_stale_pool_is_two_rows_not_one_person_twice(
    engine: Engine, workshop: Workshop, bank
) -> None:
    """A role that reaches k gets its own view while the pool's view (changed only after
    k more people) still holds that role's first people: both views are shown, and each
    is scored apart. Before, the person's rows fell into one role and scoring refused the
    room ("answered twice in one group"), so the dashboard stopped refreshing."""
    from scoring.workshop.dashboard import build_dashboard

    grant = host(engine, workshop.id)
    person(engine, workshop, "councillor", "2")
    person(engine, workshop, "councillor", "2")
    person(engine, workshop, "resident", "5")
    first = room_view(engine, grant, workshop.id)
    assert first.views.other.shown(first.k)  # the pool of three is shown
    person(engine, workshop, "councillor", "4")
    view = room_view(engine, grant, workshop.id)
    assert "councillor" in view.views.shown_roles
    assert set(view.role_answers["role"]) == {"councillor", OTHER_ROLES}
    roles_per_id = view.role_answers.groupby("respondent_id")["role"].nunique()
    assert roles_per_id.max() == 1
    assert first.role_rows is not None  # the first views: the roles' rows are the room's
    assert view.role_rows is None  # someone in two views: the roles' frame is built apart
    d = build_dashboard(
        bank,
        view.answers,
        view.round,
        workshop.dimensions,
        workshop.roles,
        view.k,
        role_answers=view.role_answers,
        sent=view.sent,
    )
    assert dict(zip(d.participation["role"], d.participation["n"], strict=True)) == {
        "councillor": 3,
        OTHER_ROLES: 3,
    }


# --- The change check: one small query says whether anything the dashboard shows moved ----


def test_the_stamp_moves_with_each_kind_of_change_and_only_then(
    engine: Engine, workshop: Workshop
) -> None:
    from storage.workshop.agreements import record_agreement
    from storage.workshop.roomviews import room_stamp

    grant = host(engine, workshop.id)
    stamp = room_stamp(engine, grant, workshop.id)
    assert (stamp.round, stamp.k, stamp.round_open) == (1, workshop.k, True)
    assert room_stamp(engine, grant, workshop.id) == stamp  # nothing happened

    def moved(field: str) -> None:
        nonlocal stamp
        now_ = room_stamp(engine, grant, workshop.id)
        changed = [
            f
            for f in ("sent", "views", "joined", "agreed", "round_open")
            if getattr(now_, f) != getattr(stamp, f)
        ]
        assert field in changed, (field, changed)
        stamp = now_

    first = person(engine, workshop)  # joins and sends a new answer
    moved("sent")
    joined, _ = join_workshop(engine, workshop.id, "councillor")  # joins, sends nothing
    moved("joined")
    assert room_stamp(engine, grant, workshop.id).views_mark == stamp.views_mark
    again(engine, first, "5")  # edits a sent answer
    moved("sent")
    again(engine, joined.id, "2")  # the quiet one sends
    moved("sent")
    person(engine, workshop)
    room_view(engine, grant, workshop.id)  # three have sent: the room's view is stored
    moved("views")
    record_agreement(engine, grant, workshop.id, 1, "P1", 3, "agreed")
    moved("agreed")
    record_agreement(engine, grant, workshop.id, 1, "P1", 4, "agreed")  # changed again
    moved("agreed")
    close_round(engine, grant, workshop.id)
    moved("round_open")
    open_next_round(engine, grant, workshop.id)
    assert room_stamp(engine, grant, workshop.id).round == 2
    assert room_stamp(engine, grant, workshop.id, 1) != room_stamp(engine, grant, workshop.id)


def test_the_stamp_is_for_the_facilitator_only_and_of_rounds_held(
    engine: Engine, workshop: Workshop, other: Workshop
) -> None:
    from storage.workshop.roomviews import room_stamp

    for grant in (ANYONE, host(engine, other.id)):
        with pytest.raises(AccessDenied):
            room_stamp(engine, grant, workshop.id)
    with pytest.raises(InputError):
        room_stamp(engine, host(engine, workshop.id), workshop.id, 2)


def test_the_stamp_is_one_query_once_the_grant_is_checked(
    engine: Engine, workshop: Workshop
) -> None:
    from storage.workshop.roomviews import room_stamp

    grant = host(engine, workshop.id)
    for _ in range(4):
        person(engine, workshop)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        room_stamp(engine, grant, workshop.id)
        stamps = len(statements)
        room_view(engine, grant, workshop.id)
        statements.clear()
        room_view(engine, grant, workshop.id)  # unchanged: the grant, then the stamp
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert stamps == 2  # the grant's check, then the stamp
    assert len(statements) == 2


def test_read_answers_are_kept_and_only_changes_are_read_again(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an incremental read gives is exactly what a first read of the round gives."""
    grant = host(engine, workshop.id)
    people = [person(engine, workshop, level=str(1 + i % 5), evidence=f"e{i}") for i in range(5)]
    room_view(engine, grant, workshop.id)
    read: list[object] = []
    real = roomviews._read_people
    monkeypatch.setattr(roomviews, "_read_people", lambda *a: read.append(a[2]) or real(*a))

    def both() -> tuple[object, object]:
        with reading(engine) as conn:
            kept = roomviews._sent(conn, workshop.id, 1)
            roomviews._SENT.clear()
            cold = roomviews._sent(conn, workshop.id, 1)
        return kept, cold

    with reading(engine) as conn:
        roomviews._sent(conn, workshop.id, 1)
    read.clear()
    again(engine, people[1], "5", evidence="changed")  # an edit
    person(engine, workshop, level="4")  # a new answer
    with reading(engine) as conn:
        kept = roomviews._sent(conn, workshop.id, 1)
    assert len(read) == 1
    assert len(read[0]) == 2  # only the two responses that changed were read
    roomviews._SENT.clear()
    with reading(engine) as conn:
        cold = roomviews._sent(conn, workshop.id, 1)
    assert kept == cold
    assert kept[0]["P2"].pairs() == (("p1a", "5"), ("p1b", "5"))
    assert kept[1].notes["P2"]["p1a"] == (None, "changed")


def test_the_round_caches_are_bounded(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant = host(engine, workshop.id)
    monkeypatch.setattr(roomviews, "_ROUNDS_KEPT", 2)
    monkeypatch.setattr(roomviews, "_CACHE_SIZE", 3)
    for _ in range(3):
        person(engine, workshop)
    for _ in range(4):
        room_view(engine, grant, workshop.id)
        close_round(engine, grant, workshop.id)
        open_next_round(engine, grant, workshop.id)
        for _ in range(3):
            person(engine, workshop)
    for r in range(1, 6):
        room_view(engine, grant, workshop.id, r)
    assert len(roomviews._SENT) <= 2
    assert len(roomviews._LAST) <= 3
    assert len(roomviews._PARSED) <= 3
    assert len(roomviews._FRAMES) <= 3


def test_a_warm_refresh_gives_what_a_cold_server_gives(engine: Engine, workshop: Workshop) -> None:
    """Sends, edits and new views refreshed one at a time (every cache warm) end where a
    server that kept nothing ends, frame for frame."""
    grant = host(engine, workshop.id)
    roles = ["councillor", "councillor", "resident", "councillor", "resident", "senior_officer"]
    people = []
    for i, role in enumerate(roles * 2):
        people.append(person(engine, workshop, role=role, level=str(1 + i % 5), evidence=f"{i}"))
        warm = room_view(engine, grant, workshop.id)
        if i % 4 == 3:
            again(engine, people[i // 2], str(5 - i % 5), evidence="later")
            warm = room_view(engine, grant, workshop.id)
    roomviews.forget_last_reads()
    reread = room_view(engine, grant, workshop.id)
    roomviews.forget_cached_views()
    cold = room_view(engine, grant, workshop.id)
    pd.testing.assert_frame_equal(reread.answers, cold.answers)
    assert warm.views.scopes().keys() == cold.views.scopes().keys()
    for scope, view in warm.views.scopes().items():
        assert dict(view.people) == dict(cold.views.scopes()[scope].people), scope
    pd.testing.assert_frame_equal(warm.answers, cold.answers)
    pd.testing.assert_frame_equal(warm.role_answers, cold.role_answers)
    pd.testing.assert_frame_equal(warm.export_answers(), cold.export_answers())
    assert warm.sent == cold.sent == len(roles) * 2


def test_frames_are_built_as_the_plain_loop_builds_them() -> None:
    from storage.workshop.disclosure import ScopeView, Sent

    def reference(parts, round_):  # the loop the frames were built with before
        person, question, answer, roles, seen = [], [], [], [], set()
        for view, role in parts:
            mine = sorted(view.people.items(), key=lambda item: roomviews._order(item[0]))
            for p, sent in mine:
                pairs = sent.pairs()
                n = len(pairs)
                person += [p if p not in seen else f"{p}/{role}"] * n
                roles += [role if role is not None else sent.role] * n
                question += [q for q, _ in pairs]
                answer += [a for _, a in pairs]
            seen.update(p for p, _ in mine)
        size = len(person)
        return pd.DataFrame(
            {
                "respondent_id": pd.Series(person, dtype=object),
                "question_id": pd.Series(question, dtype=object),
                "answer": pd.Series(answer, dtype=object),
                "role": pd.Series(roles, dtype=object),
                "round": pd.Series([round_] * size, dtype="int64"),
                "confidence": pd.Series([None] * size, dtype=object),
                "evidence": pd.Series([None] * size, dtype=object),
                "submitted_at": pd.Series([None] * size, dtype="object"),
            }
        )

    room = ScopeView(
        ROOM,
        {
            "P10": Sent.of("a", (("p1b", "dk"), ("p1a", "3"))),
            "P2": Sent.of("b", (("p1a", "1"),)),
            "P3": Sent.of("a", ()),
        },
    )
    pool = ScopeView(OTHER_ROLES, {"P2": Sent.of("b", (("p1a", "2"),))})
    for parts in ((), ((room, None),), ((room, "a"), (pool, OTHER_ROLES))):
        pd.testing.assert_frame_equal(
            roomviews._build_frame(parts, 2), reference(parts, 2), check_index_type=False
        )


def test_reading_ahead_leaves_the_room_view_nothing_to_read_and_hands_out_nothing(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Unlock reads while the key hashes is what the grant-checked view then uses."""
    for level in ("2", "3", "4", "5"):
        person(engine, workshop, level=level)
    assert roomviews.read_ahead(engine, workshop.id) is None
    read: list[object] = []
    real = roomviews._read_people
    monkeypatch.setattr(roomviews, "_read_people", lambda *a: read.append(a[2]) or real(*a))
    grant = host(engine, workshop.id)
    view = room_view(engine, grant, workshop.id)
    assert read == []  # read ahead: nothing left to read
    assert sorted(levels(view)) == ["2", "3", "4", "5"]
    roomviews.forget_cached_views()
    again_view = room_view(engine, grant, workshop.id)
    assert len(read) == 1  # without it, every sent answer is read
    pd.testing.assert_frame_equal(again_view.answers, view.answers)
    roomviews.read_ahead(engine, workshop.id + 999)  # no such workshop: nothing happens
    with pytest.raises(AccessDenied):
        room_view(engine, ANYONE, workshop.id)  # reading ahead granted nothing


def test_the_views_worked_out_ahead_are_used_only_while_nothing_moved(
    engine: Engine, workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """read_ahead also applies the rule and builds the frames; room_view takes them only
    when the round's stamp is the one they rest on, and only once."""
    for level in ("2", "3", "4"):
        person(engine, workshop, level=level)
    roomviews.read_ahead(engine, workshop.id)
    built: list[object] = []
    real = roomviews._build_frame
    monkeypatch.setattr(roomviews, "_build_frame", lambda *a: built.append(a) or real(*a))
    grant = host(engine, workshop.id)
    view = room_view(engine, grant, workshop.id)
    assert built == []  # the frames were built while the key hashed
    assert sorted(levels(view)) == ["2", "3", "4"]
    assert stored_rows(engine, workshop.id)  # storing the view stayed room_view's

    roomviews.forget_cached_views()
    roomviews.read_ahead(engine, workshop.id)
    for level in ("5", "1", "1"):  # k more people send after the read: it is out of date
        person(engine, workshop, level=level)
    moved = room_view(engine, grant, workshop.id)
    assert sorted(levels(moved)) == ["1", "1", "2", "3", "4", "5"]
    assert built  # worked out again from what the database holds now
    assert not roomviews._AHEAD  # and the stale one is gone, not kept for later


def test_the_roles_rows_repeat_the_rooms_rows_while_they_hold_the_same_answers(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    for role, level in (("councillor", "2"), ("resident", "4"), ("councillor", "5")):
        person(engine, workshop, role, level)
    view = room_view(engine, grant, workshop.id)
    assert view.role_rows is not None
    assert len(view.role_rows) == len(view.role_answers)
    same = ["respondent_id", "question_id", "answer", "round"]
    taken = view.answers.take(view.role_rows)[same].reset_index(drop=True)
    pd.testing.assert_frame_equal(taken, view.role_answers[same])
    assert set(view.role_answers["role"]) == {OTHER_ROLES}  # no role reached k: one pool


def test_roles_rows_are_taken_from_the_room_only_when_every_person_matches() -> None:
    from storage.workshop.disclosure import ScopeView, Sent

    room = ScopeView(
        ROOM,
        {
            "P10": Sent.of("a", (("p1b", "dk"), ("p1a", "3"))),
            "P2": Sent.of("b", (("p1a", "1"),)),
            "P3": Sent.of("a", ()),
            "P4": Sent.of("a", (("p1a", "5"), ("p1b", "4"))),
        },
    )
    roles = ScopeView("a", {p: room.people[p] for p in ("P10", "P3", "P4")})
    pool = ScopeView(OTHER_ROLES, {"P2": room.people["P2"]})
    room_part = ((room, None),)
    room_frame = roomviews._build_frame(room_part, 1)
    for parts in (((roles, "a"),), ((roles, "a"), (pool, OTHER_ROLES)), ((pool, OTHER_ROLES),)):
        frame, rows = roomviews._role_frame(parts, 1, room_part, room_frame)
        assert rows is not None
        pd.testing.assert_frame_equal(frame, roomviews._build_frame(parts, 1))
    changed = ScopeView(OTHER_ROLES, {"P2": Sent.of("b", (("p1a", "2"),))})
    twice = ScopeView(OTHER_ROLES, {"P4": room.people["P4"]})
    stranger = ScopeView(OTHER_ROLES, {"P9": Sent.of("b", (("p1a", "2"),))})
    for parts in (
        ((changed, OTHER_ROLES),),
        ((roles, "a"), (twice, OTHER_ROLES)),
        ((stranger, OTHER_ROLES),),
    ):
        frame, rows = roomviews._role_frame(parts, 1, room_part, room_frame)
        assert rows is None
        pd.testing.assert_frame_equal(frame, roomviews._build_frame(parts, 1))
    frame, rows = roomviews._role_frame(((roles, "a"),), 1, (), roomviews._build_frame((), 1))
    assert rows is None  # no room view shown: nothing to take from
