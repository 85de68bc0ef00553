"""Plotly figures for a comparison: overlaid radars, a heatmap, and a change chart.

Why: the compare page and the comparison report show the same figures, built
here from a `scoring.comparison.results.Comparison` or `Change` without Streamlit. They
follow `scoring.assessment.figures`: the Okabe-Ito palette *and* a distinct marker and
dash per assessment, so no assessment is told apart by colour alone; levels
1-5 on the radial axis (`scoring.plots.polar_axes`); a missing score is a gap,
never a zero; text a person typed (labels, area and dimension names) is
escaped before plotly sees it. Every figure has a table behind it
(``Comparison.table``, ``Comparison.heatmap``, ``Change.table``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from scoring import plots
from scoring.comparison.results import Change, Comparison
from scoring.format import fmt_score
from scoring.intervals import TOO_FEW
from scoring.plain import chart_text
from scoring.plots import FAMILIES, OKABE_ITO, polar_axes
from scoring.rules import level_label

__all__ = [
    "DASHES",
    "GROUP_STYLE",
    "SERIES_COLOURS",
    "SYMBOLS",
    "change_chart",
    "compare_heatmap",
    "overlay_radar",
]

#: One colour per assessment, in order; yellow (faint on white) comes last.
SERIES_COLOURS: tuple[str, ...] = tuple(
    OKABE_ITO[name]
    for name in (
        "blue",
        "vermillion",
        "bluish_green",
        "reddish_purple",
        "orange",
        "sky_blue",
        "black",
        "yellow",
    )
)
#: One marker per assessment, all different, so colour is never the only cue.
SYMBOLS: tuple[str, ...] = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "x",
    "triangle-down",
    "star",
    "cross",
)
#: Line dashes cycle as well (plotly has six).
DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
#: (colour, symbol, dash) of a comparison group's median.
GROUP_STYLE: tuple[str, str, str] = ("#6E6E6E", "hexagram-open", "dot")
_BLANK = "–"


def overlay_radar(
    comparison: Comparison,
    family: str,
    group: pd.DataFrame | None = None,
    group_name: str = "Group median",
) -> go.Figure:
    """One family ('criterion' or 'theme') as a radar, one trace per assessment.

    Axes: the family's dimensions asked in any assessment, in bank order. A
    dimension an assessment has no score on is a gap in its line. `group` (a
    `scoring.comparison.results.group_median` frame) adds a grey dotted trace.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    spec = plots.layout(f"{FAMILIES[family]}: median scores compared", height=600)
    table = comparison.table
    families = dict(zip(table["dimension"], table["family"], strict=True))
    dims = [d for d in comparison.dimensions if families.get(d) == family]
    if not dims:
        return plots.empty(spec, f"No {FAMILIES[family].lower()} were compared.")
    names = _names(table)
    blank = comparison.wide.isna().all(axis=1)
    labels = [plots.axis_label(d, names[d], bool(blank[d])) for d in dims]
    titles = [chart_text(f"{names[d]} ({d})") for d in dims]
    by_label = _cells(table)
    data: list[dict[str, Any]] = []
    for i, label in enumerate(comparison.labels):
        cells = by_label.get(label, {})
        values = [_value(cells, d, "median") for d in dims]
        custom = [[t, _score_text(cells, d, comparison)] for t, d in zip(titles, dims, strict=True)]
        data.append(
            plots.polar_line(
                label,
                labels,
                values,
                custom,
                colour=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                symbol=SYMBOLS[i % len(SYMBOLS)],
                dash=DASHES[i % len(DASHES)],
            )
        )
    if group is not None:
        by_dim = {str(r["dimension"]): r for r in group.to_dict("records")}
        values = [_value(by_dim, d, "median") for d in dims]
        custom = [
            [t, _group_text(by_dim, d, comparison)] for t, d in zip(titles, dims, strict=True)
        ]
        colour, symbol, dash = GROUP_STYLE
        data.append(plots.polar_line(group_name, labels, values, custom, colour, symbol, dash))
    spec.update(
        polar=polar_axes(comparison.scale, len(dims)),
        showlegend=True,
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
    )
    return plots.figure(data, spec)


def compare_heatmap(comparison: Comparison) -> go.Figure:
    """Assessments (rows, in order) x dimensions (columns, bank order) of medians.

    Cividis fixed on 1-5; every cell prints its value, a blank cell "–"; the
    hover gives the dimension's name, n and the interval (or why there is none).
    """
    frame = comparison.heatmap
    title = "Median scores: assessments by dimension"
    spec = plots.layout(title, height=max(280, 160 + 40 * len(frame)))
    if frame.empty or not len(frame.columns):
        return plots.empty(spec, "There are no scores to compare.")
    names = _names(comparison.table)
    by_cell = _cells(comparison.table)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for label in frame.index:
        values = [frame.at[label, d] for d in frame.columns]
        z.append([None if pd.isna(v) else float(v) for v in values])
        text.append([_BLANK if pd.isna(v) else fmt_score(float(v)) for v in values])
        hover.append([_heat_hover(by_cell, label, d, names, comparison) for d in frame.columns])
    levels = comparison.scale.levels
    trace = plots.heatmap_trace(
        z,
        [chart_text(d) for d in frame.columns],
        [chart_text(str(label)) for label in frame.index],
    )
    trace.update(
        colorbar={
            "title": {"text": "Median level"},
            "tickvals": [lv for lv, _ in levels],
            "ticktext": [chart_text(f"{lv} {name}") for lv, name in levels],
        },
        text=text,
        customdata=hover,
    )
    spec.update(
        xaxis={"side": "top", "type": "category"},
        yaxis={"autorange": "reversed", "type": "category"},
        plot_bgcolor="#F2F2F2",
    )
    return plots.figure([trace], spec)


def change_chart(change: Change) -> go.Figure:
    """A dumbbell per dimension: the first date's median to the last's, each with its
    95 % interval as an error bar where n allows; a dimension per row, bank order."""
    comparison = change.comparison
    first, last = change.first, change.last
    title = "What moved from the first date to the last"
    rows = change.table
    spec = plots.layout(title, height=max(300, 150 + 34 * len(rows)))
    if rows.empty:
        return plots.empty(spec, "No dimension was asked at both dates.")
    position = list(range(len(rows)))
    ticks = [chart_text(f"{d} {n}") for d, n in zip(rows["dimension"], rows["name"], strict=True)]
    x_line: list[float | None] = []
    y_line: list[float | None] = []
    for y, a, b in zip(position, rows["first"], rows["last"], strict=True):
        if not (pd.isna(a) or pd.isna(b)):
            x_line += [float(a), float(b), None]
            y_line += [y, y, None]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": x_line,
            "y": y_line,
            "mode": "lines",
            "line": {"color": "#A0A0A0", "width": 3},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    for label, column, offset, style in (
        (first, "first", -0.12, (SERIES_COLOURS[0], "circle-open", 11)),
        (last, "last", 0.12, (SERIES_COLOURS[1], "diamond", 11)),
    ):
        cells = _cells(comparison.table).get(label, {})
        values = [None if pd.isna(v) else float(v) for v in rows[column]]
        low = [_value(cells, d, "low") for d in rows["dimension"]]
        high = [_value(cells, d, "high") for d in rows["dimension"]]
        colour, symbol, size = style
        data.append(
            {
                "type": "scatter",
                "name": chart_text(label),
                "x": values,
                "y": [y + offset for y in position],
                "mode": "markers",
                "marker": {"symbol": symbol, "size": size, "color": colour, "line": {"width": 2}},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": _spread(values, high, +1),
                    "arrayminus": _spread(values, low, -1),
                    "color": colour,
                    "thickness": 1.5,
                    "width": 4,
                },
                "customdata": [
                    [t, _score_text(cells, d, comparison)]
                    for t, d in zip(ticks, rows["dimension"], strict=True)
                ],
                "hovertemplate": "%{customdata[0]}<br>"
                + chart_text(label)
                + ": %{customdata[1]}<extra></extra>",
            }
        )
    spec.update(
        xaxis={
            "range": [0.8, 5.2],
            "tickvals": [lv for lv, _ in comparison.scale.levels],
            "ticktext": [chart_text(f"{lv} {name}") for lv, name in comparison.scale.levels],
            "title": {"text": "Median level (bar: 95 % interval where n allows)"},
        },
        yaxis={"tickvals": position, "ticktext": ticks, "autorange": "reversed"},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return plots.figure(data, spec)


#: One assessment's rows of `Comparison.table`, by dimension id.
_Cells = Mapping[str, Mapping[str, Any]]


def _cells(table: pd.DataFrame) -> dict[str, dict[str, dict[str, Any]]]:
    """`Comparison.table`'s rows by label, then by dimension (read by key: pandas' lookups
    one cell at a time were nearly all of a radar's time)."""
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for row in table.to_dict("records"):
        cells.setdefault(str(row["label"]), {})[str(row["dimension"])] = row
    return cells


def _names(table: pd.DataFrame) -> dict[str, str]:
    pairs = table.drop_duplicates("dimension")
    return dict(zip(pairs["dimension"], pairs["name"], strict=True))


def _value(cells: _Cells, dimension: str, column: str) -> float | None:
    if dimension not in cells:
        return None
    value = cells[dimension][column]
    return None if pd.isna(value) else float(value)


def _score_text(cells: _Cells, dimension: str, comparison: Comparison) -> str:
    """ "3.0 (Developing), n = 6, interval 2.5–3.5" or why there is no score or interval."""
    if dimension not in cells:
        return "not asked"
    n = int(cells[dimension]["n"])
    median = cells[dimension]["median"]
    if pd.isna(median):
        return "no score (n = 0)"
    level = level_label(float(median), comparison.scale)
    interval = str(cells[dimension]["interval"])
    extra = (
        f"interval {interval}" if interval != TOO_FEW else f"{TOO_FEW} (under {comparison.min_n})"
    )
    return chart_text(f"{fmt_score(float(median))} ({level}), n = {n}, {extra}")


def _group_text(group: _Cells, dimension: str, comparison: Comparison) -> str:
    if dimension not in group or pd.isna(group[dimension]["median"]):
        return "hidden: too few areas with a score"
    median = float(group[dimension]["median"])
    areas = int(group[dimension]["n_areas"])
    level = level_label(median, comparison.scale)
    return chart_text(f"{fmt_score(median)} ({level}), median of {areas} areas")


def _heat_hover(
    by_cell: Mapping[str, _Cells], label: Any, dimension: str, names: dict[str, str], c: Comparison
) -> str:
    where = chart_text(f"{label} · {names.get(dimension, dimension)} ({dimension})")
    cells = by_cell.get(str(label), {})
    if dimension not in cells:
        return f"{where}<br>not asked"
    return f"{where}<br>{_score_text(cells, dimension, c)}"


def _spread(values: list[float | None], ends: list[float | None], sign: int) -> list[float | None]:
    """Error-bar lengths from each value to an interval end; None (no bar) where there is none."""
    out: list[float | None] = []
    for value, end in zip(values, ends, strict=True):
        if value is None or end is None or math.isnan(end):
            out.append(None)
        else:
            out.append(max(0.0, sign * (end - value)))
    return out
