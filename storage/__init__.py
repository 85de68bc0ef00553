"""Storage: the only SQL in Ladder (SQLAlchemy Core; SQLite by default, PostgreSQL by URL).

Start-up::

    engine = make_engine(database_url())
    migrate(engine)

Then pages call the plain functions below with that engine. Errors come in
two kinds: `InputError` (a field a person can fix) and `StorageError` (the
database; for the operator). Never imports Streamlit.
"""

from __future__ import annotations

from storage.drafts import load_draft, save_draft, submit_response
from storage.engine import database_url, make_engine
from storage.errors import InputError, StorageError
from storage.frames import answers_frame, plans_frame
from storage.migrations import MIGRATIONS, Migration, migrate
from storage.model import AnswerInput, Area, Assessment, Draft, PlanInput, Response
from storage.repo import (
    bank_source,
    create_area,
    create_assessment,
    find_response,
    get_area,
    get_assessment,
    get_response,
    list_areas,
    list_assessments,
    save_bank,
    start_response,
)
from storage.tokens import spaced_token

__all__ = [
    "MIGRATIONS",
    "AnswerInput",
    "Area",
    "Assessment",
    "Draft",
    "InputError",
    "Migration",
    "PlanInput",
    "Response",
    "StorageError",
    "answers_frame",
    "bank_source",
    "create_area",
    "create_assessment",
    "database_url",
    "find_response",
    "get_area",
    "get_assessment",
    "get_response",
    "list_areas",
    "list_assessments",
    "load_draft",
    "make_engine",
    "migrate",
    "plans_frame",
    "save_bank",
    "save_draft",
    "spaced_token",
    "start_response",
    "submit_response",
]
