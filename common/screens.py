"""The room view's screens: their names, in the order a facilitator steps through them.

Why: storage keeps the screen the facilitator has put on the room view, the console offers
them and the room view draws them; all must spell a screen the same way, and storage
should not import the pages.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = ["RESULT_SCREENS", "ROOM_SCREENS", "SCREEN_TITLES"]

#: Screen name -> what the room sees as its heading (and the console offers).
SCREEN_TITLES: Final = MappingProxyType(
    {
        "join": "Join the workshop",
        "answered": "How many have answered",
        "agree": "What we agree on",
        "split": "Where we split",
        "roles": "How roles see it",
        "moved": "What moved since the last round",
        "agreed": "Agreed levels",
    }
)
ROOM_SCREENS: Final = tuple(SCREEN_TITLES)
#: The screens that show results: the room sees them only once the round is revealed.
RESULT_SCREENS: Final = frozenset({"agree", "split", "roles", "moved"})
