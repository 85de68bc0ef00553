"""What a rater is shown beside a question: the rule, what to look for, the criterion's words."""

from __future__ import annotations

from dataclasses import replace

from questions.guide import look_for_lines, quote_line, rule_line
from questions.model import LookFor, SourceQuote
from tests.unit.scoring.factories import make_bank

BANK = make_bank({"P1": {"a": 1}})


def test_the_rule_is_the_bank_s_own_or_ladder_s() -> None:
    assert rule_line(BANK) == "Choose the highest level whose every condition you can evidence."
    assert rule_line(replace(BANK, rule="Pick the level you can show.")) == (
        "Pick the level you can show."
    )


def test_look_for_lines_run_in_level_order_with_pairs_named() -> None:
    q = replace(
        BANK.question("a"),
        look_for=(LookFor((5,), "A yearly review."), LookFor((2, 3), "A plan, then two.")),
    )
    assert look_for_lines(BANK, q) == (
        "2–3 · Emerging to Developing: A plan, then two.",
        "5 · Leading: A yearly review.",
    )
    assert look_for_lines(BANK, BANK.question("a")) == ()


def test_a_criterion_s_own_words_carry_their_source_and_page() -> None:
    dim = BANK.dimension("P1")
    assert quote_line(dim, "the introduction") is None
    quoted = replace(dim, quote=SourceQuote("Totally change current models", "introduction", 6))
    assert quote_line(quoted, "the introduction") == (
        "\u201cTotally change current models\u201d (the introduction, p. 6)"
    )
