"""The results page in words: plain-English sentences that read without the charts.

Why: a results page must make sense to someone who cannot see (or does not
trust) a radar chart, and a printed report needs the same text. Every number
is written with one decimal, halves rounding up, so the words agree with the
tables; dimensions are named by name with the id in brackets; the order of
sentences and of names within them is fixed (bank order), so the same answers
always give the same words.
"""

from __future__ import annotations

from collections.abc import Sequence

from scoring.assessment.model import DimensionResult, Headline
from scoring.format import (
    TIE_TOLERANCE,
    fmt_level_gap,
    fmt_percent,
    fmt_score,
    fmt_target,
    join,
    respondents,
)

__all__ = ["summary_sentences", "title"]


def title(row: DimensionResult) -> str:
    """How a sentence names a dimension: "Risk for reward (P4)"."""
    return f"{row.name} ({row.id})"


def summary_sentences(
    rows: Sequence[DimensionResult], headline: Headline, n_respondents: int
) -> tuple[str, ...]:
    """The summary, in order: overview, strongest, weakest, targets and priorities,
    "don't know" hot spots, dimensions without a score, and gaps in reach."""
    if not rows:
        return ("There are no answers to summarise yet.",)
    sentences = [_overview(headline, n_respondents)]
    sentences += _extremes(rows)
    sentences += _targets(rows)
    sentences += _dont_know(rows)
    sentences += _unscored(rows, n_respondents)
    sentences += _reach(rows)
    return tuple(sentences)


def _overview(headline: Headline, n_respondents: int) -> str:
    who = f"These results rest on {respondents(n_respondents)}"
    if headline.median is None:
        return f"{who}; none of the {headline.asked} dimensions asked has a score yet."
    return (
        f"{who}: {headline.defined} of the {headline.asked} dimensions asked have a score, "
        f"and their median is {fmt_score(headline.median)} ({headline.level})."
    )


def _at(rows: Sequence[DimensionResult]) -> str:
    """ "A (P1) at 2.0 (Emerging)" or "A (P1) and B (P2), both at 2.0 (Emerging)"."""
    names = join([title(r) for r in rows])
    score = f"{fmt_score(rows[0].score or 0)} ({rows[0].level})"
    if len(rows) == 1:
        return f"{names} at {score}"
    return f"{names}, {'both' if len(rows) == 2 else 'all'} at {score}"


def _extremes(rows: Sequence[DimensionResult]) -> list[str]:
    scored = [r for r in rows if r.score is not None]
    if not scored:
        return []
    if len(scored) == 1:
        return [f"Only {_at(scored)} has a score."]
    low = min(r.score for r in scored if r.score is not None)
    high = max(r.score for r in scored if r.score is not None)
    if high - low <= TIE_TOLERANCE:
        return [f"Every scored dimension is at {fmt_score(high)} ({scored[0].level})."]
    strongest = [r for r in scored if r.score is not None and high - r.score <= TIE_TOLERANCE]
    weakest = [r for r in scored if r.score is not None and r.score - low <= TIE_TOLERANCE]
    return [f"Strongest: {_at(strongest)}.", f"Weakest: {_at(weakest)}."]


def _targets(rows: Sequence[DimensionResult]) -> list[str]:
    with_target = [r for r in rows if r.target is not None]
    if not with_target:
        out = ["No targets have been set yet."]
    else:
        gaps = [r for r in rows if r.gap is not None and r.gap > TIE_TOLERANCE]
        gaps.sort(key=lambda r: -round(r.gap or 0.0, 9))  # stable: bank order breaks ties
        if gaps:
            parts = [
                f"{title(r)}, {fmt_level_gap(r.gap or 0.0)} to {fmt_target(r.target or 0.0)}"
                for r in gaps[:3]
            ]
            out = [f"The biggest gaps to target: {'; '.join(parts)}."]
        elif any(r.score is not None for r in with_target):
            out = ["Every scored dimension with a target has reached it."]
        else:
            out = []
    marked = [title(r) for r in rows if r.priority]
    if marked:
        out.append(f"Marked a priority: {join(marked)}.")
    return out


def _dont_know(rows: Sequence[DimensionResult]) -> list[str]:
    flagged = [r for r in rows if r.dk_flag]
    if not flagged:
        return []
    parts = [f"{title(r)} at {fmt_percent(r.dk_share or 0.0)}" for r in flagged]
    where = "this dimension" if len(flagged) == 1 else "these dimensions"
    return [
        f'"Don\'t know" made up 30 % or more of the answers on {join(parts)}: '
        f"knowledge of {where} may be patchy, which is a finding in itself."
    ]


def _unscored(rows: Sequence[DimensionResult], n_respondents: int) -> list[str]:
    out = []
    unscored = [r for r in rows if r.score is None]
    not_applicable = [r for r in unscored if r.applicable == 0]
    too_few = [r for r in unscored if r.applicable > 0]
    if too_few:
        its = "its" if len(too_few) == 1 else "their"
        if n_respondents == 1:
            reason = f"fewer than half of {its} questions were answered with a level"
        else:
            reason = f"no respondent answered at least half of {its} questions with a level"
        out.append(f"No score for {join([title(r) for r in too_few])}: {reason}.")
    if not_applicable:
        were = "its questions were" if len(not_applicable) == 1 else "their questions were all"
        out.append(
            f"No score for {join([title(r) for r in not_applicable])}: "
            f"{were} marked not applicable."
        )
    return out


def _reach(rows: Sequence[DimensionResult]) -> list[str]:
    out = []
    for r in rows:
        if r.reach is None or r.score is None or r.reach_gap is None:
            continue
        if r.reach_gap > -1 + TIE_TOLERANCE:
            continue
        out.append(
            f"On {title(r)}, reach (whether practice gets to the most deprived and least heard) "
            f"scores {fmt_score(r.reach)} ({r.reach_level}), {fmt_level_gap(-r.reach_gap)} "
            f"below the theme's {fmt_score(r.score)}."
        )
    return out
