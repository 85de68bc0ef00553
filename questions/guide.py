"""What a rater is shown beside a question: how to choose, what to look for, what to doubt.

Why: bank 2.0 gives every question evidence to look for at each level and, where the essays
give them, warning signs; the bank says once how to choose a level. The survey, the phone
and the reports show the same lines, so they are written here once, as plain text (the
pages show them literally).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corpus.model import Corpus
from questions.model import Bank, Dimension, Question

__all__ = [
    "OUR_ADDITION",
    "Rung",
    "context_lines",
    "look_for_lines",
    "next_rungs",
    "quote_line",
    "rule_line",
]

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


def context_lines(dimension: Dimension, corpus: Corpus) -> tuple[str, ...]:
    """What stands under a dimension's title: a criterion's own words in the pamphlet
    (author, essay, page) and a theme's law and guidance today."""
    quote = dimension.quote
    essay = corpus.essay(quote.essay) if quote is not None and quote.essay in corpus.ids else None
    source = f"{essay.author}, {essay.title}" if essay else "the pamphlet"
    lines = [quote_line(dimension, source), dimension.today]
    return tuple(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class Rung:
    """What one question asks at the level above where a dimension stands."""

    question_id: str
    question: str
    level: int
    label: str
    descriptor: str
    look_for: str | None


def next_rungs(bank: Bank, dimension_id: str, score: float | None) -> tuple[Rung, ...]:
    """For a dimension scoring ``score``, what each of its questions asks at the first whole
    level above it (3 for 2.0 or 2.5), with the evidence that shows it: advice tied to the
    level a council is at. Empty when there is no score or the score is already 5."""
    if score is None or math.isnan(score):
        return ()
    level = math.floor(score + 1e-9) + 1
    if level > len(bank.scale.levels):
        return ()
    label = dict(bank.scale.levels)[level]
    return tuple(
        Rung(q.id, q.text, level, label, q.descriptor(level), q.look_for_at(level))
        for q in bank.questions_in(dimension_id)
    )
