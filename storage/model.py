"""What storage hands out and takes in: small frozen records.

Why: pages cache and pass these around between reruns; frozen dataclasses
cannot be changed behind another page's back, and they name their fields,
unlike SQL rows. Record fields carry the same names as their table's columns,
so a row becomes a record with ``Record(**row._mapping)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

__all__ = [
    "AnswerInput",
    "Area",
    "AreaKind",
    "Assessment",
    "AssessmentKind",
    "Confidence",
    "Draft",
    "PlanInput",
    "Response",
    "Status",
]

AreaKind = Literal["council", "ward", "partnership", "service", "other"]
AssessmentKind = Literal["self", "workshop"]
Status = Literal["draft", "submitted"]
Confidence = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class Area:
    """A council, ward, partnership or service that assessments are about."""

    id: int
    name: str
    kind: AreaKind
    ons_code: str | None
    parent_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Assessment:
    """One assessment of an area, against one bank version and one form.

    ``bank_hash`` pins the bank content the answers were given against, so
    results can be re-scored, and explained, after the bank is edited.
    """

    id: int
    area_id: int
    kind: AssessmentKind
    title: str | None
    form_id: str
    bank_hash: str
    held_on: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Response:
    """One person's answers to one assessment in one round (never their token)."""

    id: int
    assessment_id: int
    role: str
    round: int
    step: int
    status: Status
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """An answer as a page saves it and as `load_draft` gives it back.

    ``answer`` is "1"-"5", "dk", "na" or "" (not answered yet); ``evidence``
    is kept exactly as typed (never escaped here: escaping is the page's job
    when it shows it).
    """

    answer: str
    confidence: Confidence | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class PlanInput:
    """A respondent's plan for one dimension: the level they aim for, and whether it comes first."""

    target: int | None = None
    priority: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """Everything a page needs to put a respondent back where they were.

    ``answers`` maps question id and ``plans`` dimension id to what was saved;
    both are read-only mappings.
    """

    response_id: int
    assessment: Assessment
    role: str
    round: int
    step: int
    status: Status
    submitted_at: datetime | None
    answers: Mapping[str, AnswerInput]
    plans: Mapping[str, PlanInput]
