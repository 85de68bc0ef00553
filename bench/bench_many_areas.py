"""Benchmark: Compare's "Many areas at once" with 500 areas x 22 dimensions, marking another
area, in Chromium (issue 17, item 5).

What is measured, in Debian's Chromium (Playwright, headless, as `bench_browser_pages`
does: `bench.browser`) against a real Ladder server started as ``make run`` does (SQLite),
on 500 imported areas (three people each, every question of the full form: 22 dimensions):
signed in as an administrator, on Compare with "Many areas at once" open, another area
picked in "Mark this area": from the press on the option until the view's fragment has run
and its figure shows the area marked (its legend holds the area's name), timed in the page
(``performance.now()``). Marking reruns the view's fragment alone: the page's own work is
the entries' stamps read, the spread and the figure of every area's median made (kept from
the run before where nothing changed), then 11,000 points drawn.

Against what floor: the same page drawn by a bare Streamlit app (`bench.floor_app`, served
the same way on a port of its own) from data prepared in advance (`bench.replay`, captured
from Ladder's page in AppTest: the same figure with every point, the same widgets and
table), its view in a fragment of its own, drawn with no area marked and with each of the
two areas marked, switched by the same selectbox. Ladder and its floor are timed
alternately, after warm-ups; the budget is the median of the ratios of each Ladder run to
the floor's run that follows it (why pairs: `bench.browser.paired`).

Why the budget (at most 2x the floor): a benchmarking club or a region looks across
hundreds of areas and changes which one is marked many times; drawing the figure is the
floor, and the page's own work should not double it. First measured (two CPUs, busy with
other work): 0.97-1.22x, Ladder 480-560 ms, floor 450-670 ms; most of either is the browser
drawing the figure after the run (some 300 ms), the fragment's run itself 35-70 ms.

Run: ``python bench/bench_many_areas.py [--quick]`` (exit 1 when a budget is missed;
``--quick``: 20 areas, one timed pair, no warm-up, a miss printed not failed). Without
Chromium it says so and exits 0 (1 under ``LADDER_REQUIRE_BROWSER=1``, as CI sets).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, Page  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench import browser, replay  # noqa: E402
from bench.browser import ADMIN, PASSPHRASE  # noqa: E402
from bench.budget import Budgets, parse  # noqa: E402
from questions import load_instrument  # noqa: E402
from questions.model import Bank  # noqa: E402
from scoring.answers import parse_answers  # noqa: E402
from storage import make_engine, migrate, save_bank  # noqa: E402
from storage.cli import COMMAND_LINE  # noqa: E402
from storage.core.access import Grant  # noqa: E402
from storage.core.admins import add_admin  # noqa: E402
from storage.results.imports import import_file  # noqa: E402

BUDGET = 2.0
AREAS, QUICK_AREAS = 500, 20
REPEATS, WARM_UP = 11, 2
TIMEOUT = 900
#: The window's height: the selectbox and the whole figure under it (830 px at 22 rows) in view.
HEIGHT = 1200
PAGE = "app_pages/compare.py"
MANY = "Many areas at once (up to 500)"
VIEW = "Many areas at once"  # the view's heading: its fragment's block starts with it
MARK = "Mark this area"
NONE = "–"  # "Mark this area" before anyone marks one
#: The two areas marked in turn: at the top of the list, which draws only the options in view.
MARKED = ("Bench area 000", "Bench area 001")
#: The page scrolled by ``y`` pixels, or as far as it goes.
SCROLLED_JS = """(y) => {
  const main = document.querySelector('main');
  return main.scrollTop >= Math.min(y, main.scrollHeight - main.clientHeight) - 1;
}"""
#: Each chart's traces in the page, as (name, points), to tell the floor drew the same figure
#: (from plotly's own record of what it drew: ``data`` keeps arrays as base64 until drawn).
TRACES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .map((plot) => (plot._fullData || []).map((t) => [t.name || "", t.x ? t.x.length : 0]))"""


def areas_csv(bank: Bank, areas: int) -> bytes:
    """``areas`` areas, three people each, every question of the full form, one date."""
    rng = random.Random(20101201)
    questions = [q.id for q in bank.form_questions("full")]
    lines = ["respondent_id,question_id,answer,area,round,role,submitted_at"]
    for a in range(areas):
        base = 1 + a % 4
        for r in range(3):
            for q in questions:
                level = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
                lines.append(
                    f"a{a}r{r},{q},{level},Bench area {a:03d},1,other,2026-03-15T10:00:00Z"
                )
    return ("\n".join(lines) + "\n").encode()


def seed(db_url: str, areas: int) -> int:
    """The database: an administrator and ``areas`` imported results; the dimensions."""
    bank = load_instrument().bank
    assert bank is not None
    engine = make_engine(db_url)
    migrate(engine)
    add_admin(engine, ADMIN, PASSPHRASE)
    bank_hash = save_bank(engine, bank, (ROOT / "questions" / "bank.yaml").read_text())
    start = time.perf_counter()
    made = import_file(
        engine, COMMAND_LINE, areas_csv(bank, areas), "areas.csv", bank, bank_hash,
        partial(parse_answers, bank=bank),
    )  # fmt: skip
    print(f"{len(made)} areas imported in {time.perf_counter() - start:.1f} s", flush=True)
    engine.dispose()
    return len(bank.dimensions)


def floor() -> replay.Floor:
    """Ladder's Compare with many areas, run in AppTest on the same database, as a floor: the
    page above the view, and the view with no area marked and with each of `MARKED`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["admin_grant"] = Grant("admin", admin=ADMIN, via="local")
    at.switch_page(PAGE)
    at.run()
    at.radio[0].set_value(MANY)
    pages, parts = [], {}
    for area in (NONE, *MARKED):
        if area != NONE:
            next(s for s in at.selectbox if s.label == MARK).set_value(area)
        at.switch_page(PAGE)
        at.run()
        if at.exception:
            raise SystemExit(f"the page raised: {at.exception[0].value}")
        page, part = split(replay.capture_apptest(at._tree))
        if page is None or part is None:
            raise SystemExit(f"no {VIEW!r} in the page")
        pages.append(page)
        parts[area] = part
    # The page above the view as first drawn; Compare is wide, beside the navigation.
    return replay.Floor((pages[0],), parts=parts, layout="wide", sidebar=replay.SIDEBAR)


def split(node: replay.Node) -> tuple[replay.Node | None, replay.Node | None]:
    """``node`` without the view's block (None if it is that block), and that block with
    "Mark this area" as its pick (None if there is none)."""
    first = node.children[0] if node.children else None
    if first is not None and first.kind == "subheader" and first.data["body"] == VIEW:
        return None, replay.with_choice(node, MARK)
    kept, view = [], None
    for child in node.children:
        rest, found = split(child)
        kept += [rest] if rest is not None else []
        view = view or found
    return replay.Node(node.kind, node.data, tuple(kept)), view


def opened(context: BrowserContext, base: str) -> Page:
    """Ladder's Compare, signed in, with many areas open and drawn (`in_view`)."""
    page = browser.signed_in_compare(context, base)
    page.get_by_text(MANY, exact=True).click()
    return in_view(page)


def in_view(page: Page) -> Page:
    """``page`` once the view is drawn, scrolled by the mouse's wheel to "Mark this area":
    the figure under it in view too, as for a person watching it (`HEIGHT`). (Scrolled by a
    script instead, the page jumped back to its top on the press, closing the options.)"""
    box = page.get_by_role("combobox", name=MARK)
    box.wait_for()
    browser.idle(page)
    where = box.bounding_box()
    assert where is not None
    page.mouse.move(640, HEIGHT // 2)
    page.mouse.wheel(0, where["y"] - 150)
    page.wait_for_function(SCROLLED_JS, arg=where["y"] - 150)
    return page


def mark(page: Page, area: str) -> float:
    """Milliseconds from picking ``area`` in "Mark this area" until the script is idle and
    the figure's legend names it."""
    page.get_by_role("combobox", name=MARK).click()
    browser.arm(page, area)
    page.get_by_role("option", name=area, exact=True).click()
    return browser.timed(page)


def traces(page: Page) -> list[list[Any]]:
    browser.idle(page)
    return list(page.evaluate(TRACES_JS))


def main(args: list[str] | None = None) -> int:
    quick = parse(__doc__, args).quick
    if (no_browser := browser.missing()) is not None:
        return no_browser
    areas = QUICK_AREAS if quick else AREAS
    repeats, warm_up = (1, 0) if quick else (REPEATS, WARM_UP)
    budgets = Budgets(quick)
    served = browser.served(partial(seed, areas=areas), lambda _: {"many": floor()}, HEIGHT)
    with served as (dimensions, base, floor_base, (ours, theirs)):
        pages = {"Ladder": opened(ours, base), "floor": theirs.new_page()}
        pages["floor"].goto(f"{floor_base}/?page=many")
        in_view(pages["floor"])
        times: dict[str, list[float]] = {"Ladder": [], "floor": []}
        for n in range(warm_up + repeats):
            area = MARKED[n % 2]
            for who, page in pages.items():
                elapsed = mark(page, area)
                if n >= warm_up:
                    times[who].append(elapsed)
        drawn = {who: traces(page) for who, page in pages.items()}

    med = {who: statistics.median(t) for who, t in times.items()}
    points = max((n for chart in drawn["Ladder"] for _, n in chart), default=0)
    print(
        f"Compare, many areas: {areas} areas x {dimensions} dimensions ({points} points), in "
        f"Chromium against a real server (SQLite, {os.cpu_count()} CPUs), medians of {repeats} "
        f"after {warm_up} warm-up(s){' (quick mode)' if quick else ''}:\n"
        f"  marking another area   Ladder {med['Ladder']:7.0f} ms   bare page "
        f"{med['floor']:7.0f} ms\n"
        f"  each run, ms: Ladder {' '.join(f'{t:.0f}' for t in times['Ladder'])}; floor "
        f"{' '.join(f'{t:.0f}' for t in times['floor'])}; each pair's ratio "
        f"{' '.join(f'{r:.2f}' for r in browser.ratios(times))}"
    )
    budgets.holds(
        "floor draws the many-areas view",
        drawn["Ladder"] == drawn["floor"] and len(drawn["Ladder"]) == 1 and points >= areas,
        f"charts' traces (name, points) {drawn['Ladder']}, floor {drawn['floor']}",
    )
    budgets.at_most("many areas, marking an area vs floor (median of pairs)",
                    browser.paired(times), BUDGET)  # fmt: skip
    return budgets.exit_code()


if __name__ == "__main__":
    raise SystemExit(main())
