"""Administrator sign-in (placeholder until the sign-in work lands: nobody is signed in)."""

from __future__ import annotations

from storage.access import Grant


def current_admin() -> Grant | None:
    return None
