"""Pages exact (issue 16): every quotation in the bank and the corpus is on the page it names,
and each essay's first and last pages are those of the page map (tests/data/pamphlet-pages.yaml,
found from the printed columns' ends the source text keeps; tests/support/page_map.py)."""

from __future__ import annotations

import pytest

from questions import load_instrument
from tests.support.page_map import load_runs, page_starts, pages_of

INSTRUMENT = load_instrument()
BANK, CORPUS = INSTRUMENT.bank, INSTRUMENT.corpus
RUNS = load_runs()
QUOTED = [
    *(
        (f"{d.id} quote", d.quote.essay, d.quote.text, d.quote.page)
        for d in BANK.dimensions
        if d.quote
    ),
    *(
        (f"{e.id} quote {i}", e.id, q.text, q.page)
        for e in CORPUS.essays
        for i, q in enumerate(e.quotes)
    ),
]


@pytest.mark.parametrize(("where", "essay", "text", "page"), QUOTED, ids=[q[0] for q in QUOTED])
def test_a_quotation_is_on_the_page_it_names(where: str, essay: str, text: str, page: int) -> None:
    found = pages_of(text, essay, RUNS)
    assert found, f"{where}: {text!r} is not in {essay} as quoted"
    assert page in found, f"{where}: {text!r} is on page {sorted(found)}, not {page}"


def test_each_essay_spans_the_pages_of_the_map() -> None:
    starts = page_starts()
    assert list(starts) == list(CORPUS.ids)
    for essay in CORPUS.essays:
        pages = [entry["page"] for entry in starts[essay.id]]
        assert CORPUS.pages(essay.id) == (pages[0], pages[-1]), essay.id


def test_a_passage_across_a_page_break_may_be_cited_on_either_page() -> None:
    """Eaton's Glastonbury House example runs from page 8 onto page 9 (the map's check)."""
    crossing = (
        "who mobilised residents and local community groups around Glastonbury House, "
        "a sheltered housing block"
    )
    assert pages_of(crossing, "eaton", RUNS) == {8, 9}
    assert pages_of("who mobilised residents and local community groups", "eaton", RUNS) == {8}
    assert pages_of("words nobody wrote in this order", "eaton", RUNS) == set()
