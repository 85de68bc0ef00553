"""How Ladder writes numbers and lists in words, everywhere: one decimal, halves rounding up.

Why: the words must agree with the tables and the charts, on the page, in reports and
in exports, so every module formats a score, a target, a gap, a share, a count of
respondents and a list of names through these functions and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "TIE_TOLERANCE",
    "fmt_level_gap",
    "fmt_percent",
    "fmt_score",
    "fmt_target",
    "join",
    "respondents",
    "round_half_up",
]

#: Scores closer than this are treated as equal (ties in "weakest", ranking keys).
TIE_TOLERANCE = 1e-9


def round_half_up(value: float, places: int = 1) -> Decimal:
    """Round as people expect (2.25 -> 2.3), not as binary floats do (2.2)."""
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def fmt_score(value: float) -> str:
    """One decimal, halves rounding up: 2.25 -> "2.3", 3 -> "3.0"."""
    return str(round_half_up(value))


def fmt_target(value: float) -> str:
    """A target: whole levels as "4", a median between two levels as "3.5"."""
    return str(int(value)) if float(value).is_integer() else fmt_score(value)


def fmt_level_gap(value: float) -> str:
    """A difference in levels: "1.5 levels", "1.0 level"."""
    text = fmt_score(value)
    return f"{text} level" if text == "1.0" else f"{text} levels"


def fmt_percent(share: float) -> str:
    """A share as a whole percentage, halves rounding up: 0.3 -> "30 %"."""
    return f"{round_half_up(float(share) * 100, 0)} %"


def respondents(n: int) -> str:
    """ "one respondent", "3 respondents"."""
    return "one respondent" if n == 1 else f"{n} respondents"


def join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
