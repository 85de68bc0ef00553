"""One base class for every mistake a person can make, kept apart from bugs.

Why: house style shows a person's mistake as a message and a bug as a bug. When
every such mistake derives from `UserError`, a command line or a page catches
that one class (and nothing broader), so an unexpected ``ValueError`` from a bug
is never dressed up as advice to the user.
"""

from __future__ import annotations

__all__ = ["UserError"]


class UserError(Exception):
    """A mistake by the person using Ladder, shown as a message, never a traceback."""
