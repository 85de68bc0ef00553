"""The database for the pages: one engine per process, migrated once, the bank saved once.

Why: every page needs the same engine; opening and migrating it on every
rerun would be slow, and a database that cannot be reached must say so plainly,
not show a traceback. What is wrong (the URL, the file, the server's answer) goes
to the server log for whoever runs Ladder, never to the page: anyone can open
the page, and a database URL or a file path tells an attacker where to look.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine

from storage import StorageError, database_url, make_engine, migrate, save_bank
from ui import state

__all__ = [
    "NOT_SAVED",
    "UNREACHABLE",
    "bank_hash",
    "database_trouble",
    "engine",
    "unreachable",
]

#: The server log; ``python -m streamlit run`` prints warnings from it on stderr.
log = logging.getLogger("ladder")

#: What a person is told when the database fails: the same words whatever went wrong.
UNREACHABLE = (
    "Ladder cannot reach its database just now. Nothing you entered is lost; wait a moment "
    "and try again. If this goes on, tell whoever runs Ladder."
)

#: What a person is told when what they just gave could not be saved (`ui.assessment.survey.save`).
NOT_SAVED = (
    "Not saved — try again in a moment. Ladder cannot reach its database just now. Your "
    "latest answers are kept on this page: keep it open, and they are saved as soon as the "
    "database answers."
)


@st.cache_resource(show_spinner="Opening the database…")
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


@st.cache_resource(show_spinner=False)
def _saved_bank(url: str, bank_hash: str, bank_path: str) -> str:
    bank = state.bank()
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
    bank = state.bank()
    try:
        return _saved_bank(database_url(), bank.content_hash, state.bank_path())
    except StorageError as exc:
        unreachable(exc)
        raise


def database_trouble(exc: StorageError, said: str = "") -> str:
    """What to show when the database fails: ``said`` (e.g. "Not saved.") and `UNREACHABLE`.

    The detail in ``exc`` (which may name the database URL or file) goes to the
    server log, with the stack; the page gets a fixed sentence that holds neither.
    """
    log.warning("the database failed: %s", exc, exc_info=exc)
    return f"{said} {UNREACHABLE}" if said else UNREACHABLE


def unreachable(exc: StorageError) -> None:
    """Tell the person the database is away, plainly, and stop the page (never a traceback).

    Someone whose latest answers are waiting to be saved is told exactly that, with a
    button to try again (any run saves them once the database answers: `ui.assessment.survey`).
    """
    if state.SURVEY_UNSAVED.get():
        database_trouble(exc)
        st.error(NOT_SAVED)
        st.button("Try again", type="primary", key="unsaved_try_again")
    else:
        st.error(database_trouble(exc))
    st.stop()
