"""How roles see it, as a heatmap: dimensions x roles, each cell the role's median.

Why: the gap between groups is often a workshop's most useful finding
(domain_anchors.md L9, L14: a heatmap for theme x role group). The drawing is
`scoring.plots.heatmap` (cividis on 1-5, values printed, blanks as "–"); this
module supplies the table, marks the rows where roles differ by a level or more
with `GAP_MARK`, and names the roles suppressed by k. Only roles and cells the
`Dashboard` shows are drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from scoring import plots
from scoring.format import fmt_score, join
from scoring.plain import chart_text
from scoring.plots import heatmap_spec
from scoring.workshop.model import Dashboard
from scoring.workshop.style import finish, waiting
from scoring.workshop.text import people

__all__ = ["GAP_MARK", "role_heatmap"]

#: Marks a row where the shown roles' medians differ by a level or more.
GAP_MARK = "▲"
_ROW_WIDTH = 36  # characters per line of a dimension's name
_COLUMN_WIDTH = 14  # characters per line of a role's name
_HEADER, _ROW = 330, 40  # pixels: title, role labels and notes; one dimension


def role_heatmap(dashboard: Dashboard) -> go.Figure:
    """Dimensions x shown roles: each role's median, printed in its cell.

    Rows marked `GAP_MARK` are those where the largest and smallest shown role
    medians are a level or more apart. Roles with fewer than k people are not
    drawn; a note under the chart names them. A blank cell ("–") is a dimension
    fewer than k people of the role scored.
    """
    title = "How roles see it: middle level by role"
    if not dashboard.shown or not dashboard.shown_roles:
        spec = plots.layout(title, height=300)
        if not dashboard.shown:
            return finish([], plots.saying(spec, waiting(dashboard)), title, dashboard)
        none = plots.saying(spec, f"No role has {people(dashboard.k)} or more yet.")
        return finish([], none, title, dashboard)
    medians = dashboard.role_medians
    dims = list(dict.fromkeys(medians["dimension"]))
    frame = medians.pivot(index="dimension", columns="role", values="median").reindex(
        index=dims, columns=list(dashboard.shown_roles)
    )
    data, spec = heatmap_spec(frame, scale=dashboard.scale, title=title)
    # Read as dicts once: pandas' lookups one cell at a time were most of the figure's time.
    gap_rows = dashboard.role_gaps[["dimension", "gap_flag", "gap"]].itertuples(index=False)
    gaps = {str(d): (bool(flag), gap) for d, flag, gap in gap_rows}
    names = dict(zip(dashboard.dimensions["dimension"], dashboard.dimensions["name"], strict=True))
    flagged = {d for d in dims if gaps[d][0]}
    given = dashboard.role_counts()
    cells = {
        (d, r): (m, n)
        for d, r, m, n in medians[["dimension", "role", "median", "n"]].itertuples(
            index=False, name=None
        )
    }
    data[0]["customdata"] = [
        [_cell_hover(dashboard, cells[(d, r)], d, r, names[d], gaps) for r in dashboard.shown_roles]
        for d in dims
    ]
    notes = [f"{GAP_MARK} roles' medians are a level or more apart."]
    if dashboard.suppressed_roles:
        hidden = join([dashboard.role_labels[r] for r in dashboard.suppressed_roles])
        notes.append(f"Not shown (fewer than {people(dashboard.k)}): {hidden}.")
    plots.merge(
        spec,
        {
            "yaxis": {
                "title": {"text": "Dimension"},
                "tickvals": [chart_text(d) for d in dims],
                "ticktext": [_row_label(d, names[d], d in flagged) for d in dims],
                "automargin": True,
            },
            "xaxis": {
                "tickvals": [chart_text(r) for r in dashboard.shown_roles],
                "ticktext": [
                    _column_label(dashboard, r, given.get(r, 0)) for r in dashboard.shown_roles
                ],
                "tickangle": 0,
                "automargin": True,
            },
            "annotations": [
                {
                    "align": "left",
                    "showarrow": False,
                    "text": "<br>".join(chart_text(line) for line in notes),
                    "x": 0,
                    "xanchor": "left",
                    "xref": "paper",
                    "y": -0.02,
                    "yanchor": "top",
                    "yref": "paper",
                }
            ],
            "height": _HEADER + _ROW * len(dims),
            "margin": {"t": 90, "b": 90},
        },
    )
    return finish(data, spec, title, dashboard)


def _column_label(dashboard: Dashboard, role: str, n: int) -> str:
    """ "Voluntary, community<br>or faith sector<br>(4 people)": the whole role, wrapped."""
    return f"{plots.wrapped(dashboard.role_labels[role], _COLUMN_WIDTH)}<br>({people(n)})"


def _row_label(dimension: str, name: str, flagged: bool) -> str:
    """The dimension's whole name, wrapped, marked when roles differ by a level or more."""
    mark = f" {GAP_MARK}" if flagged else ""
    return plots.wrapped(f"{dimension} {name}{mark}", _ROW_WIDTH)


def _cell_hover(
    dashboard: Dashboard,
    cell: tuple[float, int],
    dimension: str,
    role: str,
    name: str,
    gaps: Mapping[str, tuple[bool, float]],
) -> str:
    median, n = cell
    where = f"{name} ({dimension}), {dashboard.role_labels[role]}"
    if pd.isna(median):
        what = f"no median: fewer than {people(dashboard.k)} of this role scored it"
    else:
        what = f"middle level {fmt_score(float(median))}, {people(int(n))}"
    text = f"{where}: {what}"
    flag, gap = gaps[dimension]
    if flag:
        text += f" ({GAP_MARK} roles differ by {fmt_score(float(gap))})"
    return chart_text(text)
