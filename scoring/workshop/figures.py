"""Plotly figures for the workshop dashboard and report (graph_objects only, no I/O).

Why: the room looks at these on a projector while the facilitator's laptop and
the report show the same ones. They follow `scoring.assessment.figures` (its palette,
layout, polar line, axis labels and heatmap are reused, not copied):

- `band_radar`: the room's median per dimension with the middle half of the room
  (its quartiles) as a filled band, labelled in the legend and on hover;
- `split_bars`: diverging stacked bars (Robbins & Heiberger) of how many chose
  each level on every question that splits the room, with the counts printed;
- `role_heatmap` (from `scoring.workshop.role_figures`): dimensions x roles medians with
  the values printed, and the rows where roles differ by a level or more marked.

Nothing relies on colour alone (labels, symbols, dash styles, positions and
hover text say the same), a missing value is a gap never a zero, and nothing
suppressed by k reaches a figure: each draws only what the `Dashboard` holds.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scoring import plots
from scoring.format import fmt_score
from scoring.plain import chart_text
from scoring.plots import FAMILIES, OKABE_ITO, polar_axes
from scoring.workshop.model import Dashboard
from scoring.workshop.role_figures import GAP_MARK, role_heatmap
from scoring.workshop.style import finish, waiting
from scoring.workshop.text import SPLIT_WORDS, people, question_title

__all__ = [
    "BAND_NAME",
    "GAP_MARK",
    "LEVEL_COLOURS",
    "band_dots",
    "band_radar",
    "profile",
    "role_heatmap",
    "split_bars",
]

#: The legend entry of the interquartile band (also its hover heading).
BAND_NAME = "Middle half of the room"
#: Okabe-Ito, diverging: low levels warm, high levels blue, the middle grey.
LEVEL_COLOURS: dict[int, str] = {
    1: OKABE_ITO["vermillion"],
    2: OKABE_ITO["orange"],
    3: "#BBBBBB",
    4: OKABE_ITO["sky_blue"],
    5: OKABE_ITO["blue"],
}
_BAND_FILL = "rgba(86, 180, 233, 0.35)"  # Okabe-Ito sky blue, translucent
#: Levels 1 and 5 are also hatched, so they differ from 2 and 4 by more than hue. The
#: hatching overlays the level's colour ("overlay" keeps marker.color as the background;
#: plotly's default "replace" drops it and leaves white lines on nothing, bar and legend).
_HATCHED = (1, 5)
_HATCH = {
    "shape": "/",
    "fillmode": "overlay",
    "fgcolor": "#FFFFFF",
    "fgopacity": 0.5,
    "solidity": 0.2,
}
_SPLIT_WIDTH = 48  # characters per line of a split question
#: A legend across the foot of the whole figure (not of the plot), so it never sits on an
#: axis's labels however many lines they take.
_FOOT_LEGEND: Final = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0.5,
    "xanchor": "center",
}
_DOT_WIDTH = 40  # characters per line of a dimension on the dot plot
#: Pixels under the radar for the bottom axis's label and the legend, and beside it
#: for the side axes' labels (lines of up to 18 characters).
_RADAR_FOOT = 80
_RADAR_SIDE = 70
#: (level, side, half of it): relative bars stack outwards from zero in trace order,
#: so the middle level comes first on each side.
_STACK = ((3, -1, True), (2, -1, False), (1, -1, False), (3, 1, True), (4, 1, False), (5, 1, False))


def band_radar(dashboard: Dashboard, family: str) -> go.Figure:
    """The room's median on each dimension of one family, with its interquartile band.

    One axis per workshop dimension of the family (in the dashboard's order),
    radial range 1-5 labelled with the scale's levels. The band is filled between
    q1 and q3 and named `BAND_NAME`; the median is a solid line with circles. A
    dimension without a score (or with fewer than k people) is a gap in both.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    title = f"{FAMILIES[family]}: middle level and middle half"
    spec = plots.layout(title, height=560)
    if not dashboard.shown:
        return finish([], plots.saying(spec, waiting(dashboard)), title, dashboard)
    rows = dashboard.dimensions[dashboard.dimensions["family"] == family]
    if rows.empty:
        empty = plots.saying(spec, f"No {FAMILIES[family].lower()} in this workshop.")
        return finish([], empty, title, dashboard)
    ids, dim_names = rows["dimension"].tolist(), rows["name"].tolist()
    medians = _values(rows["median"])
    q1, q3 = _values(rows["q1"]), _values(rows["q3"])
    labels = [
        plots.axis_label(i, n, m is None) for i, n, m in zip(ids, dim_names, medians, strict=True)
    ]
    names = [chart_text(f"{n} ({i})") for i, n in zip(ids, dim_names, strict=True)]
    data = [
        _band(labels, names, q1, q3),
        plots.polar_line(
            "Middle level",
            labels,
            medians,
            [
                [n, plots.value_text(m, dashboard.scale)]
                for n, m in zip(names, medians, strict=True)
            ],
            colour=OKABE_ITO["blue"],
            symbol="circle",
            dash="solid",
        ),
    ]
    plots.merge(
        spec,
        {
            "polar": polar_axes(dashboard.scale, len(ids)),
            "showlegend": True,
            # At the foot of the figure, below the bottom axis's label (two lines, and
            # when the legend may also take two rows).
            "legend": dict(_FOOT_LEGEND),
            "margin": {
                "b": _RADAR_FOOT,
                "l": _RADAR_SIDE,
                "r": _RADAR_SIDE,
            },
        },
    )
    return finish(data, spec, title, dashboard)


def band_dots(dashboard: Dashboard, family: str) -> go.Figure:
    """The room on each dimension of one family as a dot plot that stays readable with 16 or
    more: one row per dimension, its whole name wrapped, highest middle level first; a dot at
    the middle level (the median) and a bar across the middle half (the quartiles). A
    dimension fewer than k people scored is listed at the foot, with no dot.
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    title = f"{FAMILIES[family]}: middle level and middle half, highest first"
    rows = dashboard.dimensions[dashboard.dimensions["family"] == family]
    labels = [
        plots.wrapped(f"{i} {n}", _DOT_WIDTH)
        for i, n in zip(rows["dimension"], rows["name"], strict=True)
    ]
    lines = sum(label.count("<br>") + 1 for label in labels)
    spec = plots.layout(title, height=max(300, 140 + 18 * lines + 14 * len(labels)))
    if not dashboard.shown:
        return finish([], plots.saying(spec, waiting(dashboard)), title, dashboard)
    if rows.empty:
        empty = plots.saying(spec, f"No {FAMILIES[family].lower()} in this workshop.")
        return finish([], empty, title, dashboard)
    order = rows.assign(label=labels).sort_values(
        "median", ascending=False, kind="stable", na_position="last"
    )
    scored = order[order["median"].notna()]
    text = [plots.value_text(float(m), dashboard.scale) for m in scored["median"]]
    data = [
        {
            "type": "scatter",
            "name": BAND_NAME,
            "x": [
                v for q1, q3 in zip(scored["q1"], scored["q3"], strict=True) for v in (q1, q3, None)
            ],
            "y": [v for label in scored["label"] for v in (label, label, None)],
            "mode": "lines",
            "line": {"color": OKABE_ITO["sky_blue"], "width": 10},
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "name": "Middle level",
            "x": scored["median"].astype(float).tolist(),
            "y": scored["label"].tolist(),
            "mode": "markers",
            "marker": {"color": OKABE_ITO["blue"], "size": 12},
            "customdata": text,
            "hovertemplate": "%{y}<br>Middle level: %{customdata}<extra></extra>",
        },
    ]
    levels = dict(dashboard.scale.levels)
    plots.merge(
        spec,
        {
            # the levels' numbers on the axis and their names under it: names at the ticks
            # collide, or turn on their side, when the plot is narrow (a phone, a report)
            "xaxis": {
                "range": [0.7, 5.3],
                "tickvals": list(levels),
                "ticktext": [str(v) for v in levels],
                "tickangle": 0,
                "title": {
                    "text": plots.wrapped(" · ".join(f"{v} {n}" for v, n in levels.items()), 36)
                },
            },
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": order["label"].tolist(),
                "autorange": "reversed",
                "automargin": True,
            },
            "showlegend": True,
            "legend": dict(_FOOT_LEGEND),  # clear of the two lines naming the levels
            "margin": {"b": 100, "r": 30},
        },
    )
    return finish(data, spec, title, dashboard)


def profile(dashboard: Dashboard, family: str) -> go.Figure:
    """The room's profile on one family: a radar for the six criteria, the dot plot for the
    themes (sixteen spokes would be a tangle)."""
    return band_radar(dashboard, family) if family == "criterion" else band_dots(dashboard, family)


def split_bars(dashboard: Dashboard) -> go.Figure:
    """How many chose each level on every question that splits the room.

    Diverging stacked bars: levels 1-2 to the left of zero, 4-5 to the right,
    level 3 split across the centre line; each segment prints its count, and
    each question's label gives its class and its "don't know" count. Every
    level is filled in its `LEVEL_COLOURS` colour, in the bars and the legend;
    levels 1 and 5 are hatched over it as well. Rows keep the dashboard's order
    (polarised first, then the widest spread).
    """
    splits = dashboard.splits
    records = splits.to_dict("records")
    rows = [_split_label(r) for r in records]
    lines = sum(len(row.split("<br>")) for row in rows)
    height = max(300, 150 + 20 * lines + 24 * len(splits))
    title = "Where the room splits"
    spec = plots.layout(title, height)
    if not dashboard.shown:
        return finish([], plots.saying(spec, waiting(dashboard)), title, dashboard)
    if splits.empty:
        return finish([], plots.saying(spec, "No question splits the room."), title, dashboard)
    hover_names = [chart_text(question_title(r["question_id"], r["text"])) for r in records]
    counts = {lv: np.array([int(r[f"level_{lv}"]) for r in records]) for lv in range(1, 6)}
    scale = dict(dashboard.scale.levels)
    data: list[dict[str, Any]] = []
    for level, sign, half in _STACK:
        count = counts[level]
        width = [sign * (c / 2 if half else c) for c in count.tolist()]  # lists, not arrays
        printed = not half or sign > 0  # level 3 prints its count once, right of centre
        data.append(
            {
                "type": "bar",
                "name": chart_text(f"{level} {scale[level]}"),
                "y": rows,
                "x": width,
                "orientation": "h",
                "marker": {
                    "color": LEVEL_COLOURS[level],
                    "line": {"color": "#FFFFFF", "width": 1},
                    **({"pattern": _hatch(level)} if level in _HATCHED else {}),
                },
                "text": [str(c) if c and printed else "" for c in count],
                "textposition": "inside",
                "textangle": 0,  # never turned on its side in a narrow segment
                "insidetextanchor": "middle",
                "customdata": [[n, str(c)] for n, c in zip(hover_names, count, strict=True)],
                "hovertemplate": "%{customdata[0]}<br>"
                + chart_text(f"{level} {scale[level]}")
                + ": %{customdata[1]}<extra></extra>",
                "legendgroup": f"level-{level}",
                "legendrank": level,
                "showlegend": not (half and sign < 0),
            }
        )
    left = max(counts[1] + counts[2] + counts[3] / 2)
    right = max(counts[5] + counts[4] + counts[3] / 2)
    ticks = _symmetric_ticks(max(left, right))
    plots.merge(
        spec,
        {
            # the centre line, as plotly's add_vline draws it
            "shapes": [
                {
                    "line": {"color": "#000000", "width": 1},
                    "type": "line",
                    "x0": 0,
                    "x1": 0,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "y domain",
                }
            ],
            "barmode": "relative",
            "bargap": 0.35,
            "xaxis": {
                "title": {"text": "People: levels 1–2 to the left, 4–5 to the right"},
                "tickvals": ticks,
                "ticktext": [str(abs(int(t))) for t in ticks],
                "zeroline": False,
            },
            "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
            "legend": {"orientation": "h", "y": -0.18, "x": 0.5, "xanchor": "center"},
            "uniformtext": {"minsize": 10, "mode": "show"},
        },
    )
    return finish(data, spec, title, dashboard)


def _hatch(level: int) -> dict[str, Any]:
    """White hatching over the level's own colour, named as the background too."""
    return {**_HATCH, "bgcolor": LEVEL_COLOURS[level]}


def _values(column: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in column]


def _band(
    labels: list[str], names: list[str], q1: list[float | None], q3: list[float | None]
) -> dict[str, Any]:
    """q3 out along each run of axes with quartiles and q1 back: a closed band per run.

    With fill "toself", each run between gaps (None) is filled on its own, so a
    dimension without quartiles is never bridged.
    """
    m = len(labels)
    present = [a is not None and b is not None for a, b in zip(q1, q3, strict=True)]
    theta: list[Any] = []
    r: list[Any] = []
    custom: list[Any] = []
    for run in _runs(present):
        if run == list(range(m)) and m > 1:
            run = [*run, 0]  # the whole circle: close it
        if theta:
            theta.append(None)
            r.append(None)
            custom.append(["", ""])
        back = run[::-1]
        theta += [labels[i] for i in run] + [labels[i] for i in back]
        r += [q3[i] for i in run] + [q1[i] for i in back]
        custom += [
            [names[i], f"{fmt_score(q1[i] or 0)} to {fmt_score(q3[i] or 0)}"] for i in run + back
        ]
    return {
        "type": "scatterpolar",
        "name": BAND_NAME,
        "theta": theta,
        "r": r,
        "customdata": custom,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": _BAND_FILL,
        "line": {"color": OKABE_ITO["sky_blue"], "dash": "dot", "width": 1},
        "connectgaps": False,
        "hoveron": "points+fills",
        "hovertemplate": "%{customdata[0]}<br>" + BAND_NAME + ": %{customdata[1]}<extra></extra>",
    }


def _quartiles(q1: float | None, q3: float | None) -> str:
    return f"{fmt_score(q1 or 0.0)} to {fmt_score(q3 or 0.0)}"


def _runs(present: list[bool]) -> list[list[int]]:
    """Runs of consecutive present axes, going round the circle (a run may wrap)."""
    m = len(present)
    if all(present):
        return [list(range(m))] if m else []
    start = present.index(False)
    runs: list[list[int]] = []
    current: list[int] = []
    for step in range(1, m + 1):
        i = (start + step) % m
        if present[i]:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _split_label(record: dict[str, Any]) -> str:
    """The whole question, wrapped, then how it splits and on how many people."""
    pattern = SPLIT_WORDS.get(str(record["class"]), str(record["class"]))
    detail = f"{pattern}, {people(int(record['n']))}, don't know {record['dk']}"
    return f"{plots.wrapped(str(record['text']), _SPLIT_WIDTH)}<br>{chart_text(detail)}"


def _symmetric_ticks(extent: float) -> list[float]:
    """Whole-number ticks from -extent to extent, at most about five each side."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        step = candidate
        if extent / candidate <= 5:
            break
    top = int(np.ceil(extent / step)) * step
    return [float(t) for t in range(-top, top + 1, step)]
