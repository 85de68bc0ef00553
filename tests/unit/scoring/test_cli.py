"""``python -m scoring``: exit codes 0/1/2, exact columns, one-line errors, no tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from questions import load_instrument
from scoring.cli import main
from scoring.engine import group_scores
from tests.support.cli import ROOT, run_module

SCORE_HEADER = "dimension,n,median,mean,q1,q3,min,max,coverage"
RESPONDENT_HEADER = "respondent_id,dimension,score,answered,applicable"
AGREEMENT_HEADER = "question_id,n,dk,median,ad_md,rwg,outside_core,class"


@pytest.fixture(scope="module")
def bank():
    instrument = load_instrument()
    assert instrument.ok, [issue.format() for issue in instrument.issues]
    return instrument.bank


@pytest.fixture(scope="module")
def ids(bank) -> list[str]:
    """Two questions of the first dimension and one of the last."""
    first = bank.questions_in(bank.dimensions[0].id)
    last = bank.questions_in(bank.dimensions[-1].id)
    return [first[0].id, first[1].id, last[0].id]


@pytest.fixture
def responses(tmp_path: Path, ids: list[str]) -> Path:
    """Six respondents in two areas and two roles; some dk, na and blanks."""
    a, b, c = ids
    values = {
        "r1": (3, 4, 2),
        "r2": (4, 4, "dk"),
        "r3": (2, "na", 5),
        "r4": (5, 3, ""),
        "r5": (1, "dk", "dk"),
        "r6": (4, 5, 3),
    }
    lines = ["respondent_id,question_id,answer,area,role"]
    for i, (rid, answers) in enumerate(values.items()):
        area, role = ("North", "South")[i % 2], ("officer", "resident")[i // 3]
        lines += [f"{rid},{q},{v},{area},{role}" for q, v in zip((a, b, c), answers, strict=True)]
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_module("scoring", *args)


def ok(*args: str | Path) -> str:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def fails(code: int, *args: str | Path) -> str:
    result = run(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr


# ---------------------------------------------------------------- exit 0


def test_score_matches_the_library_and_has_exact_columns(responses: Path, bank):
    out = ok("score", "--responses", responses)
    assert out.splitlines()[0] == SCORE_HEADER
    assert "\r" not in out
    table = pd.read_csv(io.StringIO(out))
    expected = group_scores(pd.read_csv(responses, dtype=str, keep_default_na=False), bank)
    assert table["dimension"].tolist() == expected["dimension"].tolist()
    assert table["n"].tolist() == expected["n"].tolist()
    assert table["median"].tolist() == pytest.approx(expected["median"].round(4).tolist())
    assert table["coverage"].tolist() == pytest.approx(expected["coverage"].round(4).tolist())


def test_score_by_area_puts_the_group_first(responses: Path):
    out = ok("score", "--responses", responses, "--by", "area")
    lines = out.splitlines()
    assert lines[0] == f"area,{SCORE_HEADER}"
    assert [line.split(",")[0] for line in lines[1:]] == sorted(
        line.split(",")[0] for line in lines[1:]
    )
    assert {line.split(",")[0] for line in lines[1:]} == {"North", "South"}


def test_per_respondent_rows_and_blank_scores(responses: Path, bank, ids):
    out = ok("score", "--responses", responses, "--per-respondent", "--by", "role", "area")
    lines = out.splitlines()
    assert lines[0] == f"role,area,{RESPONDENT_HEADER}"
    last_dimension = bank.question(ids[2]).dimension
    # r5 (a resident in the North) said dk to the last dimension's one item: 0 of 1 answered,
    # so no score - written as an empty field.
    assert f"resident,North,r5,{last_dimension},,0,1" in lines


def test_agreement_has_exact_columns(responses: Path, ids):
    out = ok("agreement", "--responses", responses, "--by", "area")
    lines = out.splitlines()
    assert lines[0] == f"area,{AGREEMENT_HEADER}"
    # North (r1, r3, r5) rated the first item 3, 2, 1: median 2, ad_md 2/3, s^2 = 1 so
    # rwg = 0.5, nobody outside [1, 3] -> consensus.
    assert lines[1] == f"North,{ids[0]},3,0,2.0,0.6667,0.5,0.0,consensus"


def test_json_is_a_list_of_records_with_null(responses: Path):
    records = json.loads(
        ok("score", "--responses", responses, "--per-respondent", "--format", "json")
    )
    assert list(records[0]) == RESPONDENT_HEADER.split(",")
    assert any(r["score"] is None for r in records)
    agreement = json.loads(ok("agreement", "--responses", responses, "--format", "json"))
    assert list(agreement[0]) == AGREEMENT_HEADER.split(",")


def test_an_excel_csv_is_accepted(tmp_path: Path, ids):
    path = tmp_path / "excel.csv"
    text = "respondent_id,question_id,answer\r\n" + f"r1,{ids[0]},3\r\nr2,{ids[0]},4.0\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    lines = ok("score", "--responses", path).splitlines()
    assert lines[1].split(",")[1:3] == ["2", "3.5"]


def test_rounds_are_scored_apart_with_by_round(tmp_path: Path, ids):
    path = tmp_path / "rounds.csv"
    path.write_text(
        f"respondent_id,question_id,answer,round\nr1,{ids[0]},2,1\nr1,{ids[0]},4,2\n",
        encoding="utf-8",
    )
    lines = ok("score", "--responses", path, "--by", "round").splitlines()
    fields = [line.split(",") for line in lines[1:]]
    assert [[f[0], f[2], f[3]] for f in fields] == [["1", "1", "2.0"], ["2", "1", "4.0"]]
    error = fails(1, "score", "--responses", path)
    assert error.count("\n") == 1
    assert "row 3, field 'question_id'" in error
    assert "please score them separately with --by round" in error


# ---------------------------------------------------------------- exit 1


def test_a_bad_answer_is_one_line_naming_row_and_field(responses: Path):
    text = responses.read_text().replace(",dk,", ",maybe,", 1)
    responses.write_text(text)
    row = next(i for i, line in enumerate(text.splitlines(), 1) if ",maybe," in line)
    error = fails(1, "score", "--responses", responses)
    assert error == (
        f"{responses}: row {row}, field 'answer': 'maybe' is not an answer; "
        "please use 1-5, dk, na or leave it blank\n"
    )


def test_a_missing_file(tmp_path: Path):
    error = fails(1, "agreement", "--responses", tmp_path / "none.csv")
    assert error == f"{tmp_path / 'none.csv'}: there is no such file; please check the path\n"


def test_an_unknown_question(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,question_id,answer\nr1,NOPE-1,3\n", encoding="utf-8")
    error = fails(1, "score", "--responses", path)
    assert error.startswith(f"{path}: row 2, field 'question_id': 'NOPE-1' is not a question")


@pytest.mark.parametrize("column", ["ward", "answer"])
def test_by_must_name_another_column_of_the_csv(responses: Path, column: str):
    error = fails(1, "score", "--responses", responses, "--by", "area", column)
    assert error.startswith(f"{responses}: row 1, field '{column}': ")
    assert error.count("\n") == 1


def test_bank_issues_are_listed_one_per_line(tmp_path: Path, responses: Path):
    broken = tmp_path / "bank.yaml"
    broken.write_text("bank: [unclosed\n", encoding="utf-8")
    error = fails(1, "score", "--responses", responses, "--bank", broken)
    lines = error.splitlines()
    assert lines
    assert all(line.startswith(f"{broken}:") for line in lines), lines


def test_a_semicolon_file(tmp_path: Path):
    path = tmp_path / "semi.csv"
    path.write_text("respondent_id;question_id;answer\nr1;P1;3\n", encoding="utf-8")
    error = fails(1, "score", "--responses", path)
    assert "row 1" in error
    assert "semicolons" in error


# ---------------------------------------------------------------- exit 2


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("score",),
        ("rank", "--responses", "x.csv"),
        ("score", "--responses", "x.csv", "--format", "xml"),
        ("agreement", "--responses", "x.csv", "--per-respondent"),
    ],
)
def test_usage_errors_exit_2(args):
    error = fails(2, *args)
    assert "usage: python -m scoring" in error


# ---------------------------------------------------------------- in process


def test_main_in_process_writes_to_the_given_streams(responses: Path):
    out, err = io.StringIO(), io.StringIO()
    assert main(["score", "--responses", str(responses)], stdout=out, stderr=err) == 0
    assert out.getvalue().startswith(SCORE_HEADER + "\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["score", "--responses", str(responses), "--by", "x"], out, err) == 1
    assert out.getvalue() == ""
    assert "field 'x'" in err.getvalue()


def test_scoring_never_imports_streamlit():
    code = "import sys, scoring, scoring.cli; print('streamlit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_a_group_named_like_a_formula_is_written_as_text(responses: Path):
    """Issue 13, item 1: an area typed as ``=HYPERLINK(...)`` in the input is not a live
    formula in the CSV the council opens in a spreadsheet."""
    text = responses.read_text(encoding="utf-8").replace(",North,", ',"=HYPERLINK(""x"")",')
    responses.write_text(text, encoding="utf-8")
    table = pd.read_csv(io.StringIO(ok("score", "--responses", responses, "--by", "area")))
    assert set(table["area"]) == {'\'=HYPERLINK("x")', "South"}
