"""Names people type are refused with invisible or right-to-left characters (issue 13, item 2)."""

from __future__ import annotations

import sqlalchemy as sa

from storage import database_url, make_engine
from storage.core.schema import areas, assessments, responses
from tests.app.conftest import as_read, open_page, start

START = "app_pages/start.py"


def _rows() -> tuple[int, ...]:
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in (areas, assessments, responses)
            )
    finally:
        engine.dispose()


def test_an_area_name_with_a_right_to_left_override_is_refused_and_nothing_is_created():
    at = open_page(START)
    assert start(at, name="Leeds\u202edeef") == ""
    assert [as_read(e.value) for e in at.error] == [
        "Name of the area: The name contains an invisible or right-to-left control character "
        "(U+202E); please type it again without it."
    ]
    assert _rows() == (0, 0, 0)  # no area, assessment or response
    assert not at.exception


def test_an_area_name_typed_decomposed_is_stored_composed():
    at = open_page(START)
    assert start(at, name="Ynys Mo\u0302n") != ""
    engine = make_engine(database_url())
    try:
        with engine.connect() as conn:
            names = set(conn.execute(sa.select(areas.c.name)).scalars())
    finally:
        engine.dispose()
    assert "Ynys M\u00f4n" in names
    assert "Ynys Mo\u0302n" not in names
