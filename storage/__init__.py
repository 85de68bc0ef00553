"""Storage: the only SQL in Ladder (SQLAlchemy Core; SQLite by default, PostgreSQL by URL).

This is storage's one front door: everything outside storage/ imports from ``storage``
and nothing deeper (tests/unit/test_imports.py checks it). Inside, four rooms:
`storage.core` (engine, schema, records, checks, access, areas, assessments and answers),
`storage.migrations` (the schema's history), `storage.workshop` (rooms, participants,
seats, what the room may see, agreed levels, paper answers) and `storage.results`
(frames, publishing, Compare, imports, the demo, deleting and exporting).

Start-up::

    engine = make_engine(database_url())
    migrate(engine)

A workshop's life::

    workshop, key = open_workshop(engine, area_id, bank_hash, title, dims, roles, expected=30)
    grant = unlock_workshop(engine, "abc-defg", key)  # the facilitator's grant
    lock_joining(engine, grant, workshop.id, True)
    participant, token = join_workshop(engine, workshop.id, "councillor")
    response = current_response(engine, participant.id)  # round 2: prefilled from round 1
    save_draft(engine, response.id, answers, plans, step, allow_submitted=True)
    close_round(engine, grant, workshop.id); open_next_round(engine, grant, workshop.id)
    record_agreement(engine, grant, workshop.id, 1, "P1", 3, "agreed", note="...")
    room_view(engine, grant, workshop.id)  # what the room sees

Everything that reads or changes what a person may not see takes a `Grant` and checks
it against the access table (`storage.core.access`, docs/security.md). Errors come in
two kinds: `InputError` (a field a person can fix; a `common.errors.UserError`) and
`StorageError` (the database; for the operator). Never imports Streamlit."""

from __future__ import annotations

from storage.core.access import (
    ANYONE,
    AccessDenied,
    Grant,
    KeyLocked,
    KeyNotice,
    Kind,
    allowed,
    facilitator_grant,
    grant_holds,
    require,
    take_key_notice,
    unlock_workshop,
)
from storage.core.admins import (
    MIN_PASSPHRASE,
    SETUP_LIFETIME,
    LockedOut,
    allowed_by_list,
    has_admins,
    list_admins,
    redeem_setup,
    setup_token,
    setup_valid,
    sign_in,
    split_list,
)
from storage.core.codes import (
    KeyBusy,
    format_code,
    normalise_code,
)
from storage.core.drafts import (
    find_draft,
    load_draft,
    save_draft,
    submit_response,
)
from storage.core.engine import (
    database_url,
    make_engine,
    reading,
)
from storage.core.errors import (
    InputError,
    StorageError,
)
from storage.core.groups import (
    create_group,
    delete_group,
    list_groups,
    set_group_members,
)
from storage.core.model import (
    Agreement,
    AnswerInput,
    Area,
    AreaGroup,
    Assessment,
    Draft,
    Participant,
    PlanInput,
    Response,
    Workshop,
)
from storage.core.registry import (
    AreaNode,
    area_tree,
    day_text,
    registry,
    walk,
)
from storage.core.repo import (
    KEEP,
    bank_source,
    create_area,
    create_assessment,
    find_or_create_area,
    find_response,
    get_area,
    get_assessment,
    get_response,
    list_areas,
    list_assessments,
    save_bank,
    start_response,
    update_area,
)
from storage.core.schema import (
    EMAIL_LENGTH,
)
from storage.core.throttle import (
    Throttle,
)
from storage.core.tokens import (
    clean_token,
    spaced_token,
)
from storage.core.validate import (
    AREA_KINDS,
)
from storage.migrations.steps import (
    MIGRATIONS,
    Migration,
    migrate,
)
from storage.results.actions import (
    MAX_ACTIONS,
    OPEN_STATUSES,
    STATUS_NAMES,
    Action,
    ActionUpdate,
    Plan,
    add_action,
    open_next_workshop,
    plan_of,
    start_follow_up,
    update_action,
)
from storage.results.area_home import (
    ENTRY_STATUSES,
    AreaHome,
    Entry,
    Event,
    area_home,
    timeline,
)
from storage.results.compare import (
    COMPARABLE_COLUMNS,
    Stamps,
    answer_stamps,
    assessment_answers,
    comparable_assessments,
    many_stamp,
    published_result,
    require_compare,
)
from storage.results.demo import (
    has_demo,
    load_demo,
    remove_demo,
)
from storage.results.frames import (
    PARTICIPATION_COLUMNS,
    answers_frame,
    participation,
    plans_frame,
    workshop_answers,
)
from storage.results.imports import (
    MAX_FILE_BYTES,
    ImportsPaused,
    import_assessments,
    import_file,
)
from storage.results.lifecycle import (
    delete_assessment,
    delete_workshop,
    export_area,
)
from storage.results.publish import (
    ENTRY_NAMES,
    IMPORT_MIN,
    Publication,
    assessment_publication,
    publications_of,
    publish_assessment,
    publish_round,
    unpublish_assessment,
    unpublish_round,
    withdraw_entry,
    workshop_rounds,
)
from storage.workshop.agreements import (
    agreements,
    record_agreement,
)
from storage.workshop.paper import (
    PAPER_ROLE,
    enter_group_response,
    import_answers,
)
from storage.workshop.participants import (
    count_joined,
    current_response,
    earlier_answers,
    find_participant,
    join_workshop,
)
from storage.workshop.rooms import (
    EXPECTED_MAX,
    MODULES_FORM,
    can_answer,
    check_key,
    close_round,
    find_workshop,
    get_workshop,
    list_workshops,
    lock_joining,
    open_next_round,
    open_workshop,
    set_expected,
)
from storage.workshop.roomviews import (
    HistoryFrames,
    RoomView,
    history_frames,
    read_ahead,
    room_history,
    room_view,
)
from storage.workshop.screens import (
    RoomScreen,
    drive_room,
    make_room_link,
    room_grant,
    room_screen,
)
from storage.workshop.seats import (
    SEAT_MAX,
    Seats,
    make_seats,
    seats_of,
    use_seat_codes,
)

__all__ = [
    "ANYONE",
    "AREA_KINDS",
    "COMPARABLE_COLUMNS",
    "EMAIL_LENGTH",
    "ENTRY_NAMES",
    "ENTRY_STATUSES",
    "EXPECTED_MAX",
    "IMPORT_MIN",
    "KEEP",
    "MAX_ACTIONS",
    "MAX_FILE_BYTES",
    "MIGRATIONS",
    "MIN_PASSPHRASE",
    "MODULES_FORM",
    "OPEN_STATUSES",
    "PAPER_ROLE",
    "PARTICIPATION_COLUMNS",
    "SEAT_MAX",
    "SETUP_LIFETIME",
    "STATUS_NAMES",
    "AccessDenied",
    "Action",
    "ActionUpdate",
    "Agreement",
    "AnswerInput",
    "Area",
    "AreaGroup",
    "AreaHome",
    "AreaNode",
    "Assessment",
    "Draft",
    "Entry",
    "Event",
    "Grant",
    "HistoryFrames",
    "ImportsPaused",
    "InputError",
    "KeyBusy",
    "KeyLocked",
    "KeyNotice",
    "Kind",
    "LockedOut",
    "Migration",
    "Participant",
    "Plan",
    "PlanInput",
    "Publication",
    "Response",
    "RoomScreen",
    "RoomView",
    "Seats",
    "Stamps",
    "StorageError",
    "Throttle",
    "Workshop",
    "add_action",
    "agreements",
    "allowed",
    "allowed_by_list",
    "answer_stamps",
    "answers_frame",
    "area_home",
    "area_tree",
    "assessment_answers",
    "assessment_publication",
    "bank_source",
    "can_answer",
    "check_key",
    "clean_token",
    "close_round",
    "comparable_assessments",
    "count_joined",
    "create_area",
    "create_assessment",
    "create_group",
    "current_response",
    "database_url",
    "day_text",
    "delete_assessment",
    "delete_group",
    "delete_workshop",
    "drive_room",
    "earlier_answers",
    "enter_group_response",
    "export_area",
    "facilitator_grant",
    "find_draft",
    "find_or_create_area",
    "find_participant",
    "find_response",
    "find_workshop",
    "format_code",
    "get_area",
    "get_assessment",
    "get_response",
    "get_workshop",
    "grant_holds",
    "has_admins",
    "has_demo",
    "history_frames",
    "import_answers",
    "import_assessments",
    "import_file",
    "join_workshop",
    "list_admins",
    "list_areas",
    "list_assessments",
    "list_groups",
    "list_workshops",
    "load_demo",
    "load_draft",
    "lock_joining",
    "make_engine",
    "make_room_link",
    "make_seats",
    "many_stamp",
    "migrate",
    "normalise_code",
    "open_next_round",
    "open_next_workshop",
    "open_workshop",
    "participation",
    "plan_of",
    "plans_frame",
    "publications_of",
    "publish_assessment",
    "publish_round",
    "published_result",
    "read_ahead",
    "reading",
    "record_agreement",
    "redeem_setup",
    "registry",
    "remove_demo",
    "require",
    "require_compare",
    "room_grant",
    "room_history",
    "room_screen",
    "room_view",
    "save_bank",
    "save_draft",
    "seats_of",
    "set_expected",
    "set_group_members",
    "setup_token",
    "setup_valid",
    "sign_in",
    "spaced_token",
    "split_list",
    "start_follow_up",
    "start_response",
    "submit_response",
    "take_key_notice",
    "timeline",
    "unlock_workshop",
    "unpublish_assessment",
    "unpublish_round",
    "update_action",
    "update_area",
    "use_seat_codes",
    "walk",
    "withdraw_entry",
    "workshop_answers",
    "workshop_rounds",
]
