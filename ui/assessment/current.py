"""The visitor's results, worked out from the stored answers whenever a page needs them.

Why: results are never stored, only derived (design: "store raw answers,
derive scores"); the results page, the essay pages and the downloads all
build them the same way, from the assessment the resume token belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scoring.assessment.results import Results, build_results
from storage import Area, Draft, answers_frame, get_area, plans_frame
from ui import state
from ui.assessment.journey import Active, active
from ui.store import engine


@dataclass(frozen=True, slots=True)
class Visit:
    """Everything a results view shows: whose, where, the answers and what they add up to."""

    here: Active
    area: Area
    answers: pd.DataFrame
    results: Results

    @property
    def draft(self) -> Draft:
        return self.here.draft


def current_visit() -> Visit | None:
    """The results of the assessment in the URL or session; None when there is none yet."""
    here = active()
    if here is None:
        return None
    assessment = here.draft.assessment
    db = engine()
    answers = answers_frame(db, assessment.id)
    plans = plans_frame(db, assessment.id)
    results = build_results(state.bank(), state.corpus(), answers, plans, form=assessment.form_id)
    area = get_area(db, assessment.area_id)
    assert area is not None  # an assessment always has its area (foreign key)
    return Visit(here, area, answers, results)


def current_results() -> Results | None:
    visit = current_visit()
    return visit.results if visit else None
