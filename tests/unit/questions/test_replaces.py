"""`replaces:` on a question: how it is read, and the three checks on it (E308-E310)."""

from __future__ import annotations

import pytest

from tests.unit.questions.conftest import MINI_BANK, codes, line_of

P11 = "  - id: P1.1\n"
T11 = "  - id: T1.1\n"
T12 = "  - id: T1.2\n"


def with_replaces(anchor: str, value: str, bank: str = MINI_BANK) -> str:
    """The mini bank with a 'replaces:' line written under the question at anchor."""
    assert anchor in bank
    return bank.replace(anchor, f"{anchor}    replaces: {value}\n", 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("P1.0", ("P1.0",)),
        ('"P1.0"', ("P1.0",)),
        ("[P1.0, P0.9]", ("P1.0", "P0.9")),
        ("[]", ()),
        ("12", ("12",)),
    ],
)
def test_replaces_is_one_id_or_a_list(check, value, expected):
    result = check(with_replaces(P11, value))
    assert result.ok, [i.format() for i in result.issues]
    assert result.bank.question("P1.1").replaces == expected
    assert result.bank.question("T1.1").replaces == ()


def test_a_block_list_is_read_too(check):
    bank = MINI_BANK.replace(P11, P11 + "    replaces:\n      - P1.0\n      - P0.9\n")
    assert check(bank).bank.question("P1.1").replaces == ("P1.0", "P0.9")


@pytest.mark.parametrize(
    ("value", "found"),
    [("{old: P1.0}", "a mapping"), ("", "empty"), ("yes", "yes/no"), ("[P1.0, [x]]", "a list")],
)
def test_replaces_of_the_wrong_kind_is_refused_where_it_is(check, value, found):
    bank = with_replaces(P11, value)
    result = check(bank)
    assert codes(result) == ["E203"], [i.format() for i in result.issues]
    issue = result.issues[0]
    assert issue.line == line_of(bank, "replaces:")
    assert issue.path.startswith("questions[0].replaces")
    assert found in issue.message
    assert result.bank is None


def test_replacing_a_question_still_in_the_bank(check):
    bank = with_replaces(T12, "T1.1")
    result = check(bank)
    assert codes(result) == ["E308"]
    issue = result.issues[0]
    assert (issue.line, issue.path) == (line_of(bank, "replaces: T1.1"), "questions[2].replaces")
    assert issue.message == (
        f"'replaces' names 'T1.1', but 'T1.1' is still a question in this bank "
        f"(line {line_of(bank, 'id: T1.1')})"
    )
    assert issue.fix.startswith("please either delete the question 'T1.1'")
    assert result.bank is None


def test_one_old_id_replaced_by_two_questions(check):
    bank = with_replaces(P11, "OLD1")
    bank = bank.replace(T11, T11 + "    replaces:\n      - OLD9\n      - OLD1\n", 1)
    result = check(bank)
    assert codes(result) == ["E309"]
    issue = result.issues[0]
    assert issue.line == line_of(bank, "      - OLD1")
    assert issue.path == "questions[1].replaces[1]"
    assert "already replaced by the question 'P1.1' (line " in issue.message
    assert f"(line {line_of(bank, 'replaces: OLD1')})" in issue.message
    assert issue.fix.startswith("please either keep 'OLD1'")


def test_a_question_replacing_itself(check):
    bank = with_replaces(T11, "[T0.1, T1.1]")
    result = check(bank)
    assert codes(result) == ["E310"]
    issue = result.issues[0]
    assert (issue.line, issue.path) == (
        line_of(bank, "replaces: [T0.1"),
        "questions[1].replaces[1]",
    )
    assert issue.message == "the question 'T1.1' names itself in 'replaces'"


def test_every_replaces_slip_is_reported_at_once(check):
    bank = with_replaces(P11, "P1.1")
    bank = with_replaces(T11, "P1.1", bank)  # still in the bank
    bank = with_replaces(T12, "[OLD, OLD]", bank)  # the same old id twice
    result = check(bank)
    assert codes(result) == ["E310", "E308", "E309"]
    assert [i.line for i in result.issues] == [
        line_of(bank, "replaces: P1.1", 1),
        line_of(bank, "replaces: P1.1", 2),
        line_of(bank, "replaces: [OLD, OLD]"),
    ]


def test_the_checks_run_even_when_the_question_is_broken_elsewhere(check):
    bank = with_replaces(T12, "T1.1").replace("    evidence: Attendance records.\n", "")
    assert set(codes(check(bank))) == {"E202", "E308"}


def test_the_content_hash_sees_replaces(check):
    plain = check().bank.content_hash
    renamed = check(with_replaces(P11, "P1.0")).bank.content_hash
    other = check(with_replaces(P11, "P0.9")).bank.content_hash
    assert len({plain, renamed, other}) == 3
