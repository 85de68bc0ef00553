"""W411: Markdown or HTML in bank text is reported where it was written; prose is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common import catalogue
from common.markup import markup_in
from questions import load_instrument
from tests.support.cli import run_module
from tests.support.payloads import payloads
from tests.unit.questions.conftest import MINI_BANK, MINI_CORPUS, codes, line_of

PROSE = (
    "e.g. the council's plan, i.e. the whole of it",
    "5 * 3 * 2 = 30",
    "- a hyphen list\n- of two items",
    "senior_officer and snake_case_names",
    "P1 (see p. 6) and [sic]",
    "#1 priority, issue #13",
    "R&D budget; fewer than <5 people> or a < b > c",
    "£250,000 a family (80% of staff time)",
    "Don't know",
)


@pytest.mark.parametrize("payload", payloads(), ids=lambda p: p.text)
def test_markup_payloads_are_found_and_the_others_are_not(payload) -> None:
    assert (markup_in(payload.text) is not None) is payload.markup


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_is_not_markup(text: str) -> None:
    assert markup_in(text) is None


def quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar


@pytest.mark.parametrize("payload", [p.text for p in payloads() if p.markup])
@pytest.mark.parametrize(
    ("old", "field", "owner", "path"),
    [
        ("text: We redesign whole services.", "text", "question 'P1.1'", "questions[0].text"),
        ("      3: Several services.", "levels.3", "question 'P1.1'", "questions[0].levels.3"),
        ("name: Councillors", "name", "theme 'T1'", "themes[0].name"),
        (
            "next_steps: [Do one thing.]",
            "next_steps[0]",
            "criterion 'P1'",
            "criteria[0].next_steps[0]",
        ),
        ("title: Quick check", "title", "form 'quick'", "forms.quick.title"),
        ("label: Officer", "label", "role 'officer'", "roles[0].label"),
    ],
)
def test_markup_in_any_text_field_is_a_warning_naming_its_owner_and_field(
    check, payload: str, old: str, field: str, owner: str, path: str
) -> None:
    assert old in MINI_BANK
    if old.startswith("next_steps"):
        new = f"next_steps: [{quoted(payload)}]"
    else:
        new = old[: old.index(":") + 1] + " " + quoted(payload)
    bank = MINI_BANK.replace(old, new, 1)
    result = check(bank)
    assert codes(result) == ["W411"], [i.format() for i in result.issues]
    [issue] = result.issues
    assert issue.line == line_of(bank, new.strip())
    assert issue.path == path
    assert f"the {field} of {owner} contains" in issue.message
    assert issue.severity == "warning"
    assert result.ok
    assert not check(bank, strict=True).ok


def test_the_shipped_bank_has_no_markup() -> None:
    assert "W411" not in codes(load_instrument())


def test_the_rule_is_in_the_catalogue_as_a_warning() -> None:
    assert catalogue.CATALOGUE["W411"] is catalogue.MARKUP
    assert catalogue.MARKUP.severity == "warning"


def test_strict_check_fails_on_a_bank_with_markup(tmp_path: Path) -> None:
    bank = MINI_BANK.replace("text: We redesign whole services.", 'text: "We **redesign**."')
    (tmp_path / "bank.yaml").write_text(bank, encoding="utf-8")
    (tmp_path / "essays.yaml").write_text(MINI_CORPUS, encoding="utf-8")
    strict = run_module("questions", "check", "--strict", "bank.yaml", "essays.yaml", cwd=tmp_path)
    assert strict.returncode == 1
    assert "bank.yaml:" in strict.stdout
    assert "W411 the text of question 'P1.1' contains emphasis markers ('**redesign**')" in (
        strict.stdout
    )
