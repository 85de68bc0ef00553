"""Ranked priorities: where to act first, why, what to do next and what to read.

Why: a score is only useful when it turns into a plan (domain anchors L10,
L13). The ranking follows docs/method.md "Targets and priorities": the gap
between target and score, weighted double when the dimension is marked a
priority; with no targets at all, the lowest scores. Marking a dimension a
priority never changes its score, only its place in this list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.model import Corpus
from questions.guide import Rung, next_rungs
from questions.links import EssayLink, essays_behind
from questions.model import Bank
from scoring.assessment.model import DimensionResult
from scoring.format import TIE_TOLERANCE, fmt_level_gap, fmt_score, fmt_target

__all__ = ["PRIORITY_WEIGHT", "TOP", "Priority", "rank_priorities"]

#: How many priorities the results page shows.
TOP = 3
#: Essays shown first under each priority (those its questions cite most); the rest fold away.
LEADING_ESSAYS = 3
#: A gap counts this many times over when the dimension is marked a priority.
PRIORITY_WEIGHT = 2


@dataclass(frozen=True, slots=True)
class Priority:
    """One ranked priority (rank 1 first) with its reason, next steps and essays, and what
    each of its questions asks at the next level up (``climb``)."""

    rank: int
    dimension: DimensionResult
    why: str
    next_steps: tuple[str, ...]
    essays: tuple[EssayLink, ...]
    climb: tuple[Rung, ...] = ()

    @property
    def leading_essays(self) -> tuple[EssayLink, ...]:
        """The essays to show first: those the dimension's questions cite most."""
        return self.essays[:LEADING_ESSAYS]

    @property
    def more_essays(self) -> tuple[EssayLink, ...]:
        return self.essays[LEADING_ESSAYS:]


def rank_priorities(
    rows: Sequence[DimensionResult], bank: Bank, corpus: Corpus, limit: int = TOP
) -> tuple[Priority, ...]:
    """Up to `limit` priorities among the dimensions that have a score.

    With any target set: dimensions with a positive gap, largest
    gap x (2 if marked a priority else 1) first; then, to fill the list,
    dimensions with no target, lowest score first. Dimensions that have met
    their target are never listed. The weakest dimension is never hidden because
    nobody set a target for it: when it has no target and the list would leave it
    out, it takes the last place. With no target set at all: lowest score
    first, a dimension marked a priority ahead of an equal score. Remaining
    ties keep bank order (the order of `rows`).
    """
    scored = [(i, r) for i, r in enumerate(rows) if r.score is not None]
    if any(r.target is not None for r in rows):
        behind = [(i, r) for i, r in scored if (r.gap or 0.0) > TIE_TOLERANCE]
        behind.sort(key=lambda p: (-_key((p[1].gap or 0.0) * _weight(p[1])), p[0]))
        untargeted = [(i, r) for i, r in scored if r.target is None]
        chosen = behind + sorted(untargeted, key=_lowest_first)
    else:
        chosen = sorted(scored, key=_lowest_first)
    chosen = _keep_the_weakest(chosen[:limit], scored, limit)
    lowest = min((r.score for _, r in scored if r.score is not None), default=None)
    targets = any(r.target is not None for r in rows)
    return tuple(
        Priority(
            rank=rank,
            dimension=row,
            why=_why(row, lowest, targets),
            next_steps=bank.dimension(row.id).next_steps,
            essays=essays_behind(bank, corpus, row.id),
            climb=next_rungs(bank, row.id, row.score),
        )
        for rank, (_, row) in enumerate(chosen, start=1)
    )


def _key(value: float) -> float:
    """A float rounded so that equal values computed two ways tie."""
    return round(value, 9)


def _weight(row: DimensionResult) -> int:
    return PRIORITY_WEIGHT if row.priority else 1


def _lowest_first(item: tuple[int, DimensionResult]) -> tuple[float, bool, int]:
    index, row = item
    return (_key(row.score or 0.0), not row.priority, index)


def _keep_the_weakest(
    chosen: list[tuple[int, DimensionResult]],
    scored: list[tuple[int, DimensionResult]],
    limit: int,
) -> list[tuple[int, DimensionResult]]:
    """``chosen`` with the weakest untargeted dimension in its last place when the
    ranking by gaps left it out (the first in bank order when several tie)."""
    if not chosen or limit < 1:
        return chosen
    untargeted = [p for p in scored if p[1].target is None]
    if not untargeted:
        return chosen
    weakest = min(untargeted, key=_lowest_first)
    lowest = min(_key(r.score or 0.0) for _, r in scored)
    if weakest in chosen or _key(weakest[1].score or 0.0) > lowest:
        return chosen
    return [*chosen[: limit - 1], weakest] if len(chosen) >= limit else [*chosen, weakest]


def _why(row: DimensionResult, lowest: float | None, targets: bool) -> str:
    marked = ", marked a priority" if row.priority else ""
    if row.target is not None and row.gap is not None and row.gap > TIE_TOLERANCE:
        return (
            f"Gap of {fmt_level_gap(row.gap)} to your target of {fmt_target(row.target)}{marked}."
        )
    score = row.score or 0.0
    is_lowest = lowest is not None and score - lowest <= TIE_TOLERANCE
    marked = "; marked a priority" if row.priority else ""
    if is_lowest and targets:
        return (
            f"Lowest score ({fmt_score(score)}, {row.level}); no target was set for it, so it is "
            f"listed rather than hidden behind the dimensions with targets{marked}."
        )
    lead = "Lowest score" if is_lowest else "Among the lowest scores"
    return f"{lead} ({fmt_score(score)}, {row.level}); no target set{marked}."
