"""What a rater is shown beside a question: how to choose, what to look for, what to doubt.

Why: bank 2.0 gives every question evidence to look for at each level and, where the essays
give them, warning signs; the bank says once how to choose a level. The survey, the phone
and the reports show the same lines, so they are written here once, as plain text (the
pages show them literally).
"""

from __future__ import annotations

from questions.model import Bank, Dimension, Question

__all__ = ["OUR_ADDITION", "look_for_lines", "quote_line", "rule_line"]

#: Said of an item the pamphlet does not argue (``our_addition: true``).
OUR_ADDITION = "Ladder's own addition: the pamphlet does not argue this one."
_DEFAULT_RULE = "Choose the highest level whose every condition you can evidence."


def rule_line(bank: Bank) -> str:
    """How to choose a level: the bank's own rule, or Ladder's when a bank does not say."""
    return bank.rule or _DEFAULT_RULE


def look_for_lines(bank: Bank, q: Question) -> tuple[str, ...]:
    """ "2 · Emerging: a decision on record …", one per level or pair the bank gives, in
    level order."""
    labels = dict(bank.scale.levels)
    lines = []
    for item in sorted(q.look_for, key=lambda f: f.levels):
        if len(item.levels) == 1:
            head = f"{item.levels[0]} · {labels[item.levels[0]]}"
        else:
            low, high = item.levels[0], item.levels[-1]
            head = f"{low}–{high} · {labels[low]} to {labels[high]}"
        lines.append(f"{head}: {item.text}")
    return tuple(lines)


def quote_line(dimension: Dimension, source: str) -> str | None:
    """ "“Totally change current models of service delivery” (the introduction, p. 6)", or
    None; ``source`` names the essay the way the page does."""
    if dimension.quote is None:
        return None
    return f"\u201c{dimension.quote.text}\u201d ({source}, p. {dimension.quote.page})"
