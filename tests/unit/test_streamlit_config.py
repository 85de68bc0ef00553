"""The served app's settings that keep details from strangers (issue 13, item 5)."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_an_unforeseen_error_shows_no_message_type_or_stack_in_the_browser() -> None:
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["client"]["showErrorDetails"] == "none"


def test_the_developer_menu_is_hidden() -> None:
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["client"]["toolbarMode"] == "viewer"
