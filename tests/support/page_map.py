"""Which page of the pamphlet a passage is on, without keeping the pamphlet's text.

Why: every quotation and citation names a page, and the plain text has no page numbers.
tests/data/pamphlet-pages.yaml says where each page begins (found from the printed columns'
ends, which the text keeps); this module turns it into a fingerprint of every four-word run
with the essay and page(s) it is on, so a test can find a passage's page anywhere, CI
included, and the text is not redistributed (as with `tests.support.own_words`).

Regenerate the runs (only if the source text or the page starts change):
    python -m tests.support.page_map ../shared/source/big-society-next-practice-2010.txt \
        > tests/data/pamphlet-page-runs.txt
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.support.own_words import fingerprint
from tests.support.own_words import words as _words

RUN = 4
DATA = Path(__file__).parent.parent / "data"
STARTS = DATA / "pamphlet-pages.yaml"
RUNS = DATA / "pamphlet-page-runs.txt"


def words(text: str) -> list[str]:
    """`own_words.words` with quotation marks trimmed ("'We" reads as "we")."""
    return [t for t in (w.strip("'") for w in _words(text)) if t]


def page_starts() -> dict[str, list[dict[str, Any]]]:
    with STARTS.open(encoding="utf-8") as f:
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(f)
    return data


def _find(haystack: list[str], phrase: str, after: int) -> int:
    """The word index where ``phrase`` first occurs at or after ``after``."""
    needle = words(phrase)
    for i in range(after, len(haystack) - len(needle) + 1):
        if haystack[i : i + len(needle)] == needle:
            return i
    raise ValueError(f"page start not found after word {after}: {phrase!r}")


def tag_words(text: str) -> list[tuple[str, str, frozenset[int]]]:
    """Each word of the pamphlet from the foreword's first page on, with its essay and the
    page(s) it may be on (two inside a `between` zone)."""
    w = words(text)
    marks: list[tuple[int, str, int, int | None]] = []  # (index, essay, page, zone end)
    at = 0
    for essay, pages in page_starts().items():
        for entry in pages:
            if "starts" in entry:
                at = _find(w, entry["starts"], at)
                marks.append((at, essay, entry["page"], None))
            else:
                low, high = entry["between"]
                at = _find(w, low, at)
                end = _find(w, high, at)
                marks.append((at, essay, entry["page"], end))
                at = end
    tagged = []
    for j, (start, essay, page, zone_end) in enumerate(marks):
        stop = marks[j + 1][0] if j + 1 < len(marks) else len(w)
        for i in range(start, stop):
            in_zone = zone_end is not None and i < zone_end
            tagged.append((w[i], essay, frozenset({page - 1, page} if in_zone else {page})))
    return tagged


def runs(text: str) -> Iterator[str]:
    """Lines "essay pages fingerprint": every four-word run and where it lies."""
    tagged = tag_words(text)
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i in range(len(tagged) - RUN + 1):
        window = tagged[i : i + RUN]
        if window[0][1] != window[-1][1]:
            continue  # runs across two essays: nothing quotes them
        key = (window[0][1], fingerprint(t[0] for t in window))
        seen[key] |= set().union(*(t[2] for t in window))
    for (essay, print_), pages in sorted(seen.items()):
        yield f"{essay} {','.join(map(str, sorted(pages)))} {print_}"


def load_runs() -> dict[str, dict[str, frozenset[int]]]:
    """fingerprint -> essay -> pages, from tests/data/pamphlet-page-runs.txt."""
    out: dict[str, dict[str, frozenset[int]]] = defaultdict(dict)
    for line in RUNS.read_text(encoding="utf-8").splitlines():
        essay, pages, print_ = line.split()
        out[print_][essay] = frozenset(int(p) for p in pages.split(","))
    return out


def pages_of(passage: str, essay: str, table: dict[str, dict[str, frozenset[int]]]) -> set[int]:
    """The pages ``passage`` (four words or more, as in the essay) lies on: the pages every
    run of it shares, or, for a passage that runs onto the next page, those of its first and
    last runs. Empty when it is not found in that essay."""
    w = words(passage)
    found: list[frozenset[int]] = []
    for i in range(len(w) - RUN + 1):
        pages = table.get(fingerprint(w[i : i + RUN]), {}).get(essay)
        if pages is None:
            return set()
        found.append(pages)
    if not found:
        return set()
    shared = frozenset.intersection(*found)
    return set(shared or found[0] | found[-1])


if __name__ == "__main__":
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    sys.stdout.write("".join(f"{line}\n" for line in runs(source)))
