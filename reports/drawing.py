"""A report's charts drawn once as static SVG pictures, by the Chromium that prints PDFs.

Why (issue 14): a report that carries plotly.js to draw its charts is 4.8-5.0 MB,
98 % of it the library; a phone on a poor connection, an email limit or a council's
file store pays for it every time. plotly's own partial bundles are still 1.2 MB
for the four chart kinds Ladder draws. The charts drawn once as SVG pictures make
the whole self-assessment report some 0.2 MB: it opens offline, in any browser,
prints as drawn, and runs no script at all.

The drawing is plotly.js's own (``Plotly.toImage`` in headless Chromium, as the
PDF is printed: `reports.pdf`'s flags, no network, a fresh profile), so a picture
looks as the chart on the page does. Each picture goes into the report as an
``<img>`` of a ``data:`` URL: an image cannot run anything, whatever text it holds.

Drawing goes through a `reports.printing.Printer` of its own: at most two Chromiums
at once, and the same charts drawn once (kept by the hash of what is drawn), so a
second download of the same report costs nothing. When Chromium is missing or
fails, `draw` returns None and the report carries plotly.js as before.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import os
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from reports.pdf import CHROMIUM_FLAGS, PdfUnavailable, find_chromium
from reports.printing import Printer

__all__ = ["DRAWER", "WIDTH", "draw", "drawing_page", "page_to_svgs", "svg_data_url"]

#: The report's chart width in CSS pixels (``.chart-frame`` is 40rem).
WIDTH = 640
#: Height when a figure sets none (plotly's default).
HEIGHT = 450
_OUT = "svgs"  # the element the drawing page writes its pictures into
#: The drawing page fetches nothing either (as the report: `reports.html.CSP`); plotly makes
#: a heatmap's picture through a blob: or data: image.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
)
_SCRIPT = """
(async () => {
  const out = document.getElementById("svgs");
  const figures = JSON.parse(document.getElementById("figures").textContent);
  const svgs = [];
  for (const f of figures) {
    const url = await Plotly.toImage(
      {data: f.figure.data, layout: f.figure.layout, config: {staticPlot: true}},
      {format: "svg", width: f.width, height: f.height}
    );
    svgs.push(url);
  }
  out.textContent = JSON.stringify(svgs);
})().catch((e) => {
  document.getElementById("svgs").textContent = "failed: " + e;
});
"""


def drawing_page(figures: Sequence[go.Figure]) -> str:
    """A page that draws each figure as an SVG and writes them, as JSON, into ``#svgs``.

    The figures travel as JSON inside a ``<script type="application/json">``; plotly's
    JSON encodes ``<`` as ``\\u003c``, so no text in a figure can close that script.
    """
    specs = [
        f'{{"width": {WIDTH}, "height": {int(f.layout.height or HEIGHT)}, '
        f'"figure": {pio.to_json(f, validate=False)}}}'
        for f in figures
    ]
    payload = ("[" + ", ".join(specs) + "]").replace("<", "\\u003c")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f'<script type="application/json" id="figures">{payload}</script>'
        f'<pre id="{_OUT}"></pre><script>{_SCRIPT}</script></body></html>'
    )


def page_to_svgs(page: str, chromium: Path | None = None, timeout: float = 60) -> bytes:
    """Run a `drawing_page` in headless Chromium; the SVG data URLs it made, as JSON bytes.

    Raises:
        PdfUnavailable: Chromium is missing, fails, times out or draws nothing.
    """
    browser = chromium if chromium is not None else find_chromium()
    if browser is None or not (browser.is_file() and os.access(browser, os.X_OK)):
        raise PdfUnavailable("drawing the charts needs Chromium, which is not installed")
    with tempfile.TemporaryDirectory(prefix="ladder-draw-") as tmp:
        folder = Path(tmp)
        source = folder / "draw.html"
        source.write_text(page, encoding="utf-8")
        command = [
            str(browser),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            "--dump-dom",
            source.as_uri(),
        ]
        dom = _run(command, timeout)
    start = dom.find(f'<pre id="{_OUT}">')
    end = dom.find("</pre>", start)
    text = html.unescape(dom[start + len(f'<pre id="{_OUT}">') : end]) if start >= 0 else ""
    if not text.startswith("["):
        raise PdfUnavailable(f"Chromium did not draw the charts ({text[:200] or 'no output'})")
    return text.encode("utf-8")


def _run(command: list[str], timeout: float) -> str:
    """Chromium's standard output (the page's DOM), in its own process group; on timeout,
    that group (and only it) is ended."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise PdfUnavailable(f"Chromium could not be started ({exc.strerror or exc})") from None
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfUnavailable(f"Chromium took longer than {timeout:g} seconds to draw") from None
    return out.decode("utf-8", "replace")


#: The server process's one drawer: at most two Chromiums, each set of charts drawn once.
DRAWER = Printer(render=page_to_svgs)


def draw(figures: Sequence[go.Figure], drawer: Printer | None = None) -> list[str] | None:
    """Each figure as an SVG document, in order; None when they cannot be drawn here."""
    if not figures:
        return []
    try:
        made = (drawer or DRAWER).pdf(drawing_page(figures))
    except PdfUnavailable:
        return None
    urls = json.loads(made)
    prefix = "data:image/svg+xml,"
    if len(urls) != len(figures) or not all(u.startswith(prefix) for u in urls):
        return None
    return [unquote(u[len(prefix) :]) for u in urls]


def svg_data_url(svg: str) -> str:
    """An SVG document as a ``data:`` URL for an ``<img>`` (the report's CSP allows those)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
