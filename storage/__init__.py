"""Storage: the only SQL in Ladder (SQLAlchemy Core; SQLite by default, PostgreSQL by URL).

Start-up::

    engine = make_engine(database_url())
    migrate(engine)

Then pages call the plain functions below with that engine (workshops: see
`storage.workshops`; comparing areas: `storage.compare`, `storage.imports`,
`storage.groups`, `storage.demo`; publishing to Compare: `storage.publish`;
the areas as a tree: `storage.registry`;
all exported here too). Errors come in two kinds: `InputError` (a field a
person can fix) and `StorageError` (the database; for the operator). Never
imports Streamlit.
"""

from __future__ import annotations

from storage.compare import COMPARABLE_COLUMNS, assessment_answers, comparable_assessments
from storage.demo import has_demo, load_demo, remove_demo
from storage.drafts import load_draft, save_draft, submit_response
from storage.engine import database_url, make_engine
from storage.errors import InputError, StorageError
from storage.frames import answers_frame, plans_frame
from storage.groups import create_group, delete_group, list_groups, set_group_members
from storage.imports import import_assessments
from storage.migrations import MIGRATIONS, Migration, migrate
from storage.model import (
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
from storage.publish import (
    Publication,
    assessment_publication,
    publications_of,
    publish_assessment,
    publish_round,
    unpublish_assessment,
    unpublish_round,
    workshop_rounds,
)
from storage.registry import AreaNode, area_tree, registry
from storage.repo import (
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
from storage.tokens import spaced_token
from storage.workshops import (
    agreements,
    can_answer,
    check_key,
    close_round,
    current_response,
    enter_group_response,
    find_participant,
    find_workshop,
    get_workshop,
    import_answers,
    join_workshop,
    list_workshops,
    open_next_round,
    open_workshop,
    participation,
    record_agreement,
    workshop_answers,
)

__all__ = [
    "COMPARABLE_COLUMNS",
    "KEEP",
    "MIGRATIONS",
    "Agreement",
    "AnswerInput",
    "Area",
    "AreaGroup",
    "AreaNode",
    "Assessment",
    "Draft",
    "InputError",
    "Migration",
    "Participant",
    "PlanInput",
    "Publication",
    "Response",
    "StorageError",
    "Workshop",
    "agreements",
    "answers_frame",
    "area_tree",
    "assessment_answers",
    "assessment_publication",
    "bank_source",
    "can_answer",
    "check_key",
    "close_round",
    "comparable_assessments",
    "create_area",
    "create_assessment",
    "create_group",
    "current_response",
    "database_url",
    "delete_group",
    "enter_group_response",
    "find_or_create_area",
    "find_participant",
    "find_response",
    "find_workshop",
    "get_area",
    "get_assessment",
    "get_response",
    "get_workshop",
    "has_demo",
    "import_answers",
    "import_assessments",
    "join_workshop",
    "list_areas",
    "list_assessments",
    "list_groups",
    "list_workshops",
    "load_demo",
    "load_draft",
    "make_engine",
    "migrate",
    "open_next_round",
    "open_workshop",
    "participation",
    "plans_frame",
    "publications_of",
    "publish_assessment",
    "publish_round",
    "record_agreement",
    "registry",
    "remove_demo",
    "save_bank",
    "save_draft",
    "set_group_members",
    "spaced_token",
    "start_response",
    "submit_response",
    "unpublish_assessment",
    "unpublish_round",
    "update_area",
    "workshop_answers",
    "workshop_rounds",
]
