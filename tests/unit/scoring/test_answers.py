"""Reading answers CSVs: what spreadsheets write is accepted; every mistake is one clear line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import answers
from scoring.answers import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_HEADER_BYTES,
    AnswersError,
    parse_answers,
    read_answers,
)
from tests.unit.scoring.factories import make_bank

BANK = make_bank()
HEADER = "respondent_id,question_id,answer"


def csv_bytes(*lines: str, end: str = "\n") -> bytes:
    return end.join(lines).encode("utf-8") + end.encode()


def problem(data: bytes, name: str = "answers.csv") -> AnswersError:
    """The error for `data`, checked to be one line that starts with the file name."""
    with pytest.raises(AnswersError) as caught:
        parse_answers(data, name, BANK)
    text = str(caught.value)
    assert "\n" not in text
    assert "\r" not in text
    assert text.startswith(f"{name}: ")
    return caught.value


# ---------------------------------------------------------------- accepted input


def test_an_excel_csv_with_bom_and_crlf_is_accepted():
    data = codecs.BOM_UTF8 + csv_bytes(
        f"{HEADER},area",
        "r1,p1a,3,North",
        "r1,p1b,DK,North",
        "r2,p1a, 4.0 ,South",
        "r2,p1b,,South",
        "r3,p1a,Na,South",
        "",
        ",,,",
        end="\r\n",
    )
    table = parse_answers(data, "excel.csv", BANK)
    assert list(table.columns) == ["respondent_id", "question_id", "answer", "area"]
    assert table["answer"].tolist() == ["3", "dk", "4", "", "na"]
    assert table.index.tolist() == [2, 3, 4, 5, 6]  # CSV row numbers; blank rows dropped
    assert table.index.name == "row"
    assert str(table["answer"].dtype) == "str"


def test_quoted_fields_with_commas_and_line_breaks_keep_row_numbers():
    data = csv_bytes(
        f"{HEADER},evidence",
        'r1,p1a,3,"minutes, 2024"',
        'r1,p1b,2,"two',
        'lines"',
        "r2,p1a,5,plain",
    )
    table = parse_answers(data, "quoted.csv", BANK)
    assert table["evidence"].tolist() == ["minutes, 2024", "two\nlines", "plain"]
    assert table.index.tolist() == [2, 3, 5]
    late = problem(data.replace(b"r2,p1a,5", b"r2,p1a,9"))
    assert late.row == 5  # the physical line, after the two-line record


def test_header_names_are_case_insensitive_and_extra_columns_kept():
    table = parse_answers(csv_bytes("Respondent_ID, Question_Id ,ANSWER,Ward", "r1,p1a,3,W1"))
    assert list(table.columns) == ["respondent_id", "question_id", "answer", "Ward"]
    assert table["Ward"].tolist() == ["W1"]


def test_a_header_alone_gives_an_empty_table():
    table = parse_answers(csv_bytes(HEADER), "empty.csv", BANK)
    assert len(table) == 0
    assert list(table.columns) == ["respondent_id", "question_id", "answer"]


def test_the_same_question_in_two_rounds_is_not_a_repeat():
    data = csv_bytes(f"{HEADER},round", "r1,p1a,2,1", "r1,p1a,4,2")
    assert parse_answers(data, "rounds.csv", BANK)["answer"].tolist() == ["2", "4"]


def test_read_answers_reads_a_file(tmp_path: Path):
    path = tmp_path / "answers.csv"
    path.write_bytes(csv_bytes(HEADER, "r1,p1a,5"))
    assert read_answers(path, BANK)["answer"].tolist() == ["5"]


SAFE = st.text(alphabet="abcXYZ019 -_.", max_size=6)


@settings(deadline=None)  # timing is the benchmark's job, not the tests'
@given(
    st.lists(st.tuples(SAFE, st.sampled_from(["1", "5", "dk", "NA", "", "2.0"]), SAFE), max_size=15)
)
def test_fast_and_exact_readers_agree(rows):
    rows = [(f"r{i}-{rid.strip()}", ans, extra) for i, (rid, ans, extra) in enumerate(rows)]
    plain = csv_bytes(f"{HEADER},note", *(f"{r},p1a,{a},{e}" for r, a, e in rows))
    quoted = csv_bytes(f"{HEADER},note", *(f'"{r}","p1a","{a}","{e}"' for r, a, e in rows))
    fast = parse_answers(plain, "a.csv", BANK)  # no quotes: pandas' C reader
    exact = parse_answers(quoted, "a.csv", BANK)  # quotes: the csv module
    assert fast.to_dict("index") == exact.to_dict("index")
    assert list(fast.columns) == list(exact.columns)


# ---------------------------------------------------------------- mistakes, one line each


def test_a_missing_file(tmp_path: Path):
    path = tmp_path / "nope.csv"
    with pytest.raises(AnswersError, match=r"nope\.csv: there is no such file"):
        read_answers(path, BANK)


def test_a_folder_instead_of_a_file(tmp_path: Path):
    with pytest.raises(AnswersError, match="this is a folder"):
        read_answers(tmp_path, BANK)


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, b" \r\n\n"])
def test_an_empty_file(data):
    assert "the file is empty" in str(problem(data))


def test_a_binary_file():
    error = problem(b"respondent_id,question_id,answer\nr1,p1a,\x00\x01\n")
    assert (error.row, "NUL bytes" in error.message) == (2, True)


def test_an_excel_workbook():
    assert "an Excel workbook" in str(problem(b"PK\x03\x04\x14\x00\x06\x00"))


def test_utf16_text():
    error = problem(HEADER.encode("utf-16"))
    assert (error.row, "UTF-16" in error.message) == (1, True)


def test_a_non_utf8_byte_names_its_row_and_field():
    error = problem(csv_bytes(f"{HEADER},evidence", "r1,p1a,3,ok") + b"r1,p1b,3,caf\xe9\n")
    assert (error.row, error.field) == (3, "evidence")
    assert "0xE9 is not UTF-8" in str(error)
    assert str(error).startswith("answers.csv: row 3, field 'evidence': ")


def test_a_non_utf8_byte_in_the_header():
    error = problem(b"respondent_id,question_id,answer,d\xe9tail\nr1,p1a,3,x\n")
    assert (error.row, error.field) == (1, "column 4")


def test_a_semicolon_separated_file():
    error = problem(csv_bytes("respondent_id;question_id;answer", "r1;p1a;3"))
    assert error.row == 1
    assert "separated by semicolons" in error.message
    assert "CSV UTF-8 (Comma delimited)" in error.message


def test_a_semicolon_separated_file_with_a_comma_in_a_heading():
    error = problem(csv_bytes("respondent_id;question_id;answer;notes, misc", "r1;p1a;3;x"))
    assert "separated by semicolons" in error.message


def test_a_tab_separated_file():
    assert "separated by tabs" in problem(csv_bytes("respondent_id\tquestion_id\tanswer")).message


def test_a_semicolon_separated_row():
    error = problem(csv_bytes(HEADER, "r1,p1a,3", "r1;p1b;3"))
    assert (error.row, error.field) == (3, "respondent_id")
    assert "semicolons" in error.message


def test_missing_required_columns_are_named():
    error = problem(csv_bytes("respondent_id,item,value", "r1,p1a,3"))
    assert (error.row, error.field) == (1, "question_id")
    assert "'question_id', 'answer'" in error.message


def test_a_repeated_or_blank_heading():
    assert problem(csv_bytes(f"{HEADER},area,area", "r1,p1a,3,N,S")).field == "area"
    assert problem(csv_bytes(f"{HEADER},,x", "r1,p1a,3,,x")).field == "column 4"


def test_a_row_with_too_few_fields():
    error = problem(csv_bytes(HEADER, "r1,p1a,3", "r1,p1b"))
    assert (error.row, error.field) == (3, "answer")
    assert "2 field(s) but the header names 3 columns" in error.message


def test_a_row_with_too_many_fields():
    error = problem(csv_bytes(HEADER, "r1,p1a,3,4"))
    assert (error.row, error.field) == (2, "column 4")
    assert "put double quotes around text" in error.message


def test_an_unknown_question_id():
    error = problem(csv_bytes(HEADER, "r1,p1a,3", "r1,p1aa,3"))
    assert (error.row, error.field) == (3, "question_id")
    assert "'p1aa' is not a question in bank 'test'" in error.message
    assert "did you mean 'p1a'?" in error.message


@pytest.mark.parametrize("value", ["6", "0", "maybe", "3.5", "-1"])
def test_an_answer_outside_the_allowed_set(value):
    error = problem(csv_bytes(HEADER, "r1,p1a,3", f"r1,p1b,{value}"))
    assert str(error) == (
        f"answers.csv: row 3, field 'answer': '{value}' is not an answer; "
        "please use 1-5, dk, na or leave it blank"
    )


def test_a_repeated_answer_names_both_rows():
    error = problem(csv_bytes(HEADER, "r1,p1a,3", "r2,p1a,3", "r1,p1a,4"))
    assert (error.row, error.field) == (4, "question_id")
    assert "already answered 'p1a' on row 2" in error.message


def test_a_repeated_answer_within_one_round():
    error = problem(csv_bytes(f"{HEADER},round", "r1,p1a,3,1", "r1,p1a,4,2", "r1,p1a,5,1"))
    assert error.row == 4
    assert "in round '1' on row 2" in error.message


@pytest.mark.parametrize(("line", "field"), [(",p1a,3", "respondent_id"), ("r1,,3", "question_id")])
def test_blank_ids(line, field):
    error = problem(csv_bytes(HEADER, "r1,p1a,3", line))
    assert (error.row, error.field) == (3, field)
    assert "it is blank" in error.message


def test_the_first_problem_in_row_order_wins():
    bad_answer_first = csv_bytes(HEADER, "r1,p1a,9", "r1,p1b,2", "r1,p1c,3") + b"r2,p1a,\xe9\n"
    assert problem(bad_answer_first).row == 2
    bad_byte_first = csv_bytes(HEADER, "r1,p1a,1") + b"r1,p1b,\xe9\n" + csv_bytes("r1,p1c,9")
    assert (problem(bad_byte_first).row, problem(bad_byte_first).field) == (3, "answer")
    short_row_first = csv_bytes(HEADER, "r1,p1a,3", "r1,p1b", "r1,p1c,9")
    assert problem(short_row_first).row == 3
    # On one row, the checks go in column order: a blank id before a bad answer.
    assert problem(csv_bytes(HEADER, ",p1a,9")).field == "respondent_id"


def test_errors_read_as_one_line_even_for_odd_values():
    error = problem(csv_bytes(f"{HEADER},evidence", 'r1,p1a,"x\ny",z'))
    assert str(error) == (
        r"answers.csv: row 2, field 'answer': 'x\ny' is not an answer; "
        "please use 1-5, dk, na or leave it blank"
    )


# ---------------------------------------------------------------- limits: refused before the body


def wide_csv(columns: int, rows: int = 3) -> bytes:
    """The issue's worst case: a header of `columns` names (the three required first), a few rows.

    With 100,003 columns this is about 900 kB; it took `scoring score` minutes and
    hundreds of MB before the header was checked first. Built here, never committed.
    """
    names = ["respondent_id", "question_id", "answer", *(f"c{i}" for i in range(columns - 3))]
    blanks = "," * (columns - 3)
    return csv_bytes(",".join(names), *(f"r{r},p1a,3{blanks}" for r in range(rows)))


def test_a_header_of_100003_columns_is_refused_from_the_header_alone(
    monkeypatch: pytest.MonkeyPatch,
):
    def body_read(*args, **kwargs):
        raise AssertionError("the body was parsed")

    for reader in ("_encoding_stop", "_fast_records", "_slow_records", "_columns"):
        monkeypatch.setattr(answers, reader, body_read)
    data = wide_csv(100_003)
    assert len(data) > 800_000
    error = problem(data, "wide.csv")
    assert (error.row, error.field) == (1, f"column {MAX_COLUMNS + 1}")
    assert f"more than the {MAX_COLUMNS} Ladder reads" in error.message
    assert "header names at least" in error.message  # counted within the first 64 KB only


def test_too_many_columns_in_a_short_header_are_counted_exactly():
    error = problem(wide_csv(MAX_COLUMNS + 1, rows=1))
    assert str(error).startswith(
        f"answers.csv: row 1, field 'column {MAX_COLUMNS + 1}': "
        f"the header names {MAX_COLUMNS + 1} columns, more than the {MAX_COLUMNS} Ladder reads"
    )


def test_the_most_columns_allowed_are_read_as_before():
    table = parse_answers(wide_csv(MAX_COLUMNS, rows=2), "wide.csv", BANK)
    assert table.shape == (2, MAX_COLUMNS)
    assert table["answer"].tolist() == ["3", "3"]


def test_a_header_longer_than_the_limit_is_refused():
    long_name = "x" * MAX_HEADER_BYTES
    error = problem(csv_bytes(f"{HEADER},{long_name}", "r1,p1a,3,y"))
    assert (error.row, error.field) == (1, "column 4")
    assert f"longer than {MAX_HEADER_BYTES // 1024} KB" in error.message


def test_a_quoted_line_break_in_the_header_stays_one_header():
    table = parse_answers(csv_bytes(f'{HEADER},"two\nlines"', "r1,p1a,3,x"), "q.csv", BANK)
    assert list(table.columns)[-1] == "two\nlines"
    assert table.index.tolist() == [3]


def test_a_cell_over_the_limit_names_its_row_and_column():
    big = "e" * (MAX_CELL_CHARS + 1)
    error = problem(csv_bytes(f"{HEADER},evidence", "r1,p1a,3,ok", f"r1,p1b,3,{big}", "r1,p1c,9,x"))
    assert (error.row, error.field) == (3, "evidence")
    assert f"{MAX_CELL_CHARS + 1:,} characters long" in error.message
    fits = csv_bytes(f"{HEADER},evidence", f"r1,p1a,3,{'e' * MAX_CELL_CHARS}")
    assert parse_answers(fits, "a.csv", BANK)["evidence"].str.len().tolist() == [MAX_CELL_CHARS]
