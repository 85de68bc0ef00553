"""The workshop API in one place: what the facilitator's and participants' pages import.

A workshop's life, as storage sees it::

    workshop, key = open_workshop(engine, area_id, bank_hash, title, dims, roles, expected=30)
    find_workshop(engine, "abc-defg")                 # the code, typed any way
    grant = unlock_workshop(engine, "abc-defg", key)  # storage.access: the facilitator's grant
    lock_joining(engine, grant, workshop.id, True)    # storage.rooms; seat codes: storage.seats
    participant, token = join_workshop(engine, workshop.id, "councillor")  # seat=... with seats
    response = current_response(engine, participant.id)  # round 2: prefilled from round 1
    save_draft(engine, response.id, answers, plans, step, allow_submitted=True)
    close_round(engine, grant, workshop.id); open_next_round(engine, grant, workshop.id)
    record_agreement(engine, grant, workshop.id, 1, "P1", 3, "agreed", note="...")
    room_view(engine, grant, workshop.id)             # storage.roomviews: what the room sees
    workshop_answers(engine, grant, workshop.id)      # every row, for checks and tests

Everything that changes a workshop takes the facilitator's grant and checks it
(`storage.rooms.facilitating`); joining and answering take the participant's
join code and token.

The pieces live in `storage.rooms` (opening, keys, rounds), `storage.participants`
(joining, answering), `storage.agreements`, `storage.paper` (group entry, paper
import) and `storage.frames` (the tables for the dashboard and exports).
"""

from __future__ import annotations

from storage.agreements import agreements, record_agreement
from storage.codes import format_code, normalise_code
from storage.frames import PARTICIPATION_COLUMNS, participation, workshop_answers
from storage.model import Agreement, Participant, Workshop
from storage.paper import PAPER_ROLE, enter_group_response, import_answers
from storage.participants import current_response, find_participant, join_workshop
from storage.rooms import (
    MODULES_FORM,
    can_answer,
    check_key,
    close_round,
    find_workshop,
    get_workshop,
    list_workshops,
    open_next_round,
    open_workshop,
)

__all__ = [
    "MODULES_FORM",
    "PAPER_ROLE",
    "PARTICIPATION_COLUMNS",
    "Agreement",
    "Participant",
    "Workshop",
    "agreements",
    "can_answer",
    "check_key",
    "close_round",
    "current_response",
    "enter_group_response",
    "find_participant",
    "find_workshop",
    "format_code",
    "get_workshop",
    "import_answers",
    "join_workshop",
    "list_workshops",
    "normalise_code",
    "open_next_round",
    "open_workshop",
    "participation",
    "record_agreement",
    "workshop_answers",
]
