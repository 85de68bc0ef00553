"""Consensus rules a workshop can choose: when a question counts as agreed.

Why: councils and their partners come to Ladder from Delphi panels and maturity
workshops that each settle "do we agree?" their own way (research/anchors_and_demand.md:
SCIROCCO's Delphi rule, the RAND/UCLA table, an interquartile range of at most one,
"75 % within one point"). The facilitator picks one when opening a workshop; it is shown
in words, stored with the workshop and with each agreed level, and `scoring.agreement`
applies it, so the dashboard, the reports and ``python -m scoring agreement --rule NAME``
give the same classes.

Every rule here decides only *consensus*. The other classes do not change with the rule
(design.md, "Agreement"): *insufficient* (fewer than 3 levels, or 30 % or more "don't
know") and *polarised* (a third or more at levels 1-2 and a third or more at 4-5) come
first, and an item that is neither and does not reach consensus is *spread*.

Each rule works on an item's five level counts in exact integer arithmetic, as
`scoring.agreement` does: the "core" is the three levels around the median (median - 1 to
median + 1), and ``outside`` counts the ratings beyond it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from common.consensus import CONSENSUS_RULES
from common.consensus import DEFAULT_RULE as DEFAULT_RULE

__all__ = ["DEFAULT_RULE", "RULES", "Counts", "Rule", "rule_named", "rule_sentence"]


@dataclass(frozen=True, slots=True)
class Counts:
    """What a rule reads of each item (one entry per item; integers).

    Attributes:
        levels: the level counts, items x 5 (levels 1 to 5).
        n: how many gave a level.
        outside: how many are more than one level from the median.
        abs_dev2: twice the sum of distances from the median (an integer: a median of
            levels is a whole or half level).
    """

    levels: np.ndarray
    n: np.ndarray
    outside: np.ndarray
    abs_dev2: np.ndarray


@dataclass(frozen=True, slots=True)
class Rule:
    """A consensus rule: its name (for the command line and storage), how people read it,
    where it comes from, and the test itself (`Counts` -> True where consensus)."""

    name: str
    title: str
    words: str
    source: str
    test: Callable[[Counts], np.ndarray]


def _ladder(c: Counts) -> np.ndarray:
    # outside_core <= 1/4 and ad_md <= 5/6, as integers: 4 x outside <= n, 3 x 2AD <= 5n.
    return (4 * c.outside <= c.n) & (3 * c.abs_dev2 <= 5 * c.n)


def _scirocco(c: Counts) -> np.ndarray:
    # SCIROCCO: fewer than 4 of 12 outside the median's region, scaled to any room.
    return 3 * c.outside < c.n


def _rand_ucla(c: Counts) -> np.ndarray:
    # The RAND/UCLA table: 8-10 people at most 2 outside, 11-13 at most 3, ... 23-25 at
    # most 7: at most (n - 2) // 3, the same steps carried down to 3 people and up.
    return c.outside <= (c.n - 2) // 3


def _within_one(c: Counts) -> np.ndarray:
    return 4 * c.outside <= c.n  # at least 75 % within one level of the median


def _iqr(c: Counts) -> np.ndarray:
    # numpy's linear quartiles (as `scoring.stats`), times 4 so that every value is an
    # integer: position f x (n - 1) is (k x (n - 1)) / 4 for f = k / 4.
    return _quartile4(c, 3) - _quartile4(c, 1) <= 4


def _quartile4(c: Counts, k: int) -> np.ndarray:
    """4 x the k-th quartile (numpy's linear method) of each item's ratings; 0 when none."""
    cumulative = c.levels.cumsum(axis=1)
    n = c.n
    virtual4 = k * np.maximum(n - 1, 0)
    below = virtual4 // 4
    fraction4 = virtual4 % 4  # 4 x the weight of the next order statistic

    def level_at(position: np.ndarray) -> np.ndarray:
        return 1 + (cumulative <= position[:, None]).sum(axis=1)

    a = level_at(below)
    b = level_at(np.minimum(below + 1, np.maximum(n - 1, 0)))
    return np.where(n > 0, 4 * a + fraction4 * (b - a), 0)


_ALL = (
    Rule(
        "ladder",
        "Ladder's rule",
        "at most a quarter of the answers are more than one level from the middle answer, "
        "and answers sit on average no more than five-sixths of a level from it",
        "Ladder's Method page, adapted from SCIROCCO and the RAND/UCLA method",
        _ladder,
    ),
    Rule(
        "scirocco",
        "SCIROCCO's rule",
        "fewer than a third of the answers are more than one level from the middle answer",
        "SCIROCCO Delphi: fewer than 4 of 12 outside the three levels around the median",
        _scirocco,
    ),
    Rule(
        "rand-ucla",
        "The RAND/UCLA table",
        "no more answers than the table allows are more than one level from the middle "
        "answer: 2 of 8-10 people, 3 of 11-13, 4 of 14-16, one more for every three people",
        "Fitch et al. (2001), The RAND/UCLA Appropriateness Method User's Manual",
        _rand_ucla,
    ),
    Rule(
        "iqr",
        "Middle half within one level",
        "the middle half of the answers spans at most one level",
        "Delphi practice: an interquartile range of at most 1",
        _iqr,
    ),
    Rule(
        "within-one",
        "Three in four within one level",
        "at least three answers in four are within one level of the middle answer",
        "Delphi practice: 75 % within one point of the median",
        _within_one,
    ),
)
#: Every rule by name, in the order a facilitator is offered them (`common.consensus`).
RULES = MappingProxyType({rule.name: rule for rule in _ALL})
if tuple(RULES) != CONSENSUS_RULES:  # one list of names, worded and tested here
    raise ImportError("scoring.consensus defines other rules than common.consensus names")


def rule_named(name: object) -> Rule:
    """The rule called ``name``.

    Raises:
        ValueError: no rule has that name (the message lists those there are).
    """
    rule = RULES.get(str(name).strip().lower()) if isinstance(name, str) else None
    if rule is None:
        raise ValueError(
            f"there is no consensus rule {str(name)[:40]!r}; choose one of {', '.join(RULES)}"
        )
    return rule


def rule_sentence(name: str) -> str:
    """The rule in one sentence, for the dashboard and the reports."""
    rule = rule_named(name)
    return (
        f"This workshop's rule for agreement is \u201c{rule.title}\u201d: the room agrees on a "
        f"question when {rule.words}."
    )
