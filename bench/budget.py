"""What every benchmark shares: the ``--quick`` flag, and one way to print a budget.

Why: ``make bench`` runs each ``bench/bench_*.py`` at full size and fails when a budget is
missed; ``make test`` runs each with ``--quick`` (small sizes, the same code paths) so a
benchmark that no longer runs is a failing test, not a surprise on the day someone needs
the figures. In quick mode the sizes are too small to judge a budget, so a miss is printed
and does not fail; a crash still does, and so does a fact that is wrong (`Budgets.holds`:
the dashboard counted the wrong people, the engine disagrees with the loop).

Every budget is printed as one line, ``budget <name>: <figure> (<= <limit>) met|MISSED``,
which tests/unit/test_bench_quick.py looks for.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

QUICK_HELP = "small sizes, the same code paths; budgets printed, a miss does not fail"


def parse(doc: str | None, args: list[str] | None = None, **extra: Any) -> argparse.Namespace:
    """The benchmark's command line: ``--quick``, plus ``extra`` options (name -> kwargs)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)
    for name, kwargs in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", **kwargs)
    return parser.parse_args(args)


class Budgets:
    """The budgets of one run: each checked and printed once; the exit code at the end."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.missed: list[str] = []
        self.wrong: list[str] = []

    def at_most(self, name: str, value: float, limit: float, unit: str = "x") -> bool:
        return self._check(name, value, limit, value <= limit, "<=", unit)

    def at_least(self, name: str, value: float, limit: float, unit: str = "x") -> bool:
        return self._check(name, value, limit, value >= limit, ">=", unit)

    def holds(self, name: str, ok: bool, said: str) -> bool:
        """A fact, not a figure (the cross-check agrees, n is right): wrong fails in both
        modes, as a crash does."""
        self._print(name, said, ok)
        if not ok:
            self.wrong.append(name)
        return ok

    def _check(self, name: str, value: float, limit: float, ok: bool, sign: str, unit: str) -> bool:
        self._print(name, f"{value:.2f}{unit} ({sign} {limit:g}{unit})", ok)
        if not ok:
            self.missed.append(name)
        return ok

    @staticmethod
    def _print(name: str, said: str, ok: bool) -> None:
        print(f"budget {name}: {said} {'met' if ok else 'MISSED'}", flush=True)

    def exit_code(self) -> int:
        if not self.missed and not self.wrong:
            print("every budget met")
            return 0
        if self.wrong:
            print(f"WRONG: {', '.join(self.wrong)}")
        if self.missed:
            print(f"BUDGET MISSED: {', '.join(self.missed)}")
        if self.quick and not self.wrong:
            print("(quick mode: sizes too small to judge, so a miss does not fail the run)")
            return 0
        return 1


def median_time(function: Callable[[], Any], repeats: int, warm_up: int = 0) -> float:
    """Median wall time of ``function()`` over ``repeats`` runs, after ``warm_up`` untimed."""
    for _ in range(warm_up):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
