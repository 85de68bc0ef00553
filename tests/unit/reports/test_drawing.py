"""Charts drawn once as SVG pictures by headless Chromium (plotly.js's own drawing)."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from reports.drawing import draw, drawing_page, page_to_svgs, svg_data_url
from reports.pdf import PdfUnavailable
from reports.printing import Printer

HOSTILE = "<script>alert(1)</script>"


def _figures() -> list[go.Figure]:
    radar = go.Figure(go.Scatterpolar(r=[1, 3, 5, 1], theta=["P1", "P2", "P3", "P1"]))
    heat = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=["a", "b"], y=[HOSTILE, "Theme two"]))
    bars = go.Figure(go.Bar(x=["Councillor", "Resident"], y=[3, 4]))
    heat.update_layout(height=300)
    return [radar, heat, bars]


def test_each_figure_is_drawn_as_one_svg_in_order(chromium: Path) -> None:
    svgs = draw(_figures(), Printer(render=lambda page: page_to_svgs(page, chromium)))
    assert svgs is not None
    assert len(svgs) == 3
    assert all(s.startswith("<svg") for s in svgs)
    assert "polar" in svgs[0]
    assert "Councillor" in svgs[2]
    assert 'height="300"' in svgs[1]  # the figure's own height; the report's width
    assert HOSTILE not in svgs[1]  # text is SVG text, escaped: never markup
    assert "&#60;script&#62;alert(1)" in svgs[1]


def test_the_same_charts_are_drawn_once(chromium: Path) -> None:
    drawn: list[str] = []

    def render(page: str) -> bytes:
        drawn.append(page)
        return page_to_svgs(page, chromium)

    printer = Printer(render=render)
    first = draw(_figures(), printer)
    assert draw(_figures(), printer) == first
    assert len(drawn) == 1


def test_no_chromium_means_no_pictures(tmp_path: Path) -> None:
    """The report then carries plotly.js as before (reports.html)."""
    missing = tmp_path / "no-chromium"
    assert draw(_figures(), Printer(render=lambda page: page_to_svgs(page, missing))) is None
    with pytest.raises(PdfUnavailable):
        page_to_svgs(drawing_page(_figures()), missing)
    assert draw([], Printer(render=lambda page: page_to_svgs(page, missing))) == []


def test_figure_text_cannot_close_the_drawing_page_script() -> None:
    page = drawing_page([go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))])
    assert "</script><script>alert(1)" not in page
    assert page.count("</script>") == 3  # plotly.js, the figures' JSON, the drawing script


def test_a_picture_goes_into_a_data_url() -> None:
    assert svg_data_url("<svg/>") == "data:image/svg+xml;base64,PHN2Zy8+"
