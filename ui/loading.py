"""What the app loads once per process, and loading it before the first visitor arrives.

Why (issue 14): the first person to open Ladder after a start waited 2.2 s for the home
page (1.75x a one-line app) while the process imported pandas, plotly, the pages' modules
and read and checked the question bank. `preload` pays for that when the server starts
(`ui.serve` calls it before handing over to Streamlit), so the first visit costs what every
later one does.
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil

import streamlit as st

from questions import Instrument, load_instrument

__all__ = ["bank_paths", "instrument", "preload", "settle"]


@st.cache_resource(show_spinner="Reading the question bank…")
def instrument(bank_path: str | None, corpus_path: str | None) -> Instrument:
    """The bank and corpus, read and checked once per process (per pair of paths)."""
    return load_instrument(bank_path, corpus_path)


@st.cache_resource(show_spinner=False)
def settle() -> bool:
    """Once per process, after the first load: move what is loaded so far out of the
    garbage collector's way. Why: pandas, plotly and the bank are long-lived; without
    this every full collection rescans them, which cost the dashboard a third of its
    rerun with 300 participants (bench/bench_dashboard.py). Decorated here, not in app.py:
    app.py runs on every rerun, and Streamlit would build the cache's wrapper (reading the
    function's source) on each one."""
    gc.freeze()
    return True


def bank_paths() -> tuple[str | None, str | None]:
    """``LADDER_BANK`` and ``LADDER_CORPUS`` (unset or empty: the shipped bank and corpus)."""
    return os.environ.get("LADDER_BANK") or None, os.environ.get("LADDER_CORPUS") or None


def preload() -> None:
    """Import every module the pages use and load the bank and the corpus, as the first
    visit would. A bank with problems is left for the app to report on that visit."""
    import ui

    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        if module.name != "ui.serve":
            importlib.import_module(module.name)
    instrument(*bank_paths())
