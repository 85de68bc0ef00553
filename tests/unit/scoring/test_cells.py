"""One rule for what a spreadsheet would run as a formula (CSV and workbook alike)."""

from __future__ import annotations

import pytest

from scoring.cells import FORMULA_STARTS, guard_formula, starts_formula


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_guarded(start: str) -> None:
    text = f'{start}HYPERLINK("http://x")'
    assert starts_formula(text)
    assert guard_formula(text) == "'" + text
    assert not starts_formula(guard_formula(text))


@pytest.mark.parametrize("text", ["Plain words", "3", "", " =1+1", "'=1+1", "Café"])
def test_other_text_is_left_alone(text: str) -> None:
    assert not starts_formula(text)
    assert guard_formula(text) == text
