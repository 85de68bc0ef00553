"""Evidence notes: every note given, beside its answer, in bank order, as typed."""

from __future__ import annotations

import math

import pytest

from reports.blocks import Notes
from reports.evidence import answer_text, evidence_notes, evidence_section
from tests.unit.reports.factories import HOSTILE, MARKDOWN, small_answers, small_bank
from tests.unit.scoring.factories import SCALE


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3", "3 Developing"),
        (3, "3 Developing"),
        (4.0, "4 Embedded"),
        ("dk", "Don't know"),
        ("NA", "Not applicable"),
        ("", "Not answered"),
        (None, "Not answered"),
        (math.nan, "Not answered"),
    ],
)
def test_answer_text(answer: object, expected: str) -> None:
    assert answer_text(answer, SCALE) == expected


def test_notes_follow_the_bank_and_keep_the_text() -> None:
    notes = evidence_notes(small_answers(), small_bank(), SCALE)
    assert [n.heading for n in notes] == [
        f"p1a: Question {HOSTILE}",
        "p1b: Question p1b",
        "p2a: Question p2a",
        "p2a: Question p2a",
    ]
    assert [n.text for n in notes] == [
        f"{HOSTILE} {MARKDOWN}",
        "=1+1",
        'Minutes, 3 March:\nbudget "devolved".',
        "@cmd",
    ]
    assert notes[0].details == (
        ("Respondent", "R1 (councillor)"),
        ("Answer", "2 Emerging"),
        ("Confidence", "low"),
    )


def test_unknown_questions_come_last_and_blank_notes_are_skipped() -> None:
    answers = small_answers()
    answers.loc[0, "question_id"] = "zz9"
    answers.loc[1, "evidence"] = "   "
    notes = evidence_notes(answers, small_bank(), SCALE)
    assert [n.heading for n in notes] == ["p2a: Question p2a", "p2a: Question p2a", "zz9"]


def test_section_says_when_there_are_none() -> None:
    answers = small_answers().drop(columns="evidence")
    (block,) = evidence_section(answers, small_bank(), SCALE).blocks
    assert isinstance(block, Notes)
    assert block.items == ()
    assert block.empty == "No evidence notes were given."
