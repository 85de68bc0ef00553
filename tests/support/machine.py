"""What this machine offers the tests (a browser, PostgreSQL), and what to do when it doesn't.

Why: locally a missing Chromium or PostgreSQL should skip its tests with a clear reason,
but CI (``.ci/run``) installs both and sets ``LADDER_REQUIRE_BROWSER=1`` and
``LADDER_REQUIRE_POSTGRES=1``, so there a missing one fails loudly instead of passing quietly.
"""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: axe-core, which `make test` installs from npm (tests/a11y/package-lock.json).
AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
POSTGRES_BINS = Path("/usr/lib/postgresql")


def require_browser() -> Path:
    """The Chromium executable, or skip (fail under LADDER_REQUIRE_BROWSER=1)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return _missing(
        f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)",
        "LADDER_REQUIRE_BROWSER",
    )


def require_axe() -> Path:
    """axe-core's script, or skip (fail under LADDER_REQUIRE_BROWSER=1)."""
    if AXE.is_file():
        return AXE
    return _missing(
        f"axe-core is not installed at {AXE} (make test runs npm ci in tests/a11y; "
        "Debian: apt-get install npm)",
        "LADDER_REQUIRE_BROWSER",
    )


def require_postgres() -> Path:
    """PostgreSQL's bin folder (newest version), or skip (fail under LADDER_REQUIRE_POSTGRES=1)."""
    found = [p.parent for p in POSTGRES_BINS.glob("*/bin/initdb") if os.access(p, os.X_OK)]
    if not found:
        return _missing(
            f"PostgreSQL is not installed (no {POSTGRES_BINS}/*/bin/initdb; "
            "Debian: apt-get install postgresql)",
            "LADDER_REQUIRE_POSTGRES",
        )
    if os.geteuid() == 0 and not _has_user("postgres"):
        return _missing(
            "running as root, but there is no 'postgres' user to run the PostgreSQL server as",
            "LADDER_REQUIRE_POSTGRES",
        )
    return max(found, key=lambda p: _version_key(p.parent.name))


def _missing(reason: str, variable: str) -> Path:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason}; {variable}=1 requires it", pytrace=False)
    pytest.skip(f"{reason}; set {variable}=1 to make this a failure")


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
