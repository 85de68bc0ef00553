"""Compare's "Many areas at once": up to 500 areas' latest results of one kind, their spread
per dimension, one area and a comparison group marked (issue 17, item 5).

Every read passes the administrator's grant to storage, which lists only published entries
that pass the k rule; each entry's answers are kept under their stamp (as `gather` keeps
them), so a rerun reads only what changed, and the medians and figure are kept with them.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from common.memo import kept_with
from scoring.comparison.benchmark import (
    MAX_AREAS,
    MIN_GROUP,
    Benchmark,
    area_medians,
    benchmark,
    benchmark_figure,
)
from storage import (
    ENTRY_NAMES,
    AccessDenied,
    Grant,
    InputError,
    StorageError,
    assessment_answers,
    list_groups,
    many_stamp,
)
from ui import state
from ui.access import refused
from ui.comparison.choosing import KEPT, form_title
from ui.store import engine
from ui.tables import Column, readable, show_readable
from ui.text import literal

_PLOTLY = {"displaylogo": False}
_ANSWER = ("respondent_id", "question_id", "answer")
_SPREAD_VIEW = (
    Column("dimension", "ID"),
    Column("name", "Dimension"),
    Column("n_areas", "Areas with a score"),
    Column("min", "Lowest"),
    Column("q1", "Lower quartile"),
    Column("median", "Median"),
    Column("q3", "Upper quartile"),
    Column("max", "Highest"),
)


def latest_by_area(table: pd.DataFrame, entry: str, form: str) -> pd.DataFrame:
    """Each area's latest entry of one kind of result on one form (at most `MAX_AREAS`), by
    area name; an area name shared by two areas is told apart by its kind."""
    same = table[(table["entry"] == entry) & (table["form_id"] == form)]
    latest = same.sort_values("day", kind="stable").drop_duplicates("area_id", keep="last")
    latest = latest.sort_values("area_name", kind="stable").head(MAX_AREAS)
    repeated = latest["area_name"].duplicated(keep=False)
    named = latest["area_name"].where(
        ~repeated, latest["area_name"] + " (" + latest["area_kind"].astype(str) + ")"
    )
    return latest.assign(area=named.astype(str)).reset_index(drop=True)


def kinds_of_result(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(kind of entry, form) pairs, the one most areas have first."""
    counts = table.groupby(["entry", "form_id"], sort=True)["area_id"].nunique()
    return [pair for pair, _ in sorted(counts.items(), key=lambda item: -item[1])]


@st.fragment
def many_areas(table: pd.DataFrame, grant: Grant) -> None:
    """The view: choose the kind of result, an area and a group; see the spread.

    A fragment: choosing another area or group reruns this view alone, not the page above
    it (the entries are not listed again); each run still checks the grant in storage
    (`many_stamp`, `list_groups`, `assessment_answers`) before anything is read, and says
    in a line why it cannot draw (a fragment's rerun runs outside app.py's catch)."""
    try:
        _view(table, grant)
    except (AccessDenied, InputError, StorageError) as exc:  # e.g. an entry withdrawn since
        refused(exc, "The spread cannot be drawn; reload the page to list the results again.")


def _view(table: pd.DataFrame, grant: Grant) -> None:
    st.subheader("Many areas at once")
    st.write(
        f"Up to {MAX_AREAS} areas: each area's latest result of one kind, scored from its "
        "own answers. Each row is one dimension: the box holds the middle half of the areas, "
        "every dot is one area, and the area you choose and your comparison group's median "
        f"are marked. A group's median appears only when {MIN_GROUP} or more of its areas "
        "have a score."
    )
    # Kept with the table (`available` hands back the very same frame while entries stand).
    pairs = kept_with(KEPT, ("many-kinds",), table, partial(kinds_of_result, table))
    names = {p: _pair_name(table, p) for p in pairs}  # named here, in the page's run
    pair = st.selectbox("Kind of result", pairs, format_func=names.__getitem__)
    rows = kept_with(KEPT, ("many-rows", *pair), table, partial(latest_by_area, table, *pair))
    if len(rows) < 2:
        st.info("At least two areas with this kind of result are needed.")
        return
    chosen = st.selectbox("Mark this area", [None, *rows["area"]], format_func=_or_dash)
    groups = list_groups(engine(), grant)
    group = st.selectbox(
        "and this comparison group's median",
        [None, *groups],
        format_func=lambda g: "–" if g is None else g.name,
    )
    members: tuple[str, ...] = ()
    if group is not None:
        ids = set(group.area_ids)
        members = tuple(rows.loc[rows["area_id"].isin(ids), "area"])
    medians = _medians(rows, grant)
    name = group.name if group is not None else ""
    b = kept_with(
        KEPT,
        ("many-view", chosen, name, members),
        medians,
        partial(benchmark, medians, state.bank(), chosen, members, name),
    )
    if group is not None and b.group_median is None:
        st.info(
            f"{literal(group.name)}'s median is withheld: fewer than {MIN_GROUP} of its areas "
            "have a score here."
        )
    figure = kept_with(KEPT, ("many-figure",), b, partial(benchmark_figure, b))
    st.plotly_chart(figure, config=_PLOTLY, key="many_areas")
    with st.expander("The spread as a table"):
        show_readable(kept_with(KEPT, ("many-table",), medians, partial(_spread, b)), _SPREAD_VIEW)


def _medians(rows: pd.DataFrame, grant: Grant) -> pd.DataFrame:
    """Each area's medians, kept under one stamp of all the entries (`storage.many_stamp`:
    two small queries, no answer read): a rerun with nothing changed scores nothing; any
    change reads them all again. (Not each entry apart, as `gather` keeps them: `KEPT` holds
    128 things, and 500 entries would push out Compare's.)"""
    entries = [(int(a), int(r)) for a, r in zip(rows["assessment_id"], rows["round"], strict=True)]
    stamp = many_stamp(engine(), grant, entries)  # checked against the grant
    database = engine().url.render_as_string()

    def read() -> pd.DataFrame:
        frames = [
            assessment_answers(engine(), grant, *entry)[list(_ANSWER)].assign(area=area)
            for entry, area in zip(entries, rows["area"], strict=True)
        ]
        return area_medians(pd.concat(frames, ignore_index=True), state.bank())

    key = ("many-medians", database, tuple(entries), tuple(rows["area"]), stamp)
    return KEPT.kept(key, read)


def _spread(b: Benchmark) -> pd.DataFrame:
    return readable(b.spread, _SPREAD_VIEW)


def _pair_name(table: pd.DataFrame, pair: tuple[str, str]) -> str:
    """ "Imported results, Full assessment: criteria and themes (12 areas)"."""
    entry, form = pair
    n = table[(table["entry"] == entry) & (table["form_id"] == form)]["area_id"].nunique()
    what = ENTRY_NAMES.get(entry, entry)
    return f"{what[:1].upper()}{what[1:]} results, {form_title(form)} ({n} areas)"


def _or_dash(value: str | None) -> str:
    return "–" if value is None else value
