"""Text columns are kept as Python strings wherever Ladder runs (set by `common`)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["questions", "scoring", "storage", "corpus", "reports"])
def test_any_package_imported_first_keeps_text_in_python_storage(package: str) -> None:
    """Whichever package a command, the app or a test imports first, a text column built
    afterwards is pandas' "str" dtype in Python storage, not Arrow (see common/__init__)."""
    probe = (
        f"import {package}\n"
        "import pandas as pd\n"
        "s = pd.Series(['a', None])\n"
        "print(s.dtype == 'str', s.dtype.storage, pd.get_option('mode.string_storage'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out == ["True", "python", "python"]
