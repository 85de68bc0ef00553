"""Action plans: what an area agreed to do after a result, followed up at the next one.

Why: a score only helps when it turns into something done (issue 17, item 2). From a
result's priorities the council records actions: what, for which dimension and next step,
who does it (a role or team, never a person's name), by when, and how it stands. The next
self-assessment of the area opens with "Last time you agreed to…" and asks how each
action stands before the questions; every change of status is kept, with the assessment
that asked, so the area's timeline shows when each moved.

Who may do what (`action:plan_actions` in docs/security.md):

- the **owner** of a self-assessment (its resume code, held as an owner's `Grant`) reads
  and records the actions agreed from it; when it follows an earlier self-assessment
  (`start_follow_up`), the owner also reads the actions agreed at the earlier ones and
  records how they stand: the follow-up was made by someone who could see them, for them;
- the **facilitator** of a workshop (its unlocked key) reads and records the actions the
  room agreed from its agreed levels;
- an **administrator** reads and records the actions of any assessment.

Nobody else reads an action, whatever id they send: the checks are here, not in the page.
Everything a caller can make is bounded: `MAX_ACTIONS` per assessment, `FOLLOW_DEPTH`
assessments back, `MAX_UPDATES` changes of status per action, `NOTES_MAX` characters of
notes, and each text field's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.access import AccessDenied, Grant, require_admin, require_facilitator
from storage.core.engine import inserted_id, reading, writing
from storage.core.errors import InputError
from storage.core.model import Workshop
from storage.core.repo import columns_of, insert_assessment, new_response
from storage.core.schema import (
    ACTION_STATUSES,
    action_updates,
    actions,
    assessments,
    follow_ups,
    now,
    workshops,
)
from storage.results.publish import owned_self_assessment
from storage.workshop.rooms import get_workshop, open_workshop

__all__ = [
    "FOLLOW_DEPTH",
    "MAX_ACTIONS",
    "MAX_UPDATES",
    "NOTES_MAX",
    "OPEN_STATUSES",
    "STATUS_NAMES",
    "Action",
    "ActionUpdate",
    "Plan",
    "add_action",
    "open_next_workshop",
    "plan_of",
    "start_follow_up",
    "update_action",
]

#: How each status reads on a page and in a report.
STATUS_NAMES: Final = {
    "planned": "Planned",
    "under_way": "Under way",
    "done": "Done",
    "dropped": "Dropped",
}
#: Statuses of an action still to be followed up.
OPEN_STATUSES: Final = ("planned", "under_way")
#: The most actions one assessment may record (a plan, not a log).
MAX_ACTIONS: Final = 60
#: How many self-assessments back "last time" reaches.
FOLLOW_DEPTH: Final = 20
#: The most changes of status one action keeps, and the longest its notes grow.
MAX_UPDATES: Final = 200
NOTES_MAX: Final = 8000
_WHAT_MAX: Final = 300
_OWNER_MAX: Final = 120
_DUE_RANGE: Final = (date(2000, 1, 1), date(2100, 12, 31))
_NAME: Final = "The action plan"


@dataclass(frozen=True, slots=True)
class Action:
    """One action, agreed from assessment ``assessment_id``."""

    id: int
    assessment_id: int
    dimension_id: str
    next_step: str | None
    what: str
    owner: str
    due: date | None
    status: str
    notes: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class ActionUpdate:
    """A change of an action's status (``asked_in``: the assessment that asked; None if it
    has since been deleted)."""

    action_id: int
    status: str
    note: str | None
    asked_in: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Plan:
    """What one assessment's holder may see of the plan.

    ``own``: the actions agreed from this assessment. ``carried``: those agreed at the
    assessments it follows, most recent first. ``updates``: every change of status of
    either, oldest first. ``asked``: ids of carried actions whose status was given
    during this assessment.
    """

    assessment_id: int
    own: tuple[Action, ...]
    carried: tuple[Action, ...]
    updates: tuple[ActionUpdate, ...]
    asked: frozenset[int]

    @property
    def recorded(self) -> bool:
        """Whether it holds any action, agreed here or before (else no output shows it)."""
        return bool(self.own or self.carried)

    @property
    def to_ask(self) -> tuple[Action, ...]:
        """Carried actions still open whose status this assessment has not yet asked."""
        return tuple(a for a in self.carried if a.open and a.id not in self.asked)


def plan_of(engine: Engine, grant: Grant, assessment_id: int | None = None) -> Plan:
    """The plan as the holder of ``grant`` may see it (an owner's grant needs no id; an
    administrator names the assessment).

    Raises:
        AccessDenied: the grant opens no such assessment.
        InputError: an administrator's id is not an assessment's.
    """
    with reading(engine) as conn:
        here = _reach(conn, grant, assessment_id)
        return _plan(conn, here)


def add_action(
    engine: Engine,
    grant: Grant,
    *,
    dimension_id: object,
    what: object,
    owner: object,
    due: object = None,
    next_step: object = None,
    notes: object = None,
    assessment_id: int | None = None,
) -> Action:
    """Record an action agreed from the assessment the grant opens.

    Raises:
        AccessDenied: the grant opens no such assessment.
        InputError: naming the field (``what``, ``owner``, ``due``, ``notes``,
            ``dimension_id``), or ``actions`` when the plan already holds `MAX_ACTIONS`.
    """
    values: dict[str, Any] = {
        "dimension_id": validate.identifier("dimension_id", dimension_id),
        "what": _line("what", what, _WHAT_MAX, "action"),
        "owner": _line("owner", owner, _OWNER_MAX, "role or team"),
        "due": _due(due),
        "next_step": validate.note("next_step", next_step),
        "notes": validate.note("notes", notes),
        "status": "planned",
    }
    stamp = now()
    with writing(engine) as conn:
        here = _reach(conn, grant, assessment_id)
        held = conn.scalar(
            sa.select(sa.func.count()).select_from(actions).where(actions.c.assessment_id == here)
        )
        if (held or 0) >= MAX_ACTIONS:
            raise InputError(
                "actions",
                f"this plan already holds {MAX_ACTIONS} actions; please mark some done or "
                "dropped, or change one, rather than adding more",
            )
        row = {**values, "assessment_id": here, "created_at": stamp, "updated_at": stamp}
        new_id = inserted_id(conn, sa.insert(actions).values(row))
        conn.execute(
            sa.insert(action_updates).values(
                action_id=new_id, status="planned", note=None, asked_in=here, at=stamp
            )
        )
        return Action(id=new_id, **row)


def update_action(
    engine: Engine,
    grant: Grant,
    action_id: object,
    *,
    status: object,
    note: object = None,
    assessment_id: int | None = None,
) -> Action:
    """Record how an action stands (and, optionally, a note of why), as asked during the
    assessment the grant opens. The action must be one that assessment's holder may see.

    Raises:
        AccessDenied: the grant opens no such assessment, or the action is not in its plan
            (never says which).
        InputError: ``status`` is not one of `ACTION_STATUSES`; ``note`` too long.
    """
    new_status = _status(status)
    text = validate.note("note", note)
    stamp = now()
    with writing(engine) as conn:
        here = _reach(conn, grant, assessment_id)
        wanted = _action_id(action_id)
        found = conn.execute(
            sa.select(*columns_of(actions, Action)).where(
                actions.c.id == wanted, actions.c.assessment_id.in_(_chain(conn, here))
            )
        ).first()
        if found is None:
            raise AccessDenied(_NAME, "the owner of the assessment it belongs to")
        moves = conn.scalar(
            sa.select(sa.func.count())
            .select_from(action_updates)
            .where(action_updates.c.action_id == wanted)
        )
        if (moves or 0) >= MAX_UPDATES:
            raise InputError(
                "status",
                f"this action has changed {MAX_UPDATES} times already; please record a new "
                "action instead",
            )
        changes: dict[str, Any] = {"status": new_status, "updated_at": stamp}
        if text is not None:
            notes = text if not found.notes else f"{found.notes}\n{text}"
            if len(notes) > NOTES_MAX:
                raise InputError(
                    "note",
                    f"this action's notes would pass {NOTES_MAX:,} characters; please record "
                    "the status without a note, or a new action",
                )
            changes["notes"] = notes
        conn.execute(sa.update(actions).where(actions.c.id == wanted).values(changes))
        conn.execute(
            sa.insert(action_updates).values(
                action_id=wanted, status=new_status, note=text, asked_in=here, at=stamp
            )
        )
        return Action(**{**found._mapping, **changes})


def start_follow_up(
    engine: Engine,
    grant: Grant,
    *,
    form_id: object,
    bank_hash: object,
    role: object,
    assessment_id: int | None = None,
) -> str:
    """Start the area's next self-assessment after the one the grant opens, on ``form_id``
    of the bank ``bank_hash``; return its resume code. It opens with the actions agreed
    at this one and those before it.

    Raises:
        AccessDenied: the grant opens no such assessment.
        InputError: naming the field.
    """
    form = validate.identifier("form_id", form_id)
    stored_hash = validate.content_hash(bank_hash)
    with writing(engine) as conn:
        here = _reach(conn, grant, assessment_id)
        area_id = conn.scalar(sa.select(assessments.c.area_id).where(assessments.c.id == here))
        new = insert_assessment(
            conn,
            {
                "area_id": area_id,
                "kind": "self",
                "title": None,
                "form_id": form,
                "bank_hash": stored_hash,
                "held_on": None,
                "created_at": now(),
            },
        )
        conn.execute(sa.insert(follow_ups).values(assessment_id=new.id, follows_id=here))
        _, token = new_response(conn, new.id, role)
    return token


def open_next_workshop(
    engine: Engine,
    grant: Grant,
    *,
    title: object,
    bank_hash: str,
    assessment_id: int | None = None,
) -> tuple[Workshop, str]:
    """Open the area's next workshop after the workshop the grant opens (its facilitator's
    grant, or an administrator's naming its assessment), asking the same dimensions of the
    same roles with the same k, form, expected headcount and rule; return it and its new
    facilitator key (shown once, as `open_workshop` returns it). Its dashboard opens with the
    actions agreed at this one and those before it.

    Raises:
        AccessDenied: the grant opens no such assessment.
        InputError: ``assessment_id`` is not a workshop's; ``title`` as `open_workshop` says.
    """
    with reading(engine) as conn:
        here = _reach(conn, grant, assessment_id)
        room = conn.scalar(sa.select(workshops.c.id).where(workshops.c.assessment_id == here))
    last = None if room is None else get_workshop(engine, int(room))
    if last is None:
        raise InputError("assessment_id", "a next workshop follows a workshop, not this result")
    return open_workshop(
        engine,
        last.area_id,
        bank_hash,
        str(title or ""),
        last.dimensions,
        last.roles,
        k=last.k,
        form_id=last.form_id,
        expected=last.expected,
        consensus_rule=last.consensus_rule,
        follows=here,
    )


def _reach(conn: Connection, grant: Grant, assessment_id: int | None) -> int:
    """The assessment whose plan ``grant`` opens: an owner's own self-assessment, a
    facilitator's own workshop (an id, if given, must be that one), or any assessment for an
    administrator."""
    if grant.kind == "owner":
        own, _ = owned_self_assessment(conn, grant.token)
        if assessment_id is not None and assessment_id != own:
            raise AccessDenied(_NAME, "the owner of the assessment it belongs to")
        return own
    if grant.kind == "facilitator" and grant.workshop_id is not None:
        require_facilitator(conn, grant, grant.workshop_id)
        room = conn.scalar(
            sa.select(workshops.c.assessment_id).where(workshops.c.id == grant.workshop_id)
        )
        if room is None or (assessment_id is not None and assessment_id != room):
            raise AccessDenied(_NAME, "the facilitator of the workshop it belongs to")
        return int(room)
    if grant.kind == "admin":
        require_admin(conn, grant, _NAME)
        wanted = validate.record_id("assessment_id", assessment_id)
        if conn.scalar(sa.select(assessments.c.id).where(assessments.c.id == wanted)) is None:
            raise InputError("assessment_id", f"there is no assessment with id {wanted}")
        return wanted
    raise AccessDenied(
        _NAME, "the owner of the assessment or the facilitator of the workshop it belongs to"
    )


def _chain(conn: Connection, assessment_id: int) -> list[int]:
    """``assessment_id`` and the assessments it follows, most recent first (`FOLLOW_DEPTH`)."""
    chain = [assessment_id]
    while len(chain) <= FOLLOW_DEPTH:
        before = conn.scalar(
            sa.select(follow_ups.c.follows_id).where(follow_ups.c.assessment_id == chain[-1])
        )
        if before is None or before in chain:
            break
        chain.append(before)
    return chain


def _plan(conn: Connection, here: int) -> Plan:
    chain = _chain(conn, here)
    rows = conn.execute(
        sa.select(*columns_of(actions, Action))
        .where(actions.c.assessment_id.in_(chain))
        .order_by(actions.c.created_at, actions.c.id)
    ).all()
    found = [Action(**r._mapping) for r in rows]
    order = {a: i for i, a in enumerate(chain)}
    earlier = (a for a in found if a.assessment_id != here)
    carried = sorted(earlier, key=lambda a: order[a.assessment_id])
    ids = [a.id for a in found]
    updates = tuple(
        ActionUpdate(**r._mapping)
        for r in conn.execute(
            sa.select(*columns_of(action_updates, ActionUpdate))
            .where(action_updates.c.action_id.in_(ids))
            .order_by(action_updates.c.at, action_updates.c.id)
        )
    )
    carried_ids = {a.id for a in carried}
    asked = frozenset(
        u.action_id for u in updates if u.asked_in == here and u.action_id in carried_ids
    )
    return Plan(
        assessment_id=here,
        own=tuple(a for a in found if a.assessment_id == here),
        carried=tuple(carried),
        updates=updates,
        asked=asked,
    )


def _line(field: str, value: object, limit: int, what: str) -> str:
    return validate.text_line(field, value, limit, what)


def _status(value: object) -> str:
    if isinstance(value, str) and value.strip().lower().replace(" ", "_") in ACTION_STATUSES:
        return value.strip().lower().replace(" ", "_")
    names = ", ".join(STATUS_NAMES.values())
    raise InputError("status", f"{value!r} is not a status of an action; please choose {names}")


def _due(value: object) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InputError("due", f"{value!r} is not a date; please give a day, or none")
    low, high = _DUE_RANGE
    if not low <= value <= high:
        raise InputError("due", f"{value:%d %B %Y} is not a date an action could be due on")
    return value


def _action_id(value: object) -> int:
    try:
        return validate.record_id("action_id", value)
    except InputError:
        raise AccessDenied(_NAME, "the owner of the assessment it belongs to") from None
