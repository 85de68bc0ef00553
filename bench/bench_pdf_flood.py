"""Benchmark: twenty PDF requests at once (issue 13, item 4, "Expensive work is bounded").

Six sessions asking for PDFs at once once started some sixty Chromium processes
(1.4 GB). Here twenty threads ask `reports.printing.Printer` for twenty
different reports (the shipped bank's full report, each made distinct), with
real Chromium, while a sampler reads /proc every 50 ms for the Chromium
processes this process started and their memory (PSS: shared pages counted once).

- *floor*: one report printed alone, measured in the same run;
- *before*: the flood with no bound (``slots=None``: every request prints at
  once, as before `reports.printing`), of the issue's six requests by default
  (twenty unbounded Chromiums want some 4.5 GB, and on two cores some of them
  may pass their 60-second timeout: ``--before 20`` shows that worst case, on a
  machine that can take it);
- *after*: the flood through the app's bound (two at once, the rest waiting);
- *same report*: twenty requests for five reports: each printed once.

Budgets (exit 1, naming the one missed): after, at most `SLOTS` Chromiums at
once; its peak processes and memory at most ``PEAK_RATIO`` times the floor's;
the same report never printed twice. Without Chromium it says so and exits 0
(1 under ``LADDER_REQUIRE_BROWSER=1``, as CI sets).

Run: ``python bench/bench_pdf_flood.py [--before N] [--quick]`` (about two minutes on two
cores; ``--quick``: three requests, then three for one report, no "before" flood (it has no
budget); the same checks).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.budget import QUICK_HELP, Budgets
from questions import load_instrument
from reports import pdf
from reports.html import render_report
from reports.meta import ReportMeta
from reports.pdf import PdfUnavailable, find_chromium
from reports.printing import SLOTS, PdfBusy, Printer
from scoring.assessment.results import build_results

REQUESTS = 20
#: Requests in the unbounded "before" flood unless ``--before N`` says otherwise.
BEFORE_REQUESTS = 6
DISTINCT_SAME = 5
#: --quick: (requests, before, distinct reports): one more than the slots, so one waits.
QUICK = (SLOTS + 1, 0, 1)
#: After, the peak processes and memory may be at most this many times one report's alone.
PEAK_RATIO = SLOTS + 0.5
WAIT = 600.0  # long enough that every request of the flood prints: the bound is measured


def report_html() -> str:
    """The shipped bank's full report for three respondents (what a results page prints)."""
    instrument = load_instrument()
    bank, corpus = instrument.bank, instrument.corpus
    rows = [
        (f"R{p}", q.id, str((i + p) % 5 + 1), "councillor")
        for p in range(1, 4)
        for i, q in enumerate(bank.form_questions("full"))
    ]
    answers = pd.DataFrame(rows, columns=["respondent_id", "question_id", "answer", "role"])
    results = build_results(bank, corpus, answers)
    meta = ReportMeta.for_results(
        results,
        bank,
        area_name="Borsetshire County Council",
        area_kind="council",
        ons_code="E10000099",
        assessment_date=date(2026, 11, 25),
        title="Readiness",
        generated_at=datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
    )
    return render_report(results, corpus, meta, answers, bank)


def descendants(root: int) -> list[int]:
    """Every live process below ``root``, from /proc."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    below, frontier = [], [root]
    while frontier:
        frontier = [pid for pid, ppid in parent.items() if ppid in frontier]
        below += frontier
    return below


def pss_bytes(pid: int) -> int:
    """A process's proportional set size: its memory, shared pages split among their sharers.

    Why not RSS: Chromium's processes share most of their pages, so RSS summed over
    them counts the same memory ten times over.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


@dataclass
class Peak:
    processes: int = 0
    pss: int = 0


@contextmanager
def sampled() -> Iterator[Peak]:
    """The most Chromium processes below this one, and their most resident memory together."""
    peak, stop = Peak(), threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = descendants(os.getpid())
            peak.processes = max(peak.processes, len(pids))
            peak.pss = max(peak.pss, sum(pss_bytes(p) for p in pids))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join()


class Counted:
    """`reports.pdf._run` (where Chromium is launched), counting the renders running at once."""

    def __init__(self) -> None:
        self.running = self.most = self.launched = 0
        self.lock = threading.Lock()
        self.real = pdf._run

    def __call__(self, command: list[str], timeout: float) -> tuple[int, str]:
        with self.lock:
            self.running += 1
            self.launched += 1
            self.most = max(self.most, self.running)
        try:
            return self.real(command, timeout)
        finally:
            with self.lock:
                self.running -= 1


@dataclass
class Flood:
    seconds: float
    most: int
    launched: int
    peak: Peak
    outcomes: Counter[str]


def flood(printer: Printer, pages: list[str]) -> Flood:
    """Every page asked of ``printer`` at once, one thread each."""
    counted = Counted()
    pdf._run = counted  # type: ignore[assignment]
    start_line = threading.Barrier(len(pages))

    def one(html: str) -> str:
        start_line.wait()
        try:
            return "pdf" if printer.pdf(html).startswith(b"%PDF-") else "not a pdf"
        except PdfBusy:
            return "busy"
        except PdfUnavailable:
            return "failed"

    try:
        with sampled() as peak, ThreadPoolExecutor(len(pages)) as pool:
            start = time.perf_counter()
            outcomes = Counter(pool.map(one, pages))
            seconds = time.perf_counter() - start
    finally:
        pdf._run = counted.real  # type: ignore[assignment]
    return Flood(seconds, counted.most, counted.launched, peak, outcomes)


def show(name: str, run: Flood, floor: Flood) -> None:
    mb = run.peak.pss / 2**20
    print(
        f"{name:<34} {run.seconds:6.1f} s  renderers at once {run.most:2d}  launched "
        f"{run.launched:2d}  peak processes {run.peak.processes:3d} "
        f"({run.peak.processes / max(floor.peak.processes, 1):4.1f}x)  peak PSS {mb:6.0f} MB "
        f"({run.peak.pss / max(floor.peak.pss, 1):4.1f}x)  {dict(run.outcomes)}"
    )


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=int, default=None, metavar="N")
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    options = parser.parse_args(args)
    requests, before_requests, distinct = (
        QUICK if options.quick else (REQUESTS, BEFORE_REQUESTS, DISTINCT_SAME)
    )
    if options.before is not None:
        before_requests = options.before
    if find_chromium() is None:
        print("Chromium is not installed: nothing to measure (Debian: apt-get install chromium)")
        return 1 if os.environ.get("LADDER_REQUIRE_BROWSER") == "1" else 0
    html = report_html()
    pages = [f"{html}<!-- report {n} -->" for n in range(requests)]
    print(f"{requests} PDF requests at once, real Chromium, a {len(html) // 1024} KB report each")
    floor = flood(Printer(slots=None), pages[:1])
    show("floor: one report alone", floor, floor)
    if before_requests:
        before = flood(Printer(slots=None), pages[:before_requests])
        show(f"before: {before_requests} at once, no bound", before, floor)
    after = flood(Printer(wait=WAIT), pages)
    show(f"after: {requests}, at most {SLOTS} at once", after, floor)
    same = flood(Printer(wait=WAIT), [pages[n % distinct] for n in range(requests)])
    show(f"same report: {distinct} reports, {requests // distinct}x each", same, floor)
    budgets = Budgets(options.quick)
    budgets.holds("renderers at once", after.most <= SLOTS, f"{after.most} (<= {SLOTS} slots)")
    processes = after.peak.processes / max(floor.peak.processes, 1)
    budgets.at_most("peak processes vs one report", processes, PEAK_RATIO)
    memory = after.peak.pss / max(floor.peak.pss, 1)
    budgets.at_most("peak memory vs one report", memory, PEAK_RATIO)
    budgets.holds(
        "same report printed once",
        same.launched == distinct and same.most <= SLOTS,
        f"{same.launched} prints for {distinct} distinct reports",
    )
    budgets.holds(
        "every request got its PDF",
        after.outcomes == Counter(pdf=requests) and same.outcomes == Counter(pdf=requests),
        f"{dict(after.outcomes)}, {dict(same.outcomes)}",
    )
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
