"""What the browser benchmarks share: Ladder and its floor served side by side on a seeded
database, Debian's Chromium launched as the browser tests launch it, an administrator
signed in, and one way to time a press in the page and to judge the times (`paired`).

Why one module: `bench_browser_pages` and `bench_many_areas` time the same kind of moment
(a press on a widget's option until the script is idle and the charts show the change),
so each of these is done one way, here. The timer runs in the page (``performance.now()``,
installed in every page of a context by `contexts`): from the first press after `arm`
until the script is idle with the charts' legend entries and annotations showing the
target, a count of them or a text among them.

Not a benchmark itself (its name does not start with ``bench_``).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import BrowserContext, Page, sync_playwright

from bench import replay, servers
from reports.pdf import QUIET_FLAGS
from tests.support.server import server_env

T = TypeVar("T")

CHROMIUM = Path("/usr/bin/chromium")
ADMIN, PASSPHRASE = "bench@council.example", "a long and memorable benchmark passphrase"
WAIT_MS = 180_000
NO_CHROMIUM = "Chromium is not installed: nothing to measure (Debian: apt-get install chromium)"

#: What tells that a chart shows a change: its legend entries and annotations (on Compare,
#: past three results the radars are small multiples, titled by annotations, and the
#: heatmap's columns are numbered with a key).
LABELS_JS = "'.legendtext, .annotation-text'"
#: In every page: when the first chart is drawn (from the navigation's start), and once
#: armed, when the script is idle again with ``target`` shown (a number: at least that many
#: labels drawn; a text: a label reading so), counted from the first press after arming.
TIMER_JS = (
    """
const LABELS = """
    + LABELS_JS
    + """;
window.__bench = {first: null, start: null, end: null, target: 0, armed: false};
document.addEventListener('pointerdown', () => {
  const b = window.__bench;
  if (b.armed && b.start === null) b.start = performance.now();
}, true);
function shown(target) {
  const labels = document.querySelectorAll(LABELS);
  if (typeof target === 'number') return labels.length >= target;
  return Array.from(labels).some((label) => label.textContent === target);
}
(function tick() {
  const b = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  if (b.first === null && document.querySelector('.js-plotly-plot .main-svg')) {
    b.first = performance.now();
  }
  if (b.armed && b.start !== null && b.end === null && idle && shown(b.target)) {
    b.end = performance.now();
  }
  requestAnimationFrame(tick);
})();
"""
)
IDLE_JS = (
    """([legends]) => {
  const LABELS = """
    + LABELS_JS
    + """;
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll(LABELS).length === legends;
}"""
)


def missing() -> int | None:
    """Without Chromium: says so, and the exit code (1 under ``LADDER_REQUIRE_BROWSER=1``, as
    CI sets); None when it is there."""
    if CHROMIUM.exists():
        return None
    print(NO_CHROMIUM)
    return 1 if os.environ.get("LADDER_REQUIRE_BROWSER") == "1" else 0


def contexts(stack: contextlib.ExitStack, n: int = 2, height: int = 900) -> list[BrowserContext]:
    """``n`` browser contexts of one headless Chromium (one per server, so the scripts are
    cached as for a returning visitor), windows 1280 px wide and ``height`` high, each with
    the timer in every page; closed with ``stack``."""
    pw = stack.enter_context(sync_playwright())
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                 args=list(QUIET_FLAGS))  # fmt: skip
    stack.callback(browser.close)
    made = [browser.new_context(viewport={"width": 1280, "height": height}) for _ in range(n)]
    for context in made:
        context.add_init_script(TIMER_JS)
        context.set_default_timeout(WAIT_MS)
    return made


@contextlib.contextmanager
def served(
    seed: Callable[[str], T], floors: Callable[[T], dict[str, replay.Floor]], height: int = 900
) -> Iterator[tuple[T, str, str, list[BrowserContext]]]:
    """A database in a temporary folder, filled by ``seed`` (given its URL); Ladder served on
    it, and beside it the floors ``floors`` makes from what ``seed`` returned (in AppTest, in
    this process, on the same database); a browser context for each (`contexts`): what
    ``seed`` returned, Ladder's base URL, the floor's, and the two contexts. All stopped and
    removed after."""
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        tmp = Path(folder)
        env = server_env(tmp)
        seeded = seed(env["DATABASE_URL"])
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]  # AppTest's pages: the same database
        bare = floors(seeded)
        base = stack.enter_context(servers.ladder(env, tmp))
        floor_base = stack.enter_context(servers.floor(bare, env, tmp))
        yield seeded, base, floor_base, contexts(stack, height=height)


def arm(page: Page, target: int | str) -> None:
    """Time the next press, until the script is idle with ``target`` shown (`TIMER_JS`)."""
    page.evaluate("(t) => Object.assign(window.__bench, {start: null, end: null, target: t, "
                  "armed: true})", target)  # fmt: skip


def timed(page: Page) -> float:
    """Milliseconds from the press after `arm` until its target was shown; disarmed."""
    page.wait_for_function("window.__bench.end !== null", timeout=WAIT_MS)
    elapsed = float(page.evaluate("window.__bench.end - window.__bench.start"))
    page.evaluate("window.__bench.armed = false")
    return elapsed


def idle(page: Page) -> None:
    """Until a chart is drawn and the script is idle (half a second on, in case another run
    follows)."""
    page.wait_for_function("window.__bench.first !== null", timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.wait_for_function(
        "document.querySelector('[data-testid=\"stApp\"]')"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        timeout=WAIT_MS,
    )


def legends_when_idle(page: Page) -> int:
    """The legend entries and annotations drawn, once the script is idle (`idle`)."""
    idle(page)
    return int(page.evaluate(f"document.querySelectorAll({LABELS_JS}).length"))


def signed_in_compare(context: BrowserContext, base: str) -> Page:
    """A page on Ladder's Compare, signed in as the administrator `ADMIN` (who must exist)."""
    page = context.new_page()
    page.goto(f"{base}/admin")
    page.get_by_label("E-mail address or user name").fill(ADMIN)
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # Signed in before moving on: a click while the sign-in still runs lands on a page
    # that refuses the session (it happened with Chromium 156).
    page.get_by_role("button", name="Sign out").wait_for(timeout=WAIT_MS)
    page.get_by_role("link", name="Compare areas").first.click()
    return page


def ratios(times: dict[str, list[float]]) -> list[float]:
    """Each Ladder run's ratio to the floor's run after it."""
    return [ours / floor for ours, floor in zip(times["Ladder"], times["floor"], strict=True)]


def paired(times: dict[str, list[float]]) -> float:
    """The median of `ratios`. Why pairs, not a ratio of two medians: a browser's times fall
    in bands, so either median lands in either band; a pair's runs share the moment's
    conditions."""
    return statistics.median(ratios(times))
