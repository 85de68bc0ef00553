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
    "OVERLAID_AT_MOST",
    "SERIES_COLOURS",
    "SYMBOLS",
    "change_chart",
    "compare_heatmap",
    "overlay_radar",
    "profile",
    "small_radars",
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
    dims = _family_dims(comparison, family)
    spec = plots.layout(f"{FAMILIES[family]}: median scores compared", height=600)
    table = comparison.table
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
    """Dimensions (rows, bank order, each by its whole name) x assessments (columns, in
    order) of medians.

    Cividis fixed on 1-5; every cell prints its value at a size a room can read, a blank
    cell "–"; the hover gives the dimension's name, n and the interval (or why there is
    none). Why this way round: names of dimensions are long and there are up to 22 of
    them, so they read down the side; the assessments (at most eight) head the columns.
    """
    frame = comparison.heatmap
    title = "Median scores: each dimension by assessment"
    spec = plots.layout(title, height=max(300, 160 + 26 * len(frame.columns)))
    if frame.empty or not len(frame.columns):
        return plots.empty(spec, "There are no scores to compare.")
    names = _names(comparison.table)
    by_cell = _cells(comparison.table)
    dims = list(frame.columns)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for d in dims:
        values = [frame.at[label, d] for label in frame.index]
        z.append([None if pd.isna(v) else float(v) for v in values])
        text.append([_BLANK if pd.isna(v) else fmt_score(float(v)) for v in values])
        hover.append([_heat_hover(by_cell, label, d, names, comparison) for label in frame.index])
    levels = comparison.scale.levels
    # Up to three columns are headed by their labels; more are numbered, with a key under
    # the cells: a printed page gives eight columns ~25 px each, too narrow for any label.
    numbered = len(frame.index) > OVERLAID_AT_MOST
    if numbered:
        heads = [str(i) for i in range(1, len(frame.index) + 1)]
        key = [chart_text(f"{i}: {label}") for i, label in enumerate(frame.index, 1)]
        spec["annotations"] = [
            {
                "text": "<br>".join(key),
                "x": 0,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -12,
                "align": "left",
                "showarrow": False,
                "font": {"size": 12},
            }
        ]
    else:
        heads = [plots.wrapped(str(label), _HEAT_LABEL_WIDTH) for label in frame.index]
    trace = plots.heatmap_trace(z, heads, [chart_text(f"{d} {names.get(d, d)}") for d in dims])
    # The column heads' lines stand between the title and the cells; the key under them.
    head_lines = max(h.count("<br>") + 1 for h in heads)
    key_lines = len(frame.index) if numbered else 0
    margin = spec.get("margin", {})
    spec["margin"] = {**margin, "t": 70 + 17 * head_lines, "b": 40 + 17 * key_lines}
    spec["height"] += 17 * (head_lines + key_lines)
    trace.update(
        colorbar={
            "thickness": 14,
            "title": {"text": "Median level"},
            "tickvals": [lv for lv, _ in levels],
            "ticktext": [chart_text(f"{lv} {name}") for lv, name in levels],
        },
        text=text,
        textfont={"size": _HEAT_TEXT_SIZE},
        customdata=hover,
    )
    spec.update(
        xaxis={
            "side": "top",
            "type": "category",
            "tickfont": {"size": 12},
            "tickangle": 0,
            "automargin": True,
        },
        yaxis={
            "autorange": "reversed",
            "type": "category",
            "tickfont": {"size": 13},
            "automargin": True,
        },
        plot_bgcolor="#F2F2F2",
    )
    return plots.figure([trace], spec)


#: Above this many assessments a profile is drawn as small multiples, not overlaid lines.
OVERLAID_AT_MOST = 3
#: The heatmap's cell numbers and the width its column heads wrap at.
_HEAT_TEXT_SIZE = 14
_HEAT_LABEL_WIDTH = 18
#: Small multiples: radars per row, and each one's height.
_PER_ROW = 3
_SMALL_HEIGHT = 240


def small_radars(comparison: Comparison, family: str) -> go.Figure:
    """One family as one small radar per assessment, the reference's line in grey dots in
    each of the others, so each is read against it without a tangle of lines.

    Same axes, levels and escaping as `overlay_radar`; rows of three; each radar is titled
    with its assessment's label.
    """
    dims = _family_dims(comparison, family)
    labels_in = comparison.labels
    per_row = _PER_ROW if len(labels_in) <= 2 * _PER_ROW else _PER_ROW + 1
    rows = math.ceil(len(labels_in) / per_row) or 1
    spec = plots.layout(
        f"{FAMILIES[family]}: one radar per assessment, the reference in grey",
        height=120 + rows * _SMALL_HEIGHT,
    )
    table = comparison.table
    if not dims:
        return plots.empty(spec, f"No {FAMILIES[family].lower()} were compared.")
    names = _names(table)
    titles = [chart_text(f"{names[d]} ({d})") for d in dims]
    by_label = _cells(table)
    reference = by_label.get(comparison.reference, {})
    short = [chart_text(d) for d in dims]  # the dimension ids: whole names are in the hover
    axes: dict[str, Any] = plots.merge(
        dict(polar_axes(comparison.scale, len(dims))),
        {"angularaxis": {"tickfont": {"size": 10}}, "radialaxis": {"showticklabels": False}},
    )
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    width, height = 1 / per_row, 1 / rows
    for i, label in enumerate(labels_in):
        row, col = divmod(i, per_row)
        name = "polar" if i == 0 else f"polar{i + 1}"
        x0, y1 = col * width, 1 - row * height
        spec[name] = {
            **axes,
            "domain": {"x": [x0 + 0.04, x0 + width - 0.04], "y": [y1 - height + 0.06, y1 - 0.1]},
        }
        cells = by_label.get(label, {})
        if label != comparison.reference:
            ref = plots.polar_line(
                comparison.reference,
                short,
                [_value(reference, d, "median") for d in dims],
                [
                    [t, _score_text(reference, d, comparison)]
                    for t, d in zip(titles, dims, strict=True)
                ],
                colour=GROUP_STYLE[0],
                symbol="circle-open",
                dash="dot",
            )
            data.append({**ref, "subplot": name, "showlegend": i == 1})
        line = plots.polar_line(
            label,
            short,
            [_value(cells, d, "median") for d in dims],
            [[t, _score_text(cells, d, comparison)] for t, d in zip(titles, dims, strict=True)],
            colour=SERIES_COLOURS[i % len(SERIES_COLOURS)],
            symbol=SYMBOLS[i % len(SYMBOLS)],
            dash="solid",
        )
        data.append({**line, "subplot": name, "showlegend": False})
        annotations.append(
            {
                "text": plots.wrapped(label, 36 // per_row * 2),
                "x": x0 + width / 2,
                "y": y1 - 0.01,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    spec.update(
        annotations=annotations,
        showlegend=True,
        legend={"orientation": "h", "y": -0.02, "x": 0.5, "xanchor": "center"},
    )
    return plots.figure(data, spec)


def profile(comparison: Comparison, family: str) -> go.Figure:
    """The family's profile: the radars overlaid for up to `OVERLAID_AT_MOST` assessments,
    small multiples for more."""
    if len(comparison.labels) > OVERLAID_AT_MOST:
        return small_radars(comparison, family)
    return overlay_radar(comparison, family)


def change_chart(change: Change) -> go.Figure:
    """A dumbbell per dimension: the first date's median to the last's, each with its
    95 % interval as an error bar where n allows; a dimension per row, bank order."""
    comparison = change.comparison
    first, last = change.first, change.last
    title = "What moved from the first date to the last"
    rows = change.table
    spec = plots.layout(title, height=max(300, 150 + 24 * len(rows)))
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


def _family_dims(comparison: Comparison, family: str) -> list[str]:
    """The family's dimensions compared, in bank order.

    Raises:
        ValueError: ``family`` is not 'criterion' or 'theme'.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    families = dict(zip(comparison.table["dimension"], comparison.table["family"], strict=True))
    return [d for d in comparison.dimensions if families.get(d) == family]


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
