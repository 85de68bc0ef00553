"""The consensus rules' names: one list for storage, scoring and the pages."""

from __future__ import annotations

import pytest

from common.consensus import CONSENSUS_RULES, DEFAULT_RULE
from scoring.consensus import RULES
from storage.core import validate
from storage.core.errors import InputError


def test_the_names_are_the_rules_scoring_defines_default_first() -> None:
    assert tuple(RULES) == CONSENSUS_RULES
    assert CONSENSUS_RULES[0] == DEFAULT_RULE
    assert len(set(CONSENSUS_RULES)) == len(CONSENSUS_RULES)
    assert all(len(name) <= 16 for name in CONSENSUS_RULES)  # the stored column's width


@pytest.mark.parametrize("name", CONSENSUS_RULES)
def test_storage_keeps_each_name_however_it_is_typed(name: str) -> None:
    assert validate.consensus_rule(f" {name.upper()} ") == name


@pytest.mark.parametrize("bad", ["", "delphi", None, 1, "ladder\x00", "x" * 5000])
def test_storage_refuses_any_other_naming_the_field(bad: object) -> None:
    with pytest.raises(InputError) as caught:
        validate.consensus_rule(bad)
    assert caught.value.field == "consensus_rule"
    assert len(caught.value.message) < 200
