"""Where the room sat on each question, for a participant's round 2 (issue 15, item 2).

Why: between rounds each person sees their own earlier answer against where the room sat
(RAND's ExpertLens and Welphi do the same), so they can reconsider with the room in mind.
The room's place is the middle half of its levels on that question, said in words and
drawn as a small band; only for a question k or more people gave a level, and only from
the room's view as it was shown (`storage.room_view`), so a phone learns nothing the
projector did not show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.rules import LEVEL_MAX, LEVEL_MIN, answer_codes, is_numeric
from scoring.stats import segment_stats

__all__ = ["Band", "band_parts", "band_words", "item_bands", "own_words"]


@dataclass(frozen=True, slots=True)
class Band:
    """The middle half of the room's levels on one question: from ``low`` to ``high``
    (quartiles rounded to whole levels), around ``middle`` (the median); ``n`` people."""

    n: int
    low: int
    middle: float
    high: int


def item_bands(answers: pd.DataFrame, k: int) -> dict[str, Band]:
    """Per question, the room's `Band`, for questions k or more people gave a level (1–5).

    ``answers``: long answers (``question_id``, ``answer``), one row per person and question.
    """
    if answers.empty:
        return {}
    codes = answer_codes(answers["answer"])
    keep = np.asarray(is_numeric(codes), dtype=bool)
    questions, names = pd.factorize(answers["question_id"].to_numpy()[keep])
    if not len(names):
        return {}
    stats = segment_stats(questions, codes[keep].astype(np.float64), len(names))
    return {
        str(q): Band(
            int(stats.n[i]),
            _whole(stats.q1[i], np.floor),
            float(stats.median[i]),
            _whole(stats.q3[i], np.ceil),
        )
        for i, q in enumerate(names)
        if stats.n[i] >= k
    }


def _whole(value: float, towards: np.ufunc) -> int:
    """A quartile as a whole level, widened outwards (a band never claims more agreement)."""
    return int(min(max(towards(value), LEVEL_MIN), LEVEL_MAX))


def band_words(band: Band | None) -> str:
    """The band in a sentence ("Most of the room was at levels 2 to 4.")."""
    if band is None:
        return "Too few people answered this question last round to show where the room sat."
    if band.low == band.high:
        return f"Most of the room was at level {band.low}."
    return f"Most of the room was at levels {band.low} to {band.high}."


def band_parts(band: Band) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Levels 1 to 5 in three runs, for the small drawing: below the band, in it, above it."""
    levels = range(LEVEL_MIN, LEVEL_MAX + 1)
    return (
        tuple(v for v in levels if v < band.low),
        tuple(v for v in levels if band.low <= v <= band.high),
        tuple(v for v in levels if v > band.high),
    )


def own_words(previous: Mapping[str, str], question_id: str, labels: Mapping[str, str]) -> str:
    """The person's own answer last round, in words ("" when they gave none)."""
    answer = previous.get(question_id) or ""
    if not answer:
        return ""
    return f"Last round you said: {labels.get(answer, answer)}."
