"""The report as one self-contained HTML file: it loads nothing, and it escapes everything.

Why: councils email reports, open them on phones and print them; the file
must work offline, years later, and must not run anything a respondent typed.
So:

- asked for ``static`` (the self-assessment report the app serves), each chart
  is a picture drawn once by `reports.drawing` (an ``<img>`` of an SVG ``data:``
  URL): the file is some 0.2 MB instead of 4.8 MB and runs no script at all;
- otherwise, or when the pictures cannot be drawn here (no Chromium), plotly.js
  is inlined once, and each chart is plotly's own ``<div>`` plus its bootstrap
  ``<script>`` (``plotly.io.to_html``, whose JSON escapes ``<``); those are the
  only scripts in the file;
- a Content-Security-Policy forbids every network fetch (`CSP`): links to
  essays are anchors into the report's own appendix;
- all text (area names, evidence notes, bank text) goes through Jinja2 with
  autoescaping; Markdown is not rendered, so ``[x](javascript:...)`` is shown
  literally. No HTML is built by joining strings of user text.

A report is a list of `reports.blocks.Section`; `render_sections` draws any
such list (the workshop and comparison reports reuse it) and `render_report`
is the self-assessment journey's export.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.io as pio
import plotly.offline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from corpus.model import Corpus
from questions.model import Bank
from reports.blocks import Block, Chart, Section, linkable
from reports.drawing import HEIGHT, WIDTH, draw, svg_data_url
from reports.meta import ReportMeta
from reports.sections import self_assessment_sections
from scoring.assessment.results import Results
from storage import Plan

__all__ = ["CSP", "render_report", "render_sections"]

#: No fetch of any kind; inline scripts and styles (plotly needs both); images and
#: fonts only from data: URLs (plotly draws heatmaps as data: images).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)
#: Plotly options for a static report: no plotly logo link, resize with the page.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
TEMPLATES = Path(__file__).with_name("templates")


def render_report(
    results: Results,
    corpus: Corpus,
    meta: ReportMeta,
    answers: pd.DataFrame,
    bank: Bank,
    *,
    static: bool = False,
    plan: Plan | None = None,
    notes: bool = True,
) -> str:
    """The self-assessment report for `results` as one HTML document.

    Args:
        answers: the long answers the results were built from (their evidence
            notes, answers and confidence are listed).
        bank: the bank the answers were given against (question text of the
            evidence notes; the same bank the results were built with).
        static: charts as pictures drawn once, no plotly.js (`render_sections`).
        plan: the action plan, printed after the priorities when it holds any action.
        notes: False for a published result opened by an administrator: its evidence notes
            stay with their owner, and the report says so.
    """
    sections = self_assessment_sections(results, corpus, answers, bank, plan, notes=notes)
    return render_sections(meta, sections, kicker="Ladder self-assessment report", static=static)


def render_sections(
    meta: ReportMeta,
    sections: Sequence[Section],
    kicker: str = "Ladder report",
    *,
    static: bool = False,
) -> str:
    """Any report: a title block from `meta`, a contents list, then the sections.

    With ``static``, each chart is a picture drawn once (`reports.drawing.draw`) and the
    report holds no script; otherwise, or when they cannot be drawn here, plotly.js is
    included once when any section holds a chart, and not at all otherwise.
    """
    charts = [b for s in sections for b in s.blocks if isinstance(b, Chart)]
    pictures = draw([chart.figure for chart in charts]) if static and charts else None
    if pictures is not None:
        figures = {id(c): _picture_html(c, svg) for c, svg in zip(charts, pictures, strict=True)}
    else:
        figures = {id(c): _figure_html(c, f"figure-{i}") for i, c in enumerate(charts, 1)}

    def figure_html(chart: Chart) -> Markup:
        return figures[id(chart)]

    template = _environment().get_template("report.html.j2")
    return template.render(
        meta=meta,
        sections=list(sections),
        kicker=kicker,
        csp=CSP,
        plotlyjs=_plotlyjs() if charts and pictures is None else None,
        figure_html=figure_html,
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals["block_kind"] = _block_kind
    env.globals["linkable"] = linkable
    return env


def _block_kind(block: Block) -> str:
    return type(block).__name__


@cache
def _plotlyjs() -> Markup:
    """plotly.js, trusted (it ships with plotly); it contains no ``</script``."""
    return Markup(plotly.offline.get_plotlyjs())


def _figure_html(chart: Chart, div_id: str) -> Markup:
    """plotly's div and bootstrap script; its JSON encodes ``<`` as ``\\u003c``, so bank
    text in a figure cannot close the script."""
    html = pio.to_html(
        chart.figure,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=PLOTLY_CONFIG,
        default_width="100%",
    )
    return Markup(html)


def _picture_html(chart: Chart, svg: str) -> Markup:
    """The chart drawn as a picture: an image cannot run anything, whatever its text."""
    height = int(chart.figure.layout.height or HEIGHT)
    return Markup('<img class="chart-picture" src="{}" alt="{}" width="{}" height="{}">').format(
        svg_data_url(svg), chart.description, WIDTH, height
    )
