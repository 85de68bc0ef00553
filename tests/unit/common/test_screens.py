"""The room view's screen names: one list, each titled, the results screens among them."""

from __future__ import annotations

from common.screens import RESULT_SCREENS, ROOM_SCREENS, SCREEN_TITLES


def test_every_screen_has_a_title_and_results_are_a_subset() -> None:
    assert ROOM_SCREENS[0] == "join"  # a new workshop's room view starts here
    assert set(ROOM_SCREENS) == set(SCREEN_TITLES)
    assert set(ROOM_SCREENS) > RESULT_SCREENS
    assert {"answered", "join", "agreed"}.isdisjoint(RESULT_SCREENS)  # counts, not results
    assert all(title and title[0].isupper() for title in SCREEN_TITLES.values())
