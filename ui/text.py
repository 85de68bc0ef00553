"""Text from people and from the bank, shown as typed: never read as Markdown.

Why: Streamlit's text elements (titles, captions, markdown, errors) interpret Markdown, so an
area called ``![x](http://host/x.png)`` would fetch an image and ``[Verify](…)`` would become a
link. `literal` escapes every character Markdown gives a meaning to; what is shown is then
exactly what was typed.
"""

from __future__ import annotations

import re

__all__ = ["literal"]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^])")


def literal(text: object) -> str:
    """``text`` (a name, a title, a question, a message) escaped so Markdown shows it as typed."""
    return _MARKDOWN.sub(r"\\\1", str(text))
