"""What a spreadsheet would run as a formula, and how a text cell is kept text.

Why: a spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return as a formula (OWASP, "CSV injection"), so a name or
an evidence note typed as ``=HYPERLINK("http://...")`` would become a live link
or a calculation in the council's copy. One rule serves the CSV files (a
leading quote, `guard_formula`) and the workbook (a string cell marked with
Excel's quote prefix, `reports.workbook`).
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "guard_formula", "starts_formula"]

#: First characters a spreadsheet treats as the start of a formula (OWASP).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula."""
    return text.startswith(FORMULA_STARTS)


def guard_formula(text: str) -> str:
    """``'=1+1`` for ``=1+1``: text a spreadsheet would run as a formula, made literal."""
    return "'" + text if starts_formula(text) else text
