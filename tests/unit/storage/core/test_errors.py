"""StorageError and InputError: one line each, the field named."""

from __future__ import annotations

import pytest

from storage.core.errors import InputError, StorageError


def test_input_error_names_the_field_in_one_line() -> None:
    error = InputError("ons_code", "'X1' is not an ONS code;\n  please give one like E06000001")
    assert error.field == "ons_code"
    assert error.format() == "ons_code: 'X1' is not an ONS code; please give one like E06000001"
    assert str(error) == error.format()
    assert isinstance(error, ValueError)


def test_storage_error_is_one_line_and_not_an_input_error() -> None:
    error = StorageError("cannot reach\nthe database")
    assert error.format() == str(error) == "cannot reach the database"
    assert not isinstance(error, InputError)
    with pytest.raises(RuntimeError):
        raise error
