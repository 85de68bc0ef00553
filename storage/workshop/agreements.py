"""Agreed levels: what the room settled on for a dimension, kept apart from the computed median.

Why: the strongest instruments (SCIROCCO, EIF, GGI) record an agreed level
after discussion, with dissent kept on record, beside the median of private
answers; neither replaces the other. A dimension the room cannot agree on is
recorded as 'uncertain' (a level optional) with the dissent noted.
Recording the same dimension and round again replaces the earlier record.
Only the workshop's facilitator records (their `storage.core.access.Grant` is checked).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core import validate
from storage.core.access import Grant
from storage.core.engine import dialect_insert, reading, writing
from storage.core.errors import InputError
from storage.core.model import Agreement
from storage.core.repo import columns_of
from storage.core.schema import agreements as agreement_table
from storage.core.schema import now
from storage.workshop.rooms import facilitating, workshop_in

__all__ = ["agreements", "record_agreement"]

_KEY = ("workshop_id", "round", "dimension_id")


def record_agreement(
    engine: Engine,
    grant: Grant,
    workshop_id: int,
    round: int,
    dimension_id: str,
    level: int | None,
    status: str,
    note: str | None = None,
    dissent: str | None = None,
) -> Agreement:
    """Record (or replace) the room's level for one dimension in one round.

    ``status`` 'agreed' needs a ``level`` (1-5); 'uncertain' may have none.
    ``note`` and ``dissent`` are optional text (line breaks kept, blank = none). The
    workshop's consensus rule at that moment is recorded with it.

    Raises:
        AccessDenied: ``grant`` is not this workshop's facilitator's.
        InputError: naming ``workshop_id``, ``round`` (not started yet),
            ``dimension_id`` (not asked in this workshop), ``level``,
            ``status``, ``note`` or ``dissent``.
    """
    checked_status = validate.agreement_status(status)
    values: dict[str, Any] = {
        "workshop_id": validate.record_id("workshop_id", workshop_id),
        "round": validate.round_number(round),
        "dimension_id": validate.identifier("dimension_id", dimension_id),
        "level": validate.level(level),
        "status": checked_status,
        "note": validate.note("note", note),
        "dissent": validate.note("dissent", dissent),
        "recorded_at": now(),
    }
    if checked_status == "agreed" and values["level"] is None:
        raise InputError(
            "level",
            "an agreed dimension needs a level; please choose 1-5, or record it as uncertain",
        )
    with writing(engine) as conn:
        workshop = facilitating(conn, grant, values["workshop_id"])
        if values["dimension_id"] not in workshop.dimensions:
            raise InputError(
                "dimension_id",
                f"{values['dimension_id']!r} is not asked in this workshop; please choose one "
                f"of {', '.join(workshop.dimensions)}",
            )
        if values["round"] > workshop.current_round:
            raise InputError(
                "round",
                f"round {values['round']} has not started (the workshop is in round "
                f"{workshop.current_round})",
            )
        values["consensus_rule"] = workshop.consensus_rule
        insert = dialect_insert(conn.dialect.name, agreement_table).values(values)
        changed = {c: insert.excluded[c] for c in values if c not in _KEY}
        conn.execute(insert.on_conflict_do_update(index_elements=list(_KEY), set_=changed))
    return Agreement(**values)


def agreements(engine: Engine, workshop_id: int) -> list[Agreement]:
    """Every agreement recorded in the workshop: by round, then in the workshop's dimension order.

    Raises:
        InputError: ``workshop_id`` names no workshop.
    """
    workshop_id = validate.record_id("workshop_id", workshop_id)
    query = sa.select(*columns_of(agreement_table, Agreement)).where(
        agreement_table.c.workshop_id == workshop_id
    )
    with reading(engine) as conn:
        workshop = workshop_in(conn, workshop_id)
        found = [Agreement(**row._mapping) for row in conn.execute(query)]
    order = {d: i for i, d in enumerate(workshop.dimensions)}
    return sorted(
        found, key=lambda a: (a.round, order.get(a.dimension_id, len(order)), a.dimension_id)
    )
