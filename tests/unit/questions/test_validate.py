"""Every check of the validator, one case each, asserting code, line and path."""

from __future__ import annotations

import pytest

from common import catalogue
from tests.unit.questions.conftest import MINI_BANK, codes, line_of


def test_the_mini_bank_is_valid_and_frozen(check):
    result = check()
    assert result.ok, [i.format() for i in result.issues]
    bank = result.bank
    assert [q.id for q in bank.questions] == ["P1.1", "T1.1", "T1.2"]
    assert bank.question("T1.1").weight == 2.0
    assert bank.question("T1.2").equity is True
    assert bank.question("P1.1").descriptor(3) == "Several services."
    assert bank.version == "1.0"
    with pytest.raises(AttributeError):
        bank.title = "changed"  # type: ignore[misc]


def test_done_when_three_slips_are_all_reported_with_lines(check):
    bank = (
        MINI_BANK.replace("    text: We redesign", "    txet: We redesign")
        .replace("id: T1.2", "id: T1.1")
        .replace("{id: second, page: 8}", "{id: secnod, page: 8}")
    )
    result = check(bank)
    assert not result.ok
    found = {(i.code, i.line) for i in result.issues}
    assert found == {
        ("E201", line_of(bank, "txet:")),
        ("E205", line_of(bank, "id: T1.1", 2)),
        ("E303", line_of(bank, "secnod")),
    }
    unknown = next(i for i in result.issues if i.code == "E201")
    assert "did you mean 'text'" in unknown.message
    assert next(i for i in result.issues if i.code == "E303").path == "questions[1].essays[0]"


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        ("title: Mini bank", "title: [a, list]", "E203", "title: [a, list]"),
        ("    evidence: A business case.\n", "", "E202", "id: P1.1"),
        ("weight: 2", "weight: -1", "E204", "weight: -1"),
        ("dimension: T1\n", "dimension: T7\n", "E301", "dimension: T7"),
        (
            "criterion: P1\n    text: Councillors reach",
            "criterion: P9\n    text: Councillors reach",
            "E302",
            "criterion: P9",
        ),
        (
            "dimension: P1\n    criterion: P1",
            "dimension: P1\n    criterion: P2",
            "E302",
            "criterion: P2",
        ),
        ("      5: Co-owned and sustained.\n", "", "E304", "    levels:"),
        ("{id: intro, page: 6}", "{id: intro, page: 60}", "W410", "page: 60"),
        ("dimensions: [P1, T1]", "dimensions: [P1, T1, T3]", "E306", "dimensions: [P1, T1, T3]"),
        ("  quick: {title: Quick check, dimensions: [P1]}\n", "", "E307", "forms:"),
        ("      4: Council-wide with partners.", "      4: One pilot.", "W401", "4: One pilot."),
        ("next_steps: [Do one thing.]", "next_steps: []", "W409", "next_steps: []"),
        ("equity: true", "equity: maybe", "E203", "equity: maybe"),
        (
            "  - {id: officer, label: Officer}",
            "  - {id: officer, label: Officer}\n  - {id: officer, label: Again}",
            "E205",
            "Again",
        ),
    ],
)
def test_each_slip_is_reported_where_it_is(check, old, new, code, needle):
    assert old in MINI_BANK
    bank = MINI_BANK.replace(old, new, 1)
    result = check(bank)
    assert code in codes(result), [i.format() for i in result.issues]
    issue = next(i for i in result.issues if i.code == code)
    assert issue.line == line_of(bank, needle)
    assert issue.severity == ("warning" if code.startswith("W") else "error")
    assert result.ok is (
        issue.severity == "warning" and not any(i.severity == "error" for i in result.issues)
    )


def test_empty_dimension_and_few_questions(check):
    bank = MINI_BANK.replace(
        "dimension: T1\n    criterion: P1\n    text: Councillors reach",
        "dimension: P1\n    criterion: P1\n    text: Councillors reach",
    )
    bank = bank.replace("dimension: T1\n", "dimension: P1\n").replace(
        "criterion: P1\n", "criterion: P1\n"
    )
    result = check(bank)
    assert "E305" in codes(result)
    one = MINI_BANK.replace(
        "dimension: T1\n    criterion: P1\n    text: Councillors reach",
        "dimension: P1\n    criterion: P1\n    text: Councillors reach",
    )
    result = check(one)
    assert codes(result) == ["W402"]
    assert result.ok
    assert not check(one, strict=True).ok


def test_dimension_in_no_form_is_a_warning(check):
    result = check(MINI_BANK.replace("dimensions: [P1, T1]", "dimensions: [P1]"))
    assert codes(result) == ["W403"]
    assert result.issues[0].line == line_of(MINI_BANK, "- id: T1")


def test_type_slips_name_what_was_found(check):
    result = check(MINI_BANK.replace("text: We redesign whole services.", "text: yes"))
    issue = next(i for i in result.issues if i.code == "E203")
    assert "yes/no value true" in issue.message
    assert "put in quotes" in issue.fix


def test_numbers_as_ids_and_versions_are_read_as_text(check):
    result = check(MINI_BANK.replace('version: "1.0"', "version: 2"))
    assert result.ok
    assert result.bank.version == "2"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "E104"),
        ("# just a comment\n", "E104"),
        ("- a\n- b\n", "E105"),
        ("just words\n", "E105"),
        ("bank: [\n", "E102"),
        ("bank: !!python/object/apply:os.system [echo hi]\n", "E103"),
    ],
)
def test_whole_file_problems(check, text, code):
    result = check(text)
    assert result.bank is None
    assert code in codes(result)


def test_every_missing_top_level_key_is_listed(check):
    result = check("bank: {id: x, version: '1', title: X}\n")
    missing = sorted(i.message for i in result.issues if i.code == "E202")
    assert len(missing) == 6
    assert any("'questions'" in m for m in missing)


def test_all_problems_at_once(check):
    bank = (
        MINI_BANK.replace("name: Ambition", "nmae: Ambition")
        .replace("weight: 2", "weight: heavy")
        .replace("{id: intro, page: 6}", "{id: nowhere, page: 6}")
    )
    assert set(codes(check(bank))) >= {"E201", "E203", "E303"}


def test_catalogue_codes_are_unique_and_fixes_say_please():
    rules = [v for v in vars(catalogue).values() if isinstance(v, catalogue.Rule)]
    assert len({r.code for r in rules}) == len(rules) == len(catalogue.CATALOGUE)
    assert all(r.fix.startswith("please") for r in rules)


MODULE = "  module_one: {title: One module, dimensions: [T1], module: true}\n"


def test_a_module_is_declared_in_the_bank_not_by_its_id(check):
    """`module: true` makes a form a theme module, whatever its id; the id alone does not."""
    bank = MINI_BANK.replace(
        "questions:\n", MODULE.replace("module_one", "strand_a") + "questions:\n"
    )
    result = check(bank)
    assert result.ok
    assert codes(result) == [], [i.format() for i in result.issues]
    assert [f.id for f in result.bank.forms if f.module] == ["strand_a"]
    assert not result.bank.form("quick").module
    assert not result.bank.form("full").module


def test_module_must_be_true_or_false(check):
    bank = MINI_BANK.replace("questions:\n", MODULE.replace("true", "sometimes") + "questions:\n")
    result = check(bank)
    assert codes(result) == ["E203"]
    assert result.issues[0].line == line_of(bank, "module: sometimes")
    assert not result.ok


def test_the_quick_check_is_never_a_module(check):
    bank = MINI_BANK.replace(
        "quick: {title: Quick check, dimensions: [P1]}",
        "quick: {title: Quick check, dimensions: [P1], module: true}",
    )
    result = check(bank)
    assert codes(result) == ["E311"]
    issue = result.issues[0]
    assert (issue.line, issue.path) == (line_of(bank, "module: true"), "forms.quick.module")
    assert "'quick'" in issue.message
    assert not result.ok


def test_a_form_named_like_a_module_is_asked_to_declare_it(check):
    """A bank written when modules were found by the `module_` prefix is told, not ignored."""
    bank = MINI_BANK.replace("questions:\n", MODULE.replace(", module: true", "") + "questions:\n")
    result = check(bank)
    assert codes(result) == ["W412"]
    assert result.issues[0].line == line_of(bank, "module_one:")
    assert result.ok
    assert not result.bank.form("module_one").module
    assert not check(bank, strict=True).ok
    said = bank.replace("dimensions: [T1]}", "dimensions: [T1], module: false}")
    assert codes(check(said)) == []  # said so: not a module, and no warning
