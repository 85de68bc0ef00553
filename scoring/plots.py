"""The plotly helpers every figure shares: palette, fonts, layout, radar axes and lines, heatmap.

Why: the results page, the workshop's screens and Compare draw with the same palette
(Okabe-Ito, or cividis for heatmaps: colour-blind safe), the same type and the same
way of showing a missing value (a gap or "–", never a zero), so they are built here
once. Text from the bank or a person goes through `scoring.plain.chart_text` before
plotly sees it: plotly renders a subset of HTML in labels.

Every figure is built as plain dicts (``{"type": "scatterpolar", ...}`` traces and a
layout dict from `layout`) and wrapped once by `figure`. Building with plotly's graph
objects validates every property and copies the template at each step: ~19 ms for the
results radar, against under 1 ms for the same figure as dicts, with an identical
``to_dict()``. The dicts are written as plotly would store them (nested, never
``title_text=``; an angle in [-180, 180); a colour scale as its list of steps), and the
tests validate every figure they build (`VALIDATE`), so a misspelt property fails there.
"""

from __future__ import annotations

import copy
import functools
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from questions.model import Scale
from scoring.format import fmt_score
from scoring.plain import chart_text
from scoring.rules import level_label

__all__ = [
    "FAMILIES",
    "OKABE_ITO",
    "VALIDATE",
    "axis_label",
    "empty",
    "figure",
    "heatmap",
    "heatmap_spec",
    "heatmap_trace",
    "layout",
    "merge",
    "polar_axes",
    "polar_line",
    "saying",
    "value_text",
    "wrapped",
]

#: Whether `figure` has plotly validate the spec. Off on every page run (validation
#: costs ~10-20 ms a figure, and which properties a figure sets is fixed by code, not by
#: input); the test session turns it on (tests/conftest.py), so every figure is checked.
VALIDATE: bool = False

#: plotly_white's layout, resolved once as plain data (a figure gets its own copy):
#: naming the template costs ~15 ms per figure.
_TEMPLATE: dict[str, Any] = go.layout.Template(
    layout=pio.templates["plotly_white"].layout
).to_plotly_json()
#: Cividis as plotly stores a named colour scale: its list of [position, colour] steps.
_CIVIDIS: list[list[Any]] = go.Heatmap(colorscale="Cividis").to_plotly_json()["colorscale"]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Family id -> how a title names it.
FAMILIES: dict[str, str] = {"criterion": "Next-practice criteria", "theme": "Essay themes"}

_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 13}
_BLANK = "–"
_LABEL_WIDTH = 18  # characters per line of an axis label


def figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """The figure of plain trace dicts and a layout dict, wrapped once (plotly copies
    them). Validated only when `VALIDATE` is on, as in the tests."""
    return go.Figure({"data": data, "layout": layout}, _validate=VALIDATE)


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` merged into `base` (changed in place and returned) as plotly's
    ``update_layout`` merges: a nested dict updates the one it meets, key by key;
    anything else (a value, a list) replaces it."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def heatmap(
    frame: pd.DataFrame,
    cells: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
    scale: Scale | None = None,
    title: str = "Themes by criterion: median level of the answers",
) -> go.Figure:
    """Theme x criterion heatmap of `scoring.assessment.results.heatmap_frame` (rows top to bottom).

    Colour: cividis (sequential, colour-blind safe) fixed on 1-5; every cell
    prints its value, and a blank cell prints "–". With `cells`
    (``Results.heatmap_cells``) a blank cell's hover says "no question" or "not
    answered"; `names` maps theme and criterion ids to names for the hover;
    `scale` labels the colour bar with the level labels.
    """
    data, spec = heatmap_spec(frame, cells, names, scale, title)
    return figure(data, spec)


def heatmap_spec(
    frame: pd.DataFrame,
    cells: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
    scale: Scale | None = None,
    title: str = "Themes by criterion: median level of the answers",
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`heatmap`'s traces (none for an empty frame, else the one heatmap) and layout,
    as dicts a caller may change before wrapping them with `figure`."""
    spec = layout(title, height=max(260, 140 + 34 * len(frame)))
    if frame.empty:
        return [], saying(spec, "No theme was asked, so there is no heatmap.")
    names = names or {}
    themes = [str(t) for t in frame.index]
    criteria = [str(c) for c in frame.columns]
    items = _item_counts(cells)
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    for theme, values in zip(themes, frame.to_numpy(dtype=object), strict=True):
        z_row, text_row, hover_row = [], [], []
        for criterion, value in zip(criteria, values, strict=True):
            blank = pd.isna(value)
            z_row.append(None if blank else float(value))
            text_row.append(_BLANK if blank else fmt_score(float(value)))
            where = chart_text(f"{names.get(theme, theme)} ({theme}) × {criterion}")
            hover_row.append(f"{where}<br>{_cell_note(value, items.get((theme, criterion)))}")
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    colorbar: dict[str, object] = {"title": {"text": "Median level"}, "tickvals": [1, 2, 3, 4, 5]}
    if scale is not None:
        colorbar["ticktext"] = [chart_text(f"{lv} {label}") for lv, label in scale.levels]
    trace = heatmap_trace(z, [chart_text(c) for c in criteria], [chart_text(t) for t in themes])
    trace.update(colorbar=colorbar, text=text, customdata=hover)
    merge(
        spec,
        {
            "xaxis": {"side": "top", "type": "category"},
            "yaxis": {"autorange": "reversed", "type": "category", "title": {"text": "Theme"}},
            "plot_bgcolor": "#F2F2F2",
        },
    )
    return [trace], spec


def heatmap_trace(z: list[list[float | None]], x: list[str], y: list[str]) -> dict[str, Any]:
    """A heatmap trace in cividis fixed on 1-5, each cell printing its ``text`` and
    hovering its ``customdata`` (both for the caller to add, with the colour bar)."""
    return {
        "type": "heatmap",
        "z": z,
        "x": x,
        "y": y,
        "zmin": 1,
        "zmax": 5,
        "colorscale": copy.deepcopy(_CIVIDIS),
        "texttemplate": "%{text}",
        "hovertemplate": "%{customdata}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }


def polar_axes(scale: Scale, n_axes: int) -> dict[str, object]:
    """The radar's axes: 1-5 labelled with the levels, read clockwise from the top.

    The level ticks sit between the first and last axes, upright along the tilted axis.
    """
    between = (90 + 180 / n_axes + 180) % 360 - 180  # in [-180, 180), as plotly stores it
    return {
        "radialaxis": {
            "range": [1, 5],
            "tickvals": [level for level, _ in scale.levels],
            "ticktext": [chart_text(f"{level} {label}") for level, label in scale.levels],
            "tickfont": {"size": 11},
            "angle": between,
            "tickangle": between,
            "gridcolor": "#D0D0D0",
        },
        "angularaxis": {"direction": "clockwise", "rotation": 90, "tickfont": {"size": 11}},
        "bgcolor": "#FFFFFF",
    }


def layout(title: str, height: int) -> dict[str, Any]:
    """The layout every figure starts from (a fresh dict, with its own copy of the template)."""
    return {
        "title": {"text": chart_text(title), "x": 0.02, "xanchor": "left"},
        "font": dict(_FONT),
        "height": height,
        "autosize": True,
        "margin": {"l": 70, "r": 70, "t": 80, "b": 60},
        "paper_bgcolor": "#FFFFFF",
        "template": copy.deepcopy(_TEMPLATE),
    }


def empty(spec: dict[str, Any], message: str) -> go.Figure:
    """A figure with no traces that says `message` where the chart would be."""
    return figure([], saying(spec, message))


def saying(spec: dict[str, Any], message: str) -> dict[str, Any]:
    """The layout ``spec`` of a chart with no traces, saying ``message`` in their place
    (changed in place and returned)."""
    spec["annotations"] = [
        {
            "showarrow": False,
            "text": chart_text(message),
            "x": 0.5,
            "xref": "paper",
            "y": 0.5,
            "yref": "paper",
        }
    ]
    return merge(spec, {"xaxis": {"visible": False}, "yaxis": {"visible": False}})


def polar_line(
    name: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    custom: Sequence[Sequence[str]],
    colour: str,
    symbol: str,
    dash: str,
) -> dict[str, Any]:
    """A closed line (first point repeated) with gaps where a value is None; `name`
    (the legend's and the hover's) is plain text."""
    name = chart_text(name)
    return {
        "type": "scatterpolar",
        "name": name,
        "theta": [*labels, labels[0]],
        "r": [*values, values[0]],
        "customdata": [*custom, custom[0]],
        "mode": "lines+markers",
        "connectgaps": False,
        "line": {"color": colour, "dash": dash, "width": 2.5},
        "marker": {"symbol": symbol, "size": 9, "color": colour},
        "hovertemplate": "%{customdata[0]}<br>" + name + ": %{customdata[1]}<extra></extra>",
    }


def axis_label(dimension_id: str, name: str, unscored: bool) -> str:
    """ "P1 Transformative<br>ambition": the whole name, wrapped, never cut; "(no score)"
    under it when blank."""
    label = wrapped(f"{dimension_id} {name}", _LABEL_WIDTH)
    return f"{label}<br>(no score)" if unscored else label


@functools.lru_cache(maxsize=4096)
def wrapped(text: str, width: int) -> str:
    """``text`` in lines of about ``width`` characters joined by plotly's ``<br>``, each line
    escaped (`scoring.plain.chart_text`): every word kept, so a chart never cuts a name.

    Kept per text (bounded): the same bank's questions and dimensions are wrapped for every
    chart of every workshop, and wrapping them again cost ~6 ms of a room's first view."""
    words = " ".join(str(text).split())
    lines = textwrap.wrap(words, width, break_on_hyphens=False, break_long_words=False) or [""]
    return "<br>".join(chart_text(line) for line in lines)


def value_text(score: float | None, scale: Scale) -> str:
    if score is None:
        return "no score"
    return chart_text(f"{fmt_score(score)} ({level_label(score, scale)})")


def _item_counts(cells: pd.DataFrame | None) -> dict[tuple[str, str], int]:
    if cells is None:
        return {}
    return {
        (str(t), str(c)): int(n)
        for t, c, n in zip(cells["theme"], cells["criterion"], cells["items"], strict=True)
    }


def _cell_note(value: float, items: int | None) -> str:
    if not pd.isna(value):
        return f"Median level {fmt_score(float(value))}"
    if items is None:
        return "No score"
    return "No question" if items == 0 else "Not answered"
