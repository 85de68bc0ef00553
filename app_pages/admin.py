"""Administrator sign-in: who is signed in, the organisation's sign-in, a local account,
and the one-time set-up link (``/admin?setup=...``) that makes the first administrator."""

from __future__ import annotations

from ui.admin import render
from ui.store import engine

render(engine())
