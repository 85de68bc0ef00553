"""Starting a self-assessment: find or create the area, open the assessment, start a response.

Why: the start page should read as a form and nothing else; the three
storage calls behind its button, and the wording of their errors, live here.
Which area is "the same area" is storage's rule (`storage.find_or_create_area`).
"""

from __future__ import annotations

from storage import AREA_KINDS, InputError, create_assessment, find_or_create_area, start_response
from ui.store import bank_hash, engine
from ui.text import literal

__all__ = ["AREA_KINDS", "FIELD_LABELS", "begin", "explain"]

#: Field names in storage's messages, as the start page labels them.
FIELD_LABELS = {
    "name": "Name of the area",
    "kind": "Kind of area",
    "ons_code": "ONS code",
    "role": "Your role",
    "form_id": "How much do you want to answer",
    "title": "Workshop title",
    "roles": "Roles in the room",
    "k": "Smallest group ever shown (k)",
    "consensus_rule": "When the room counts as agreeing",
    "dimensions": "What to ask",
}


def begin(name: str, kind: str, ons: str, form_id: str, role: str) -> str:
    """Open a self-assessment and return the new response's resume token.

    An area already known by the same name (any case), kind and ONS code is reused
    (`storage.find_or_create_area`), so a council that assesses itself twice has one area.

    Raises:
        InputError: naming the field a person can fix.
    """
    db = engine()
    area = find_or_create_area(db, name, kind, ons)
    assessment = create_assessment(db, area.id, form_id, bank_hash(), kind="self")
    _, token = start_response(db, assessment.id, role)
    return token


def explain(exc: InputError) -> str:
    """The error as the person sees it, with the field named as it is on the page."""
    label = FIELD_LABELS.get(exc.field, exc.field)
    return literal(f"{label}: {exc.message[:1].upper()}{exc.message[1:]}.")
