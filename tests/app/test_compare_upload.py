"""The Compare page's import upload (issue 13, item 4): a 100,003-column file is refused at
once, naming the problem, and past the hour's quota the page says when the next can come."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from questions import load_instrument
from storage.results import imports
from tests.app.conftest import as_read, button, rerun_on
from tests.app.test_compare import PAGE, open_page
from tests.unit.storage.results.test_imports_bounds import wide_csv

QUESTION = load_instrument().bank.questions[0].id
ONE_AREA = f"respondent_id,question_id,answer,area,round\na,{QUESTION},3,Leeds,1\n".encode()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Choose ``data`` as the answers file and press Import."""
    at.file_uploader(key="compare_csv").set_value((name, data, "text/csv"))
    at = rerun_on(at, PAGE)
    button(at, "Import").click()
    return rerun_on(at, PAGE)


def test_the_100003_column_file_is_refused_at_once_naming_the_columns() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="compare_csv").set_value(("wide.csv", wide_csv(), "text/csv"))
    at = rerun_on(at, PAGE)
    button(at, "Import").click()
    start = time.perf_counter()
    at = rerun_on(at, PAGE)
    elapsed = time.perf_counter() - start
    assert not at.exception
    [error] = [as_read(e.value) for e in at.error]
    assert error.startswith("Nothing was imported. wide.csv: row 1, field 'column 51': ")
    assert "the header names at least" in error
    assert "more than the 50 Ladder reads" in error
    assert elapsed < 3.0, f"the page took {elapsed:.2f} s"  # the whole page run, not only the file


def test_past_the_quota_the_page_says_when_the_next_import_can_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(imports, "IMPORTS_PER_HOUR", 1)
    at = upload(open_page(PAGE), "leeds.csv", ONE_AREA)
    assert [as_read(s.value) for s in at.success] == ["Imported 1 assessments from leeds.csv."]
    at = upload(at, "again.csv", ONE_AREA)
    [error] = [as_read(e.value) for e in at.error]
    assert error.startswith(
        "Nothing was imported. Ladder has imported 1 files in the last hour, the most it takes "
        "in an hour; the next can be imported at "
    )
    assert error.endswith(" UTC (in 60 minutes).")
