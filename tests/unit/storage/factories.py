"""Small things the storage tests build: a bank with a content hash, answers, URLs.

Why: fixtures in conftest.py cover the common path; tests that need a second
bank, or many answers, build them here in a line.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questions.model import Bank
from storage.core.access import Grant, facilitator_grant
from storage.core.engine import reading
from storage.core.model import AnswerInput
from tests.unit.scoring.factories import SMALL, make_bank

BANK_HASH = "b" * 64
BANK_SOURCE = "id: test\nversion: '1'\ntitle: Test bank\n# the YAML text, kept as written\n"
QUESTIONS: tuple[str, ...] = tuple(q for items in SMALL.values() for q in items)
#: The questions of the workshop fixture (dimensions P1 and P2).
WORKSHOP_QUESTIONS: tuple[str, ...] = (*SMALL["P1"], *SMALL["P2"])
ROLES: tuple[str, ...] = ("councillor", "senior_officer", "resident")


def small_bank(content_hash: str = BANK_HASH) -> Bank:
    """The scoring tests' small bank (P1, P2, T1), with a content hash as a loaded bank has."""
    return dataclasses.replace(make_bank(), content_hash=content_hash)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'ladder.db'}"


def answers(**values: str) -> dict[str, AnswerInput]:
    """``answers(p1a="3", p1b="dk")`` -> {question: AnswerInput} with no confidence or evidence."""
    return {qid: AnswerInput(value) for qid, value in values.items()}


def dump(engine: Engine) -> str:
    """Every row of every table, as one text: to show what the database does not contain."""
    found = sa.MetaData()
    with engine.connect() as conn:
        found.reflect(conn)
        return "\n".join(
            f"{name}: {conn.execute(sa.select(table)).all()!r}"
            for name, table in found.tables.items()
        )


def host(engine: Engine, workshop_id: int) -> Grant:
    """The facilitator's grant for a workshop, as opening it or unlocking it with the key gives."""
    with reading(engine) as conn:
        grant = facilitator_grant(conn, workshop_id)
    assert grant is not None
    return grant


def old_workshop(conn: sa.Connection, area_id: int, bank_hash: str, code: str = "ABCDEFG") -> str:
    """A workshop row as an older Ladder stored it, written with the columns the database has
    now (today's `open_workshop` writes today's columns, which an old database lacks).
    Opens with the join code ``code``; returns its facilitator key, formatted."""
    from storage.core import codes
    from storage.core.schema import now

    tables = {
        n: sa.Table(n, sa.MetaData(), autoload_with=conn) for n in ("workshops", "assessments")
    }
    key, salt = codes.new_key(), codes.new_salt()
    assessment_id = conn.scalar(
        sa.insert(tables["assessments"])
        .values(area_id=area_id, kind="workshop", form_id="full", bank_hash=bank_hash,
                created_at=now())
        .returning(tables["assessments"].c.id)
    )  # fmt: skip
    values = {
        "assessment_id": assessment_id, "title": "Before", "join_code": code, "key_salt": salt,
        "key_hash": codes.hash_key(key, salt), "dimensions": '["P1"]',
        "roles": '["' + '", "'.join(ROLES) + '"]', "k": 3, "current_round": 1,
        "round_open": True, "created_at": now(), "grant_secret": codes.new_salt(),
    }  # fmt: skip
    conn.execute(sa.insert(tables["workshops"]).values(
        {c: v for c, v in values.items() if c in tables["workshops"].c}
    ))  # fmt: skip
    return codes.format_key(key)
