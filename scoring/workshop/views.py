"""A whole workshop at once: a dashboard per round, each round against the one before,
and the agreed levels against the last round.

Why: the workshop report, its workbook and the facilitator's closing page all
show the same set of views; computing them in one place keeps them identical
and builds each round's dashboard once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from questions.model import Bank
from scoring.consensus import DEFAULT_RULE
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.model import Dashboard
from scoring.workshop.rounds import (
    AgreedLevel,
    RoundComparison,
    agreed_table,
    compare_dashboards,
    round_stability,
)

__all__ = ["Agreements", "WorkshopViews", "rounds_in", "workshop_views"]

#: Agreed-level records: `AgreedLevel`, mappings or objects with its fields.
Agreements = Iterable[AgreedLevel | Mapping[str, Any] | Any]


@dataclass(frozen=True, slots=True, eq=False)
class WorkshopViews:
    """Everything a workshop report shows, computed once.

    ``dashboards`` has one `Dashboard` per round, in round order; ``latest`` is the
    last (the report's aggregate); ``comparisons`` compares each round with the one
    before; ``agreed`` is `scoring.workshop.rounds.agreed_table` against ``latest``.
    """

    rounds: tuple[Any, ...]
    dashboards: tuple[Dashboard, ...]
    comparisons: tuple[RoundComparison, ...]
    agreed: pd.DataFrame
    agreements: tuple[AgreedLevel, ...]

    @property
    def latest(self) -> Dashboard:
        return self.dashboards[-1]


def workshop_views(
    bank: Bank,
    answers: pd.DataFrame,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int,
    agreements: Agreements,
    rounds: Sequence[Any] = (),
    *,
    role_answers: pd.DataFrame | None = None,
    sent: Mapping[Any, int] | None = None,
    rule: str = DEFAULT_RULE,
) -> WorkshopViews:
    """Dashboards for every round (given, or else every round in the answers, in order),
    the comparison of each round with the one before, and the agreed levels.

    For a workshop held in Ladder, ``answers`` are the room's views of every round,
    ``role_answers`` the role views and ``sent`` each round's count of people who sent
    (`storage.workshop.roomviews`; see `scoring.workshop.dashboard.build_dashboard`).
    ``rule``: the workshop's consensus rule (`scoring.consensus.RULES`).
    """
    chosen = tuple(rounds) or rounds_in(answers) or (1,)
    counts = sent or {}
    dashboards = tuple(
        build_dashboard(
            bank,
            answers,
            r,
            dimensions,
            roles,
            k,
            role_answers=role_answers,
            sent=counts.get(r) if role_answers is not None else None,
            rule=rule,
        )
        for r in chosen
    )
    comparisons = tuple(
        compare_dashboards(a, b, round_stability(answers, a.round, b.round))
        for a, b in itertools.pairwise(dashboards)
    )
    records = tuple(AgreedLevel.of(a) for a in agreements)
    agreed = agreed_table(dimensions, bank, records, dashboards[-1])
    return WorkshopViews(chosen, dashboards, comparisons, agreed, records)


def rounds_in(answers: pd.DataFrame) -> tuple[Any, ...]:
    """The rounds in the answers, in order (as numbers when they all are)."""
    if "round" not in answers.columns or answers.empty:
        return ()
    values = pd.unique(answers["round"].dropna())
    numeric = pd.to_numeric(pd.Series(values), errors="coerce")
    if numeric.notna().all():
        return tuple(v.item() if hasattr(v, "item") else v for v in sorted(values, key=float))
    return tuple(sorted(str(v) for v in values))
