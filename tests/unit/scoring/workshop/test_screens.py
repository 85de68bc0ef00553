"""The room view's screens in words (scoring.workshop.screens): one message each, the
agreement in plain words, nothing below k said, and none of the statistician's terms."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from questions.model import Role
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.rounds import AgreedLevel, compare_rounds
from scoring.workshop.screens import (
    AGREE,
    DONT_KNOW,
    MOSTLY,
    SPLIT,
    TOO_FEW,
    Slide,
    agree_slide,
    agreed_slide,
    answered_slide,
    dimension_words,
    hidden_slide,
    item_word,
    moved_slide,
    roles_slide,
    split_slide,
)
from tests.unit.scoring.factories import frame, make_bank

BANK = replace(
    make_bank({"P1": {"a": 1, "b": 1}, "P2": {"c": 1}, "P3": {"d": 1, "e": 1, "f": 1}}),
    roles=(Role("councillor", "Councillor"), Role("resident", "Resident")),
)
DIMS = ("P1", "P2", "P3")
#: What no room screen may say (issue 15's Done-when list, and the old jargon).
JARGON = re.compile(r"rwg|ad_md|\bq1\b|\bq3\b|n =|polaris|median|quartile", re.IGNORECASE)


def room(levels: dict[str, list[object]], roles: list[str] | None = None, round: int = 1):
    """Six people (three councillors, three residents unless said) answering each question."""
    people = roles or ["councillor"] * 3 + ["resident"] * 3
    rows = [
        (f"P{i}", q, v, people[i - 1], round)
        for q, values in levels.items()
        for i, v in enumerate(values, start=1)
    ]
    return frame(rows, "role", "round")


AGREED = [3, 3, 3, 3, 3, 3]
CAMPS = [1, 1, 1, 5, 5, 5]


def words_of(slide: Slide) -> str:
    return " ".join((slide.heading, *slide.lines, *slide.details, slide.note))


def test_each_dimension_gets_one_plain_word() -> None:
    answers = room(
        {
            "a": AGREED,
            "b": AGREED,  # P1: both agreed
            "c": [2, 2, "dk", "dk", 4, 4],  # P2: a third don't know
            "d": AGREED,
            "e": AGREED,
            "f": CAMPS,  # P3: two of three agreed
        }
    )
    d = build_dashboard(BANK, answers, 1, DIMS, ("councillor", "resident"), 3)
    words = dict(zip(dimension_words(d)["dimension"], dimension_words(d)["word"], strict=True))
    assert words == {"P1": AGREE, "P2": DONT_KNOW, "P3": MOSTLY}
    level = dimension_words(d).set_index("dimension")["level"]
    assert level["P1"].startswith("level 3 (")
    split = build_dashboard(BANK, room({"d": CAMPS, "e": CAMPS, "f": AGREED}), 1, ("P3",), (), 3)
    assert dimension_words(split)["word"].tolist() == [SPLIT]


def test_too_few_people_say_too_few_and_nothing_else() -> None:
    # P2's question has levels from two people only: too few to tell, and no level said.
    answers = room({"a": AGREED, "c": [3, 4, "na", "na", "na", "na"]})
    d = build_dashboard(BANK, answers, 1, ("P1", "P2"), (), 3)
    words = dimension_words(d).set_index("dimension")
    assert (words.loc["P2", "word"], words.loc["P2", "level"]) == (TOO_FEW, "")
    assert words.loc["P1", "word"] == AGREE
    two = build_dashboard(BANK, room({"a": [3, 4]}, ["councillor", "resident"]), 1, ("P1",), (), 3)
    assert not two.shown
    assert dimension_words(two).empty
    waiting = hidden_slide(1, two.shown, 3, two.needed)
    assert "1 more person needed" in waiting.lines[0]
    assert "3 people" in waiting.lines[0]


def test_item_words() -> None:
    assert [item_word(c) for c in ("consensus", "polarised", "spread", "insufficient")] == [
        AGREE,
        SPLIT,
        SPLIT,
        DONT_KNOW,
    ]


def test_the_agree_and_split_screens_say_what_and_where_people_sat() -> None:
    d = build_dashboard(BANK, room({"a": AGREED, "b": AGREED, "c": CAMPS}), 1, ("P1", "P2"), (), 3)
    agree = agree_slide(d)
    assert agree.heading == "What we agree on"
    assert agree.lines == (f"Dimension P1: we agree, at {dimension_words(d)['level'][0]}",)
    split = split_slide(d)
    assert split.lines == (BANK.question("c").text,)
    assert split.details == ("3 at levels 1–2, 0 at level 3, 3 at levels 4–5",)
    assert split.rows() == ((split.lines[0], split.details[0]),)
    for slide in (agree, split):
        assert not JARGON.search(words_of(slide)), words_of(slide)


def test_a_long_list_is_cut_to_what_a_room_can_read_and_says_so() -> None:
    many = replace(
        make_bank({f"P{i}": {f"q{i}": 1} for i in range(1, 10)}),
        roles=BANK.roles,
    )
    answers = room({f"q{i}": CAMPS for i in range(1, 10)})
    d = build_dashboard(many, answers, 1, tuple(f"P{i}" for i in range(1, 10)), (), 3)
    split = split_slide(d)
    assert len(split.lines) == 6
    assert split.note == "And 3 more on the facilitator's screen."


def test_roles_only_of_k_or_more_and_the_small_ones_named_not_counted() -> None:
    roles = ["councillor"] * 4 + ["resident"] * 2
    answers = room({"a": [5, 5, 5, 5, 1, 1], "b": AGREED}, roles)
    d = build_dashboard(BANK, answers, 1, ("P1",), ("councillor", "resident"), 3)
    slide = roles_slide(d)
    text = words_of(slide)
    assert "Councillor (4 people)" in slide.lines[0]
    assert "Resident (" not in text  # fewer than k: never counted
    assert "Not shown on their own (fewer than 3 people): Resident." in slide.note
    nobody = build_dashboard(BANK, room({"a": AGREED}, ["councillor", "resident"] * 3), 1,
                             ("P1",), ("councillor", "resident"), 4)  # fmt: skip
    assert roles_slide(nobody).lines == ("No role has 4 people or more with answers yet.",)


def test_role_gaps_are_said_with_each_roles_level() -> None:
    answers = room({"a": [5, 5, 5, 1, 1, 1], "b": [5, 5, 5, 1, 1, 1]})
    d = build_dashboard(BANK, answers, 1, ("P1",), ("councillor", "resident"), 3)
    lines = roles_slide(d).lines
    assert lines[1] == "Dimension P1: Councillor at level 5, Resident at level 1"


def test_answered_moved_and_agreed() -> None:
    assert answered_slide(1, 2, True).heading == "One person has sent answers to round 2"
    assert answered_slide(7, 1, False).note == "Round 1 is closed."
    assert moved_slide(None).lines == ("This is the first round: nothing to compare yet.",)
    both = frame(
        [(f"P{i}", "a", v, "councillor", r) for r, values in ((1, CAMPS), (2, AGREED))
         for i, v in enumerate(values, start=1)],
        "role",
        "round",
    )  # fmt: skip
    moved = moved_slide(compare_rounds(BANK, both, 1, 2, ("P1",), 3))
    assert moved.heading == "What moved since round 1"
    assert "No dimension's middle level moved." in moved.lines
    assert f"Now agreed: {BANK.question('a').text}" in moved.lines
    assert not JARGON.search(words_of(moved)), words_of(moved)
    records = [
        AgreedLevel(2, "P1", 3, "agreed"),
        AgreedLevel(2, "P2", 2, "uncertain", dissent="Residents see it lower"),
        AgreedLevel(1, "P3", 5, "agreed"),
    ]
    agreed = agreed_slide(records, BANK, DIMS, 2)
    label = BANK.scale.level_label
    assert agreed.lines == (
        f"Dimension P1: level 3 ({label(3)})",
        f"Dimension P2: not agreed (for now level 2 ({label(2)}))",
    )
    assert agreed_slide(records, BANK, DIMS, 3).lines == (
        "No level has been agreed in round 3 yet.",
    )


@pytest.mark.parametrize("hostile", ["**bold** <b>x</b>", "# heading", "[link](http://x)"])
def test_text_from_the_bank_is_carried_as_typed(hostile: str) -> None:
    """The screens carry words as they are; the page escapes them (ui.text.literal)."""
    bank = replace(BANK, questions=tuple(replace(q, text=hostile) for q in BANK.questions))
    d = build_dashboard(bank, room({"a": CAMPS}), 1, ("P1",), (), 3)
    assert split_slide(d).lines == (hostile,)
