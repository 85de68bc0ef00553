"""Starting a self-assessment: find or create the area, open the assessment, start a response.

Why: the start page should read as a form and nothing else; the three
storage calls behind its button, and the wording of their errors, live here.
"""

from __future__ import annotations

from storage import (
    InputError,
    create_area,
    create_assessment,
    list_areas,
    start_response,
)
from storage.validate import AREA_KINDS, area_name, ons_code
from ui.store import bank_hash, engine

__all__ = ["AREA_KINDS", "FIELD_LABELS", "begin", "explain"]

#: Field names in storage's messages, as the start page labels them.
FIELD_LABELS = {
    "name": "Name of the area",
    "kind": "Kind of area",
    "ons_code": "ONS code",
    "role": "Your role",
    "form_id": "How much do you want to answer",
}


def begin(name: str, kind: str, ons: str, form_id: str, role: str) -> str:
    """Open a self-assessment and return the new response's resume token.

    An area already known by the same name, kind and ONS code is reused, so a
    council that assesses itself twice has one area with two assessments.

    Raises:
        InputError: naming the field a person can fix.
    """
    db = engine()
    clean_name, clean_ons = area_name(name), ons_code(ons)
    same = [
        a
        for a in list_areas(db)
        if a.name.casefold() == clean_name.casefold() and a.kind == kind and a.ons_code == clean_ons
    ]
    area = same[0] if same else create_area(db, clean_name, kind, clean_ons)
    assessment = create_assessment(db, area.id, form_id, bank_hash(), kind="self")
    _, token = start_response(db, assessment.id, role)
    return token


def explain(exc: InputError) -> str:
    """The error as the person sees it, with the field named as it is on the page."""
    label = FIELD_LABELS.get(exc.field, exc.field)
    return f"{label}: {exc.message[:1].upper()}{exc.message[1:]}."
