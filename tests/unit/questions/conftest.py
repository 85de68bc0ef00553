"""A small valid bank and corpus, written as text so each test can break one thing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from questions import Instrument, load_instrument

MINI_CORPUS = textwrap.dedent("""\
    essays:
      - id: intro
        title: Introduction
        author: A Writer
        page: 6
        last_page: 7
        summary: >-
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
        key_points: [one, two, three]
        examples: [a place]
        themes: [T1]
        criteria: [P1]
        quotes:
          - {text: "a short phrase", page: 6}
      - id: second
        title: Second essay
        author: B Writer
        page: 8
        last_page: 10
        summary: >-
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
          word word word word word word word word word word word word word word word word
        key_points: [one, two, three]
        examples: [a place]
        themes: [T1]
        criteria: [P1]
    """)

_LEVELS = """\
    levels:
      1: Nothing yet.
      2: One pilot.
      3: Several services.
      4: Council-wide with partners.
      5: Co-owned and sustained.
    look_for: {2: A pilot plan., 3-4: Service plans., 5: A yearly review.}"""

MINI_BANK = textwrap.dedent("""\
    bank:
      id: mini
      version: "1.0"
      title: Mini bank
    scale:
      levels: {1: Not yet, 2: Emerging, 3: Developing, 4: Embedded, 5: Leading}
      options: {dk: "Don't know", na: Not applicable}
    rating:
      rule: Choose the highest level whose every condition you can evidence.
      terms: {several: at least two services}
    roles:
      - {id: officer, label: Officer}
    criteria:
      - id: P1
        name: Ambition
        summary: Change the model.
        essays: [intro]
        next_steps: [Do one thing.]
    themes:
      - id: T1
        name: Councillors
        summary: Members lead.
        essays: [second]
        next_steps: [Do another thing.]
        strand: empowering
    forms:
      quick: {title: Quick check, dimensions: [P1]}
      full: {title: Full, dimensions: [P1, T1]}
    questions:
      - id: P1.1
        dimension: P1
        criterion: P1
        text: We redesign whole services.
    LEVELS
        evidence: A business case.
        essays: [{id: intro, page: 6}]
      - id: T1.1
        dimension: T1
        criterion: P1
        text: Councillors broker connections.
    LEVELS
        evidence: Ward plans.
        essays: [{id: second, page: 8}]
        weight: 2
      - id: T1.2
        dimension: T1
        criterion: P1
        text: Councillors reach the unheard.
    LEVELS
        evidence: Attendance records.
        essays: [{id: second, page: 9}]
        equity: true
    """).replace("LEVELS", _LEVELS)


@pytest.fixture
def check(tmp_path: Path):
    """Write a bank (and corpus) into tmp_path and load them as the app would."""

    def run(bank: str = MINI_BANK, corpus: str = MINI_CORPUS, strict: bool = False) -> Instrument:
        (tmp_path / "bank.yaml").write_text(bank, encoding="utf-8")
        (tmp_path / "essays.yaml").write_text(corpus, encoding="utf-8")
        return load_instrument(tmp_path / "bank.yaml", tmp_path / "essays.yaml", strict=strict)

    return run


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing needle (so tests never hard-code lines)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def codes(instrument: Instrument) -> list[str]:
    return [i.code for i in instrument.issues]
