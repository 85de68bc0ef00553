"""Find runs of words copied from the pamphlet, without keeping the pamphlet's text.

Why: Ladder's questions, summaries and docs must be in our own words; a run of
twelve or more words that matches the pamphlet means a sentence was copied.
The repository keeps only a fingerprint (a short hash) of every twelve-word
run of the pamphlet, so the check runs anywhere, including CI, and the text is
not redistributed.

Regenerate the fingerprints (only if the source text changes):
    python -m tests.support.own_words ../shared/source/big-society-next-practice-2010.txt \
        > tests/data/pamphlet-12-word-runs.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN = 12
FINGERPRINTS = Path(__file__).parent.parent / "data" / "pamphlet-12-word-runs.txt"
_WORD = re.compile(r"[a-z0-9']+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    """Lower-case words, with curly apostrophes made straight so both spellings match."""
    return _WORD.findall(text.translate(_QUOTES).lower())


def fingerprint(run: Iterable[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:12]


def fingerprints_of(text: str, run: int = RUN) -> set[str]:
    w = words(text)
    return {fingerprint(w[i : i + run]) for i in range(len(w) - run + 1)}


def load_fingerprints(path: Path = FINGERPRINTS) -> frozenset[str]:
    return frozenset(line.strip() for line in path.read_text().splitlines() if line.strip())


def copied_lines(text: str, known: frozenset[str], run: int = RUN) -> Iterator[int]:
    """Line numbers (1-based) where a copied run of `run` words starts, once per line."""
    located: list[tuple[str, int]] = []
    for no, line in enumerate(text.splitlines(), 1):
        located += [(w, no) for w in words(line)]
    seen: set[int] = set()
    for i in range(len(located) - run + 1):
        no = located[i][1]
        if no not in seen and fingerprint(w for w, _ in located[i : i + run]) in known:
            seen.add(no)
            yield no


def main(source: str) -> int:
    for fp in sorted(fingerprints_of(Path(source).read_text(encoding="utf-8"))):
        print(fp)  # noqa: T201 - this command's output is the data file
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
