"""Plotly figures for the results page and the reports (graph_objects only, no I/O).

Why: the app shows these figures and the reports embed the same ones, so they
are built here from plain results, without Streamlit. Every figure:

- uses the Okabe-Ito palette (or cividis for the heatmap), and markers or dash
  styles as well as colour, so nothing relies on colour alone;
- draws a missing score as a gap, never as a zero;
- has a table behind it, for readers who cannot use the chart:
  `radar_table` (a slice of `scoring.assessment.results.results_table`) for `radar`, and
  `scoring.assessment.results.heatmap_frame` / ``Results.heatmap_cells`` for
  `scoring.plots.heatmap`;
- serialises with ``fig.to_json()`` and ``plotly.io.to_html(fig,
  include_plotlyjs=False, full_html=False)``.

Text from the bank or a person goes through `scoring.plain.chart_text` before
plotly sees it: plotly renders a subset of HTML in labels, and a council can
edit the bank.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from scoring import plots
from scoring.assessment.results import Results, results_table
from scoring.format import fmt_target, respondents
from scoring.plain import chart_text
from scoring.plots import FAMILIES, OKABE_ITO, polar_axes

__all__ = ["radar", "radar_table"]


def radar(results: Results, family: str, targets: bool = True, reach: bool = True) -> go.Figure:
    """The profile of one family ('criterion' or 'theme') as a radar chart.

    One axis per dimension asked, in bank order; radial range 1-5, ticks
    labelled with the scale's levels. The score trace is solid with circles;
    the target trace (when `targets` and any target is set) dashed with open
    diamonds; the reach trace (when `reach` and any theme has equity questions)
    dotted with triangles. A dimension without a score is a gap in the line,
    never a point at the centre, and its label says "no score".
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    rows = [r for r in results.rows if r.kind == family]
    title = f"{FAMILIES[family]}: median scores ({respondents(results.n_respondents)})"
    spec = plots.layout(title, height=560)
    if not rows:
        return plots.empty(spec, f"No {FAMILIES[family].lower()} were asked.")
    labels = [plots.axis_label(r.id, r.name, r.score is None) for r in rows]
    names = [chart_text(f"{r.name} ({r.id})") for r in rows]
    scores = [r.score for r in rows]
    data = [
        plots.polar_line(
            "Score (median)",
            labels,
            scores,
            [[n, plots.value_text(s, results.scale)] for n, s in zip(names, scores, strict=True)],
            colour=OKABE_ITO["blue"],
            symbol="circle",
            dash="solid",
        )
    ]
    target_values = [r.target for r in rows]
    if targets and any(t is not None for t in target_values):
        data.append(
            plots.polar_line(
                "Target",
                labels,
                target_values,
                [[n, _target_text(t)] for n, t in zip(names, target_values, strict=True)],
                colour=OKABE_ITO["vermillion"],
                symbol="diamond-open",
                dash="dash",
            )
        )
    reach_values = [r.reach for r in rows]
    if reach and any(v is not None for v in reach_values):
        data.append(
            plots.polar_line(
                "Reach (equity questions)",
                labels,
                reach_values,
                [
                    [n, plots.value_text(v, results.scale)]
                    for n, v in zip(names, reach_values, strict=True)
                ],
                colour=OKABE_ITO["bluish_green"],
                symbol="triangle-up",
                dash="dot",
            )
        )
    spec.update(
        polar=polar_axes(results.scale, len(rows)),
        showlegend=True,
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
    )
    return plots.figure(data, spec)


def radar_table(results: Results, family: str) -> pd.DataFrame:
    """The table behind `radar`: the family's rows of `scoring.assessment.results.results_table`."""
    table = results_table(results)
    kind = "Criterion" if family == "criterion" else "Theme"
    columns = ["ID", "Dimension", "Score", "Level", "n", "Target"]
    return table.loc[table["Family"] == kind, columns].reset_index(drop=True)


def _target_text(target: float | None) -> str:
    return "no target" if target is None else fmt_target(target)
