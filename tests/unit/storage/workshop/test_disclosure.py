"""No differencing: the room's views change only when k or more people's answers differ."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.scopes import OTHER_ROLES, ROOM
from storage.workshop.disclosure import (
    RoomViews,
    ScopeView,
    Sent,
    changed_people,
    next_view,
    room_views,
)

QUESTIONS = ("q1", "q2")
ANSWERS = ("1", "3", "5", "dk")
ROLES = ("councillor", "officer", "resident")


def sent(role: str, *answers: str) -> Sent:
    return Sent.of(role, zip(QUESTIONS, answers, strict=False))


def people(n: int, role: str = "officer", answer: str = "3", start: int = 1) -> dict[str, Sent]:
    return {f"P{i}": sent(role, answer, answer) for i in range(start, start + n)}


# --- The rule for one scope ---------------------------------------------------------


def test_changed_people_counts_added_removed_and_changed():
    before = people(4)
    after = dict(before)
    del after["P1"]  # removed
    after["P2"] = sent("officer", "5", "3")  # one answer changed
    after["P9"] = sent("officer", "1", "1")  # added
    assert changed_people(before, after) == 3
    assert changed_people(before, dict(before)) == 0


def test_a_scope_is_first_shown_when_k_people_have_sent():
    empty = ScopeView(ROOM)
    two = next_view(empty, people(2), 3)
    assert two is empty
    assert not two.shown(3)
    three = next_view(empty, people(3), 3)
    assert three.shown(3)
    assert set(three.people) == {"P1", "P2", "P3"}


def test_fewer_than_k_changes_keep_the_previous_view_exactly():
    shown = next_view(ScopeView(ROOM), people(3), 3)
    fourth = {**people(3), **people(1, start=4)}
    assert next_view(shown, fourth, 3) is shown
    two_changed = {**people(3), "P1": sent("officer", "1", "1"), "P2": sent("officer", "5", "5")}
    assert next_view(shown, two_changed, 3) is shown
    sixth = {**people(3), **people(3, start=4)}
    assert set(next_view(shown, sixth, 3).people) == {f"P{i}" for i in range(1, 7)}


def test_a_view_never_falls_to_fewer_than_k_people():
    shown = next_view(ScopeView(ROOM), people(5), 3)
    assert next_view(shown, people(1), 3) is shown  # four removed, but one is not enough


def test_k_must_be_positive():
    with pytest.raises(ValueError, match="k must be at least 1"):
        next_view(ScopeView(ROOM), {}, 0)


# --- Every scope at once --------------------------------------------------------------


def test_roles_under_k_are_pooled_and_the_pool_shown_at_k():
    k = 3
    now = {
        **people(3, "officer"),
        **people(1, "resident", start=4),
        **people(1, "councillor", start=5),
    }
    first = room_views({}, now, k)
    assert first.room.shown(k)
    assert first.shown_roles == ("officer",)
    assert not first.other.shown(k)
    assert first.pooled == ()
    assert {ROOM, "officer"} <= first.changed
    assert OTHER_ROLES not in first.changed
    stored = {s: v for s, v in first.scopes().items() if v.shown(k)}
    now |= people(1, "councillor", start=6)
    second = room_views(stored, now, k)
    assert second.other.shown(k)
    assert second.pooled == ("councillor", "resident")
    assert set(second.other.people) == {"P4", "P5", "P6"}
    assert second.room is stored[ROOM]  # one more person: the room stays as it was
    assert second.sent == 6


def test_the_room_changes_after_k_more_people_not_before():
    k = 3
    now = people(3)
    views = room_views({}, now, k)
    shown = views.room
    now |= people(1, start=4)
    views = room_views(views.scopes(), now, k)
    assert views.room is shown
    assert ROOM not in views.changed
    now |= people(2, start=5)
    views = room_views(views.scopes(), now, k)
    assert views.room is not shown
    assert len(views.room) == 6
    assert ROOM in views.changed


# --- The property: for any sequence of sends, no differencing --------------------------

person_ids = st.sampled_from([f"P{i}" for i in range(1, 10)])
events = st.lists(
    st.one_of(
        st.tuples(st.just("send"), person_ids, st.sampled_from(ANSWERS), st.sampled_from(ANSWERS)),
        st.tuples(st.just("remove"), person_ids, st.just(""), st.just("")),
    ),
    min_size=1,
    max_size=5,
)


def role_of(person: str) -> str:
    return ROLES[int(person[1:]) % len(ROLES)]


def displayed(view: ScopeView, k: int) -> Mapping[str, Sent] | None:
    return dict(view.people) if view.shown(k) else None


@settings(max_examples=300, deadline=None)
@given(k=st.integers(min_value=1, max_value=4), batches=st.lists(events, max_size=25))
def test_no_two_views_of_a_scope_differ_by_fewer_than_k_people(k, batches):
    now: dict[str, Sent] = {}
    stored: dict[str, ScopeView] = {}
    last_shown: dict[str, Mapping[str, Sent]] = {}
    for batch in batches:  # the dashboard refreshes after each batch of sends
        for kind, person, a, b in batch:
            if kind == "send":
                now[person] = Sent.of(role_of(person), zip(QUESTIONS, (a, b), strict=True))
            else:
                now.pop(person, None)
        views: RoomViews = room_views(stored, now, k)
        for scope, view in views.scopes().items():
            before = stored.get(scope, ScopeView(scope))
            if not view.same_as(before):
                assert scope in views.changed
                assert changed_people(before.people, view.people) >= k
            if len(view):
                assert view.shown(k), f"{scope} shows {len(view)} people, under k = {k}"
            seen = displayed(view, k)
            if seen is not None:
                if scope in last_shown and seen != last_shown[scope]:
                    assert changed_people(last_shown[scope], seen) >= k
                last_shown[scope] = seen
            elif scope in last_shown:
                pytest.fail(f"{scope} went from shown back to hidden")
        # The room takes the current answers whenever they differ enough (it never stalls).
        if len(now) >= k and changed_people(stored.get(ROOM, ScopeView(ROOM)).people, now) >= k:
            assert dict(views.room.people) == now
        stored = views.scopes()
        assert views.sent == len(now)


def test_a_persons_answers_are_one_text_sorted_by_question_whatever_the_order_given() -> None:
    given = [("p1b", "dk"), ("p1", "3"), ("p1a", "5"), ("p10", "1")]
    one = Sent.of("officer", given)
    assert one.pairs() == (("p1", "3"), ("p10", "1"), ("p1a", "5"), ("p1b", "dk"))
    assert one.pairs() == tuple(sorted(given))  # as the pairs themselves sort
    assert one == Sent.of("officer", reversed(given))
    assert one != Sent.of("officer", [*given[:3], ("p10", "2")])
    assert Sent.of("officer", []).pairs() == ()
