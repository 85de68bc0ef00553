"""The database for the pages: one engine per process, migrated once, the bank saved once.

Why: every page needs the same engine; opening and migrating it on every
rerun would be slow, and a database that cannot be reached must give a
message an operator can act on, not a traceback.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine

from storage import StorageError, database_url, make_engine, migrate, save_bank


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


@st.cache_resource(show_spinner=False)
def _saved_bank(url: str, bank_hash: str, bank_path: str) -> str:
    bank = st.session_state["instrument"].bank
    return save_bank(_engine(url), bank, Path(bank_path).read_text(encoding="utf-8"))


def engine() -> Engine:
    """The shared engine, or a clear message and a stopped page if the database is unreachable."""
    try:
        return _engine(database_url())
    except StorageError as exc:
        unreachable(exc)
        raise  # unreachable: st.stop() ends the run


def bank_hash() -> str:
    """The content hash of the loaded bank, stored in the database (once per process)."""
    bank = st.session_state["instrument"].bank
    try:
        return _saved_bank(database_url(), bank.content_hash, st.session_state["bank_path"])
    except StorageError as exc:
        unreachable(exc)
        raise


def unreachable(exc: StorageError) -> None:
    """Tell the person the database is away, plainly, and stop the page (never a traceback)."""
    st.error(
        f"Ladder cannot reach its database: {exc}. Nothing you have entered on this page is "
        "lost; wait a moment and reload the page. If this goes on, tell whoever runs Ladder."
    )
    st.stop()
