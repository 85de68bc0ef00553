"""Seat codes (storage.workshop.seats): one printed code per person; the same code brings the same
person back; wrong or other workshops' codes are refused; only the facilitator lists them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core import codes
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.model import Area, Workshop
from storage.core.schema import participants, seats
from storage.results.lifecycle import delete_workshop
from storage.workshop.participants import find_participant, join_workshop
from storage.workshop.rooms import get_workshop, lock_joining, open_workshop
from storage.workshop.seats import (
    SEAT_MAX,
    format_seat,
    make_seats,
    normalise_seat,
    seats_of,
    use_seat_codes,
)
from tests.unit.storage.factories import ROLES, dump, host


@pytest.fixture
def seated(engine: Engine, workshop: Workshop) -> list[str]:
    """The workshop with seat codes on and four codes made."""
    grant = host(engine, workshop.id)
    made = make_seats(engine, grant, workshop.id, 4)
    use_seat_codes(engine, grant, workshop.id, True)
    return made


def people(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(participants)) or 0)


def test_codes_are_made_printable_and_listed_for_the_facilitator(
    engine: Engine, workshop: Workshop
) -> None:
    grant = host(engine, workshop.id)
    made = make_seats(engine, grant, workshop.id, 5)
    assert len(set(made)) == 5
    for code in made:
        assert len(code) == 9
        assert code[4] == "-"
        assert normalise_seat(code) == code.replace("-", "")
        assert set(code.replace("-", "")) <= set(codes.CODE_ALPHABET)
    more = make_seats(engine, grant, workshop.id, 2)  # earlier codes stay
    listed = seats_of(engine, grant, workshop.id)
    assert listed.codes == tuple(sorted(made + more))
    assert (listed.on, listed.taken) == (False, 0)  # making codes does not switch them on
    use_seat_codes(engine, grant, workshop.id, True)
    assert seats_of(engine, grant, workshop.id).on
    assert get_workshop(engine, workshop.id).seat_codes


def test_codes_are_typed_any_way() -> None:
    assert normalise_seat("abcd efgh") == "ABCDEFGH"
    assert normalise_seat("ABCD–EFGH") == "ABCDEFGH"
    assert format_seat("ABCDEFGH") == "ABCD-EFGH"
    for wrong in ("ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "", None, 12345678):
        assert normalise_seat(wrong) is None


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\ufeff"], ids=["ZWSP", "RLO", "BOM"])
def test_a_seat_code_with_an_invisible_or_right_to_left_character_matches_nothing(
    hidden: str,
) -> None:
    assert normalise_seat("ABCD" + hidden + "-EFGH") is None
    assert normalise_seat(hidden + "ABCD-EFGH") is None


def test_only_the_facilitator_makes_lists_or_switches_seats(
    engine: Engine, workshop: Workshop, area: Area, bank: Bank
) -> None:
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ROLES)
    forged = Grant("facilitator", workshop_id=workshop.id, join_code="ABCDEFG", secret="0" * 32)
    for grant in (ANYONE, host(engine, other.id), forged):
        with pytest.raises(AccessDenied):
            make_seats(engine, grant, workshop.id, 3)
        with pytest.raises(AccessDenied):
            seats_of(engine, grant, workshop.id)
        with pytest.raises(AccessDenied):
            use_seat_codes(engine, grant, workshop.id, True)
    assert "seats: []" in dump(engine)
    assert not get_workshop(engine, workshop.id).seat_codes


def test_how_many_codes(engine: Engine, workshop: Workshop) -> None:
    grant = host(engine, workshop.id)
    for wrong in (0, -3, 2.0, True, "5"):
        with pytest.raises(InputError) as caught:
            make_seats(engine, grant, workshop.id, wrong)  # type: ignore[arg-type]
        assert caught.value.field == "seats"
    make_seats(engine, grant, workshop.id, SEAT_MAX - 1)
    with pytest.raises(InputError) as caught:
        make_seats(engine, grant, workshop.id, 2)
    assert str(SEAT_MAX) in caught.value.message


def test_with_seat_codes_joining_needs_a_valid_code(
    engine: Engine, workshop: Workshop, seated: list[str], area: Area, bank: Bank
) -> None:
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ROLES)
    elsewhere = make_seats(engine, host(engine, other.id), other.id, 1)[0]
    with pytest.raises(InputError) as caught:
        join_workshop(engine, workshop.id, "resident")
    assert caught.value.field == "seat code"
    assert "asks for a seat code" in caught.value.message
    for wrong in ("", "  ", "ZZZZ-ZZZZ", "ABC", elsewhere, seated[0][:-1]):
        with pytest.raises(InputError) as caught:
            join_workshop(engine, workshop.id, "resident", seat=wrong)
        assert caught.value.field == "seat code"
    assert people(engine) == 0


def test_a_seat_code_joins_once_and_never_reopens_its_participant(
    engine: Engine, workshop: Workshop, seated: list[str]
) -> None:
    """The facilitator holds every code: a used code giving its participant back would open
    that person's answers to them. A used code is refused; each code makes one person."""
    me, token = join_workshop(engine, workshop.id, "resident", seat=seated[0])
    assert find_participant(engine, token) == me
    with pytest.raises(InputError) as caught:
        join_workshop(engine, workshop.id, "councillor", seat=seated[0].lower())
    assert caught.value.field == "seat code"
    assert "used already" in caught.value.message
    other, theirs = join_workshop(engine, workshop.id, "councillor", seat=seated[1])
    assert other.id != me.id
    assert theirs != token
    assert people(engine) == 2
    assert seats_of(engine, host(engine, workshop.id), workshop.id).taken == 2
    text = dump(engine)
    assert token not in text  # only the token's hash is stored, as for everyone


def test_a_locked_room_takes_no_one_new_even_with_a_free_seat(
    engine: Engine, workshop: Workshop, seated: list[str]
) -> None:
    join_workshop(engine, workshop.id, "resident", seat=seated[0])
    lock_joining(engine, host(engine, workshop.id), workshop.id, True)
    for seat in seated[:2]:
        with pytest.raises(InputError):
            join_workshop(engine, workshop.id, "resident", seat=seat)
    assert people(engine) == 1


def test_switching_seat_codes_off_lets_anyone_with_the_join_code_in(
    engine: Engine, workshop: Workshop, seated: list[str]
) -> None:
    use_seat_codes(engine, host(engine, workshop.id), workshop.id, False)
    participant, _ = join_workshop(engine, workshop.id, "resident")
    assert participant.pseudonym == "P1"


def test_deleting_the_workshop_removes_its_seats(
    engine: Engine, opened: tuple[Workshop, str]
) -> None:
    workshop, key = opened
    grant = host(engine, workshop.id)
    made = make_seats(engine, grant, workshop.id, 3)
    use_seat_codes(engine, grant, workshop.id, True)
    join_workshop(engine, workshop.id, "resident", seat=made[0])
    delete_workshop(engine, workshop.id, key)
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(seats)) == 0


def test_look_alike_letters_never_make_a_seat_code() -> None:
    """The long s upper-cases to S and a ligature to ST: typed, they must match nothing."""
    assert normalise_seat("sbcd-efgh") == "SBCDEFGH"
    for typed in ("\u017fbcd-efgh", "\ufb05bc-defgh", "SBCD\u200b-EFGH", "SBCD-EFG\u202e"):
        assert normalise_seat(typed) is None
