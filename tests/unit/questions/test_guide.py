"""What a rater is shown beside a question: the rule, what to look for, the criterion's words."""

from __future__ import annotations

from dataclasses import replace

from corpus.model import Corpus, Essay
from questions.guide import context_lines, look_for_lines, next_rungs, quote_line, rule_line
from questions.model import LookFor, SourceQuote
from tests.unit.scoring.factories import make_bank

BANK = make_bank({"P1": {"a": 1, "b": 1}})


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


def test_context_names_the_essay_and_adds_the_law_today() -> None:
    corpus = Corpus(
        (Essay("introduction", "Introduction", "Robin Tuddenham", 6, "s", ("k",), (), (), ()),)
    )
    dim = replace(
        BANK.dimension("P1"),
        quote=SourceQuote("Totally change", "introduction", 6),
        today="As at 2026: the Localism Act 2011.",
    )
    assert context_lines(dim, corpus) == (
        "\u201cTotally change\u201d (Robin Tuddenham, Introduction, p. 6)",
        "As at 2026: the Localism Act 2011.",
    )
    unknown = replace(dim, quote=SourceQuote("Totally change", "nobody", 6), today=None)
    assert context_lines(unknown, corpus) == ("\u201cTotally change\u201d (the pamphlet, p. 6)",)
    assert context_lines(BANK.dimension("P1"), corpus) == ()


def test_the_next_rung_is_the_first_whole_level_above_the_score() -> None:
    a = replace(BANK.question("a"), look_for=(LookFor((3, 4), "Two plans."),))
    bank = replace(BANK, questions=(a, BANK.question("b")))
    rungs = next_rungs(bank, "P1", 2.5)
    assert [(r.question_id, r.level, r.label) for r in rungs] == [
        ("a", 3, "Developing"),
        ("b", 3, "Developing"),
    ]
    assert rungs[0].descriptor == a.descriptor(3)
    assert (rungs[0].look_for, rungs[1].look_for) == ("Two plans.", None)
    assert [r.level for r in next_rungs(bank, "P1", 3.0)] == [4, 4]
    assert [r.level for r in next_rungs(bank, "P1", 1.0)] == [2, 2]
    assert next_rungs(bank, "P1", 5.0) == ()
    assert next_rungs(bank, "P1", None) == ()
    assert next_rungs(bank, "P1", float("nan")) == ()
