"""Text for plotly figures, shown as typed: never read as HTML or as a template.

Why: plotly draws a subset of HTML in every label it shows (titles, legend
names, tick labels, hover text, annotations): ``<b>``, ``<br>``, ``<a href>``
and entities such as ``&lt;``; and it fills ``%{...}`` from the data in hover
templates and from ``layout.meta`` in titles and names. An area, a workshop or
a role a person named, and any text from the bank (which a council can edit),
must appear exactly as written. `chart_text` turns the characters plotly gives
a meaning to into numeric or named entities, which plotly draws as the
characters themselves.
"""

from __future__ import annotations

__all__ = ["chart_text"]

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;"})


def chart_text(text: object) -> str:
    """``text`` escaped so a plotly label shows it as typed (``<b>`` -> ``&lt;b&gt;``)."""
    return str(text).translate(_ENTITIES)
