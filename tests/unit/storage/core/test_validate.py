"""Checks on what people type: cleaned values back, or InputError naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from storage.core import validate
from storage.core.errors import InputError
from storage.core.model import AnswerInput, PlanInput


def error_of(call, *args: object) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args)
    assert "\n" not in caught.value.format()
    return caught.value


# --- Areas -----------------------------------------------------------------


def test_area_name_is_stripped() -> None:
    assert validate.area_name("  Kirklees  ") == "Kirklees"
    assert validate.area_name("Ynys Môn – Anglesey") == "Ynys Môn – Anglesey"
    assert validate.area_name("x" * 120) == "x" * 120


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("x" * 121, "121 characters long; please keep it to 120 or fewer"),
        ("Leeds\nCity", "control character (U+000A)"),
        ("Leeds\x00", "control character (U+0000)"),
        (None, "must be text"),
        (12, "must be text"),
    ],
)
def test_bad_area_names(value: object, says: str) -> None:
    error = error_of(validate.area_name, value)
    assert error.field == "name"
    assert says in error.message


def test_area_kind() -> None:
    assert validate.area_kind("Ward ") == "ward"
    error = error_of(validate.area_kind, "county")
    assert error.format() == (
        "kind: 'county' is not a kind of area; please choose council, ward, partnership, "
        "service or other"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("E06000001", "E06000001"), (" w06000023 ", "W06000023"), ("", None), ("  ", None)],
)
def test_ons_codes(value: str, expected: str | None) -> None:
    assert validate.ons_code(value) == expected
    assert validate.ons_code(None) is None


@pytest.mark.parametrize(
    "value",
    # The fifth ends in an Arabic-Indic digit one: a digit to Python's \d, not an ONS code.
    ["E0600000", "E060000011", "X06000001", "E06 000001", "E0600000\u0661", 6000001],
)
def test_bad_ons_codes_name_the_field_and_the_shape(value: object) -> None:
    error = error_of(validate.ons_code, value)
    assert error.field == "ons_code"
    assert "E06000001" in error.message
    assert error.format() == (
        f"ons_code: {value!r} is not an ONS code; please give a letter E, W, S, N or K followed "
        "by eight digits, e.g. E06000001, or leave it blank"
    )


# --- Ids, titles, steps ------------------------------------------------------


def test_identifiers_are_exact() -> None:
    assert validate.identifier("role", "senior_officer") == "senior_officer"
    for bad in ("", " councillor", "a" * 101, None, "a\tb"):
        assert error_of(validate.identifier, "role", bad).field == "role"


def test_titles_are_optional() -> None:
    assert validate.title(None) is None
    assert validate.title("  ") is None
    assert validate.title(" Spring review ") == "Spring review"
    assert error_of(validate.title, "x" * 201).field == "title"


def test_record_ids_and_steps() -> None:
    assert validate.record_id("area_id", 3) == 3
    assert validate.step(0) == 0
    for bad in (0, -1, True, "3", 2.0):
        assert error_of(validate.record_id, "area_id", bad).field == "area_id"
    for bad in (-1, True, "1", None):
        assert error_of(validate.step, bad).field == "step"


def test_lists_of_record_ids_keep_order_and_drop_repeats() -> None:
    assert validate.record_ids("area_ids", [3, 1, 3], 5) == (3, 1)
    assert validate.record_ids("area_ids", (), 5) == ()
    assert validate.record_ids("area_ids", range(1, 6), 5) == (1, 2, 3, 4, 5)
    for bad in ("12", None, [1, 0], [True]):
        assert error_of(validate.record_ids, "area_ids", bad, 5).field == "area_ids"
    assert "6 were given; please choose 5 or fewer" in str(
        error_of(validate.record_ids, "area_ids", range(1, 7), 5)
    )


def test_moments_as_spreadsheets_write_them() -> None:
    march = date(2025, 3, 15)
    for text, utc in [
        ("2025-03-15", datetime(2025, 3, 15, tzinfo=UTC)),
        (" 2025-03-15T10:30:00Z ", datetime(2025, 3, 15, 10, 30, tzinfo=UTC)),
        ("2025-03-15 10:30+01:00", datetime(2025, 3, 15, 9, 30, tzinfo=UTC)),
        ("15/03/2025", datetime(2025, 3, 15, tzinfo=UTC)),
        ("15/3/2025 10:30", datetime(2025, 3, 15, 10, 30, tzinfo=UTC)),
        ("15/03/2025 10:30:15", datetime(2025, 3, 15, 10, 30, 15, tzinfo=UTC)),
    ]:
        assert validate.moment("when", text) == (march, utc)
    late = validate.moment("when", "2025-03-15T23:30:00-02:00")
    assert late == (march, datetime(2025, 3, 16, 1, 30, tzinfo=UTC))  # the date as written
    for bad in ("", "yesterday", "31/02/2025", "03/15/2025", "2025-13-01", "15.03.2025"):
        error = error_of(validate.moment, "when", bad)
        assert error.field == "when"
        assert "please write it as 2025-03-15" in error.message


def test_group_names() -> None:
    assert validate.group_name("  Nearest neighbours ") == "Nearest neighbours"
    assert validate.group_name("x" * 80) == "x" * 80
    for bad in ("", " ", "x" * 81, "a\x00b", "East\nwards", 7):
        assert error_of(validate.group_name, bad).field == "name"


def test_content_hash() -> None:
    assert validate.content_hash("0" * 64) == "0" * 64
    for bad in ("", "0" * 63, "G" * 64, "A" * 64, None):
        assert error_of(validate.content_hash, bad).field == "content_hash"


# --- Answers and plans -------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [("1", "1"), ("5", "5"), ("dk", "dk"), (" NA ", "na"), ("", ""), (3, "3")],
)
def test_answers_are_canonical(given: object, stored: str) -> None:
    assert validate.answer_input("p1a", AnswerInput(given)).answer == stored  # type: ignore[arg-type]


@pytest.mark.parametrize("given", ["0", "6", "3.5", "yes", None, True, 7])
def test_bad_answers(given: object) -> None:
    error = error_of(validate.answer_input, "p1a", AnswerInput(given))  # type: ignore[arg-type]
    assert error.field == "answers.p1a.answer"
    assert error.message.endswith("please use 1-5, dk, na or leave it blank")


def test_confidence() -> None:
    assert validate.answer_input("q", AnswerInput("3", "HIGH")).confidence == "high"  # type: ignore[arg-type]
    error = error_of(validate.answer_input, "q", AnswerInput("3", "sure"))  # type: ignore[arg-type]
    assert error.format() == (
        "answers.q.confidence: 'sure' is not a confidence; please choose low, medium or high"
    )


def test_evidence_is_kept_exactly_as_typed() -> None:
    text = "  <script>alert('x')</script> & «café» 🙂\r\n\tsecond line  "
    assert validate.answer_input("q", AnswerInput("2", None, text)).evidence == text
    assert validate.answer_input("q", AnswerInput("2", None, "")).evidence == ""
    assert validate.answer_input("q", AnswerInput("2", None, "é" * 4000)).evidence == "é" * 4000


@pytest.mark.parametrize(
    ("evidence", "says"),
    [
        ("x" * 4001, "the evidence is 4,001 characters long; please shorten it to 4,000"),
        ("nul \x00 here", "control character (U+0000)"),
        ("bell \x07", "control character (U+0007)"),
        ("lone \ud800 surrogate", "control character (U+D800)"),
        (42, "evidence must be text"),
    ],
)
def test_bad_evidence(evidence: object, says: str) -> None:
    error = error_of(validate.answer_input, "p2b", AnswerInput("4", None, evidence))  # type: ignore[arg-type]
    assert error.field == "answers.p2b.evidence"
    assert says in error.message


def test_plans() -> None:
    assert validate.plan_input("P1", PlanInput(5, True)) == PlanInput(5, True)
    assert validate.plan_input("P1", PlanInput()) == PlanInput()
    for target in (0, 6, True, "3", 2.5):
        error = error_of(validate.plan_input, "P1", PlanInput(target))  # type: ignore[arg-type]
        assert error.field == "plans.P1.target"
    error = error_of(validate.plan_input, "P1", PlanInput(3, "yes"))  # type: ignore[arg-type]
    assert error.field == "plans.P1.priority"
    assert error_of(validate.plan_input, "P1", {"target": 3}).field == "plans.P1"


# --- Workshops ------------------------------------------------------------------


def test_workshop_titles_are_required() -> None:
    assert validate.workshop_title("  Leaders, March ") == "Leaders, March"
    for bad in (None, "", "  ", "x" * 201, "two\nlines"):
        assert error_of(validate.workshop_title, bad).field == "title"


def test_identifier_lists_keep_order_and_drop_repeats() -> None:
    assert validate.identifiers("roles", ["b", "a", "b"]) == ("b", "a")
    assert validate.identifiers("dimensions", ("P1",)) == ("P1",)
    assert validate.identifiers("dimensions", (d for d in ["T2", "T1"])) == ("T2", "T1")
    assert error_of(validate.identifiers, "roles", []).message == (
        "none were chosen; please choose at least one"
    )
    for bad in ("P1", b"P1", None, 3, ["P1", ""], ["P1", 2]):
        assert error_of(validate.identifiers, "dimensions", bad).field == "dimensions"
    many = [f"T{n}" for n in range(validate.IDS_MAX + 1)]
    assert "201 were chosen" in error_of(validate.identifiers, "dimensions", many).message


def test_k_rounds_and_levels() -> None:
    assert [validate.k(v) for v in (2, 3, 50)] == [2, 3, 50]
    for bad in (1, 51, True, "3", 3.0, None):
        assert error_of(validate.k, bad).format() == (
            f"k: {bad!r} is not a group size; please choose 2 to 50"
        )
    assert validate.round_number(2) == 2
    assert error_of(validate.round_number, 0, "rounds").field == "rounds"
    assert validate.level(None) is None
    assert validate.level(5) == 5
    for bad in (0, 6, True, "3", 2.5):
        assert error_of(validate.level, bad).field == "level"


def test_statuses_and_kinds() -> None:
    assert validate.agreement_status(" Agreed") == "agreed"
    assert error_of(validate.agreement_status, "done").format() == (
        "status: 'done' is not a status; please choose agreed or uncertain"
    )
    assert validate.participant_kind("paper") == "paper"
    assert validate.assessment_kind(" Imported") == "imported"
    assert error_of(validate.participant_kind, "bot").field == "kind"


def test_notes_keep_line_breaks_and_drop_blanks() -> None:
    text = "Agreed 3.\nResidents: «less sure» 🙂\r\n\tsee minutes"
    assert validate.note("note", f"  {text}  ") == text
    assert validate.note("note", None) is None
    assert validate.note("dissent", " \n ") is None
    assert validate.note("note", "x" * validate.NOTE_MAX) == "x" * validate.NOTE_MAX
    for bad, says in (
        ("x" * 4001, "is 4,001 characters long; please shorten it to 4,000"),
        ("nul \x00", "control character (U+0000)"),
        (7, "must be text"),
    ):
        error = error_of(validate.note, "dissent", bad)
        assert error.field == "dissent"
        assert says in error.message


# --- Invisible and right-to-left characters (issue 13, item 2) ----------------

RLO, ZWSP = "\u202e", "\u200b"
#: Every check of a name, title or code people type, with the field it names.
SHOWN = [
    pytest.param(validate.area_name, "name", id="area name"),
    pytest.param(validate.group_name, "name", id="group name"),
    pytest.param(validate.workshop_title, "title", id="workshop title"),
    pytest.param(validate.title, "title", id="assessment title"),
    pytest.param(lambda v: validate.title(v, "source_name"), "source_name", id="source name"),
]


@pytest.mark.parametrize(("check", "field"), SHOWN)
@pytest.mark.parametrize("hidden", [RLO, ZWSP], ids=["RLO", "ZWSP"])
def test_names_and_titles_refuse_invisible_and_right_to_left_characters(
    check, field: str, hidden: str
) -> None:
    caught = error_of(check, f"Leeds{hidden}sdrawkcab")
    assert caught.field == field
    assert "invisible or right-to-left control character" in caught.message
    assert f"U+{ord(hidden):04X}" in caught.message
    assert "please type it again without it" in caught.message
    assert hidden not in caught.format()  # the message names the character, never holds it


@pytest.mark.parametrize(("check", "field"), SHOWN)
def test_names_and_titles_are_stored_as_nfc(check, field: str) -> None:
    assert check(" Fe\u0301ile ") == "F\u00e9ile"


@pytest.mark.parametrize(
    "hidden",
    [
        *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
        *"\u200b\u200c\u200d\u2060\ufeff\u00ad",
    ],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_visible_refuses_every_bidi_control_and_format_character(hidden: str) -> None:
    caught = error_of(validate.visible, "name", f"a{hidden}b", "name")
    assert caught.format().startswith("name: the name contains an invisible")


def test_a_lone_invisible_character_is_refused_not_taken_as_a_name() -> None:
    assert "invisible" in error_of(validate.area_name, ZWSP).message
    assert "invisible" in error_of(validate.title, RLO).message


def test_bank_ids_are_kept_exactly_as_given() -> None:
    assert validate.identifier("role", "cafe\u0301") == "cafe\u0301"
