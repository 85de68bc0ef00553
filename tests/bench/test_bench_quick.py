"""Every benchmark runs in quick mode and prints its budgets, so none can rot unseen.

Why: ``make bench`` once failed on main for weeks (the scoring benchmark outgrew the answers
reader's row limit) because nothing ran it. Here each ``bench/bench_*.py`` runs with
``--quick`` (small sizes, the same code paths) as ``make bench`` runs it (a subprocess from
the repo root, ``PYTHONPATH`` the root): it must exit 0 and print every one of its budget
lines. The figures are not judged (no timed tests); a quick run only fails on a crash or a
wrong fact (`bench.budget.Budgets.holds`).

The quick runs are started together, `AT_ONCE` at a time, when the first of them is asked
for (most of their time is spent waiting on servers and Chromium, and a quick run's figures
are not judged, so running side by side costs nothing but noise): some 60 s in all on two
cores, not the three minutes one after another would take.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from bench.bench_scoring import N_RESPONDENTS, full_rows, make_bank
from bench.budget import Budgets
from scoring.answers import MAX_ROWS
from tests.support.server import ROOT

#: Each benchmark's budget lines (``budget <name>: ... met|MISSED``), as it prints them.
EXPECTED = {
    "bench_scoring.py": (
        "full size fits the reader",
        "engine speed-up vs loop",
        "engine vs bincount floor",
        "engine agrees with loop",
    ),
    "bench_survey.py": ("survey rerun vs bare widgets",),
    "bench_dashboard.py": (
        "fragment shows everyone",
        "fragment rerun (a)",
        "fragment rerun after a send (d)",
        "fragment rerun after k more sent (c) vs before",
    ),
    "bench_pdf_flood.py": (
        "renderers at once",
        "peak processes vs one report",
        "peak memory vs one report",
        "same report printed once",
        "every request got its PDF",
    ),
    "bench_dashboard_page.py": (
        "floor draws the page at 50",
        "dashboard Unlock at 50 vs floor",
        "dashboard Close round at 50 vs floor",
    ),
    "bench_live_refresh.py": (
        "floor draws the live part at 50",
        "live refresh unchanged at 50 vs floor",
    ),
    "bench_load.py": (
        "every answer confirmed and stored, no errors",
        "the facilitator acted during the loaded run",
        "p95 save beside a facilitator vs alone",
    ),
    "bench_browser_pages.py": (
        "floor draws Compare's charts",
        "results first chart vs floor (median of pairs)",
        "Compare rerun adding an area vs floor (median of pairs)",
    ),
    "bench_many_areas.py": (
        "floor draws the many-areas view",
        "many areas, marking an area vs floor (median of pairs)",
    ),
}
#: What a browser benchmark prints, and exits 0 with, on a machine without Chromium (exit 1
#: under LADDER_REQUIRE_BROWSER=1, as CI sets, so there it cannot pass that way).
NO_CHROMIUM = "Chromium is not installed: nothing to measure"
TIMEOUT = 280
AT_ONCE = 4


def test_every_benchmark_is_listed() -> None:
    """A new benchmark must say here which budgets it prints."""
    assert sorted(p.name for p in (ROOT / "bench").glob("bench_*.py")) == sorted(EXPECTED)


def quick_run(script: str) -> subprocess.CompletedProcess[str]:
    """One benchmark with ``--quick``, as ``make bench`` runs it. Over `TIMEOUT` its whole
    process group is killed (the servers and browsers it started too, which would otherwise
    outlive it and slow every test after) and `subprocess.TimeoutExpired` carries what it
    had printed."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    args = [sys.executable, f"bench/{script}", "--quick"]
    with subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    ) as proc:  # fmt: skip
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise subprocess.TimeoutExpired(args, TIMEOUT, out, err) from exc
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def quick_runs() -> Iterator[dict[str, Future[subprocess.CompletedProcess[str]]]]:
    """Every quick run, started together (`AT_ONCE` at a time): by script name."""
    with ThreadPoolExecutor(AT_ONCE) as pool:
        # The slowest first, so the last to finish is not started last.
        order = sorted(EXPECTED, key=lambda name: name not in SLOWEST)
        yield {name: pool.submit(quick_run, name) for name in order}


SLOWEST = ("bench_browser_pages.py", "bench_load.py", "bench_pdf_flood.py")


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_quick_run_prints_every_budget(
    script: str, quick_runs: dict[str, Future[subprocess.CompletedProcess[str]]]
) -> None:
    try:
        done = quick_runs[script].result(timeout=3 * TIMEOUT)
    except subprocess.TimeoutExpired as exc:  # say where it stood, not only that it stopped
        printed = (exc.stdout or b"") + (exc.stderr or b"")
        text = printed.decode(errors="replace") if isinstance(printed, bytes) else printed
        pytest.fail(f"{script} --quick ran over {TIMEOUT} s; it had printed:\n{text[-4000:]}")
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    if done.stdout.startswith(NO_CHROMIUM):
        assert os.environ.get("LADDER_REQUIRE_BROWSER") != "1", said
        return
    for name in EXPECTED[script]:
        line = rf"^budget {re.escape(name)}: .+ (met|MISSED)$"
        assert re.search(line, done.stdout, re.MULTILINE), f"no budget line {name!r}:\n{said}"


def test_the_scoring_benchmark_fits_the_answers_reader() -> None:
    """Its full size once outgrew the reader's limit, and `make bench` stopped with a
    traceback; the quick run checks this too, but here it is plain."""
    bank = make_bank()
    assert full_rows(bank) == N_RESPONDENTS * len(bank.questions)
    assert 0.9 * MAX_ROWS < full_rows(bank) <= MAX_ROWS  # near a million, never over


def test_quick_mode_prints_a_miss_and_only_a_wrong_fact_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quick = Budgets(quick=True)
    assert not quick.at_most("slow", 3.0, 2.0)
    assert quick.at_least("fast", 6.0, 5.0)
    assert quick.exit_code() == 0
    out = capsys.readouterr().out
    assert "budget slow: 3.00x (<= 2x) MISSED" in out
    assert "budget fast: 6.00x (>= 5x) met" in out
    full = Budgets(quick=False)
    full.at_most("slow", 3.0, 2.0)
    assert full.exit_code() == 1
    wrong = Budgets(quick=True)
    wrong.holds("counted everyone", False, "n = 49")
    assert wrong.exit_code() == 1
    met = Budgets(quick=False)
    met.at_most("fine", 1.0, 2.0, " ms")
    assert met.exit_code() == 0
