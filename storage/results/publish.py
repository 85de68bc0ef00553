"""Publishing: what enters Compare, who puts it there, and the rule that keeps small groups out.

Why: Compare puts areas side by side for administrators (issue 12). Nothing
goes there because it happens to be stored: a result enters Compare only when
its owner publishes it, and leaves when they withdraw it.

- A **self-assessment** is published by whoever holds its resume code, after
  Finish (its response is submitted). It is one owner's answers: 1 person, who
  chose to show them.
- A **workshop round** is published by its facilitator (their grant, checked
  with `storage.core.access.require_facilitator`), after the round is closed, and
  only when at least the workshop's k people answered in it.
- **Imported results** and the **demo data** are published by the
  administrator who imports or loads them (`record_publication`, inside their
  transaction).

A publication is one row of ``publications``: the assessment, the round (1 for
everything but a workshop), how many people were in it, and when.

The rule for Compare (`withheld`) is applied twice: when a round is published
(refused under k) and whenever Compare lists entries (`storage.results.compare`), on
the people counted *then*:

- self-assessment: shown (one owner, who published it);
- workshop round: shown only if closed and sent by at least the workshop's k people;
- imported: shown with `IMPORT_MIN` (3) or more people, or with exactly one
  (one answer set, such as an area's own agreed levels); never with two, where
  either person could read the other's answers from the figures;
- demo: fictional people; shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.access import AccessDenied, Grant, require_admin, require_facilitator
from storage.core.engine import dialect_insert, reading, writing
from storage.core.errors import InputError
from storage.core.schema import answers, assessments, now, publications, responses
from storage.core.tokens import clean_token, hash_token
from storage.workshop.rooms import workshop_in
from storage.workshop.roomviews import room_view

__all__ = [
    "ENTRY_NAMES",
    "IMPORT_MIN",
    "EntryKind",
    "Publication",
    "RoundState",
    "assessment_publication",
    "count_people",
    "owned_self_assessment",
    "publications_of",
    "publish_assessment",
    "publish_round",
    "record_publication",
    "unpublish_assessment",
    "unpublish_round",
    "withdraw_entry",
    "withheld",
    "workshop_rounds",
]

EntryKind = Literal["self", "workshop", "imported", "demo"]
#: How Compare names each kind of entry.
ENTRY_NAMES: Final = {
    "self": "self-assessment",
    "workshop": "workshop round",
    "imported": "imported",
    "demo": "demo (fictional)",
}
#: The fewest people an imported entry needs in Compare (unless it is exactly one answer set).
IMPORT_MIN: Final = 3
_OWNER = "Publishing this assessment"


@dataclass(frozen=True, slots=True)
class Publication:
    """One entry in Compare: an assessment (a workshop: one round of it), its people, when."""

    assessment_id: int
    round: int
    people: int
    published_at: datetime


@dataclass(frozen=True, slots=True)
class RoundState:
    """One round of a workshop as its facilitator's publishing controls need it.

    ``reason`` says why it cannot be published now (open, or under k); None when it can.
    """

    round: int
    open: bool
    people: int
    k: int
    publication: Publication | None
    reason: str | None


def withheld(kind: EntryKind, people: int, k: int = 0) -> str | None:
    """Why an entry of this kind with ``people`` is kept out of Compare; None when it may show.

    ``k`` is the workshop's threshold (only workshop rounds use it).
    """
    if people < 1:
        return "nobody answered"
    if kind == "workshop" and people < k:
        return f"{_people(people)} answered, fewer than the workshop's {k}"
    if kind == "imported" and people != 1 and people < IMPORT_MIN:
        return f"{_people(people)}, fewer than {IMPORT_MIN} (or exactly one answer set)"
    return None


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


# --- Counting -----------------------------------------------------------------------


def count_people(
    conn: Connection, assessment_ids: list[int] | None = None, submitted_only: bool = False
) -> dict[tuple[int, int], int]:
    """{(assessment id, round): responses with at least one answer given (dk, na count)}.

    ``submitted_only`` counts only sent (finished) responses: what Compare counts, for every
    kind (a workshop's drafts never reached the room, so they never reach Compare either).
    """
    answered = sa.exists().where(answers.c.response_id == responses.c.id, answers.c.answer != "")
    query = (
        sa.select(responses.c.assessment_id, responses.c.round, sa.func.count())
        .where(answered)
        .group_by(responses.c.assessment_id, responses.c.round)
    )
    if assessment_ids is not None:
        query = query.where(responses.c.assessment_id.in_(assessment_ids))
    if submitted_only:
        query = query.where(responses.c.status == "submitted")
    return {(a, r): n for a, r, n in conn.execute(query)}


# --- Writing -------------------------------------------------------------------------


def record_publication(conn: Connection, assessment_id: int, round_: int, people: int) -> None:
    """Publish (or publish again, with today's count) in the caller's transaction.

    For the callers that have checked who is asking: `publish_assessment`,
    `publish_round`, and an administrator's import or demo load.
    """
    values = {
        "assessment_id": assessment_id,
        "round": round_,
        "people": people,
        "published_at": now(),
    }
    insert = dialect_insert(conn.dialect.name, publications).values(values)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=["assessment_id", "round"],
            set_={"people": people, "published_at": values["published_at"]},
        )
    )


def _delete(conn: Connection, assessment_id: int, round_: int) -> bool:
    result = conn.execute(
        sa.delete(publications).where(
            publications.c.assessment_id == assessment_id, publications.c.round == round_
        )
    )
    return result.rowcount > 0


def _publication(conn: Connection, assessment_id: int, round_: int) -> Publication | None:
    row = conn.execute(
        sa.select(
            publications.c.assessment_id,
            publications.c.round,
            publications.c.people,
            publications.c.published_at,
        ).where(publications.c.assessment_id == assessment_id, publications.c.round == round_)
    ).first()
    return None if row is None else Publication(**row._mapping)


# --- Self-assessments: the resume code is the owner's proof -----------------------------


def owned_self_assessment(conn: Connection, token: object) -> tuple[int, str]:
    """(assessment id, response status) of the self-assessment ``token`` opens.

    Raises:
        AccessDenied: the token opens no self-assessment (never says which part failed).
    """
    cleaned = clean_token(token)
    if cleaned is None:
        raise AccessDenied(_OWNER, "its owner")
    row = conn.execute(
        sa.select(responses.c.assessment_id, responses.c.status)
        .join_from(responses, assessments)
        .where(
            responses.c.token_hash == hash_token(cleaned),
            responses.c.participant_id.is_(None),
            assessments.c.kind == "self",
        )
    ).first()
    if row is None:
        raise AccessDenied(_OWNER, "its owner")
    return row.assessment_id, row.status


def publish_assessment(engine: Engine, token: object) -> Publication:
    """Put the self-assessment ``token`` (its resume code) opens into Compare.

    Raises:
        AccessDenied: the code opens no self-assessment.
        InputError: ``status`` when it is not finished yet (press Finish first);
            ``answers`` when no answer was given.
    """
    with writing(engine) as conn:
        assessment_id, status = owned_self_assessment(conn, token)
        if status != "submitted":
            raise InputError(
                "status",
                "these answers are not finished yet; please press Finish on the last step of "
                "the survey first, then publish them",
            )
        people = count_people(conn, [assessment_id], submitted_only=True).get((assessment_id, 1), 0)
        if people < 1:
            raise InputError(
                "answers", "no question has an answer yet, so there is nothing to show"
            )
        record_publication(conn, assessment_id, 1, people)
        found = _publication(conn, assessment_id, 1)
    assert found is not None
    return found


def unpublish_assessment(engine: Engine, token: object) -> bool:
    """Take the self-assessment out of Compare; False when it was not in it.

    Raises:
        AccessDenied: the code opens no self-assessment.
    """
    with writing(engine) as conn:
        assessment_id, _ = owned_self_assessment(conn, token)
        return _delete(conn, assessment_id, 1)


def assessment_publication(engine: Engine, token: object) -> Publication | None:
    """The self-assessment's entry in Compare, or None (not published, or not an owner's code)."""
    with reading(engine) as conn:
        try:
            assessment_id, _ = owned_self_assessment(conn, token)
        except AccessDenied:
            return None
        return _publication(conn, assessment_id, 1)


# --- Workshop rounds: the facilitator's grant is the proof ------------------------------


def _round_reason(open_: bool, people: int, k: int, round_: int) -> str | None:
    if open_:
        return f"round {round_} is still open; close it first"
    return withheld("workshop", people, k)


def workshop_rounds(engine: Engine, grant: Grant, workshop_id: int) -> list[RoundState]:
    """Every round so far (1 to the current one), each with its people and publication.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        workshop = workshop_in(conn, workshop_id)
        counts = count_people(conn, [workshop.assessment_id], submitted_only=True)
        published = {
            p.round: p
            for p in (
                Publication(**r._mapping)
                for r in conn.execute(
                    sa.select(
                        publications.c.assessment_id,
                        publications.c.round,
                        publications.c.people,
                        publications.c.published_at,
                    ).where(publications.c.assessment_id == workshop.assessment_id)
                )
            )
        }
    found = []
    for round_ in range(1, workshop.current_round + 1):
        open_ = round_ == workshop.current_round and workshop.round_open
        people = counts.get((workshop.assessment_id, round_), 0)
        found.append(
            RoundState(
                round_,
                open_,
                people,
                workshop.k,
                published.get(round_),
                _round_reason(open_, people, workshop.k, round_),
            )
        )
    return found


def publish_round(engine: Engine, grant: Grant, workshop_id: int, round: int) -> Publication:
    """Put one closed round of the workshop into Compare.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: ``round``: no such round yet, still open, or fewer than k people answered.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    round_ = validate.round_number(round)
    with reading(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        if round_ > workshop_in(conn, workshop_id).current_round:
            raise InputError("round", f"there is no round {round_} yet")
    # Compare draws on what the room was shown (`storage.workshop.roomviews`), never more: take the
    # round's view now, by the same rule, and publish the people it rests on.
    view = room_view(engine, grant, workshop_id, round_)
    people = view.people if view.shown else view.sent  # not shown: fewer than k ever sent
    with writing(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        workshop = workshop_in(conn, workshop_id, lock=True)
        open_ = round_ == workshop.current_round and workshop.round_open
        reason = _round_reason(open_, people, workshop.k, round_)
        if reason is not None:
            raise InputError("round", f"round {round_} cannot be published: {reason}")
        record_publication(conn, workshop.assessment_id, round_, people)
        found = _publication(conn, workshop.assessment_id, round_)
    assert found is not None
    return found


def unpublish_round(engine: Engine, grant: Grant, workshop_id: int, round: int) -> bool:
    """Take one round of the workshop out of Compare; False when it was not in it.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    round_ = validate.round_number(round)
    with writing(engine) as conn:
        require_facilitator(conn, grant, workshop_id)
        workshop = workshop_in(conn, workshop_id)
        return _delete(conn, workshop.assessment_id, round_)


# --- Administrators ----------------------------------------------------------------------


def publications_of(engine: Engine, grant: Grant) -> list[Publication]:
    """Every publication, oldest first (what Compare may draw on before its k rule).

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    with reading(engine) as conn:
        require_admin(conn, grant, "Compare")
        rows = conn.execute(
            sa.select(
                publications.c.assessment_id,
                publications.c.round,
                publications.c.people,
                publications.c.published_at,
            ).order_by(publications.c.published_at, publications.c.id)
        )
        return [Publication(**r._mapping) for r in rows]


def withdraw_entry(engine: Engine, grant: Grant, assessment_id: int, round: int) -> bool:
    """An administrator takes any entry out of Compare; False when it was not in it.

    Why: anyone may open a workshop or a self-assessment under any area's name and publish
    it; the administrators who curate Compare can take out what does not belong there.
    The owner or facilitator can publish it again: withdrawing deletes no answers.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    assessment_id = validate.record_id("assessment_id", assessment_id)
    round_ = validate.round_number(round)
    with writing(engine) as conn:
        require_admin(conn, grant, "Compare")
        return _delete(conn, assessment_id, round_)
