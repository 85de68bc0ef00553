"""Many areas at once: per dimension, the spread of the areas' medians, one area and its
comparison group marked on it.

Why: a region, or a benchmarking club of councils, compares far more than the eight
assessments Compare puts side by side (issue 17, item 5). Following LG Inform's
nearest-neighbour convention, the view shows the spread (quartiles and every area as a
point), not just an average, with the chosen area and the median of its comparison group
marked; a group of fewer than five areas with a score is withheld, as on Compare.

Each area is scored from its own raw answers with the same rules as every Ladder result
(`scoring.engine.group_scores`, grouped by area); the spread is of those medians. Pure:
frames in, frames and a plotly figure out.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from questions.model import Bank, Scale
from scoring import plots
from scoring.engine import group_scores
from scoring.format import fmt_score
from scoring.plain import chart_text
from scoring.plots import OKABE_ITO

__all__ = [
    "AREA_COLUMN",
    "MAX_AREAS",
    "MIN_GROUP",
    "SPREAD_COLUMNS",
    "Benchmark",
    "area_medians",
    "benchmark",
    "benchmark_figure",
]

#: The column of the answers naming each answer's area.
AREA_COLUMN = "area"
#: The most areas the view takes (a region, or a benchmarking club).
MAX_AREAS = 500
#: A comparison group's median is shown only when this many of its areas have a score.
MIN_GROUP = 5
SPREAD_COLUMNS: tuple[str, ...] = (
    "dimension",
    "name",
    "n_areas",
    "min",
    "q1",
    "median",
    "q3",
    "max",
)


@dataclass(frozen=True, slots=True, eq=False)
class Benchmark:
    """The areas' medians and their spread, per dimension.

    Attributes:
        dimensions: the dimensions any area has a score on, in bank order.
        names: each dimension's name.
        medians: areas (rows, by name) x ``dimensions`` (columns) of medians; NaN for none.
        spread: `SPREAD_COLUMNS`, one row per dimension: how many areas have a score, and
            the least, lower quartile, median, upper quartile and greatest of their medians.
        chosen: the area marked, if any (one of the rows of ``medians``).
        group: the comparison group's areas among the rows (the chosen area may be one).
        group_name: what the group is called.
        group_median: per dimension, the median of the group's medians, where ``MIN_GROUP``
            or more of its areas have a score (else NaN); None when the group is withheld
            (fewer than ``MIN_GROUP`` of its areas have any score) or there is none.
        scale: the bank's levels (the axis).
    """

    dimensions: tuple[str, ...]
    names: Mapping[str, str]
    medians: pd.DataFrame = field(repr=False)
    spread: pd.DataFrame = field(repr=False)
    chosen: str | None = None
    group: tuple[str, ...] = ()
    group_name: str = ""
    group_median: pd.Series | None = field(default=None, repr=False)
    scale: Scale | None = field(default=None, repr=False)

    @property
    def n_areas(self) -> int:
        return len(self.medians)


def area_medians(answers: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """Each area's median per dimension: areas (rows, sorted) x dimensions (bank order).

    ``answers``: long answers (``respondent_id``, ``question_id``, ``answer``) with an
    `AREA_COLUMN`; a respondent id need be unique only within its area.

    Raises:
        ValueError: no `AREA_COLUMN`, more than `MAX_AREAS` areas, or what
            `scoring.engine.group_scores` refuses (an unknown question, a bad answer).
    """
    if AREA_COLUMN not in answers.columns:
        raise ValueError(f"the answers have no {AREA_COLUMN!r} column")
    areas = answers[AREA_COLUMN].nunique()
    if areas > MAX_AREAS:
        raise ValueError(f"{areas} areas: the view takes at most {MAX_AREAS}")
    scores = group_scores(answers, bank, by=[AREA_COLUMN])
    order = [d.id for d in bank.dimensions]
    wide = scores.pivot(index=AREA_COLUMN, columns="dimension", values="median")
    wide = wide.reindex(columns=[d for d in order if d in wide.columns]).astype(float)
    wide.index = wide.index.astype(str)
    return wide.sort_index()


def benchmark(
    medians: pd.DataFrame,
    bank: Bank,
    chosen: str | None = None,
    group: Sequence[str] = (),
    group_name: str = "Comparison group",
) -> Benchmark:
    """The spread of ``medians`` (`area_medians`) per dimension, ``chosen`` and the median of
    ``group`` (areas among the rows; others are ignored) marked.

    Raises:
        ValueError: ``chosen`` is not one of the areas.
    """
    if chosen is not None and chosen not in medians.index:
        raise ValueError(f"{chosen!r} is not one of the areas")
    dims = tuple(d for d in medians.columns if medians[d].notna().any())
    names = {d.id: d.name for d in bank.dimensions}
    values = medians[list(dims)].to_numpy(dtype=float)
    with warnings.catch_warnings():  # a dimension with one area's score: no spread to warn of
        warnings.simplefilter("ignore", RuntimeWarning)
        quartiles = np.nanpercentile(values, [0, 25, 50, 75, 100], axis=0) if len(dims) else None
    spread = pd.DataFrame(
        {
            "dimension": list(dims),
            "name": [names.get(d, d) for d in dims],
            "n_areas": np.isfinite(values).sum(axis=0).astype("int64"),
            **{
                column: (quartiles[i] if quartiles is not None else np.empty(0))
                for i, column in enumerate(("min", "q1", "median", "q3", "max"))
            },
        },
        columns=list(SPREAD_COLUMNS),
    )
    members = tuple(a for a in dict.fromkeys(group) if a in medians.index)
    return Benchmark(
        dimensions=dims,
        names={d: names.get(d, d) for d in dims},
        medians=medians,
        spread=spread,
        chosen=chosen,
        group=members,
        group_name=group_name,
        group_median=_group_median(medians[list(dims)], members),
        scale=bank.scale,
    )


def _group_median(medians: pd.DataFrame, members: tuple[str, ...]) -> pd.Series | None:
    if not members:
        return None
    wide = medians.loc[list(members)]
    if int(wide.notna().any(axis=1).sum()) < MIN_GROUP:
        return None
    counted = wide.notna().sum(axis=0)
    return wide.median(axis=0, skipna=True).where(counted >= MIN_GROUP)


#: Colours: every area a faint grey dot, the spread a blue box, the chosen area and the
#: group's median in colours and shapes of their own (never colour alone).
_AREA_DOT = "rgba(90, 90, 90, 0.35)"
_CHOSEN = (OKABE_ITO["vermillion"], "diamond", 14)
_GROUP = (OKABE_ITO["black"], "hexagram-open", 13)


def benchmark_figure(b: Benchmark) -> go.Figure:
    """One row per dimension (bank order, by its whole name): every area's median as a faint
    dot, the middle half of the areas as a box with its median, the whole range as the
    whiskers; the chosen area and the group's median marked over them.

    Rows are numbered on the axis (named by its ticks) and the dots' positions are numpy
    arrays, so 11,000 of them are copied and sent as arrays, not as lists of Python floats.
    """
    title = f"{b.n_areas} areas: the spread of their medians, dimension by dimension"
    spec = plots.layout(title, height=max(320, 170 + 30 * len(b.dimensions)))
    if not b.dimensions:
        return plots.empty(spec, "No area has a score yet.")
    names = [chart_text(f"{d} {b.names[d]}") for d in b.dimensions]
    rows = list(range(len(names)))
    s = b.spread
    x, y = _points(b)
    data: list[dict[str, Any]] = [
        {
            "type": "box",
            "name": "Middle half of the areas",
            "orientation": "h",
            "y": rows,
            "q1": s["q1"].tolist(),
            "median": s["median"].tolist(),
            "q3": s["q3"].tolist(),
            "lowerfence": s["min"].tolist(),
            "upperfence": s["max"].tolist(),
            "width": 0.6,
            "fillcolor": "rgba(86, 180, 233, 0.35)",
            "line": {"color": OKABE_ITO["blue"], "width": 1.5},
            "hoverinfo": "skip",
        },
        {
            "type": "scattergl" if len(x) > 2000 else "scatter",
            "name": "Each area",
            "x": x,
            "y": y,
            "mode": "markers",
            "marker": {"color": _AREA_DOT, "size": 5},
            "hoverinfo": "skip",
        },
    ]
    if b.chosen is not None:
        values = [_or_none(b.medians.at[b.chosen, d]) for d in b.dimensions]
        data.append(_marks(b.chosen, values, rows, names, _CHOSEN))
    if b.group_median is not None:
        values = [_or_none(b.group_median.get(d)) for d in b.dimensions]
        name = f"{b.group_name}: median of {len(b.group)} areas"
        data.append(_marks(name, values, rows, names, _GROUP))
    levels = b.scale.levels if b.scale is not None else tuple((lv, "") for lv in range(1, 6))
    spec.update(
        xaxis={
            "range": [0.8, 5.2],
            "tickvals": [lv for lv, _ in levels],
            "ticktext": [chart_text(f"{lv} {name}") for lv, name in levels],
            "title": {"text": "Median level of each area"},
        },
        yaxis={
            "tickvals": rows,
            "ticktext": names,
            "range": [len(rows) - 0.5, -0.5],  # the first dimension on top
            "automargin": True,
            "zeroline": False,
        },
        showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return plots.figure(data, spec)


def _points(b: Benchmark) -> tuple[np.ndarray, np.ndarray]:
    """Every area's median on every dimension it has one: x the median, y its row spread a
    little (the same for an area on every row) so that equal medians do not hide each other."""
    values = b.medians[list(b.dimensions)].to_numpy(dtype=float)
    where = np.isfinite(values)
    area, row = np.nonzero(where)
    spread = ((area * 0.6180339887) % 1.0 - 0.5) * 0.5  # golden-ratio steps in [-0.25, 0.25)
    return values[where], row + spread


def _marks(
    name: str,
    values: list[float | None],
    rows: list[int],
    names: list[str],
    style: tuple[str, str, int],
) -> dict[str, Any]:
    colour, symbol, size = style
    return {
        "type": "scatter",
        "name": chart_text(name),
        "x": values,
        "y": rows,
        "mode": "markers",
        "marker": {"color": colour, "symbol": symbol, "size": size, "line": {"width": 2}},
        "customdata": [
            [n, "no score" if v is None else fmt_score(v)]
            for n, v in zip(names, values, strict=True)
        ],
        "hovertemplate": "%{customdata[0]}<br>"
        + chart_text(name)
        + ": %{customdata[1]}<extra></extra>",
    }


def _or_none(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number
