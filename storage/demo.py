"""A first look: fictional areas with two years of results, loaded and removed in one go.

Why: a newcomer opening the compare page before any real results exist
should see what it does (issue 6, "A first look"). The demo is seven areas
whose names say they are made up ("Demo: ... (fictional)", no ONS codes):
three councils, two wards of one of them, a partnership and a service. Each
was "assessed" on the full form on 15 March 2025 and 15 March 2026 by five
to nine people. Answers come from a seeded generator, so every load gives
the same numbers: a realistic spread, some dk and na, and for some areas a
visible improvement in the second year (one slips back a little).

Demo areas are flagged (``areas.demo``); `remove_demo` deletes them with
everything about them and touches nothing real.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage import validate
from storage.engine import reading, writing
from storage.errors import InputError
from storage.imports import ImportBank
from storage.repo import insert_assessment
from storage.schema import answers, areas, assessments, now, responses, workshops
from storage.tokens import hash_token, new_token

__all__ = ["DEMO_AREAS", "DEMO_DATES", "DemoArea", "has_demo", "load_demo", "remove_demo"]

#: Key of the PostgreSQL advisory lock that keeps two loads from doubling the demo ("LadderDm").
LOCK_KEY = 0x4C61646465724446
SEED = 20101201  # the pamphlet's month: any fixed number would do
DEMO_DATES: tuple[date, date] = (date(2025, 3, 15), date(2026, 3, 15))
DEMO_FORM = "full"
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
        0.2,
    ),
    DemoArea("Demo: Eastmere District Council (fictional)", "council", None, 3.1, 0.1),
    DemoArea("Demo: Larkmoor County Council (fictional)", "council", None, 2.0, 0.6),
    DemoArea(
        "Demo: Larkmoor Health and Care Partnership (fictional)", "partnership", None, 3.3, -0.3
    ),
    DemoArea(
        "Demo: Saltmarsh Family Services (fictional)",
        "service",
        "Demo: Eastmere District Council (fictional)",
        2.7,
        0.5,
    ),
)


def load_demo(engine: Engine, bank: ImportBank, bank_hash: str) -> int:
    """Add the demo areas not there yet, each with its two assessments; return how many were added.

    Loading again adds nothing (0). ``bank_hash`` must be saved
    (`storage.repo.save_bank`); answers cover the bank's 'full' form (every
    question when it has none).

    Raises:
        InputError: naming ``content_hash`` (bad or not saved).
    """
    bank_hash = validate.content_hash(bank_hash)
    questions = _questions(bank)
    roles = [r.id for r in bank.roles if r.id != "other"] or ["other"]
    stamp = now()
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        present = dict(
            conn.execute(sa.select(areas.c.name, areas.c.id).where(areas.c.demo.is_(True))).all()
        )
        added = 0
        for number, spec in enumerate(DEMO_AREAS):
            if spec.name in present:
                continue
            values = {
                "name": spec.name,
                "kind": spec.kind,
                "ons_code": None,  # a real-looking code could be mistaken for a real council's
                "parent_id": present.get(spec.parent) if spec.parent else None,
                "created_at": stamp,
                "demo": True,
            }
            present[spec.name] = conn.execute(sa.insert(areas).values(values)).inserted_primary_key[
                0
            ]
            for year, held_on in enumerate(DEMO_DATES):
                assessment = insert_assessment(
                    conn,
                    {
                        "area_id": present[spec.name],
                        "kind": "self",
                        "title": f"Demo assessment {held_on.year} (fictional)",
                        "form_id": DEMO_FORM,
                        "bank_hash": bank_hash,
                        "held_on": held_on,
                        "created_at": stamp,
                    },
                )
                _add_responses(conn, assessment.id, spec, number, year, questions, roles, stamp)
            added += 1
    return added


def has_demo(engine: Engine) -> bool:
    """True when any demo area is stored."""
    with reading(engine) as conn:
        return (
            conn.execute(sa.select(areas.c.id).where(areas.c.demo.is_(True)).limit(1)).first()
            is not None
        )


def remove_demo(engine: Engine) -> int:
    """Delete every demo area and everything about it, in one transaction; return how many areas.

    Goes with them: their assessments, responses, answers and plans, any
    workshop held about them (participants, agreements) and their places in
    comparison groups. Real areas are untouched, except that one placed
    inside a demo area (which storage refuses, but an old database might
    hold) is moved to the top level rather than deleted.
    """
    demo_areas = sa.select(areas.c.id).where(areas.c.demo.is_(True))
    demo_assessments = sa.select(assessments.c.id).where(assessments.c.area_id.in_(demo_areas))
    with writing(engine) as conn:
        count = len(conn.execute(demo_areas).all())
        if not count:
            return 0
        conn.execute(sa.delete(workshops).where(workshops.c.assessment_id.in_(demo_assessments)))
        conn.execute(sa.delete(responses).where(responses.c.assessment_id.in_(demo_assessments)))
        conn.execute(sa.delete(assessments).where(assessments.c.id.in_(demo_assessments)))
        conn.execute(
            sa.update(areas)
            .where(areas.c.demo.is_(False), areas.c.parent_id.in_(demo_areas))
            .values(parent_id=None)
        )
        conn.execute(sa.delete(areas).where(areas.c.demo.is_(True)))
    return count


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
) -> None:
    """Five to nine submitted responses, all from the seeded generator (same every load)."""
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


def _confidence(rng: np.random.Generator) -> str | None:
    draw = rng.random()
    return None if draw < 0.3 else "low" if draw < 0.45 else "medium" if draw < 0.8 else "high"
