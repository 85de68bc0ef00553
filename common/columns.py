"""The answers' columns: the long CSV format the brief fixes, as files hold it and as
Ladder stores and exports one assessment's answers.

Why: the answers reader (`scoring.answers`), storage's frames and the exports must agree
on these names and this order, and storage must not import scoring to learn them.
"""

from __future__ import annotations

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "STORED_COLUMNS"]

REQUIRED_COLUMNS: tuple[str, ...] = ("respondent_id", "question_id", "answer")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "area",
    "role",
    "round",
    "confidence",
    "evidence",
    "submitted_at",
)
#: One assessment's answers as Ladder stores and exports them: the brief's long format
#: without ``area`` (an assessment is of one area).
STORED_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS[1:])
