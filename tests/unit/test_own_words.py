"""Our own words: no run of twelve words in the bank, corpus or docs matches the pamphlet,
outside the quotations the bank and corpus declare (a dozen words at most, with the page)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from questions import load_instrument
from tests.support.own_words import (
    FINGERPRINTS,
    RUN,
    copied_lines,
    fingerprints_of,
    load_fingerprints,
)

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("questions", "corpus", "docs")
SUFFIXES = {".yaml", ".yml", ".md", ".py", ".txt", ".html"}


def _files() -> list[Path]:
    found = [ROOT / "README.md"]
    for folder in CHECKED:
        found += [
            p
            for p in sorted((ROOT / folder).rglob("*"))
            if p.suffix in SUFFIXES and "__pycache__" not in p.parts
        ]
    return found


@functools.cache
def _declared_quotes() -> tuple[str, ...]:
    instrument = load_instrument()
    assert instrument.corpus is not None
    assert instrument.bank is not None
    quotes = [q.text for e in instrument.corpus.essays for q in e.quotes]
    quotes += [d.quote.text for d in instrument.bank.dimensions if d.quote is not None]
    return tuple(quotes)


def test_the_fingerprints_cover_the_whole_pamphlet():
    known = load_fingerprints()
    # The pamphlet has about 16,400 words, so about as many twelve-word runs.
    assert 15_000 < len(known) < 17_000
    assert all(len(fp) == 12 and int(fp, 16) >= 0 for fp in known)


def test_the_detector_finds_a_copied_run_across_lines_and_ignores_a_short_quote():
    numbers = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    known = frozenset(fingerprints_of(numbers + " fifteen"))
    ours = (
        "Intro line\nwe said two three four five six seven\n"
        + numbers[numbers.index("eight") :]
        + " fifteen ok"
    )
    assert list(copied_lines(ours, known)) == [2]
    short = "as one put it: " + numbers[numbers.index("four") :]  # eleven words: a quotation
    assert list(copied_lines(short, known)) == []
    assert list(copied_lines("so " + numbers[numbers.index("three") :], known)) == [1]


def test_curly_and_straight_apostrophes_match():
    source = "the council\u2019s role " + " ".join(f"w{i}" for i in range(12))
    ours = "the council's role " + " ".join(f"w{i}" for i in range(12))
    assert list(copied_lines(ours, frozenset(fingerprints_of(source)))) == [1]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_of_twelve_words_is_copied_from_the_pamphlet(path: Path):
    known = load_fingerprints(FINGERPRINTS)
    text = path.read_text(encoding="utf-8")
    for quote in _declared_quotes():  # the one place the pamphlet's own words stand
        text = text.replace(quote, "")
    lines = list(copied_lines(text, known))
    rel = path.relative_to(ROOT)
    assert not lines, (
        f"{rel}: lines {lines} start a run of {RUN}+ words that matches the pamphlet; "
        "write it in our own words (quote a dozen words at most, with the page)"
    )
