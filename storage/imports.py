"""Results from elsewhere: an answers CSV with an ``area`` column becomes assessments.

Why: the third job compares areas, and many results arrive as spreadsheets
(issue 6, "Results from elsewhere"). Each (area, time point) in the file
becomes one assessment of kind 'imported', its respondents submitted
responses with pseudonyms (R1, R2 ... as `storage.frames` numbers them), so
an imported assessment is scored, compared and exported like any other.

The time point of a row is its ``round`` (assessment "Round N"), else the
date of its ``submitted_at``, else today. Areas are matched by name, ignoring
case and kind (demo areas never match: real results must not vanish with the
demo); a name not yet known becomes a new area of kind 'other'.

Like `storage.paper`, the import is all or nothing: every row is checked
before anything is written, everything is written in one transaction, and a
bad row is reported as ``"row 12, area"`` (rows numbered as
`scoring.answers.parse_answers` numbers them: the header is row 1). The
CSV's respondent ids only tell rows apart; they are never stored.

Importing is an administrator's (the grant is checked before anything is
written), and what an administrator imports is published to Compare in the
same transaction (`storage.publish`: shown there with 3 or more people, or
exactly one answer set).

Bounded (issue 13, item 4): the whole server imports at most
`IMPORTS_PER_HOUR` files in any hour, every administrator together. The
count is of the imports already stored (an import's assessments share one
``created_at``), so it holds across replicas and restarts and needs no table
of its own. `import_file`, which the Compare page calls, checks that quota and
then the file's size and header (`scoring.answers.parse_answers` reads the
header before the body) before anything expensive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from questions.model import Bank
from scoring.answers import parse_answers
from storage import validate
from storage.access import Grant, require_admin
from storage.engine import reading, writing
from storage.errors import InputError
from storage.model import AnswerInput, Assessment
from storage.publish import record_publication
from storage.repo import area_values, find_or_insert_area, insert_assessment
from storage.schema import answers, areas, assessments, now, responses
from storage.throttle import duration
from storage.tokens import hash_token, new_token

__all__ = [
    "FALLBACK_FORM",
    "IMPORTS_PER_HOUR",
    "IMPORT_ROLE",
    "MAX_AREAS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportBank",
    "ImportsPaused",
    "check_import_quota",
    "import_assessments",
    "import_file",
]

MAX_ROWS = 200_000
MAX_AREAS = 500
#: The largest answers file `import_file` reads (20 MB: some 200,000 rows of answers).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Files the whole server imports in any hour, every administrator together. A council
#: imports a few files a year, a partnership a few dozen at once at most; more than this
#: in an hour is a script or a mistake, and each import may write 200,000 answers.
IMPORTS_PER_HOUR = 30
_HOUR = timedelta(hours=1)
#: A respondent's role when the ``role`` column is absent or blank.
IMPORT_ROLE = "other"
#: The form recorded when no form of the bank holds every dimension answered.
FALLBACK_FORM = "full"
_REQUIRED = ("respondent_id", "question_id", "answer", "area")
#: The columns read, in the order `_Plan.add` takes them (absent optional ones read as blank).
_COLUMNS = (*_REQUIRED, "role", "round", "confidence", "evidence", "submitted_at")


class _Named(Protocol):
    @property
    def id(self) -> str: ...


class _Question(_Named, Protocol):
    @property
    def dimension(self) -> str: ...


class _Form(_Named, Protocol):
    @property
    def dimensions(self) -> tuple[str, ...]: ...


class _Role(_Named, Protocol):
    @property
    def label(self) -> str: ...


class ImportBank(Protocol):
    """What the import (and `storage.demo`) needs of a `questions.model.Bank`."""

    @property
    def questions(self) -> Sequence[_Question]: ...
    @property
    def forms(self) -> Sequence[_Form]: ...
    @property
    def roles(self) -> Sequence[_Role]: ...


TimePoint = tuple[int, date | None]  # (round, None) or (0, day)


class ImportsPaused(InputError):
    """The server has imported `IMPORTS_PER_HOUR` files in the last hour; nothing was read.

    Attributes:
        count: the files imported in the hour before ``at``.
        until: when the next import will be taken (UTC, to the minute, rounded up).
        message: one line for people, saying when.
    """

    def __init__(self, count: int, until: datetime, at: datetime) -> None:
        self.count = count
        self.until = (until + timedelta(seconds=59)).replace(second=0, microsecond=0)
        wait = max(1, math.ceil((until - at).total_seconds()))
        super().__init__(
            "file",
            f"Ladder has imported {count} files in the last hour, the most it takes in an hour; "
            f"the next can be imported at {self.until:%H:%M} UTC (in {duration(wait)})",
        )


def check_import_quota(engine: Engine, grant: Grant) -> None:
    """Refuse an import now, before the file is read, if the hour's quota is used.

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked first).
        ImportsPaused: `IMPORTS_PER_HOUR` files were imported in the last hour.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, "Importing results")
        _check_quota(conn, now())


def _check_quota(conn: Connection, stamp: datetime) -> None:
    """Count the imports in the hour before ``stamp``: one ``created_at`` per imported file."""
    made = assessments.c.created_at
    recent = list(
        conn.scalars(
            sa.select(made)
            .where(assessments.c.kind == "imported", made > stamp - _HOUR, made <= stamp)
            .distinct()
            .order_by(made.desc())
            .limit(IMPORTS_PER_HOUR)
        )
    )
    if len(recent) >= IMPORTS_PER_HOUR:  # free again when the oldest counted leaves the hour
        raise ImportsPaused(len(recent), recent[-1] + _HOUR, stamp)


def import_file(
    engine: Engine, grant: Grant, data: bytes, name: str, bank: Bank, bank_hash: str
) -> list[Assessment]:
    """Import an uploaded answers file, refusing it as cheaply as it can be refused.

    In order, each before anything dearer: the grant and the hour's quota
    (`check_import_quota`), the file's size (`MAX_FILE_BYTES`), its header
    (`scoring.answers.parse_answers` reads at most 64 KB and 50 columns of it
    before the body), then every row (`import_assessments`).

    Raises:
        AccessDenied, ImportsPaused: as `check_import_quota`.
        AnswersError: the file is not a readable answers CSV (one line, naming it).
        InputError: as `import_assessments`, or the file is too large.
    """
    check_import_quota(engine, grant)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            "file",
            f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most Ladder imports "
            "at once; please split it by area and import each",
        )
    frame = parse_answers(data, name, bank=bank)
    return import_assessments(engine, grant, frame, bank, bank_hash, name)


def import_assessments(
    engine: Engine,
    grant: Grant,
    frame: pd.DataFrame,
    bank: ImportBank,
    bank_hash: str,
    source_name: str,
) -> list[Assessment]:
    """Create one imported assessment per (area, time point) in ``frame``; return them.

    ``frame`` comes from `scoring.answers.parse_answers` (with the bank) and
    must have an ``area`` column. Each assessment is ``held_on`` its date
    (for a round: the earliest ``submitted_at`` date in it, else today), of
    the smallest bank form holding every dimension answered (else 'full'),
    against ``bank_hash`` (saved with `storage.repo.save_bank`). Roles come
    from a ``role`` column (a bank role's id or label, any case; blank means
    'other'); one respondent keeps one role within a time point. Returned in
    the order each (area, time point) first appears in the file. Each is
    published to Compare (`storage.publish.record_publication`).

    Raises:
        AccessDenied: ``grant`` is not an administrator's (checked first).
        InputError: naming ``"row N, field"`` for the first bad row, or the
            missing column, or ``frame`` (empty, or more than `MAX_ROWS` rows
            or `MAX_AREAS` areas), ``content_hash`` or ``source_name``.
            Nothing is written.
        ImportsPaused: the server imported `IMPORTS_PER_HOUR` files in the last hour.
    """
    with reading(engine) as conn:  # refuse before reading the whole file
        require_admin(conn, grant, "Importing results")
        _check_quota(conn, now())
    bank_hash = validate.content_hash(bank_hash)
    source = validate.title(source_name, "source_name")
    if source is None:
        raise InputError("source_name", "it is blank; please name the file the answers came from")
    _check_shape(frame)
    plan = _Plan(bank)
    for row in zip(frame.index.tolist(), *(_texts(frame, c) for c in _COLUMNS), strict=True):
        plan.add(*row)
    stamp = now()
    with writing(engine) as conn:
        require_admin(conn, grant, "Importing results")
        _check_quota(conn, stamp)  # again: another import may have finished meanwhile
        area_ids = _area_ids(conn, plan, stamp)
        made = [
            insert_assessment(conn, plan.assessment_values(key, area_ids, bank_hash, source, stamp))
            for key in plan.groups
        ]
        people = _insert_answers(conn, plan, dict(zip(plan.groups, made, strict=True)), stamp)
        for assessment in made:
            record_publication(conn, assessment.id, 1, people.get(assessment.id, 0))
    return made


def _check_shape(frame: object) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InputError("frame", f"expected a table of answers, not {type(frame).__name__}")
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            missing[0],
            f"the answers have no {missing[0]!r} column; please add one"
            + (", naming the area of each row" if missing[0] == "area" else ""),
        )
    if frame.empty:
        raise InputError("frame", "the file has no answers; please add rows under the header")
    if len(frame) > MAX_ROWS:
        raise InputError(
            "frame",
            f"the file has {len(frame):,} answers, more than the {MAX_ROWS:,} Ladder imports at "
            "once; please split it into smaller files (by area, say) and import each",
        )


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    """The column as text, missing values (and a missing column) as ""."""
    if column not in frame.columns:
        return [""] * len(frame)
    values = frame[column]
    return values.where(values.notna(), "").astype(str).tolist()


def today() -> date:
    """The server's date (a function, so tests can fix it)."""
    return date.today()


@dataclass
class _Plan:
    """The checked rows: areas, time points, respondents and their answers."""

    bank: ImportBank
    area_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, row)
    groups: dict[tuple[str, TimePoint], date | None] = field(default_factory=dict)  # -> first day
    dimensions: dict[tuple[str, TimePoint], set[str]] = field(default_factory=dict)
    people: dict[tuple[str, TimePoint, str], int] = field(default_factory=dict)
    roles: list[tuple[str, str]] = field(default_factory=list)  # per person: (role, row)
    moments: list[datetime | None] = field(default_factory=list)  # per person: latest time
    seen: dict[tuple[int, str], str] = field(default_factory=dict)
    rows: list[tuple[int, str, str, str | None, str | None]] = field(default_factory=list)
    _dates: dict[str, tuple[date, datetime] | InputError] = field(default_factory=dict)
    _areas: dict[str, str | InputError] = field(default_factory=dict)  # as typed -> key
    _answers: dict[tuple[str, str], tuple[str, str | None] | InputError] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        self.dimension_of = {q.id: q.dimension for q in self.bank.questions}
        self.role_of = {r.id.casefold(): r.id for r in self.bank.roles}
        self.role_of |= {r.label.casefold(): r.id for r in self.bank.roles if r.label}

    def add(
        self,
        label: object,
        respondent: str,
        question: str,
        answer: str,
        area_name: str,
        role_name: str,
        round_: str,
        confidence: str,
        evidence: str,
        submitted_at: str,
    ) -> None:
        """Check one row (columns in `_COLUMNS` order) and plan where it goes."""
        where = f"row {label}"
        respondent = respondent.strip()
        if not respondent:
            raise InputError(f"{where}, respondent_id", "it is blank; please give every row one")
        question = question.strip()
        if question not in self.dimension_of:
            raise InputError(
                f"{where}, question_id",
                f"{question!r} is not a question in the bank; please check the id",
            )
        area = self._area(where, area_name)
        moment = self._moment(where, submitted_at)
        point = self._time_point(where, round_, moment)
        role = self._role(where, role_name)
        group = (area, point)
        earliest = self.groups.setdefault(group, None)
        if moment is not None and (earliest is None or moment[0] < earliest):
            self.groups[group] = moment[0]
        self.dimensions.setdefault(group, set()).add(self.dimension_of[question])
        person = self.people.setdefault((area, point, respondent), len(self.roles))
        if person == len(self.roles):
            self.roles.append((role, where))
            self.moments.append(None)
        elif self.roles[person][0] != role:
            raise InputError(
                f"{where}, role",
                f"respondent {respondent!r} was given role {self.roles[person][0]!r} on "
                f"{self.roles[person][1]}; please give each respondent one role",
            )
        if moment is not None and (self.moments[person] or moment[1]) <= moment[1]:
            self.moments[person] = moment[1]
        first = self.seen.setdefault((person, question), where)
        if first != where:
            raise InputError(
                f"{where}, question_id",
                f"respondent {respondent!r} already answered {question!r} for this area and "
                f"time on {first}; please keep only one of the two rows",
            )
        self.rows.append((person, question, *self._answer(where, answer, confidence, evidence)))

    def _area(self, where: str, typed: str) -> str:
        if typed not in self._areas:  # checked once per spelling: a file repeats them a lot
            try:
                self._areas[typed] = validate.area_name(typed)
            except InputError as exc:
                self._areas[typed] = exc
        name = self._areas[typed]
        if isinstance(name, InputError):
            raise InputError(f"{where}, area", name.message)
        key = name.casefold()
        if key not in self.area_names:
            if len(self.area_names) == MAX_AREAS:
                raise InputError(
                    f"{where}, area",
                    f"the file names more than {MAX_AREAS} areas, more than Ladder imports at "
                    "once; please split it into smaller files and import each",
                )
            self.area_names[key] = (name, where)
        return key

    def _moment(self, where: str, typed: str) -> tuple[date, datetime] | None:
        text = typed.strip()
        if not text:
            return None
        if text not in self._dates:  # checked once per value: a file repeats them a lot
            try:
                self._dates[text] = validate.moment("submitted_at", text)
            except InputError as exc:
                self._dates[text] = exc
        parsed = self._dates[text]
        if isinstance(parsed, InputError):
            raise InputError(f"{where}, submitted_at", parsed.message)
        return parsed

    def _time_point(
        self, where: str, typed: str, moment: tuple[date, datetime] | None
    ) -> TimePoint:
        text = typed.strip()
        if text:
            if not (text.isascii() and text.isdigit()) or int(text) < 1:
                raise InputError(
                    f"{where}, round", f"{text!r} is not a round; please give a whole number from 1"
                )
            return (int(text), None)
        return (0, moment[0] if moment is not None else today())

    def _role(self, where: str, typed: str) -> str:
        text = typed.strip()
        if not text:
            return IMPORT_ROLE
        role = self.role_of.get(text.casefold())
        if role is None:
            known = ", ".join(r.id for r in self.bank.roles) or "none (the bank lists no roles)"
            raise InputError(
                f"{where}, role",
                f"{text!r} is not a role in the bank; please use one of {known}, or leave it "
                f"blank for {IMPORT_ROLE!r}",
            )
        return role

    def _answer(
        self, where: str, answer: str, confidence: str, evidence: str
    ) -> tuple[str, str | None, str | None]:
        """The answer, confidence and evidence, checked (answer and confidence once per pair)."""
        pair = (answer, confidence.strip())
        if pair not in self._answers:
            given = AnswerInput(pair[0], pair[1] or None)  # type: ignore[arg-type]
            try:
                checked = validate.answer_input("answer", given)
                self._answers[pair] = (checked.answer, checked.confidence)
            except InputError as exc:
                self._answers[pair] = exc
        found = self._answers[pair]
        kept = evidence if evidence.strip() else None
        if kept is not None and not isinstance(found, InputError):
            try:
                validate.answer_input("answer", AnswerInput(found[0], None, kept))
            except InputError as exc:
                found = exc
        if isinstance(found, InputError):
            raise InputError(f"{where}, {found.field.rsplit('.', 1)[-1]}", found.message)
        return found[0], found[1], kept

    def assessment_values(
        self,
        key: tuple[str, TimePoint],
        area_ids: dict[str, int],
        bank_hash: str,
        source: str,
        stamp: datetime,
    ) -> dict[str, Any]:
        area, (round_, day) = key
        held_on: date | None  # the column may be empty; a (0, day) point always has its day
        if round_:
            title = f"Round {round_}"
            held_on = self.groups[key] or today()
        else:
            title = f"Imported from {source}"[: validate.TITLE_MAX]
            held_on = day
        return {
            "area_id": area_ids[area],
            "kind": "imported",
            "title": title,
            "form_id": self._form(self.dimensions[key]),
            "bank_hash": bank_hash,
            "held_on": held_on,
            "created_at": stamp,
        }

    def _form(self, answered: set[str]) -> str:
        fitting = [f for f in self.bank.forms if answered <= set(f.dimensions)]
        if not fitting:
            return FALLBACK_FORM
        return min(fitting, key=lambda f: len(set(f.dimensions))).id


def _area_ids(conn: Connection, plan: _Plan, stamp: datetime) -> dict[str, int]:
    """Each area key's id: the one real area of that name (ignoring case, any kind), or else
    the area of that name, kind 'other' and no ONS code, found or made (`find_or_insert_area`).

    Raises:
        InputError: two real areas share the name, so the file cannot say which.
    """
    known: dict[str, list[int]] = {}
    query = sa.select(areas.c.id, areas.c.name).where(areas.c.demo.is_(False))
    for area_id, name in conn.execute(query.order_by(areas.c.id)):
        known.setdefault(name.casefold(), []).append(area_id)
    found: dict[str, int] = {}
    for key, (name, where) in plan.area_names.items():
        ids = known.get(key, [])
        if len(ids) > 1:
            raise InputError(
                f"{where}, area",
                f"{len(ids)} areas are called {name!r} (ids {', '.join(map(str, ids))}), so "
                "Ladder cannot tell which is meant; please rename one of them first",
            )
        if ids:
            found[key] = ids[0]
            continue
        made = area_values(name, "other", created_at=stamp)  # found when another import won
        found[key] = find_or_insert_area(conn, made)[0].id
    return found


def _insert_answers(
    conn: Connection, plan: _Plan, made: dict[tuple[str, TimePoint], Assessment], stamp: datetime
) -> dict[int, int]:
    """One submitted response per respondent per assessment, then every answer; returns
    {assessment id: respondents with at least one answer given}."""
    people = sorted(plan.people.items(), key=lambda item: item[1])
    rows = [
        {
            "assessment_id": made[(area, point)].id,
            "token_hash": hash_token(new_token()),  # nobody holds it: never resumed
            "role": plan.roles[person][0],
            "round": 1,
            "step": 0,
            "status": "submitted",
            "created_at": stamp,
            "updated_at": stamp,
            "submitted_at": plan.moments[person] or stamp,
        }
        for (area, point, _), person in people
    ]
    insert = sa.insert(responses).returning(responses.c.id, sort_by_parameter_order=True)
    ids = list(conn.scalars(insert, rows))
    conn.execute(
        sa.insert(answers),
        [
            {
                "response_id": ids[person],
                "question_id": question,
                "answer": answer,
                "confidence": confidence,
                "evidence": evidence,
                "updated_at": stamp,
            }
            for person, question, answer, confidence, evidence in plan.rows
        ],
    )
    answered = {person for person, _, answer, _, _ in plan.rows if answer != ""}
    counts: dict[int, int] = {}
    for (area, point, _), person in plan.people.items():
        if person in answered:
            key = made[(area, point)].id
            counts[key] = counts.get(key, 0) + 1
    return counts
