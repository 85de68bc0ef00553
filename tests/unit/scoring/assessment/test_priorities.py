"""Ranked priorities: gap x priority weight, lowest scores without targets, bank-order ties."""

from __future__ import annotations

import pandas as pd

from corpus.model import Corpus, Essay
from scoring.assessment.model import DimensionResult
from scoring.assessment.priorities import Priority, rank_priorities
from scoring.assessment.results import build_results
from tests.unit.scoring.factories import from_mappings, make_bank

CORPUS = Corpus((Essay("intro", "Introduction", "Editor", 6, "s", ("k",), ("e",), (), ()),))
BANK = make_bank({d: {f"{d.lower()}a": 1} for d in ("P1", "P2", "P3", "P4", "T1")})
LABELS = {1: "Not yet", 2: "Emerging", 3: "Developing", 4: "Embedded", 5: "Leading"}


def row(
    dim: str, score: float | None, target: float | None = None, priority: bool = False
) -> DimensionResult:
    """A result as build_results makes it; gap = target - score, 0 once reached."""
    gap = None if target is None or score is None else max(target - score, 0.0)
    level = None if score is None else LABELS[int(score + 0.5)]
    kind = "theme" if dim.startswith("T") else "criterion"
    return DimensionResult(
        id=dim,
        kind=kind,
        name=f"Dimension {dim}",
        strand=None,
        score=score,
        level=level,
        n=0 if score is None else 1,
        q1=score,
        q3=score,
        coverage=1.0,
        dk_share=0.0,
        dk_flag=False,
        questions=1,
        answered=1,
        applicable=1,
        target=target,
        priority=priority,
        gap=gap,
    )


def ids(priorities: tuple[Priority, ...]) -> list[str]:
    return [p.dimension.id for p in priorities]


def test_gap_counts_double_when_marked_and_equal_keys_keep_bank_order():
    rows = (
        row("P1", 2.0, target=3, priority=True),  # gap 1 x 2 = 2
        row("P2", 2.0, target=3.5),  # gap 1.5
        row("P3", 1.0, target=2.5),  # gap 1.5, tied with P2: bank order
        row("P4", 4.0, target=3),  # target reached: never listed
        row("T1", 2.5),  # no target, not the weakest: only fills a short list
    )
    ranked = rank_priorities(rows, BANK, CORPUS)
    assert ids(ranked) == ["P1", "P2", "P3"]
    assert [p.rank for p in ranked] == [1, 2, 3]
    assert ranked[0].why == "Gap of 1.0 level to your target of 3, marked a priority."
    assert ranked[1].why == "Gap of 1.5 levels to your target of 3.5."


def test_a_short_list_is_filled_with_the_lowest_untargeted_scores():
    rows = (
        row("P1", 3.0, target=4),  # gap 1
        row("P2", 2.5),
        row("P3", 4.0, target=3),  # reached
        row("P4", 1.5),
        row("T1", 3.5),
    )
    ranked = rank_priorities(rows, BANK, CORPUS)
    assert ids(ranked) == ["P1", "P4", "P2"]
    assert ranked[1].why == (
        "Lowest score (1.5, Emerging); no target was set for it, so it is listed rather than "
        "hidden behind the dimensions with targets."
    )
    assert ranked[2].why == "Among the lowest scores (2.5, Developing); no target set."


def test_without_any_target_the_lowest_scores_lead_and_a_mark_breaks_a_tie():
    rows = (
        row("P1", 2.0),
        row("P2", 2.0, priority=True),
        row("P3", 1.5),
        row("P4", 2.0),
        row("T1", 3.0),
    )
    ranked = rank_priorities(rows, BANK, CORPUS)
    # 1.5 first; of the three at 2.0, the marked P2, then P1 before P4 (bank order).
    assert ids(ranked) == ["P3", "P2", "P1"]
    assert ranked[1].why == (
        "Among the lowest scores (2.0, Emerging); no target set; marked a priority."
    )


def test_fewer_than_three_scorable_dimensions_give_fewer_priorities():
    rows = (row("P1", 2.0), row("P2", None), row("P3", None), row("T1", 4.0))
    assert ids(rank_priorities(rows, BANK, CORPUS)) == ["P1", "T1"]
    assert rank_priorities((row("P1", None),), BANK, CORPUS) == ()


def test_each_priority_carries_next_steps_and_the_essays_behind_it():
    (first,) = rank_priorities((row("P1", 2.0),), BANK, CORPUS)
    assert first.next_steps == ("step",)
    assert [link.essay.id for link in first.essays] == ["intro"]
    assert first.essays[0].reason == "p1a draws on page 6; the summary of P1 rests on it."


def test_build_results_ranks_with_the_plans():
    answers = from_mappings({"r1": {"p1a": 2, "p2a": 1, "p3a": 3, "p4a": 4, "t1a": 2}})
    plans = pd.DataFrame(columns=["respondent_id", "dimension_id", "target", "priority"])
    results = build_results(BANK, CORPUS, answers, plans)
    assert ids(results.priorities) == ["P2", "P1", "T1"]  # 1, then 2 and 2 in bank order


def test_the_first_three_essays_lead_and_the_rest_fold_away():
    from corpus.model import Essay
    from questions.links import EssayLink
    from scoring.assessment.priorities import LEADING_ESSAYS, Priority

    links = tuple(
        EssayLink(Essay(f"e{i}", "t", "a", 1, "s", (), (), (), ()), "P1", (), (), True)
        for i in range(5)
    )
    p = Priority(1, None, "why", (), links)  # type: ignore[arg-type]
    assert LEADING_ESSAYS == 3
    assert [link.essay.id for link in p.leading_essays] == ["e0", "e1", "e2"]
    assert [link.essay.id for link in p.more_essays] == ["e3", "e4"]
    assert Priority(1, None, "why", (), links[:2]).more_essays == ()  # type: ignore[arg-type]


def test_each_priority_says_what_the_next_level_asks_of_its_questions():
    (first, second) = rank_priorities([row("P1", 2.4), row("P2", 5.0)], BANK, CORPUS)
    assert [(r.question_id, r.level) for r in first.climb] == [("p1a", 3)]
    assert first.climb[0].descriptor == BANK.question("p1a").descriptor(3)
    assert second.climb == ()  # already at the top


def test_the_weakest_is_never_hidden_because_nobody_set_a_target_for_it():
    """Issue 17, item 3: three targeted gaps would fill the list; the weakest dimension,
    with no target, takes the last place and says why."""
    rows = (
        row("P1", 2.0, target=3, priority=True),
        row("P2", 2.0, target=3.5),
        row("P3", 1.5, target=3),
        row("P4", 4.0, target=3),
        row("T1", 1.0),  # the weakest, no target
    )
    ranked = rank_priorities(rows, BANK, CORPUS)
    assert ids(ranked) == ["P1", "P2", "T1"]  # P3 (gap 1.5, tied with P2) gives way
    assert "no target was set for it" in ranked[2].why


def test_a_weakest_with_a_target_or_already_listed_changes_nothing():
    rows = (
        row("P1", 2.0, target=3, priority=True),
        row("P2", 2.0, target=3.5),
        row("P3", 1.0, target=2.5),  # the weakest has a target: ranked by its gap
        row("T1", 1.5),
    )
    assert ids(rank_priorities(rows, BANK, CORPUS)) == ["P1", "P2", "P3"]
