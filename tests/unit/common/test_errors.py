"""One base class for every user error: what a person can get wrong derives from it."""

from __future__ import annotations

import pytest

import scoring.cli
import storage.cli
from common.errors import UserError
from scoring.answers import AnswersError
from scoring.coding import DuplicateAnswerError
from storage.errors import InputError, StorageError
from storage.imports import ImportsPaused


@pytest.mark.parametrize(
    "kind",
    [InputError, ImportsPaused, AnswersError, DuplicateAnswerError, scoring.cli.Refusal],
)
def test_every_mistake_a_person_can_make_is_a_user_error(kind: type[Exception]) -> None:
    assert issubclass(kind, UserError)


def test_the_command_lines_refuse_with_the_one_base_class() -> None:
    assert storage.cli.UserError is UserError
    assert issubclass(scoring.cli.Refusal, UserError)


def test_outages_and_bugs_are_not_user_errors() -> None:
    assert not issubclass(StorageError, UserError)
    assert not issubclass(ValueError, UserError)
    assert not issubclass(KeyError, UserError)


def test_old_callers_catching_value_error_still_catch_the_value_errors() -> None:
    """InputError, AnswersError and DuplicateAnswerError stay ValueErrors too."""
    with pytest.raises(ValueError, match="name: no"):
        raise InputError("name", "no")
    error = AnswersError("a.csv", "bad row", row=3)
    assert isinstance(error, ValueError)
    assert str(error).startswith("a.csv: row 3")


def test_a_user_error_carries_its_message() -> None:
    assert str(UserError("please give a name")) == "please give a name"
