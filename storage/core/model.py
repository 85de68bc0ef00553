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

from common.consensus import DEFAULT_RULE

__all__ = [
    "Agreement",
    "AgreementStatus",
    "AnswerInput",
    "Area",
    "AreaGroup",
    "AreaKind",
    "Assessment",
    "AssessmentKind",
    "Confidence",
    "Draft",
    "Participant",
    "ParticipantKind",
    "PlanInput",
    "Response",
    "Status",
    "Workshop",
]

AreaKind = Literal["council", "ward", "partnership", "service", "other"]
AssessmentKind = Literal["self", "workshop", "imported"]
Status = Literal["draft", "submitted"]
Confidence = Literal["low", "medium", "high"]
ParticipantKind = Literal["person", "group", "paper"]
AgreementStatus = Literal["agreed", "uncertain"]


@dataclass(frozen=True, slots=True)
class Area:
    """A council, ward, partnership or service that assessments are about.

    ``demo`` marks the fictional areas of the demo dataset (`storage.results.demo`),
    which are removed, with everything about them, in one go.
    """

    id: int
    name: str
    kind: AreaKind
    ons_code: str | None
    parent_id: int | None
    created_at: datetime
    demo: bool = False


@dataclass(frozen=True, slots=True)
class AreaGroup:
    """A named set of areas to compare against ("our nearest neighbours"), by area id."""

    id: int
    name: str
    area_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """One assessment of an area, against one bank version and one form.

    ``kind`` is 'self' (answered in Ladder), 'workshop' (a facilitated
    session) or 'imported' (made from an answers CSV by `storage.results.imports`).

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


@dataclass(frozen=True, slots=True)
class Workshop:
    """A facilitated session: an assessment of kind 'workshop' and its room.

    ``join_code`` is shown as people read it aloud, e.g. ``"ABC-DEFG"``
    (`find_workshop` takes it typed any way). ``dimensions`` are asked in
    this order; ``form_id`` is set when they are exactly one form's.
    ``k`` is the anonymity threshold: no group smaller is ever shown.
    Participants answer in ``current_round`` while ``round_open``.
    ``expected`` is how many people the facilitator expects (None: not said);
    nobody new may join while ``joining_locked``; with ``seat_codes`` each
    person joins with a printed seat code of their own.
    Never carries the facilitator key, its hash or the workshop's grant secret.
    """

    id: int
    assessment_id: int
    area_id: int
    title: str
    join_code: str
    dimensions: tuple[str, ...]
    form_id: str | None
    roles: tuple[str, ...]
    k: int
    current_round: int
    round_open: bool
    created_at: datetime
    expected: int | None = None
    joining_locked: bool = False
    seat_codes: bool = False
    consensus_rule: str = DEFAULT_RULE


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone (or a table group, or a paper form) in a workshop: a pseudonym, never a name.

    ``pseudonym`` ("P1", "P2" ... in joining order) is stable across rounds
    and meaningless outside the workshop. ``kind`` is 'person' (joined with
    the code), 'group' (a table's agreed response, entered by the facilitator)
    or 'paper' (imported from a paper form).
    """

    id: int
    workshop_id: int
    pseudonym: str
    role: str
    kind: ParticipantKind
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Agreement:
    """What the room agreed for one dimension in one round, apart from the computed median.

    ``status`` 'agreed' always has a ``level`` (1-5); 'uncertain' may have
    none, and ``dissent`` records who saw it otherwise and why.
    """

    workshop_id: int
    round: int
    dimension_id: str
    level: int | None
    status: AgreementStatus
    note: str | None
    dissent: str | None
    recorded_at: datetime
    consensus_rule: str = DEFAULT_RULE
