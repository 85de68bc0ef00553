"""The corpus reader: structure, duplicate ids, and the our-own-words checks."""

from __future__ import annotations

import itertools

from common.yamlfile import parse_yaml
from corpus.load import validate_corpus, word_count
from tests.unit.questions.conftest import MINI_CORPUS, line_of


def _validate(text: str):
    doc, issues = parse_yaml(text.encode(), "essays.yaml")
    assert issues == []
    return validate_corpus(doc)


def test_the_mini_corpus_is_valid():
    corpus, issues = _validate(MINI_CORPUS)
    assert issues == []
    assert corpus.ids == ("intro", "second")
    assert corpus.essay("intro").quotes[0].page == 6


def test_long_quotes_and_short_summaries_are_warnings():
    text = MINI_CORPUS.replace('"a short phrase"', '"' + "word " * 13 + '"')
    text = text.replace("  - id: second", "  - id: second\n    summary_note: x", 1)
    corpus, issues = _validate(text)
    assert {i.code for i in issues} == {"W404", "E201"}
    assert corpus is None  # the unknown key is an error
    quote = next(i for i in issues if i.code == "W404")
    assert quote.line == line_of(text, '{text: "word word')


def test_counts_outside_the_ranges_warn():
    text = MINI_CORPUS.replace("key_points: [one, two, three]", "key_points: [one]", 1)
    text = text.replace(
        '      - {text: "a short phrase", page: 6}',
        '      - {text: "a", page: 6}\n      - {text: "b", page: 6}\n      - {text: "c", page: 6}',
    )
    summary_short = text.replace(
        "word word word word word word word word word word word word word word word word\n", "", 4
    )
    corpus, issues = _validate(summary_short)
    assert {i.code for i in issues} == {"W405", "W406", "W407"}
    assert corpus is not None


def test_duplicate_ids_and_wrong_shapes_are_errors():
    corpus, issues = _validate(MINI_CORPUS.replace("id: second", "id: intro"))
    assert corpus is None
    assert [i.code for i in issues] == ["E205"]
    corpus, issues = _validate("essays: {a: 1}\n")
    assert corpus is None
    assert issues[0].code == "E203"
    corpus, issues = _validate("- a\n")
    assert corpus is None
    assert issues[0].code == "E105"


def test_word_count():
    assert word_count("Councillors are key enablers of the big society") == 8
    assert word_count("don't-stop   now") == 2


def test_markup_in_an_essay_is_w411_with_its_line():
    """Issue 13, item 1: essay summaries are shown as typed, so a link written there is
    told to the editor, as in the bank."""
    corpus, issues = _validate(MINI_CORPUS.replace('"a short phrase"', '"[see](http://x)"'))
    assert [i.code for i in issues] == ["W411"]
    assert corpus is not None  # a warning: strict mode is what fails
    assert issues[0].line == line_of(MINI_CORPUS, '"a short phrase"')


def test_every_essay_gives_its_last_page_on_or_after_its_first():
    """Issue 16: a citation past the last essay used to pass; every entry now has both ends."""
    corpus, issues = _validate(MINI_CORPUS.replace("    last_page: 10\n", "", 1))
    assert corpus is None
    assert [(i.code, i.path) for i in issues] == [("E202", "essays[1]")]
    assert "last_page" in issues[0].message
    corpus, issues = _validate(MINI_CORPUS.replace("last_page: 10", "last_page: 7", 1))
    assert corpus is None
    assert [(i.code, i.path) for i in issues] == [("E204", "essays[1].last_page")]
    assert "starts on page 8" in issues[0].message
    corpus, _ = _validate(MINI_CORPUS)
    assert corpus.pages("second") == (8, 10)


def test_a_quotation_outside_its_essay_pages_is_refused():
    text = MINI_CORPUS.replace(
        '{text: "a short phrase", page: 6}', '{text: "a short phrase", page: 9}'
    )
    _, issues = _validate(text)
    assert [(i.code, i.path) for i in issues] == [("W410", "essays[0].quotes[0]")]
    assert "page 9" in issues[0].message
    assert "6-7" in issues[0].message
    assert issues[0].line == line_of(text, "page: 9}")


def test_the_shipped_corpus_gives_every_essay_both_ends():
    from questions import load_instrument

    corpus = load_instrument().corpus
    assert corpus is not None
    spans = sorted(corpus.pages(e.id) for e in corpus.essays)
    assert (
        spans[-1][1] == 46
    )  # Kemp, the last essay, ends on page 46 (tests/data/pamphlet-pages.yaml)
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert last < first  # no two essays share a page
