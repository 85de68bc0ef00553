"""What the workshop figures share: their titles, the waiting message, and presentation mode.

Why: a projector at the front of a hall needs larger type than a laptop or a
printed report, and every workshop figure must say the same thing while the
room has fewer than k people with levels. One home keeps them alike.

A title is wrapped to a number of characters rather than measured: the
narrowest chart the dashboard draws is about 560 px wide (a 1024 px projector
with the sidebar open), which holds `TITLE_CHARS` characters at the laptop's
title size and `PRESENTATION_TITLE_CHARS` at presentation mode's, even in a
wide fallback font. `finish` adds a line's height to the top margin (and the
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
    "PRESENTATION_FONT",
    "PRESENTATION_TITLE_CHARS",
    "TITLE_CHARS",
    "finish",
    "present",
    "title_lines",
    "waiting",
    "who",
]

#: Base font size in presentation mode (the laptop and the reports keep scoring.plots').
PRESENTATION_FONT = 22
#: Characters per title line on the laptop and in the reports, and in presentation mode.
TITLE_CHARS = 50
PRESENTATION_TITLE_CHARS = 34
_TITLE_FONT = 18  # plotly's title size for scoring.assessment.figures' 13 px base font
_PRESENTATION_TITLE_FONT = PRESENTATION_FONT + 6
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


def title_lines(head: str, dashboard: Dashboard, presentation: bool = False) -> list[str]:
    """ "head (round 1, 3 people)" in lines of at most the mode's width (unescaped).

    One line when it fits; else the head wrapped at word breaks, with what it
    rests on after it on the last line if there is room, or on a line of its own.
    """
    width = PRESENTATION_TITLE_CHARS if presentation else TITLE_CHARS
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
    data: list[dict[str, Any]],
    spec: dict[str, Any],
    head: str,
    dashboard: Dashboard,
    presentation: bool,
) -> go.Figure:
    """The figure of ``data`` and ``spec`` (`scoring.plots.figure`), in `present`'s mode and
    titled in lines that fit.

    The first line sits where plotly puts a one-line title (its baseline half
    way down the top margin) and the others run below it; each adds its height
    to the top margin and to the figure, so the chart keeps its room and size.
    """
    present(data, spec, presentation)
    lines = title_lines(head, dashboard, presentation)
    size = _PRESENTATION_TITLE_FONT if presentation else _TITLE_FONT
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


def present(data: list[dict[str, Any]], spec: dict[str, Any], presentation: bool) -> None:
    """Presentation mode: every font about 1.7 times larger, and the figure taller
    (``data`` and ``spec`` changed in place, as plotly's ``update_*`` would change them:
    the polar and x/y axes' fonts are set whether or not the chart uses them)."""
    if not presentation:
        return
    big, small = PRESENTATION_FONT, PRESENTATION_FONT - 4
    tick = {"tickfont": {"size": small}}
    plots.merge(
        spec,
        {
            "font": {"size": big},
            "title": {"font": {"size": _PRESENTATION_TITLE_FONT}},
            "legend": {"font": {"size": small}},
            "height": int((spec.get("height") or 500) * 1.3),
            # room for the larger title
            "margin": {"t": int((spec.get("margin", {}).get("t") or 80) * 1.5)},
            "polar": {"radialaxis": tick, "angularaxis": tick},
            "xaxis": tick,
            "yaxis": tick,
        },
    )
    for note in spec.get("annotations", []):
        plots.merge(note, {"font": {"size": small}})
    for trace in data:
        kind = trace.get("type")
        if kind in ("bar", "heatmap"):
            plots.merge(trace, {"textfont": {"size": big}})
        elif kind == "scatterpolar" and trace.get("mode") == "lines+markers":
            plots.merge(trace, {"marker": {"size": 14}})
