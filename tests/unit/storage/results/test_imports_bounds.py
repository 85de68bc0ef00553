"""Imports are bounded (issue 13, item 4): a quota per hour, and a wide file refused at once.

The quota counts the imports already stored (one ``created_at`` per file), so
it is the database's, shared by every replica; `import_file` is what the
Compare page calls with an upload.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from questions.model import Bank
from scoring.answers import MAX_COLUMNS, AnswersError, parse_answers
from storage.core.access import ANYONE, AccessDenied
from storage.core.errors import InputError
from storage.core.model import Assessment
from storage.core.repo import list_areas
from storage.results import imports
from storage.results.imports import ImportsPaused, check_import_quota, import_file
from tests.unit.storage.factories import dump
from tests.unit.storage.results.test_imports import bank, bank_hash  # noqa: F401 (fixtures)
from tests.unit.storage.results.test_publish import ADMIN

T0 = datetime(2026, 5, 4, 13, 5, 30, tzinfo=UTC)
ONE_AREA = b"respondent_id,question_id,answer,area,round\na,p1a,3,Leeds,1\n"
TWO_AREAS = ONE_AREA + b"b,p1a,4,York,1\nc,p1a,2,York,2\n"


class Clock:
    """`storage.results.imports.now`, moved by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    made = Clock(T0)
    monkeypatch.setattr(imports, "now", made)
    monkeypatch.setattr(imports, "IMPORTS_PER_HOUR", 3)
    return made


Upload = Callable[..., list[Assessment]]


@pytest.fixture
def upload(engine: Engine, bank: Bank, bank_hash: str) -> Upload:  # noqa: F811
    """`import_file` as the page calls it: ``upload(data, name)`` by the administrator."""

    def send(data: bytes = ONE_AREA, name: str = "results.csv") -> list[Assessment]:
        return import_file(
            engine, ADMIN, data, name, bank, bank_hash, partial(parse_answers, bank=bank)
        )

    return send


def use_the_quota(upload: Upload, clock: Clock) -> None:
    """Three one-area files, a second apart from `T0`: the (patched) hour's quota."""
    for n in range(3):
        clock.at = T0 + timedelta(seconds=n)
        upload(name=f"f{n}.csv")


def wide_csv(columns: int = 100_003, rows: int = 1) -> bytes:
    """The issue's worst case: a header of ``columns`` names (the four required first).

    With 100,003 columns and one row it is the issue's 789 KB; built here, never committed.
    """
    names = [
        "respondent_id",
        "question_id",
        "answer",
        "area",
        *(f"c{i}" for i in range(columns - 4)),
    ]
    blanks = "," * (columns - 4)
    lines = [",".join(names), *(f"r{r},p1a,3,Leeds{blanks}" for r in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def test_the_quota_is_thirty_files_an_hour() -> None:
    assert imports.IMPORTS_PER_HOUR == 30


def test_past_the_hours_quota_an_import_is_refused_saying_when_the_next_can_be(
    engine: Engine, upload: Upload, clock: Clock
) -> None:
    for minutes in (0, 10, 20):
        clock.at = T0 + timedelta(minutes=minutes)
        upload(TWO_AREAS, f"file{minutes}.csv")
    clock.at = T0 + timedelta(minutes=30)
    before = dump(engine)
    with pytest.raises(ImportsPaused) as caught:
        upload(name="one-more.csv")
    assert caught.value.message == (
        "Ladder has imported 3 files in the last hour, the most it takes in an hour; "
        "the next can be imported at 14:06 UTC (in 30 minutes)"
    )  # the first left the hour at 14:05:30; said to the minute, never too early
    assert isinstance(caught.value, InputError)
    assert dump(engine) == before
    with pytest.raises(ImportsPaused):
        check_import_quota(engine, ADMIN)
    clock.at = T0 + timedelta(hours=1, seconds=1)  # the first import has left the hour
    check_import_quota(engine, ADMIN)
    upload(name="next-hour.csv")


def test_a_file_of_many_areas_and_rounds_counts_once(upload: Upload, clock: Clock) -> None:
    assert len(upload(TWO_AREAS, "many.csv")) == 3  # three assessments from one file
    for name in ("second.csv", "third.csv"):
        clock.at += timedelta(seconds=1)
        upload(name=name)
    with pytest.raises(ImportsPaused, match="imported 3 files"):
        upload(name="fourth.csv")


def test_the_quota_is_checked_in_the_core_import_too(
    engine: Engine,
    bank: Bank,  # noqa: F811
    bank_hash: str,  # noqa: F811
    upload: Upload,
    clock: Clock,
) -> None:
    """Whatever calls `import_assessments` (a page, a script) meets the same quota."""
    use_the_quota(upload, clock)
    frame = parse_answers(ONE_AREA, "late.csv", bank=bank)
    with pytest.raises(ImportsPaused):
        imports.import_assessments(engine, ADMIN, frame, bank, bank_hash, "late.csv")


def test_when_paused_the_file_is_not_even_read(
    engine: Engine,
    bank: Bank,  # noqa: F811
    bank_hash: str,  # noqa: F811
    upload: Upload,
    clock: Clock,
) -> None:
    use_the_quota(upload, clock)

    def read(data: bytes, name: str) -> pd.DataFrame:
        raise AssertionError("the file was parsed")

    with pytest.raises(ImportsPaused):
        import_file(engine, ADMIN, wide_csv(), "wide.csv", bank, bank_hash, read)


def test_only_an_administrator_learns_of_the_quota(
    engine: Engine,
    bank: Bank,  # noqa: F811
    bank_hash: str,  # noqa: F811
) -> None:
    with pytest.raises(AccessDenied):
        check_import_quota(engine, ANYONE)
    with pytest.raises(AccessDenied):
        import_file(
            engine, ANYONE, ONE_AREA, "x.csv", bank, bank_hash, partial(parse_answers, bank=bank)
        )


def test_the_100003_column_file_is_refused_by_the_upload_in_under_a_second(
    engine: Engine, upload: Upload
) -> None:
    """What the Compare page's upload calls; such a header once took minutes to refuse."""
    data = wide_csv()
    assert 780_000 < len(data) < 800_000  # 789 KB
    start = time.perf_counter()
    with pytest.raises(AnswersError) as caught:
        upload(data, "wide.csv")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"refused in {elapsed:.2f} s"
    assert str(caught.value).startswith(
        f"wide.csv: row 1, field 'column {MAX_COLUMNS + 1}': the header names at least"
    )
    assert f"more than the {MAX_COLUMNS} Ladder reads" in str(caught.value)
    assert list_areas(engine) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    upload: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", len(ONE_AREA) - 1)
    with pytest.raises(InputError, match="larger than 0 MB"):
        upload(name="big.csv")
