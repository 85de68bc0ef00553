"""Text stays text in every figure: a payload in any label plotly shows is drawn as typed.

plotly reads a subset of HTML (``<b>``, ``<br>``, ``<a href>``, entities) in every label,
and ``%{...}`` in hover templates and (from ``layout.meta``) in titles and names. Each
payload of tests/data/malformed/text/payloads.txt is put in every text field a figure
shows (dimension names, level labels, question text, role labels, comparison labels
and group names) and must reach the figure only as `chart_text` made it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest

from corpus.model import Corpus
from scoring.assessment.figures import radar
from scoring.assessment.results import build_results
from scoring.comparison.figures import change_chart, compare_heatmap, overlay_radar
from scoring.comparison.results import change_over_time, compare, group_median
from scoring.plain import chart_text
from scoring.plots import heatmap
from scoring.workshop.dashboard import build_dashboard
from scoring.workshop.figures import band_radar, split_bars
from scoring.workshop.role_figures import role_heatmap
from tests.support.payloads import PAYLOADS
from tests.unit.scoring.factories import frame, from_mappings, hostile_bank

#: plotly.js's own entity decoding (svg_text_utils.convertEntities), to read a label as drawn.
_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")
_NAMED = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×"}
#: The only markup and templates our own code puts in a figure.
_OURS = re.compile(r"<br>|<extra></extra>|%\{(customdata(\[\d\])?|text)\}")


def drawn(label: str) -> str:
    """What plotly draws for a label without tags: its entities decoded, once."""

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key.startswith("#"):
            return chr(int(key[2:], 16) if key[1] == "x" else int(key[1:]))
        return _NAMED.get(key, m.group(0))

    return _ENTITY.sub(one, label)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_chart_text_is_drawn_as_typed_and_holds_no_markup(payload: str) -> None:
    escaped = chart_text(payload)
    assert drawn(escaped) == payload
    assert not re.search(r"[<>{]", escaped)


def test_chart_text_leaves_plain_words_alone() -> None:
    assert chart_text("Calderdale Council, 95 % (n = 4)") == "Calderdale Council, 95 % (n = 4)"


def figures(payload: str) -> Iterator[go.Figure]:
    bank = hostile_bank(payload)
    answers = from_mappings({"r1": {"p1a": 2, "p2a": 4, "t1a": 3, "t1b": 5}})
    results = build_results(bank, Corpus(()), answers, None)
    yield radar(results, "criterion")
    yield radar(results, "theme")
    names = {d.id: d.name for d in bank.dimensions}
    yield heatmap(results.heatmap, results.heatmap_cells, names, bank.scale)
    rows = [
        (f"p{i}", q, level, role, 1)
        for i, (role, low) in enumerate([("councillor", 1)] * 3 + [("resident", 4)] * 3)
        for q, level in (("p1a", low), ("p2a", 5 - low), ("t1a", low), ("t1b", 3))
    ]
    room = build_dashboard(
        bank, frame(rows, "role", "round"), 1, ("P1", "P2", "T1"), ("councillor", "resident")
    )
    yield band_radar(room, "criterion")
    yield split_bars(room)
    yield role_heatmap(room)
    labels = [f"{payload} {k}" for k in range(6)]
    by_label = {
        label: frame((f"a{k}{i}", q, k % 5 + 1) for i in range(5) for q in ("p1a", "p2a", "t1a"))
        for k, label in enumerate(labels)
    }
    comparison = compare(bank, by_label, n_boot=20)
    group = group_median(comparison, labels, min_areas=5)
    assert group is not None
    yield overlay_radar(comparison, "criterion", group, payload)
    yield compare_heatmap(comparison)
    yield change_chart(change_over_time(bank, dict(list(by_label.items())[:2]), n_boot=20))


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_figure_shows_the_payload_escaped_and_nothing_raw(payload: str) -> None:
    for fig in figures(payload):
        spec = json.loads(fig.to_json())
        texts = list(strings(spec))
        assert any(chart_text(payload) in t for t in texts), fig.layout.title.text
        for text in texts:
            rest = _OURS.sub("", text)
            assert not re.search("[<>]", rest), text
            assert "%{" not in rest, text
