"""The dashboard in words: every finding said in a sentence, nothing suppressed said at all."""

from __future__ import annotations

from dataclasses import replace

import pytest

from questions.model import Role
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.text import fmt_agreement, people, question_title, room_sentences
from tests.unit.scoring.factories import frame, make_bank

BANK = replace(
    make_bank({"P1": {"a": 1, "b": 1}, "P2": {"c": 1}}),
    roles=(Role("councillor", "Councillor"), Role("resident", "Resident")),
)


def dashboard(rows, k: int = 3, roles=("councillor", "resident")):
    data = frame([(*r, 1) for r in rows], "role", "round")
    return build_dashboard(BANK, data, 1, ("P1", "P2"), roles, k)


def test_people_agreement_and_question_titles() -> None:
    assert (people(1), people(0), people(12)) == ("one person", "0 people", "12 people")
    assert (fmt_agreement(0.4643), fmt_agreement(0.125), fmt_agreement(2)) == (
        "0.46",
        "0.13",  # halves up, as people round
        "2.00",
    )
    long = "The council   treats challenge from organised residents as a resource, not a threat"
    assert question_title("T12.2", long) == (
        'T12.2 ("The council treats challenge from organised residents as a…")'
    )


def test_waiting_says_how_many_more_and_nothing_else() -> None:
    d = dashboard([("P1", "a", 2, "councillor"), ("P2", "a", "dk", "resident")])
    assert d.summary == (
        "2 people answered round 1 (Councillor 1, Resident 1).",
        "The room's results appear once 3 people have given at least one level (1–5), so that "
        "nobody's answers can be worked out; 2 more are needed.",
    )
    assert room_sentences(d) == d.summary


def test_a_room_in_words() -> None:
    rows = [
        # a: 1,1,5,5,5,5 -> polarised (2 of 6 low, 4 high). b: all 3 -> consensus.
        *[
            (f"P{i}", "a", v, "councillor" if i <= 3 else "resident")
            for i, v in enumerate([1, 1, 5, 5, 5, 5], start=1)
        ],
        *[(f"P{i}", "b", 3, "councillor" if i <= 3 else "resident") for i in range(1, 7)],
        # c: 4 levels and 2 dk (33 %): cannot be called, and a "don't know" hot spot.
        *[
            (f"P{i}", "c", v, "councillor" if i <= 3 else "resident")
            for i, v in enumerate([2, 2, "dk", 4, 4, "dk"], start=1)
        ],
    ]
    text = dashboard(rows).summary
    assert text[0] == "6 people answered round 1 (Councillor 3, Resident 3)."
    assert text[1] == (
        "Of the 3 questions given a level by 3 or more people, the room agrees on 1, splits into "
        'two camps on 1, is scattered on 0 and has too many "don\'t know" answers to tell on 1.'
    )
    # P1's items: a (median 5, |x - 5| = 4,4,0,0,0,0 -> 8/6 = 1.33) and b (0): mean 0.67.
    # P2's item c: median 3, every rating 1 away: 1.00.
    assert text[2] == (
        "Views are closest on Dimension P1 (P1), where ratings sit on average 0.67 levels from "
        "the middle rating, and furthest apart on Dimension P2 (P2), at 1.00 levels."
    )
    assert text[3] == (
        'The room splits on one question: a ("Question a"), two camps: 2 at levels 1–2, 0 at 3 '
        "and 4 at 4–5."
    )
    # Councillors: P1 scores (1+3)/2, (1+3)/2, (5+3)/2 -> median 2; residents 4 each -> 4.
    # On P2 only two of each role have a score (one said dk), so neither cell is shown.
    assert text[4] == (
        "Roles see one dimension a level or more apart: Dimension P1 (P1), Resident 4.0 against "
        "Councillor 2.0 (2.0 levels apart)."
    )
    assert text[5].startswith(
        '"Don\'t know" made up 30 % or more of the answers to one question: '
        'c ("Question c") at 33 %.'
    )


@pytest.mark.parametrize("extra", [0, 1])
def test_more_than_three_splits_are_counted_not_listed(extra: int) -> None:
    bank = make_bank({"P1": {f"q{i}": 1 for i in range(4 + extra)}})
    rows = [
        (f"P{p}", f"q{i}", v, "councillor", 1)
        for i in range(4 + extra)
        for p, v in enumerate([1, 1, 5, 5], start=1)
    ]
    d = build_dashboard(bank, frame(rows, "role", "round"), 1, ("P1",), (), 3)
    split = next(s for s in d.summary if s.startswith("The room splits"))
    assert split.endswith(f"and {1 + extra} more.")


def test_k_warnings_speak_only_when_k_is_out_of_reach() -> None:
    from scoring.workshop.text import k_warnings

    assert k_warnings(None, 8, 3) == ()  # nobody said how many: nothing to judge
    assert k_warnings(24, 4, 3) == ()  # six a role
    assert k_warnings(3, 1, 3) == ()  # one role of three: the room and the role appear
    (few,) = k_warnings(2, 4, 3)
    assert few.startswith("With 2 people expected and k = 3, the room's figures will not appear")
    (thin,) = k_warnings(12, 8, 3)
    assert thin.startswith("With 12 people expected across 8 roles (1.5 a role on average)")
    assert '"Other roles"' in thin
    assert k_warnings(9, 3, 3) == ()  # exactly k a role is within reach
    assert k_warnings(8, 3, 3) != ()
