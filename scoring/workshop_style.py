"""What the workshop figures share: their titles, the waiting message, and presentation mode.

Why: a projector at the front of a hall needs larger type than a laptop or a
printed report, and every workshop figure must say the same thing while the
room has fewer than k people with levels. One home keeps them alike.
"""

from __future__ import annotations

import plotly.graph_objects as go

from scoring.dashboard import Dashboard
from scoring.dashboard_text import people

__all__ = ["PRESENTATION_FONT", "present", "waiting", "who"]

#: Base font size in presentation mode (the laptop and the reports keep scoring.figures').
PRESENTATION_FONT = 22


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


def present(fig: go.Figure, presentation: bool) -> go.Figure:
    """Presentation mode: every font about 1.7 times larger, and the figure taller."""
    if not presentation:
        return fig
    big, small = PRESENTATION_FONT, PRESENTATION_FONT - 4
    fig.update_layout(
        font={"size": big},
        title={"font": {"size": big + 6}},
        legend={"font": {"size": small}},
        height=int((fig.layout.height or 500) * 1.3),
        margin={"t": int((fig.layout.margin.t or 80) * 1.5)},  # room for the larger title
    )
    fig.update_annotations(font={"size": small})
    fig.update_polars(radialaxis_tickfont_size=small, angularaxis_tickfont_size=small)
    fig.update_xaxes(tickfont={"size": small})
    fig.update_yaxes(tickfont={"size": small})
    fig.update_traces(textfont={"size": big}, selector={"type": "bar"})
    fig.update_traces(textfont={"size": big}, selector={"type": "heatmap"})
    fig.update_traces(
        marker={"size": 14}, selector={"type": "scatterpolar", "mode": "lines+markers"}
    )
    return fig
