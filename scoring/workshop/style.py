"""What the workshop figures share: their titles and the waiting message.

Why: every workshop figure must say the same thing while the room has fewer than k
people with levels, and title itself the same way. One home keeps them alike. (The
projector has its own page, the room view, in words and large type: `ui.workshop.room`.)

A title is wrapped to a number of characters rather than measured: the
narrowest chart the dashboard draws is about 560 px wide (a 1024 px screen
with the sidebar open), which holds `TITLE_CHARS` characters at the title size,
even in a wide fallback font. `finish` adds a line's height to the top margin (and the
figure) for each line after the first.
"""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go

from scoring import plots
from scoring.plain import chart_text
from scoring.workshop.model import Dashboard
from scoring.workshop.text import people

__all__ = [
    "TITLE_CHARS",
    "finish",
    "title_lines",
    "waiting",
    "who",
]

#: Characters per title line on the dashboard and in the reports.
TITLE_CHARS = 50
_TITLE_FONT = 18  # plotly's title size for scoring.assessment.figures' 13 px base font
_LINE_HEIGHT = 1.3  # plotly's line spacing, in font sizes


def who(dashboard: Dashboard) -> str:
    """ "round 2, 14 people": what a figure's title says it rests on."""
    return f"round {dashboard.round}, {people(dashboard.n)}"


def waiting(dashboard: Dashboard) -> str:
    """What a figure shows instead of numbers until n >= k."""
    more = dashboard.needed
    return (
        f"Results appear once {people(dashboard.k)} have given a level: "
        f"{more} more {'is' if more == 1 else 'are'} needed."
    )


def title_lines(head: str, dashboard: Dashboard) -> list[str]:
    """ "head (round 1, 3 people)" in lines of at most `TITLE_CHARS` (unescaped).

    One line when it fits; else the head wrapped at word breaks, with what it
    rests on after it on the last line if there is room, or on a line of its own.
    """
    width = TITLE_CHARS
    rests_on = f"({who(dashboard)})"
    whole = f"{head} {rests_on}"
    if len(whole) <= width:
        return [whole]
    lines = textwrap.wrap(head, width, break_on_hyphens=False) or [""]
    if len(lines[-1]) + 1 + len(rests_on) <= width:
        lines[-1] = f"{lines[-1]} {rests_on}"
    else:
        lines.append(rests_on)
    return lines


def finish(
    data: list[dict[str, Any]], spec: dict[str, Any], head: str, dashboard: Dashboard
) -> go.Figure:
    """The figure of ``data`` and ``spec`` (`scoring.plots.figure`), titled in lines that fit.

    The first line sits where plotly puts a one-line title (its baseline half
    way down the top margin) and the others run below it; each adds its height
    to the top margin and to the figure, so the chart keeps its room and size.
    """
    lines = title_lines(head, dashboard)
    size = _TITLE_FONT
    extra = int((len(lines) - 1) * size * _LINE_HEIGHT)
    top = spec.get("margin", {}).get("t") or 80
    height = (spec.get("height") or 500) + extra
    plots.merge(
        spec,
        {
            "title": {
                "text": "<br>".join(chart_text(line) for line in lines),
                # plotly hangs the lines below the first baseline only with a bottom anchor
                "y": 1 - top / 2 / height,
                "yref": "container",
                "yanchor": "bottom",
                "pad": {"b": 0},
            },
            "margin": {"t": top + extra},
            "height": height,
        },
    )
    return plots.figure(data, spec)
