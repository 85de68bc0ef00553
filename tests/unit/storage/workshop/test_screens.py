"""The room view's state (storage.workshop.screens): the facilitator drives the screen and
reveals results; a room link opens only that workshop's room view, only what is revealed,
and stops when a new link is made."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.screens import ROOM_SCREENS
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.model import Area, Workshop
from storage.core.repo import save_bank
from storage.core.schema import room_screens
from storage.results.lifecycle import delete_workshop
from storage.workshop.rooms import close_round, lock_joining, open_next_round, open_workshop
from storage.workshop.roomviews import room_history, room_view
from storage.workshop.screens import drive_room, make_room_link, room_grant, room_screen
from tests.unit.storage.factories import BANK_SOURCE, ROLES, host
from tests.unit.storage.workshop.test_roomviews import person


@pytest.fixture
def other(engine: Engine, workshop: Workshop, bank, area: Area) -> Workshop:
    bank_hash = save_bank(engine, bank, BANK_SOURCE)
    return open_workshop(engine, area.id, bank_hash, "Another room", ["P1"], ROLES)[0]


def screen_grant(engine: Engine, workshop: Workshop) -> Grant:
    grant = room_grant(engine, make_room_link(engine, host(engine, workshop.id), workshop.id))
    assert grant is not None
    assert grant.kind == "room"
    assert grant.workshop_id == workshop.id
    return grant


def test_a_new_workshop_shows_the_join_screen_and_no_results(
    engine: Engine, workshop: Workshop
) -> None:
    shown = room_screen(engine, host(engine, workshop.id), workshop.id)
    assert (shown.screen, shown.revealed_round, shown.revealed) == ("join", 0, False)
    assert shown.joining_open
    assert shown.workshop == workshop
    assert (shown.round, shown.sent, shown.shows_results) == (1, 0, False)


def test_the_facilitator_drives_every_screen_and_a_wrong_one_is_refused(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    for name in ROOM_SCREENS:
        assert drive_room(engine, grant, workshop.id, screen=name).screen == name
        assert room_screen(engine, grant, workshop.id).screen == name
    with pytest.raises(InputError, match="not a room screen"):
        drive_room(engine, grant, workshop.id, screen="<script>")
    assert room_screen(engine, grant, workshop.id).screen == ROOM_SCREENS[-1]  # unchanged


def test_only_the_facilitator_drives_the_room(
    engine: Engine, workshop: Workshop, other: Workshop
) -> None:
    screen = screen_grant(engine, workshop)
    for grant in (ANYONE, host(engine, other.id), screen):
        with pytest.raises(AccessDenied):
            drive_room(engine, grant, workshop.id, screen="split", reveal=True)
        with pytest.raises(AccessDenied):
            make_room_link(engine, grant, workshop.id)
    assert room_screen(engine, screen, workshop.id).screen == "join"


def test_a_room_link_sees_results_only_once_revealed(engine: Engine, workshop: Workshop) -> None:
    for _ in range(3):
        person(engine, workshop)
    grant, screen = host(engine, workshop.id), screen_grant(engine, workshop)
    assert room_screen(engine, screen, workshop.id).sent == 3  # a count is not a result
    with pytest.raises(AccessDenied):
        room_view(engine, screen, workshop.id)
    drive_room(engine, grant, workshop.id, reveal=True)
    assert room_screen(engine, screen, workshop.id).revealed
    assert room_view(engine, screen, workshop.id).people == 3
    drive_room(engine, grant, workshop.id, reveal=False)
    with pytest.raises(AccessDenied):
        room_view(engine, screen, workshop.id)
    with pytest.raises(AccessDenied):  # the downloads' history stays the facilitator's
        room_history(engine, screen, workshop.id)


def test_the_next_round_is_hidden_until_revealed_and_earlier_ones_stay(
    engine: Engine, workshop: Workshop
) -> None:
    for _ in range(3):
        person(engine, workshop)
    grant, screen = host(engine, workshop.id), screen_grant(engine, workshop)
    drive_room(engine, grant, workshop.id, reveal=True)
    close_round(engine, grant, workshop.id)
    open_next_round(engine, grant, workshop.id)
    shown = room_screen(engine, screen, workshop.id)
    assert (shown.round, shown.revealed_round, shown.revealed) == (2, 1, False)
    assert room_view(engine, screen, workshop.id, 1).round == 1
    with pytest.raises(AccessDenied):
        room_view(engine, screen, workshop.id, 2)
    drive_room(engine, grant, workshop.id, reveal=False)  # hiding round 2 keeps round 1
    assert room_screen(engine, screen, workshop.id).revealed_round == 1
    drive_room(engine, grant, workshop.id, reveal=True)
    assert room_view(engine, screen, workshop.id, 2).round == 2


def test_hiding_never_reveals_earlier_rounds(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    for _ in range(2):
        close_round(engine, grant, workshop.id)
        open_next_round(engine, grant, workshop.id)
    assert drive_room(engine, grant, workshop.id, reveal=False).revealed_round == 0


def test_a_room_link_opens_only_its_workshop_and_a_new_link_ends_the_old(
    engine: Engine, workshop: Workshop, other: Workshop
) -> None:
    grant = host(engine, workshop.id)
    drive_room(engine, grant, workshop.id, reveal=True)
    first = screen_grant(engine, workshop)
    with pytest.raises(AccessDenied):
        room_screen(engine, first, other.id)
    forged = Grant("room", workshop_id=other.id, token=first.token)
    with pytest.raises(AccessDenied):
        room_screen(engine, forged, other.id)
    second = screen_grant(engine, workshop)
    assert room_grant(engine, first.token) is None
    with pytest.raises(AccessDenied):
        room_screen(engine, first, workshop.id)
    assert room_screen(engine, second, workshop.id).workshop.id == workshop.id


@pytest.mark.parametrize("typed", [None, "", "x" * 22, "not a token", "a" * 5000, 42, "é" * 22])
def test_what_is_not_a_current_link_opens_nothing(
    engine: Engine, workshop: Workshop, typed: object
) -> None:
    make_room_link(engine, host(engine, workshop.id), workshop.id)
    assert room_grant(engine, typed) is None


def test_closing_joining_and_deleting_the_workshop(
    engine: Engine, opened: tuple[Workshop, str]
) -> None:
    workshop, key = opened
    grant = host(engine, workshop.id)
    screen = screen_grant(engine, workshop)
    lock_joining(engine, grant, workshop.id, True)
    assert not room_screen(engine, screen, workshop.id).joining_open
    delete_workshop(engine, workshop.id, key)
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(room_screens)) == 0
    assert room_grant(engine, screen.token) is None


def test_a_participant_sees_a_round_only_once_the_room_was_shown_it(
    engine: Engine, workshop: Workshop, other: Workshop
) -> None:
    from storage.workshop.participants import earlier_answers, join_workshop

    for _ in range(3):
        person(engine, workshop, level="4")
    me, token = join_workshop(engine, workshop.id, "councillor")
    mine = Grant("participant", workshop_id=workshop.id, token=token)
    grant = host(engine, workshop.id)
    with pytest.raises(AccessDenied):
        room_view(engine, mine, workshop.id, 1)
    drive_room(engine, grant, workshop.id, reveal=True)
    assert room_view(engine, mine, workshop.id, 1).people == 3
    for wrong in (
        Grant("participant", workshop_id=other.id, token=token),  # not their workshop
        Grant("participant", workshop_id=workshop.id, token="A" * 22),  # not a participant
    ):
        with pytest.raises(AccessDenied):
            room_view(engine, wrong, other.id if wrong.workshop_id == other.id else workshop.id)
    with pytest.raises(AccessDenied):  # never the downloads
        room_history(engine, mine, workshop.id)
    assert earlier_answers(engine, me.id) == {}  # round 1: nothing earlier


def test_earlier_answers_are_the_persons_own_last_round(engine: Engine, workshop: Workshop) -> None:
    from storage.workshop.participants import earlier_answers

    me = person(engine, workshop, level="2")
    person(engine, workshop, level="5")
    grant = host(engine, workshop.id)
    close_round(engine, grant, workshop.id)
    open_next_round(engine, grant, workshop.id)
    assert earlier_answers(engine, me) == {"p1a": "2", "p1b": "2"}
