"""Ladder's look beyond Streamlit's theme: one fixed style sheet every page carries.

Why: Streamlit greys captions to 60 % of the text colour, which fails the contrast that
WCAG 2.2 AA asks of body text (4.5:1; axe-core's color-contrast rule): about 3.6:1 on
white. Captions carry sentences people must read (who can see what, how a figure was
made), so they are drawn in a darker grey that passes (about 7:1). Fixed text of ours,
never anything a person or the bank wrote; docs/accessibility.md lists what it fixes.
"""

from __future__ import annotations

from typing import Final

__all__ = ["APP_STYLE"]

APP_STYLE: Final = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {
  color: #4a4c55 !important; opacity: 1 !important; }
</style>"""
