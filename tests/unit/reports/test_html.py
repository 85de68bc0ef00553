"""The HTML report: self-contained, escaped, offline; the headline never one number alone."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.offline
import pytest
from playwright.sync_api import Browser

from reports.blocks import Paragraphs, Section
from reports.html import CSP, render_report, render_sections
from scoring.assessment.results import build_results
from tests.unit.reports.factories import (
    CORPUS,
    HOSTILE,
    MARKDOWN,
    SECTIONS,
    full_answers,
    meta_for,
    quick_answers,
    shipped,
    small_answers,
    small_bank,
    small_results,
)

URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "background"}
PLOTLY_BANNER = plotly.offline.get_plotlyjs()[:60]


class Page(HTMLParser):
    """What a browser would see: tags, attributes, scripts, ids and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text.append(data)

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def small_html() -> str:
    results = small_results()
    meta = meta_for(results, small_bank())
    return render_report(results, CORPUS, meta, small_answers(), small_bank())


@pytest.fixture(scope="module")
def quick_html() -> str:
    bank, corpus = shipped()
    answers = quick_answers(bank)
    results = build_results(bank, corpus, answers)
    return render_report(results, corpus, meta_for(results, bank), answers, bank)


def test_hostile_text_is_shown_as_text_never_run(small_html: str) -> None:
    page = Page(small_html)
    # plotly.js and one bootstrap per chart (two radars and a heatmap): nothing else runs.
    assert len(page.scripts) == 1 + 3
    assert all("src" not in attrs for attrs in page.scripts)
    assert "<script>alert(1)" not in small_html
    visible = page.visible
    assert f"Borsetshire {HOSTILE}" in visible  # the area name
    assert f"Readiness {MARKDOWN}" in visible  # the title, Markdown not rendered
    assert f"{HOSTILE} {MARKDOWN}" in visible  # an evidence note
    assert f"Question {HOSTILE}" in visible  # bank text: a question
    assert f"Risk {HOSTILE} {MARKDOWN}" in visible  # a dimension name
    assert f"Intro {HOSTILE}" in visible
    assert "Ed <b>Itor</b>" in visible
    assert not any(t == "b" for t, _ in page.tags)


def test_no_attribute_holds_a_javascript_url(small_html: str) -> None:
    for tag, attrs in Page(small_html).tags:
        for name, value in attrs.items():
            squashed = re.sub(r"\s", "", value or "").lower()
            assert "javascript:" not in squashed, (tag, name, value)
            assert not name.startswith("on"), (tag, name)


@pytest.mark.parametrize("which", ["small_html", "quick_html"])
def test_nothing_is_loaded_from_anywhere(which: str, request: pytest.FixtureRequest) -> None:
    html = request.getfixturevalue(which)
    page = Page(html)
    for tag, attrs in page.tags:
        for name in URL_ATTRIBUTES & set(attrs):
            value = attrs[name] or ""
            assert value.startswith(("#", "data:")), (tag, name, value)
            if value.startswith("#"):
                assert value[1:] in page.ids, f"{value} points nowhere"
    assert not [t for t, _ in page.tags if t in {"link", "iframe", "object", "embed", "base"}]
    csp = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert [a["content"] for a in csp] == [CSP]
    for directive in (
        "default-src 'none'",
        "script-src 'unsafe-inline'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
    ):
        assert directive in CSP


def test_plotly_js_is_inlined_exactly_once(small_html: str, quick_html: str) -> None:
    assert small_html.count(PLOTLY_BANNER) == 1
    assert quick_html.count(PLOTLY_BANNER) == 1


def test_a_report_without_charts_has_no_script() -> None:
    results = small_results()
    html = render_sections(
        meta_for(results, small_bank()), [Section("note", "Note", (Paragraphs((HOSTILE,)),))]
    )
    page = Page(html)
    assert page.scripts == []
    assert PLOTLY_BANNER not in html
    assert HOSTILE in page.visible


def test_headline_gives_the_median_and_the_weakest_together(small_html: str) -> None:
    visible = Page(small_html).visible
    assert "Median of the dimension scores 3.0 Developing" in visible
    assert f"Weakest dimension Risk {HOSTILE} {MARKDOWN} (P1) 2.0 Emerging" in visible


def test_title_block_names_area_form_date_people_and_bank(small_html: str) -> None:
    visible = Page(small_html).visible
    assert f"Area Borsetshire {HOSTILE} (council, E10000099)" in visible
    assert f"Form Full {HOSTILE}" in visible
    assert "Assessment date 25 November 2026" in visible
    assert "Respondents 2 people" in visible
    assert f"Question bank Bank {HOSTILE}, version 1" in visible


def test_priorities_link_to_an_appendix_of_the_essays_they_cite(small_html: str) -> None:
    page = Page(small_html)
    visible = page.visible
    assert "Top 3 priorities" in visible
    assert "Why here: Lowest score (2.0, Emerging); no target set." in visible
    assert MARKDOWN in visible
    assert "Plain step." in visible
    essay_links = [
        a["href"] for t, a in page.tags if t == "a" and (a.get("href") or "").startswith("#essay-")
    ]
    assert essay_links
    assert set(essay_links) == {"#essay-1"}
    assert "essay-1" in page.ids
    assert "Essays cited" in visible
    assert f"Summary {MARKDOWN}" in visible
    assert "p1a and p1b draw on page 6" in visible  # the link's reason


def test_every_section_of_the_self_assessment_is_there(small_html: str) -> None:
    ids = Page(small_html).ids
    for section in SECTIONS:
        assert section in ids
    visible = Page(small_html).visible
    assert "The next-practice criteria as a table" in visible
    assert "Themes by criterion as a table" in visible
    assert "halves rounding up" in visible
    assert "docs/method.md" in visible


def test_evidence_notes_keep_their_words_and_line_breaks(small_html: str) -> None:
    assert "Minutes, 3 March:\nbudget &#34;devolved&#34;." in small_html
    visible = Page(small_html).visible
    assert (
        "Answer 1 Not yet Confidence: not given" in visible.replace(":", ": ").replace(":  ", ": ")
        or "Answer: 1 Not yet" in visible
    )


def test_a_published_results_report_keeps_the_notes_with_their_owner() -> None:
    """Made by an administrator (``notes=False``): where the notes were, a line saying why
    there are none, and not one of them, even when the answers given still hold some."""
    from reports.evidence import WITHHELD

    results = small_results()
    html = render_report(
        results, CORPUS, meta_for(results, small_bank()), small_answers(), small_bank(),
        notes=False,
    )  # fmt: skip
    assert "Minutes, 3 March" not in html
    assert WITHHELD in Page(html).visible
    assert "Evidence notes" in Page(html).visible


def test_shipped_bank_quick_form(quick_html: str) -> None:
    page = Page(quick_html)
    assert len(page.scripts) == 1 + 1  # the criteria radar only: no themes were asked
    assert "heatmap" not in page.ids
    assert "themes" not in page.ids
    visible = page.visible
    assert "Quick check" in visible
    assert "No themes were asked on this form" in visible
    assert "Respondents one respondent" in visible


def test_shipped_bank_full_form_has_three_charts() -> None:
    bank, corpus = shipped()
    answers = full_answers(bank)
    results = build_results(bank, corpus, answers)
    html = render_report(results, corpus, meta_for(results, bank), answers, bank)
    page = Page(html)
    assert len(page.scripts) == 1 + 3
    assert "No evidence notes were given." in page.visible


def test_the_report_draws_offline_in_a_real_browser(
    small_html: str, tmp_path: Path, browser: Browser
) -> None:
    """Chromium with every non-file request refused: three charts drawn, nothing asked for,
    no script run from the text, no CSP complaint."""
    page_file = tmp_path / "report.html"
    page_file.write_text(small_html, encoding="utf-8")
    refused: list[str] = []
    messages: list[str] = []
    dialogs: list[str] = []
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                refused.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"error: {e}"))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        page.locator(".plotly-graph-div .main-svg").first.wait_for(timeout=20_000)
        drawn = page.locator(".plotly-graph-div").evaluate_all(
            "divs => divs.filter(d => d.querySelector('.main-svg')).length"
        )
    finally:
        context.close()
    assert drawn == 3
    assert refused == []
    assert dialogs == []
    assert not [m for m in messages if "error" in m.lower() or "Content Security" in m]


def test_the_self_assessment_report_is_under_1_mb_and_draws_every_chart_offline(
    tmp_path: Path, browser: Browser, chromium: Path
) -> None:
    """Issue 14 / design budget: the report of a realistic result (the shipped bank's full
    form, five people) under 1 MB, every chart in it, nothing fetched, no script at all. It
    was 4.8 MB, 98 % of it plotly.js."""
    import base64

    bank, corpus = shipped()
    answers = full_answers(bank, people=5)
    results = build_results(bank, corpus, answers)
    html = render_report(results, corpus, meta_for(results, bank), answers, bank, static=True)
    assert len(html.encode("utf-8")) < 1_000_000
    page = Page(html)
    assert page.scripts == []  # no plotly.js, no bootstrap: nothing runs
    pictures = [a for tag, a in page.tags if tag == "img" and "chart-picture" in (a["class"] or "")]
    assert len(pictures) == 3  # both radars and the heatmap
    for picture in pictures:
        assert (picture["alt"] or "").strip()  # says what it shows
        svg = base64.b64decode((picture["src"] or "").removeprefix("data:image/svg+xml;base64,"))
        assert svg.startswith(b"<svg")
    fetched = [
        value
        for _, attributes in page.tags
        for name, value in attributes.items()
        if name in {"src", "href"} and re.match(r"\s*(https?:)?//", value or "")
    ]
    assert fetched == []

    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    refused: list[str] = []
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:

        def route(r):  # type: ignore[no-untyped-def]
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                refused.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        tab = context.new_page()
        tab.goto(page_file.as_uri())
        drawn = tab.locator("img.chart-picture").evaluate_all(
            "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length"
        )
    finally:
        context.close()
    assert drawn == 3
    assert refused == []


def test_without_chromium_the_static_report_carries_plotly_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reports.html

    monkeypatch.setattr(reports.html, "draw", lambda figures: None)
    results = small_results()
    meta = meta_for(results, small_bank())
    html = render_report(results, CORPUS, meta, small_answers(), small_bank(), static=True)
    assert html == render_report(results, CORPUS, meta, small_answers(), small_bank())
    assert PLOTLY_BANNER in html
