"""The app starts on the home page, or shows a problems table when the bank is broken.

The broken banks are copies of the shipped bank with one slip each, written to tmp_path
and passed in through LADDER_BANK, so the expected line numbers come from the copy itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from questions import DEFAULT_BANK, load_instrument
from tests.app.conftest import APP
from ui.text import literal

_ID_LINE = re.compile(r'^(\s*- id: )"?([^"\s]+)"?\s*$')


def run_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=30).run()


def problems(at: AppTest) -> list[dict]:
    """The rows of the problems table (the first dataframe on the page)."""
    assert at.dataframe, "expected a problems table"
    return at.dataframe[0].value.to_dict("records")


def question_lines(text: str) -> list[int]:
    """0-based indexes of the ``- id:`` lines in the questions section."""
    lines = text.splitlines()
    start = lines.index("questions:")
    return [i for i, line in enumerate(lines) if i > start and _ID_LINE.match(line)]


def use_bank(monkeypatch: pytest.MonkeyPatch, path: Path, text: str | bytes) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LADDER_BANK", str(path))


def test_home_shows_the_loaded_bank() -> None:
    expected = load_instrument()
    assert expected.ok, "the shipped bank must load for this test to mean anything"
    at = run_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Ladder"]
    assert any(literal(expected.bank.title) in m.value for m in at.markdown)  # as typed
    assert any(literal(expected.bank.version) in m.value for m in at.markdown)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Questions": str(len(expected.bank.questions)),
        "Criteria": str(len(expected.bank.criteria)),
        "Themes": str(len(expected.bank.themes)),
        "Forms": str(len(expected.bank.forms)),
        "Essays": str(len(expected.corpus.essays)),
    }
    assert not at.dataframe, "no problems table on a healthy bank"


def test_broken_bank_lists_every_problem_with_its_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    original = DEFAULT_BANK.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    first, second = question_lines(original)[:2]
    first_id = _ID_LINE.match(lines[first]).group(2)
    lines[second] = f"{_ID_LINE.match(lines[second]).group(1)}{first_id}\n"  # duplicate id
    typo = next(i for i in range(first, second) if lines[i].lstrip().startswith("evidence:"))
    lines[typo] = lines[typo].replace("evidence:", "evidnce:", 1)  # misspelt key
    bank = tmp_path / "bank.yaml"
    use_bank(monkeypatch, bank, "".join(lines))

    at = run_app()

    assert not at.exception
    assert [t.value for t in at.title] == ["The question bank has problems"]
    rows = problems(at)
    assert list(rows[0]) == ["Severity", "Code", "File", "Line", "Where", "Problem", "How to fix"]
    found = {(row["Code"], row["Line"]) for row in rows}
    assert ("E201", typo + 1) in found
    assert ("E205", second + 1) in found
    unknown_key = next(row for row in rows if row["Code"] == "E201")
    assert unknown_key["Severity"] == "Error"
    assert Path(unknown_key["File"]).name == "bank.yaml"
    assert "evidnce" in unknown_key["Problem"]
    assert unknown_key["How to fix"].startswith("Please")
    assert not at.metric, "the home page must not run on a broken bank"

    # The officer fixes the file and presses "Check again": the home page appears.
    bank.write_text(original, encoding="utf-8")
    at.button(key="check_again").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Ladder"]


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        pytest.param("bank:\n\tid: tabbed\n", "E102", 2, id="tab-indented"),
        pytest.param("questions: [unclosed, list\n", "E102", None, id="unclosed-bracket"),
        pytest.param("Our council's questions are in the spreadsheet.\n", "E105", 1, id="prose"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E101", None, id="binary"),
        pytest.param("", "E104", None, id="empty"),
    ],
)
def test_file_that_is_not_a_bank_shows_the_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str | bytes, code: str, line
) -> None:
    use_bank(monkeypatch, tmp_path / "notes.yaml", content)
    at = run_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["The question bank has problems"]
    rows = problems(at)
    assert code in {row["Code"] for row in rows}
    assert all(Path(row["File"]).name == "notes.yaml" for row in rows)
    if line is not None:
        assert next(row["Line"] for row in rows if row["Code"] == code) == line


def test_missing_bank_file_is_a_problem_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LADDER_BANK", str(tmp_path / "no-such-bank.yaml"))
    at = run_app()
    assert not at.exception
    assert "E101" in {row["Code"] for row in problems(at)}


def test_warnings_are_shown_on_home_in_an_expander(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lines = DEFAULT_BANK.read_text(encoding="utf-8").splitlines(keepends=True)
    one = next(i for i, text in enumerate(lines) if re.match(r'^\s+1: "', text))
    assert re.match(r'^\s+2: "', lines[one + 1]), "expected level 2 after level 1"
    lines[one + 1] = lines[one].replace("1:", "2:", 1)  # two levels described alike
    use_bank(monkeypatch, tmp_path / "bank.yaml", "".join(lines))

    at = run_app()

    assert not at.exception
    assert [t.value for t in at.title] == ["Ladder"]
    notes = [e for e in at.expander if e.label.startswith("Notes on the question bank")]
    assert len(notes) == 1
    rows = problems(at)
    assert {row["Severity"] for row in rows} == {"Warning"}
    assert ("W401", one + 2) in {(row["Code"], row["Line"]) for row in rows}


def test_home_offers_a_way_into_every_job_joining_first() -> None:
    """A resident with a code, on a phone, sees Join before anything else (the sidebar is
    folded away there); each job has its own way in."""
    at = run_app()
    assert not at.exception
    links = [(link.label, link.page) for link in at.get("page_link")]
    assert links[0] == ("**Join a workshop** · I have a code from the facilitator", "join")
    # Compare is for administrators: the way to sign in sits beside it.
    assert {page for _, page in links} == {
        "join", "start", "workshop_open", "dashboard", "compare", "admin"
    }  # fmt: skip
