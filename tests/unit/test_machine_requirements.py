"""Missing Chromium or PostgreSQL: skip locally, fail when CI says the tool is required."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import machine


@pytest.fixture
def bare_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(machine, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(machine, "POSTGRES_BINS", tmp_path / "no-postgresql")


@pytest.mark.parametrize(
    ("check", "variable", "named"),
    [
        (machine.require_browser, "LADDER_REQUIRE_BROWSER", "Chromium"),
        (machine.require_postgres, "LADDER_REQUIRE_POSTGRES", "PostgreSQL"),
    ],
)
@pytest.mark.usefixtures("bare_machine")
def test_missing_tool_skips_unless_required(
    monkeypatch: pytest.MonkeyPatch, check, variable: str, named: str
) -> None:
    monkeypatch.delenv(variable, raising=False)
    with pytest.raises(pytest.skip.Exception, match=named):
        check()
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{named}.*{variable}=1 requires it"):
        check()


def test_newest_postgres_version_is_chosen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        initdb = tmp_path / version / "bin" / "initdb"
        initdb.parent.mkdir(parents=True)
        initdb.write_text("#!/bin/sh\n")
        initdb.chmod(0o755)
    monkeypatch.setattr(machine, "POSTGRES_BINS", tmp_path)
    monkeypatch.setattr(machine, "_has_user", lambda name: True)
    assert machine.require_postgres() == tmp_path / "15" / "bin"
