"""The rating discipline (W413-W416): each level adds one thing, level 5 rests on the
council's own records, breadth words are defined once, every level says what shows it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from questions import load_instrument
from questions.discipline import depends_on_others, extra_conditions, undefined_terms
from tests.unit.questions.conftest import MINI_BANK, codes, line_of

OLD_BANK = Path(__file__).parents[2] / "data" / "banks" / "ladder-1.0.0.yaml"


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Several services have been redesigned as a whole.", None),
        ("Residents and partners set the priorities, on record.", None),
        ("Across the council and with partners, resourced and with evidence.", "2 times 'and'"),
        ("Plans are agreed; money has moved.", "a semicolon"),
        ("Staff as well as residents take part.", "'as well as'"),
        ("A pilot runs. It has been reviewed.", "more than one sentence"),
    ],
)
def test_a_level_that_asks_for_more_than_one_thing_is_seen(text: str, sign: str | None) -> None:
    assert extra_conditions(text) == sign


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The review on record has changed the practice.", None),
        ("The gap between these and other areas of the borough is narrowing.", None),
        ("Other councils come to learn from it.", "Other councils"),
        ("The model has lasted through budget and leadership changes.", "lasted through"),
        ("It survived the last elections.", "survived"),
        ("It can only be reached after a serious incident.", "incident"),
    ],
)
def test_a_level_5_that_depends_on_others_or_events_is_seen(text: str, word: str | None) -> None:
    assert depends_on_others(text) == word


def test_breadth_words_must_be_defined_once() -> None:
    text = "Several services, and many teams, often do it; most do it regularly."
    assert undefined_terms(text, {}) == ["several", "many", "often", "most", "regularly"]
    defined = {"several": "at least two", "most": "more than half", "regularly": "yearly"}
    assert undefined_terms(text, defined) == ["many", "often"]


def test_the_mini_bank_keeps_the_discipline(check) -> None:
    assert codes(check()) == []
    assert check().bank.rule.startswith("Choose the highest level")
    assert dict(check().bank.terms) == {"several": "at least two services"}


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        ("4: Council-wide with partners.", "4: Wide and resourced and shown.", "W413", "4: Wide"),
        ("5: Co-owned and sustained.", "5: Other councils learn from it.", "W414", "5: Other"),
        ("3: Several services.", "3: Many services.", "W415", "3: Many"),
    ],
)
def test_each_sign_is_a_warning_on_its_line(check, old, new, code, needle) -> None:
    bank = MINI_BANK.replace(old, new, 1)
    result = check(bank=bank)
    assert codes(result) == [code]
    assert result.issues[0].line == line_of(bank, needle)
    assert result.bank is not None  # warnings: strict mode (CI) refuses them
    assert not check(bank=bank, strict=True).ok


def test_missing_look_for_lines_name_the_levels(check) -> None:
    shown = "{2: A pilot plan., 3-4: Service plans., 5: A yearly review.}"
    bank = MINI_BANK.replace(shown, "{5: A review.}", 1)
    result = check(bank=bank)
    assert codes(result) == ["W416"]
    assert "level 2, 3, 4" in result.issues[0].message


def test_the_1x_bank_now_gets_the_new_warnings() -> None:
    """Bank 1.0.0 (kept in tests/data) was written before the discipline: every rule bites."""
    result = load_instrument(OLD_BANK)
    counts = Counter(i.code for i in result.issues)
    assert counts["W413"] > 20  # levels bundling conditions
    assert counts["W414"] > 20  # level 5 resting on others or on events
    assert counts["W415"] > 20  # "several", "most", "some" never defined
    assert counts["W416"] == len(result.bank.questions)  # no evidence to look for anywhere
