"""The records a self-assessment's result is made of: one per dimension, and the headline.

Why: the results, their priorities and their sentences all read these records, so
they live apart from the code that builds them (`scoring.assessment.results`) and
nothing has to import its own caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from questions.model import DimensionKind

__all__ = ["DimensionResult", "Headline"]


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """One dimension's result for the whole assessment.

    ``score`` is the group score (median of the defined respondent scores) and
    ``n`` how many respondents it rests on; statistics of nobody are None.
    ``questions`` counts the dimension's scored (non-equity) questions asked,
    ``answered`` those given a level by anyone, ``applicable`` those not marked
    not applicable by everyone. ``target`` is the median of the respondents'
    targets; ``priority`` is True when at least half of the respondents who set a
    plan for the dimension marked it. ``gap`` = target - score, 0 once reached,
    None without both. ``reach`` is the score of a theme's equity questions,
    kept beside the theme score and never in it; ``reach_gap`` = reach - score
    (negative: the practice reaches the most deprived and least heard less well).
    """

    id: str
    kind: DimensionKind
    name: str
    strand: str | None
    score: float | None
    level: str | None
    n: int
    q1: float | None
    q3: float | None
    coverage: float | None
    dk_share: float | None
    dk_flag: bool
    questions: int
    answered: int
    applicable: int
    target: float | None = None
    priority: bool = False
    gap: float | None = None
    reach: float | None = None
    reach_level: str | None = None
    reach_gap: float | None = None


@dataclass(frozen=True, slots=True)
class Headline:
    """Never one compensating total: the median dimension score *and* the weakest.

    ``weakest`` lists every dimension tied on the lowest score, in bank order.
    ``defined`` dimensions have a score, out of ``asked``.
    """

    median: float | None
    level: str | None
    weakest: tuple[DimensionResult, ...]
    weakest_score: float | None
    defined: int
    asked: int
