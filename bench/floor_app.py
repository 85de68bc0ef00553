"""The bare Streamlit app that serves the benchmarks' floors (`bench.replay`) over HTTP.

Why: a floor for a page seen through a browser or a websocket must be served the same way
as Ladder is, so it runs with the same command (``python -m ui.serve run ...``, Nagle's
algorithm off as for Ladder) on a port of its own. It draws the page named by the query
parameter ``page`` from the pickle at ``LADDER_BENCH_FLOOR`` (a dict of name -> `Floor`),
loaded once: every figure and table in it was built by Ladder before the timing. A floor
with ``parts`` draws the one picked in a fragment, rerun alone when its "pick" selectbox
changes, as Compare's many areas is; a floor with a ``live`` part draws it in a fragment
that refreshes itself, as the dashboard's does.

Not a benchmark itself (its name does not start with ``bench_``).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import streamlit as st

from bench import replay


@st.cache_resource
def floors() -> dict[str, replay.Floor]:
    return pickle.loads(Path(os.environ["LADDER_BENCH_FLOOR"]).read_bytes())


floor = floors()[st.query_params.get("page", "")]
st.set_page_config(layout=floor.layout)  # type: ignore[arg-type]  # laid out as its page is
if floor.sidebar is not None:
    with st.sidebar:
        replay.draw(floor.sidebar, st, prefix="sidebar")
# A page whose rerun depends on one widget (Compare's areas): the page for as many picked.
picked = len(st.session_state.get("choice", range(floor.default)))
replay.draw(floor.pages[floor.chosen.get(picked, 0)], st)
if floor.parts:

    @st.fragment
    def part() -> None:
        first = next(iter(floor.parts.values()))
        replay.draw(floor.parts.get(st.session_state.get("pick", ""), first), st, prefix="part")

    part()
if floor.live is not None:

    @st.fragment(run_every=floor.every)
    def live() -> None:
        replay.draw(floor.live, st, prefix="live")

    live()
