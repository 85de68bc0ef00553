"""The names of the room's scopes: the whole room, and the pooled roles too few to show alone.

Why: storage decides which scope's view the room may see (`storage.workshop.disclosure`),
scoring builds the dashboard from those views and the pages name them; all three must
spell a scope the same way, and none should import the others for it.
"""

from __future__ import annotations

from typing import Final

__all__ = ["OTHER_ROLES", "OTHER_ROLES_LABEL", "ROOM"]

#: The whole room's scope.
ROOM: Final = "#room"
#: The pooled scope: people of every role whose own view is not shown.
OTHER_ROLES: Final = "#other"
#: How the pages and reports name the pooled scope.
OTHER_ROLES_LABEL: Final = "Other roles"
