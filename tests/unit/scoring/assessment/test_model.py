"""scoring.assessment.model: the records are frozen, and a result built from answers fills them."""

from __future__ import annotations

import dataclasses

import pytest

from corpus.model import Corpus
from scoring.assessment.model import DimensionResult, Headline
from scoring.assessment.results import build_results
from tests.unit.scoring.factories import from_mappings, make_bank

BANK = make_bank({"P1": {"p1a": 1, "p1b": 1}, "P2": {"p2a": 1}})


def test_a_built_result_is_made_of_these_records_and_they_are_frozen():
    built = build_results(BANK, Corpus(()), from_mappings({"r1": {"p1a": 2, "p1b": 4}}), None)
    first = built.rows[0]
    assert isinstance(first, DimensionResult)
    assert isinstance(built.headline, Headline)
    assert (first.id, first.score, first.n) == ("P1", 3.0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.score = 5.0  # type: ignore[misc]


def test_the_headline_names_every_weakest_dimension():
    answers = from_mappings({"r1": {"p1a": 2, "p1b": 2, "p2a": 2}})
    headline = build_results(BANK, Corpus(()), answers, None).headline
    assert [r.id for r in headline.weakest] == ["P1", "P2"]
    assert (headline.defined, headline.asked) == (2, 2)
