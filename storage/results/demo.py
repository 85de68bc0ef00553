"""A first look: fictional areas with two years of results, loaded and removed in one go.

Why: a newcomer opening the compare page before any real results exist
should see what it does (issue 6, "A first look"). The demo is seven areas
whose names say they are made up ("Demo: ... (fictional)", no ONS codes):
three councils, two wards of one of them, a partnership and a service. Each
was "assessed" on the full form on 15 March 2025 and 15 March 2026 by five
to nine people. Answers come from a seeded generator, so every load gives
the same numbers: a realistic spread, some dk and na, and for some areas a
visible improvement in the second year (one slips back a little).

Demo areas are flagged (``areas.demo``) and the demo's assessments are the
ones `load_demo` made in them (`demo_assessments`: kind 'self', a demo title,
a demo date). `remove_demo` deletes those, by flag and id, never by name: a
real workshop or self-assessment that someone attached to a demo area (by
typing its name) survives, and so does that area, now real. Loading and
removing are an administrator's (the grant is checked); the demo's
assessments are published to Compare as they are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.core import validate
from storage.core.access import Grant, require_admin
from storage.core.engine import reading, writing
from storage.core.errors import InputError
from storage.core.repo import area_values, find_or_insert_area, insert_assessment
from storage.core.schema import answers, areas, assessments, now, plans, publications, responses
from storage.core.tokens import hash_token, new_token
from storage.results.imports import ImportBank
from storage.results.publish import record_publication

__all__ = [
    "DEMO_AREAS",
    "DEMO_DATES",
    "DEMO_TITLES",
    "DemoArea",
    "demo_assessments",
    "has_demo",
    "load_demo",
    "remove_demo",
]

#: Key of the PostgreSQL advisory lock that keeps two loads from doubling the demo ("LadderDm").
LOCK_KEY = 0x4C61646465724446
SEED = 20101201  # the pamphlet's month: any fixed number would do
DEMO_DATES: tuple[date, date] = (date(2025, 3, 15), date(2026, 3, 15))
DEMO_FORM = "full"
#: The title of each demo assessment, by the year it was "held".
DEMO_TITLES: tuple[str, ...] = tuple(f"Demo assessment {d.year} (fictional)" for d in DEMO_DATES)
_P_DK, _P_NA = 0.07, 0.03


@dataclass(frozen=True, slots=True)
class DemoArea:
    """One fictional area: where it sits, its typical level and its change in year two."""

    name: str
    kind: str
    parent: str | None  # the name of another demo area
    level: float  # the centre of its answers in year one (1-5)
    change: float  # added in year two


DEMO_AREAS: tuple[DemoArea, ...] = (
    DemoArea("Demo: Northbrook Borough Council (fictional)", "council", None, 2.6, 0.8),
    DemoArea(
        "Demo: Northbrook Riverside ward (fictional)",
        "ward",
        "Demo: Northbrook Borough Council (fictional)",
        2.2,
        1.0,
    ),
    DemoArea(
        "Demo: Northbrook Hillcrest ward (fictional)",
        "ward",
        "Demo: Northbrook Borough Council (fictional)",
        2.9,
        0.0,
    ),
    DemoArea("Demo: Eastmere District Council (fictional)", "council", None, 3.1, 0.0),
    DemoArea("Demo: Larkmoor County Council (fictional)", "council", None, 2.0, 0.9),
    DemoArea(
        "Demo: Larkmoor Health and Care Partnership (fictional)", "partnership", None, 3.3, -0.3
    ),
    DemoArea(
        "Demo: Saltmarsh Family Services (fictional)",
        "service",
        "Demo: Eastmere District Council (fictional)",
        2.7,
        0.9,
    ),
)


def demo_assessments() -> sa.Select[tuple[int]]:
    """The ids of the demo's own assessments: made by `load_demo` in a demo area.

    Picked by the area's flag and the assessment's kind, title and date, which
    nothing but `load_demo` gives together; never by an area's name.
    """
    demo_areas = sa.select(areas.c.id).where(areas.c.demo.is_(True))
    return sa.select(assessments.c.id).where(
        assessments.c.area_id.in_(demo_areas),
        assessments.c.kind == "self",
        assessments.c.title.in_(DEMO_TITLES),
        assessments.c.held_on.in_(DEMO_DATES),
    )


def load_demo(engine: Engine, grant: Grant, bank: ImportBank, bank_hash: str) -> int:
    """Add the demo areas not there yet, each with its two assessments; return how many were added.

    Loading again adds nothing (0). ``bank_hash`` must be saved
    (`storage.core.repo.save_bank`); answers cover the bank's 'full' form (every
    question when it has none). Each assessment is published to Compare.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
        InputError: naming ``content_hash`` (bad or not saved).
    """
    bank_hash = validate.content_hash(bank_hash)
    questions = _questions(bank)
    roles = [r.id for r in bank.roles if r.id != "other"] or ["other"]
    stamp = now()
    with writing(engine) as conn:
        require_admin(conn, grant, "The demo data")
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        present = dict(
            conn.execute(sa.select(areas.c.name, areas.c.id).where(areas.c.demo.is_(True))).all()
        )
        added = 0
        for number, spec in enumerate(DEMO_AREAS):
            if spec.name in present:
                continue
            values = area_values(
                spec.name,
                spec.kind,
                None,  # a real-looking ONS code could be mistaken for a real council's
                present.get(spec.parent) if spec.parent else None,
                demo=True,
                created_at=stamp,
            )
            present[spec.name] = find_or_insert_area(conn, values)[0].id
            for year, held_on in enumerate(DEMO_DATES):
                assessment = insert_assessment(
                    conn,
                    {
                        "area_id": present[spec.name],
                        "kind": "self",
                        "title": DEMO_TITLES[year],
                        "form_id": DEMO_FORM,
                        "bank_hash": bank_hash,
                        "held_on": held_on,
                        "created_at": stamp,
                    },
                )
                people = _add_responses(
                    conn, assessment.id, spec, number, year, questions, roles, stamp
                )
                record_publication(conn, assessment.id, 1, people)
            added += 1
    return added


def has_demo(engine: Engine) -> bool:
    """True when any demo area is stored."""
    with reading(engine) as conn:
        return (
            conn.execute(sa.select(areas.c.id).where(areas.c.demo.is_(True)).limit(1)).first()
            is not None
        )


def remove_demo(engine: Engine, grant: Grant) -> int:
    """Delete the demo data, in one transaction; return how many demo areas went.

    Goes: the demo's own assessments (`demo_assessments`, by id) with their
    responses, answers, plans and publications, then every demo area left
    with no assessment, and their places in comparison groups. Nothing real
    goes, whatever it is called: a demo area that also holds a real
    workshop or self-assessment (someone typed its name) stays, as a real
    area; a real area placed inside a demo one that goes is moved to the top.

    Raises:
        AccessDenied: ``grant`` is not an administrator's.
    """
    with writing(engine) as conn:
        require_admin(conn, grant, "The demo data")
        made = list(conn.scalars(demo_assessments()))
        flagged = list(conn.scalars(sa.select(areas.c.id).where(areas.c.demo.is_(True))))
        if not flagged:
            return 0
        if made:
            mine = sa.select(responses.c.id).where(responses.c.assessment_id.in_(made))
            conn.execute(sa.delete(answers).where(answers.c.response_id.in_(mine)))
            conn.execute(sa.delete(plans).where(plans.c.response_id.in_(mine)))
            conn.execute(sa.delete(responses).where(responses.c.assessment_id.in_(made)))
            conn.execute(sa.delete(publications).where(publications.c.assessment_id.in_(made)))
            conn.execute(sa.delete(assessments).where(assessments.c.id.in_(made)))
        still_used = set(
            conn.scalars(sa.select(assessments.c.area_id).where(assessments.c.area_id.in_(flagged)))
        )
        going = [a for a in flagged if a not in still_used]
        kept = [a for a in flagged if a in still_used]
        if kept:  # real results live here now: the area is real
            conn.execute(sa.update(areas).where(areas.c.id.in_(kept)).values(demo=False))
        if going:
            conn.execute(
                sa.update(areas)
                .where(areas.c.id.not_in(going), areas.c.parent_id.in_(going))
                .values(parent_id=None)
            )
            conn.execute(sa.delete(areas).where(areas.c.id.in_(going)))
    return len(going)


def _questions(bank: ImportBank) -> list[tuple[str, str]]:
    """(question id, dimension id) of the demo form, in bank order."""
    form = next((f for f in bank.forms if f.id == DEMO_FORM), None)
    wanted = set(form.dimensions) if form is not None else None
    found = [(q.id, q.dimension) for q in bank.questions if wanted is None or q.dimension in wanted]
    if not found:
        raise InputError("bank", "the bank has no questions for the demo; please check the bank")
    return found


def _add_responses(
    conn: Connection,
    assessment_id: int,
    spec: DemoArea,
    number: int,
    year: int,
    questions: list[tuple[str, str]],
    roles: list[str],
    stamp: datetime,
) -> int:
    """Five to nine submitted responses, all from the seeded generator (same every load);
    returns how many."""
    dimensions = sorted({d for _, d in questions})
    profile = np.random.default_rng([SEED, number])  # the area's strengths: the same both years
    offset = dict(zip(dimensions, profile.normal(0.0, 0.45, len(dimensions)), strict=True))
    lift = dict(zip(dimensions, profile.normal(1.0, 0.35, len(dimensions)), strict=True))
    rng = np.random.default_rng([SEED, number, year])
    people = int(rng.integers(5, 10))
    held = datetime.combine(DEMO_DATES[year], datetime.min.time(), tzinfo=UTC)
    made = []
    for _ in range(people):
        moment = held + timedelta(hours=9, minutes=int(rng.integers(0, 480)))
        made.append(
            {
                "assessment_id": assessment_id,
                "token_hash": hash_token(new_token()),  # nobody holds it: never resumed
                "role": roles[int(rng.integers(0, len(roles)))],
                "round": 1,
                "step": 0,
                "status": "submitted",
                "created_at": stamp,
                "updated_at": stamp,
                "submitted_at": moment,
            }
        )
    insert = sa.insert(responses).returning(responses.c.id, sort_by_parameter_order=True)
    ids = list(conn.scalars(insert, made))
    rows: list[dict[str, Any]] = []
    for response_id in ids:
        leaning = rng.normal(0.0, 0.35)
        for question_id, dimension in questions:
            centre = spec.level + offset[dimension] + leaning + year * spec.change * lift[dimension]
            draw = rng.random()
            if draw < _P_DK:
                answer = "dk"
            elif draw < _P_DK + _P_NA:
                answer = "na"
            else:
                answer = str(int(np.clip(np.rint(centre + rng.normal(0.0, 0.6)), 1, 5)))
            confidence = None if answer in {"dk", "na"} else _confidence(rng)
            rows.append(
                {
                    "response_id": response_id,
                    "question_id": question_id,
                    "answer": answer,
                    "confidence": confidence,
                    "evidence": None,
                    "updated_at": stamp,
                }
            )
    conn.execute(sa.insert(answers), rows)
    return people


def _confidence(rng: np.random.Generator) -> str | None:
    draw = rng.random()
    return None if draw < 0.3 else "low" if draw < 0.45 else "medium" if draw < 0.8 else "high"
