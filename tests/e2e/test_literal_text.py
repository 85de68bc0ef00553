"""`ui.text.literal` in a real browser (issue 13, item 1): every hostile payload, through
Streamlit's own Markdown, shows exactly as typed, with no link, image, emphasis, heading,
list, icon or formula; and ordinary prose keeps a clean name for screen readers (a widget's
label is its ``aria-label`` before Markdown, so a needless backslash would be read out).

The page is a tiny Streamlit script that shows each text the ways Ladder's pages do: as
Markdown, as a title and as a radio button's label.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.payloads import payloads
from tests.support.server import ROOT, free_port, serving
from ui.text import JOINER

pytestmark = pytest.mark.e2e

#: Streamlit's own Markdown and the GFM extensions it turns on, beside the shared corpus.
STREAMLIT_TRICKS = (
    ":red[coloured] :material/home: :smile:",
    "$x^2$ and $$y$$",
    "see http://evil.example and www.evil.example",
    "write to someone@evil.example",
    "<http://evil.example>",
    "1. first",
    "2) second",
    "- a list",
    "+ another",
    "> a quote",
    "---",
    "Ward\n===",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "~~struck~~ `code` ***both***",
    "[a][ref]\n\n[ref]: http://evil.example",
    "Line\\\\ with a backslash \\* star",
    'Wait... "quoted" -- and --- dashes',
)

#: Prose as councils write it: its label must reach a screen reader without backslashes.
PROSE = (
    "Leeds (West): 2.5 out of 5.",
    "The council's change programme (who delivers, where) — 12 months, e.g. 2026/27.",
    "Name of the area: Calderdale. Try again!",
)

TEXTS = tuple(p.text for p in payloads()) + STREAMLIT_TRICKS + PROSE

SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
import streamlit as st
from ui.text import literal

texts = json.loads({texts!r})
for i, text in enumerate(texts):
    with st.container(key=f"md{{i}}"):
        st.markdown(literal(text))
    with st.container(key=f"title{{i}}"):
        st.title(literal(text), anchor=False)
    st.radio(literal(text), ["yes"], key=f"radio{{i}}")
"""

#: What Markdown would have made of a payload if it were read.
LIVE = "a, img, strong, em, del, code, h1, h2, h3, h4, h5, h6, li, blockquote, hr, table, "
LIVE += ".katex, [data-testid='stIconMaterial']"


def _plain(text: str) -> str:
    """Spacing as Markdown folds it; without the invisible joiner that keeps an address
    from becoming a link (`ui.text.JOINER`: it shows nothing)."""
    return " ".join(text.replace(JOINER, "").split())


@pytest.fixture(scope="module")
def page_of_texts(chromium: Path, tmp_path_factory: pytest.TempPathFactory, browser) -> Page:
    tmp = tmp_path_factory.mktemp("literal")
    script = tmp / "texts.py"
    script.write_text(SCRIPT.format(root=str(ROOT), texts=json.dumps(TEXTS)), encoding="utf-8")
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with serving(command, port, dict(__import__("os").environ), tmp / "server.log") as base:
        page = browser.new_page()
        page.set_default_timeout(30_000)
        page.goto(base)
        page.locator(f".st-key-radio{len(TEXTS) - 1}").wait_for()
        yield page
        page.close()


@pytest.mark.parametrize("index", range(len(TEXTS)), ids=[repr(t)[:40] for t in TEXTS])
def test_each_text_shows_as_typed_and_nothing_in_it_is_read(page_of_texts: Page, index: int):
    text = TEXTS[index]
    for key, inside in (
        (f"md{index}", "[data-testid='stMarkdownContainer']"),
        (f"title{index}", "h1"),
    ):
        shown = page_of_texts.locator(f".st-key-{key}")
        live = shown.locator(inside).first.locator(LIVE)  # below the block itself
        assert live.count() == 0, (key, shown.inner_html())
        assert _plain(shown.inner_text()) == _plain(text), key


@pytest.mark.parametrize("index", range(len(TEXTS) - len(PROSE), len(TEXTS)))
def test_prose_labels_reach_a_screen_reader_without_backslashes(page_of_texts: Page, index: int):
    group = page_of_texts.locator(f".st-key-radio{index}").get_by_role("radiogroup")
    assert group.get_attribute("aria-label") == TEXTS[index]
