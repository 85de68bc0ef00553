"""No differencing: what the room may see, scope by scope, as people send their answers.

Why: a projector that updates as each person sends lets anyone watching read
off that person's answers (the figures before and after differ by one
person). So the room sees *views*: a view of a scope (the whole room, one
role, or the other roles pooled) is the sent answers of its people at the
moment it was taken, and it is replaced only when at least k people's
answers differ from it (a person added, removed, or any answer changed).
Between two views the room can never single out fewer than k people.

The rule (design.md "Trust"), for one scope with previous view V, current
sent answers C and threshold k:

- the people who differ are those in V or C whose answers are not the same in
  both; if there are k or more of them *and* C has k or more people, the new
  view is C; otherwise it stays V, unchanged;
- so a view is either empty (never taken: the scope is not shown) or rests on
  k or more people (shown). A scope never goes from shown back to hidden, so
  the room never sees a view, then nothing, then a view that differs from the
  first by fewer than k people.

Scopes: `ROOM` (everyone who has sent); each role (its own people); and
`OTHER_ROLES`, the people of every role whose own scope is not shown, pooled
(shown, like any scope, once its view rests on k people). Only *sent* answers
count: a draft never reaches the room. Closing a round changes nothing here:
the same rule applies to the last answers.

Pure and typed: plain data in, frozen data out; storage (`storage.workshop.roomviews`)
keeps each scope's last view between refreshes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, cast

from common.scopes import OTHER_ROLES, ROOM

__all__ = [
    "NEXT",
    "PAIR",
    "Answers",
    "RoomViews",
    "ScopeView",
    "Sent",
    "changed_people",
    "next_view",
    "room_views",
]

#: One person's answers in a round, as one text: ``question<PAIR>answer<NEXT>...``, sorted
#: by question (sorting the joined items sorts by question: the separator sorts before any
#: id's text). Why a text: a view of 1,000 people holds 70,000 answers; as one text per
#: person they are compared, stored and turned into a frame in a few C calls, not 70,000
#: Python tuples. Ids come from the bank and answers from a fixed list: neither holds a
#: control character.
Answers = str
PAIR: Final = "\x1f"  # between a question id and its answer (ASCII unit separator)
NEXT: Final = "\x1e"  # between one answer and the next (ASCII record separator)
# The scope of the whole room, and of the roles under k pooled, are named in
# `common.scopes`. Role scopes are the role ids themselves; those two names start
# with "#", which no bank role id needs.


@dataclass(frozen=True, slots=True)
class Sent:
    """One person's contribution: their role and their sent answers (`Answers`)."""

    role: str
    answers: Answers

    @classmethod
    def of(cls, role: str, answers: Iterable[tuple[str, str]]) -> Sent:
        """From (question id, answer) pairs, in any order."""
        return cls(role, NEXT.join(sorted(q + PAIR + a for q, a in answers)))

    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The answers as (question id, answer) pairs, sorted by question."""
        if not self.answers:
            return ()
        items = self.answers.split(NEXT)
        return tuple(cast(tuple[str, str], tuple(i.split(PAIR, 1))) for i in items)


@dataclass(frozen=True, slots=True)
class ScopeView:
    """What one scope shows: each person's contribution when the view was taken.

    ``people`` is read-only (person id -> `Sent`). An empty view is a scope
    never shown.
    """

    scope: str
    people: Mapping[str, Sent] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not isinstance(self.people, MappingProxyType):
            object.__setattr__(self, "people", MappingProxyType(dict(self.people)))

    def __len__(self) -> int:
        return len(self.people)

    def shown(self, k: int) -> bool:
        """Whether the room may see this view: it rests on k or more people."""
        return len(self.people) >= k

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles of the people in the view, sorted."""
        return tuple(sorted({s.role for s in self.people.values()}))

    def same_as(self, other: ScopeView) -> bool:
        return self.scope == other.scope and dict(self.people) == dict(other.people)


def changed_people(previous: Mapping[str, Sent], current: Mapping[str, Sent]) -> int:
    """How many people's contributions differ: added, removed, or with any answer changed."""
    changed = sum(1 for person, sent in current.items() if previous.get(person) != sent)
    return changed + sum(1 for person in previous if person not in current)


def next_view(previous: ScopeView, current: Mapping[str, Sent], k: int) -> ScopeView:
    """The scope's new view: ``current`` when k or more people differ from ``previous`` and
    ``current`` rests on k or more people; else ``previous``, unchanged (the same object).

    Raises:
        ValueError: k < 1.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    if len(current) >= k and changed_people(previous.people, current) >= k:
        return ScopeView(previous.scope, current)
    return previous


@dataclass(frozen=True, slots=True)
class RoomViews:
    """Every scope's view after one refresh.

    Attributes:
        k: the threshold the views were taken with.
        room: the whole room's view.
        roles: role id -> that role's view, for every role with a view or with people
            who have sent (read-only).
        other: the pooled view of the roles whose own view is not shown.
        changed: the scopes whose view is new in this refresh (to be stored).
        sent: how many people have sent (a count of people, always safe to show).
    """

    k: int
    room: ScopeView
    roles: Mapping[str, ScopeView]
    other: ScopeView
    changed: frozenset[str]
    sent: int

    def scopes(self) -> dict[str, ScopeView]:
        """Every scope's view by scope name (`ROOM`, `OTHER_ROLES`, role ids)."""
        return {ROOM: self.room, OTHER_ROLES: self.other, **self.roles}

    @property
    def shown_roles(self) -> tuple[str, ...]:
        """Roles whose own view the room may see, sorted."""
        return tuple(sorted(r for r, v in self.roles.items() if v.shown(self.k)))

    @property
    def pooled(self) -> tuple[str, ...]:
        """The roles in the pooled view, when it is shown (else none)."""
        return self.other.roles if self.other.shown(self.k) else ()


def room_views(previous: Mapping[str, ScopeView], sent: Mapping[str, Sent], k: int) -> RoomViews:
    """Apply `next_view` to every scope.

    Args:
        previous: scope name -> its last view (a scope missing here was never shown).
        sent: person id -> their contribution, for everyone whose answers are sent.
        k: the anonymity threshold.

    Role scopes come first; the pool then takes the people of every role whose own
    view is not shown after this refresh.
    """

    starts = dict(previous)

    def before(scope: str) -> ScopeView:
        if scope not in starts:
            starts[scope] = ScopeView(scope)
        return starts[scope]

    by_role: dict[str, dict[str, Sent]] = {}
    for person, contribution in sent.items():
        by_role.setdefault(contribution.role, {})[person] = contribution
    named = sorted(set(by_role) | {s for s in previous if s not in (ROOM, OTHER_ROLES)})
    roles = {role: next_view(before(role), by_role.get(role, {}), k) for role in named}
    pool = {
        person: contribution
        for person, contribution in sent.items()
        if not roles[contribution.role].shown(k)
    }
    room = next_view(before(ROOM), sent, k)
    other = next_view(before(OTHER_ROLES), pool, k)
    after = {ROOM: room, OTHER_ROLES: other, **roles}
    changed = frozenset(scope for scope, view in after.items() if view is not starts[scope])
    return RoomViews(k, room, MappingProxyType(roles), other, changed, len(sent))
