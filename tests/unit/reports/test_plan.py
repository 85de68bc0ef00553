"""The action plan as a table (reports/plan.py): this assessment's actions, then the ones
carried from earlier; words for statuses and dates; no section without any action."""

from __future__ import annotations

from dataclasses import replace

from reports.plan import PLAN_COLUMNS, plan_frame, plan_records, plan_section
from storage import Plan
from tests.unit.reports.factories import HOSTILE, MARKDOWN, small_bank, small_plan


def test_the_frame_reads_in_words_with_this_assessments_actions_first() -> None:
    frame = plan_frame(small_plan(), small_bank())
    assert list(frame.columns) == list(PLAN_COLUMNS)
    first, carried = frame.to_dict("records")
    assert first["Agreed"] == "at this assessment"
    assert first["Action"] == f"Map spend {HOSTILE}"
    assert first["Next step it serves"] == MARKDOWN
    assert (first["Due"], first["Status"], first["Notes"]) == ("31 March 2027", "Planned", "@notes")
    assert carried["Agreed"] == "at an earlier assessment"
    assert (carried["Due"], carried["Status"], carried["Notes"]) == ("", "Under way", "")
    assert carried["Dimension"] == f"T1 {small_bank().dimension('T1').name}"


def test_a_dimension_the_bank_no_longer_has_is_named_by_its_id() -> None:
    plan = small_plan()
    gone = replace(plan, own=(replace(plan.own[0], dimension_id="P9"),))
    assert plan_records(gone, small_bank())[0]["Dimension"] == "P9"


def test_no_action_no_section() -> None:
    empty = Plan(1, (), (), (), frozenset())
    assert plan_section(empty, small_bank()) is None
    assert plan_section(None, small_bank()) is None
    carried_only = replace(small_plan(), own=())
    section = plan_section(carried_only, small_bank())
    assert section is not None
    assert section.blocks[0].texts == ("Agreed at this assessment: none yet.",)
