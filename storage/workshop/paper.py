"""Hybrid rooms: a table group's agreed response, and paper forms imported from a CSV.

Why: not everyone in a room has a phone, or wants to use one. A facilitator
types in a table's agreed answers, or imports a sheet of paper answers as the
long answers CSV (design.md "Interfaces that stay stable"). Either way the
answers join the workshop as participants of their own (kind 'group' or
'paper'), with pseudonyms like everyone else's, submitted at once.

An import is all or nothing: every row is checked before anything is
written, and everything is written in one transaction, so a bad row anywhere
leaves the workshop as it was, with one line naming the row and the field.
The CSV's respondent ids are never stored: they only tell rows apart.
Both are the facilitator's to do: each takes their `storage.core.access.Grant`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core import validate
from storage.core.access import Grant
from storage.core.drafts import checked_rows
from storage.core.engine import writing
from storage.core.errors import InputError
from storage.core.model import AnswerInput, Participant, PlanInput, Workshop
from storage.core.schema import answers as answer_table
from storage.core.schema import now
from storage.core.schema import plans as plan_table
from storage.workshop.participants import add_participants, insert_responses
from storage.workshop.rooms import facilitating, offered_role

__all__ = ["PAPER_ROLE", "BankQuestions", "enter_group_response", "import_answers"]

#: The role of a paper respondent when the CSV has no ``role`` column (or leaves it blank).
PAPER_ROLE = "other"
_REQUIRED = ("respondent_id", "question_id", "answer")


class _Question(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def dimension(self) -> str: ...


class BankQuestions(Protocol):
    """What the import needs of a `questions.model.Bank`: each question's dimension."""

    @property
    def questions(self) -> Sequence[_Question]: ...


def enter_group_response(
    engine: Engine,
    grant: Grant,
    workshop_id: int,
    role: str,
    answers: Mapping[str, AnswerInput],
    plans: Mapping[str, PlanInput] | None = None,
    round: int | None = None,
) -> Participant:
    """A table group's agreed answers, as a new participant of kind 'group', submitted at once.

    ``round`` defaults to the current one; an earlier (closed) round may be
    filled in afterwards, a later one may not.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: naming ``role`` (not offered), ``round``, ``workshop_id``
            or the first bad answer or plan field.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    role = validate.identifier("role", role)
    wanted = None if round is None else validate.round_number(round)
    stamp = now()
    answer_rows, plan_rows = checked_rows(answers, plans or {}, updated_at=stamp)
    with writing(engine) as conn:
        workshop = facilitating(conn, grant, workshop_id)
        offered_role(workshop, role)
        round_ = workshop.current_round if wanted is None else _not_later(workshop, wanted, "round")
        [participant] = add_participants(conn, workshop.id, [(role, "group")])
        [response] = insert_responses(
            conn, workshop.assessment_id, [(participant.id, role, round_)], "submitted", stamp
        )
        for table, rows in ((answer_table, answer_rows), (plan_table, plan_rows)):
            if rows:
                conn.execute(sa.insert(table), [{**r, "response_id": response.id} for r in rows])
    return participant


def import_answers(
    engine: Engine, grant: Grant, workshop_id: int, frame: pd.DataFrame, bank: BankQuestions
) -> int:
    """Import paper answers (from `scoring.answers.parse_answers`); return how many rows.

    One participant of kind 'paper' per distinct ``respondent_id``, numbered
    on from the workshop's pseudonyms in the order they first appear. ``role``
    comes from a ``role`` column (a role the workshop offers; blank means
    'other') or is 'other'; ``round`` from a ``round`` column (up to the
    current round; blank means current) or is the current round. Every
    response is submitted (now: a ``submitted_at`` column is not used, nor is
    ``area``). ``bank`` says which dimension each question is in: a paper form
    may carry questions this workshop does not ask, and those are refused.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: the first bad row, with the field named as ``"row 7, role"``
            (rows numbered as `parse_answers` numbers them: the header is row 1).
            Nothing is written.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    if not isinstance(frame, pd.DataFrame):
        raise InputError("frame", f"expected a table of answers, not {type(frame).__name__}")
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            "frame", f"the answers lack the column(s) {', '.join(missing)}; please add them"
        )
    dimension_of = {q.id: q.dimension for q in bank.questions}
    stamp = now()
    with writing(engine) as conn:
        workshop = facilitating(conn, grant, workshop_id)
        plan = _Plan(workshop, dimension_of)
        for row_label, values in zip(frame.index, _records(frame), strict=True):
            plan.add(f"row {row_label}", values)
        if not plan.rows:
            return 0
        people = add_participants(conn, workshop.id, [(role, "paper") for role in plan.roles])
        keys = list(plan.responses)
        items = [(people[person].id, people[person].role, round_) for person, round_ in keys]
        made = insert_responses(conn, workshop.assessment_id, items, "submitted", stamp)
        response_of = {key: response.id for key, response in zip(keys, made, strict=True)}
        rows = [
            {**values, "response_id": response_of[key], "updated_at": stamp}
            for key, values in plan.rows
        ]
        conn.execute(sa.insert(answer_table), rows)
    return len(rows)


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Each row as {column: text}, blanks and NaN as ""."""
    known = [c for c in (*_REQUIRED, "role", "round", "confidence", "evidence") if c in frame]
    columns = {c: frame[c].tolist() for c in known}
    return [
        {c: "" if _blank(columns[c][i]) else str(columns[c][i]) for c in known}
        for i in range(len(frame))
    ]


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _not_later(workshop: Workshop, wanted: int, field_name: str) -> int:
    if wanted > workshop.current_round:
        raise InputError(
            field_name,
            f"round {wanted} has not started (the workshop is in round "
            f"{workshop.current_round}); please give a round from 1 to {workshop.current_round}",
        )
    return wanted


@dataclass
class _Plan:
    """The checked rows of an import: who is who, which responses, which answers."""

    workshop: Workshop
    dimension_of: Mapping[str, str]
    roles: list[str] = field(default_factory=list)  # by person number, first appearance
    person_of: dict[str, int] = field(default_factory=dict)  # CSV id -> person number
    role_row: dict[int, str] = field(default_factory=dict)  # person -> where its role was set
    responses: dict[tuple[int, int], None] = field(default_factory=dict)  # (person, round)
    seen: dict[tuple[int, int, str], str] = field(default_factory=dict)
    rows: list[tuple[tuple[int, int], dict[str, Any]]] = field(default_factory=list)

    def add(self, where: str, values: dict[str, str]) -> None:
        respondent = values["respondent_id"].strip()
        if not respondent:
            raise InputError(f"{where}, respondent_id", "it is blank; please give every row one")
        question = self._question(where, values["question_id"].strip())
        role = self._role(where, values.get("role", "").strip())
        round_ = self._round(where, values.get("round", "").strip())
        person = self.person_of.setdefault(respondent, len(self.roles))
        if person == len(self.roles):
            self.roles.append(role)
            self.role_row[person] = where
        elif self.roles[person] != role:
            raise InputError(
                f"{where}, role",
                f"respondent {respondent!r} was given role {self.roles[person]!r} on "
                f"{self.role_row[person]}; please give each respondent one role",
            )
        key = (person, round_)
        first = self.seen.setdefault((*key, question), where)
        if first != where:
            raise InputError(
                f"{where}, question_id",
                f"respondent {respondent!r} already answered {question!r} in round {round_} "
                f"on {first}; please keep only one of the two rows",
            )
        self.responses.setdefault(key, None)
        self.rows.append((key, {"question_id": question, **self._answer(where, question, values)}))

    def _question(self, where: str, question: str) -> str:
        if not question:
            raise InputError(f"{where}, question_id", "it is blank; please give every row one")
        dimension = self.dimension_of.get(question)
        if dimension is None:
            raise InputError(
                f"{where}, question_id",
                f"{question!r} is not a question in the bank; please check the id",
            )
        if dimension not in self.workshop.dimensions:
            raise InputError(
                f"{where}, question_id",
                f"{question!r} is in dimension {dimension}, which this workshop does not ask; "
                "please remove the row, or import only the questions the workshop asks",
            )
        return question

    def _role(self, where: str, typed: str) -> str:
        if not typed:
            return PAPER_ROLE
        for role in self.workshop.roles:
            if role.casefold() == typed.casefold():
                return role
        raise InputError(
            f"{where}, role",
            f"{typed!r} is not a role offered in this workshop; please use one of "
            f"{', '.join(self.workshop.roles)}, or leave it blank for 'other'",
        )

    def _round(self, where: str, typed: str) -> int:
        if not typed:
            return self.workshop.current_round
        if not (typed.isascii() and typed.isdigit()) or int(typed) < 1:
            raise InputError(
                f"{where}, round", f"{typed!r} is not a round; please give a whole number from 1"
            )
        return _not_later(self.workshop, int(typed), f"{where}, round")

    def _answer(self, where: str, question: str, values: dict[str, str]) -> dict[str, Any]:
        evidence = values.get("evidence", "")
        given = AnswerInput(
            values["answer"],
            values.get("confidence", "").strip() or None,  # type: ignore[arg-type]
            evidence if evidence.strip() else None,
        )
        try:
            checked = validate.answer_input(question, given)
        except InputError as exc:
            column = exc.field.rsplit(".", 1)[-1]
            raise InputError(f"{where}, {column}", exc.message) from None
        return {
            "answer": checked.answer,
            "confidence": checked.confidence,
            "evidence": checked.evidence,
        }
