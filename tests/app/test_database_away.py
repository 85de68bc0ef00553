"""Messages never leak (issue 13, item 5): a database that cannot be opened gets one
fixed sentence on the page, and its URL or path only in the server log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from storage import StorageError
from tests.app.conftest import open_page, start
from ui.store import UNREACHABLE, database_trouble


def test_database_trouble_says_the_fixed_sentence_and_logs_the_detail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exc = StorageError(
        "cannot use the database at sqlite:////srv/ladder/secret.db (unable to open database "
        "file); please check that it is running"
    )
    with caplog.at_level(logging.WARNING, logger="ladder"):
        assert database_trouble(exc) == UNREACHABLE
        assert database_trouble(exc, "Not saved.") == f"Not saved. {UNREACHABLE}"
    assert UNREACHABLE == (
        "Ladder cannot reach its database just now. Nothing you entered is lost; wait a moment "
        "and try again. If this goes on, tell whoever runs Ladder."
    )
    assert [r.name for r in caplog.records] == ["ladder", "ladder"]
    assert all("/srv/ladder/secret.db" in r.getMessage() for r in caplog.records)
    assert caplog.records[0].exc_info is not None  # the stack goes to the log too


def _unopenable(tmp_path: Path, how: str) -> str:
    if how == "a directory":
        (tmp_path / "adir").mkdir()
        return f"sqlite:///{tmp_path / 'adir'}"
    (tmp_path / "afile").write_text("not a folder")
    return f"sqlite:///{tmp_path / 'afile' / 'sub' / 'x.db'}"


@pytest.mark.parametrize("how", ["a directory", "below a file"])
def test_a_database_that_cannot_be_opened_shows_no_url_or_path(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    url = _unopenable(tmp_path, how)
    monkeypatch.setenv("DATABASE_URL", url)
    with caplog.at_level(logging.WARNING, logger="ladder"):
        at = open_page("app_pages/start.py")
        assert start(at) == ""
    shown = " ".join(e.value for e in at.error)
    assert UNREACHABLE in shown
    page = " ".join(str(getattr(el, "value", "")) for el in at.main)
    for text in (shown, page):
        assert str(tmp_path) not in text
        assert "sqlite" not in text.lower()
        assert "Traceback" not in text
        assert "SELECT" not in text
    assert not at.exception
    assert any(str(tmp_path) in r.getMessage() for r in caplog.records if r.name == "ladder")
