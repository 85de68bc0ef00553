"""The record a workshop round's dashboard is: what the facilitator and the room are shown.

Why: the dashboard's builder, its sentences, its figures and the reports all read this
record, so it lives apart from the code that builds it (`scoring.workshop.dashboard`)
and the sentences need not import their own caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from questions.model import Scale
from scoring.consensus import DEFAULT_RULE

__all__ = ["Dashboard"]


@dataclass(frozen=True, slots=True, eq=False)
class Dashboard:
    """Everything the facilitator's dashboard shows for one round (treat frames as read-only).

    Attributes:
        round: the round shown.
        k: the anonymity threshold.
        scale: level labels, for the figures.
        participants: people with any answer (a level, dk or na) in the round.
        n: people with at least one level in the round; the aggregate needs n >= k.
        shown: n >= k. When False every frame but ``participation`` is empty.
        needed: how many more people with a level are needed (0 when shown).
        participation: `PARTICIPATION_COLUMNS`, one row per role offered (even with
            nobody yet), then any other role found; ``n`` counts ``participants``.
        dimensions: `DIMENSION_COLUMNS`, one row per workshop dimension in the order
            given; statistics blank (and ``suppressed``) when n < k for it.
        items: `ITEM_TABLE_COLUMNS`, every workshop question at least k people gave
            a level, in bank order.
        splits: the ``items`` classed polarised or spread: polarised first, then the
            largest ad_md first, then bank order.
        role_medians: `ROLE_COLUMNS`, shown roles x dimensions (median blank when
            fewer than k of the role scored the dimension).
        role_gaps: `GAP_COLUMNS`, one row per dimension: largest minus smallest shown
            role median (blank with fewer than two), ``gap_flag`` when >= 1 level.
        shown_roles: roles with at least k people with a level, in role order.
        suppressed_roles: roles with 1 to k - 1 such people, in role order.
        role_labels: role id -> label, for every role in ``participation``.
        dk_items: `DK_COLUMNS`, questions with a dk share >= 30 % answered (level or dk)
            by at least k people, largest share first.
        summary: the room in plain sentences (`scoring.workshop.text`).
        rule: the consensus rule the items were classed by (`scoring.consensus.RULES`).
    """

    round: Any
    k: int
    scale: Scale
    participants: int
    n: int
    shown: bool
    needed: int
    participation: pd.DataFrame = field(repr=False)
    dimensions: pd.DataFrame = field(repr=False)
    items: pd.DataFrame = field(repr=False)
    splits: pd.DataFrame = field(repr=False)
    role_medians: pd.DataFrame = field(repr=False)
    role_gaps: pd.DataFrame = field(repr=False)
    shown_roles: tuple[str, ...]
    suppressed_roles: tuple[str, ...]
    role_labels: MappingProxyType[str, str] = field(repr=False)
    dk_items: pd.DataFrame = field(repr=False)
    summary: tuple[str, ...] = ()
    rule: str = DEFAULT_RULE

    def role_n(self, role: str) -> int:
        """How many people of a role answered anything in the round (0 if none)."""
        return self.role_counts().get(role, 0)

    def role_counts(self) -> dict[str, int]:
        """`role_n` of every role in ``participation``, read at once (for a whole figure)."""
        rows = self.participation
        counts: dict[str, int] = {}
        for role, n in zip(rows["role"], rows["n"], strict=True):
            counts.setdefault(str(role), int(n))  # the first row of a role, as role_n read it
        return counts
