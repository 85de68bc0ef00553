"""The action plan as a table: on the results page, in the report and in every export.

Why: issue 17 asks that what the council agreed to do travels with its result. One table,
made here once, is what the page shows, the report prints and the workbook and JSON carry:
the actions agreed from this result, then those agreed before it and how they stand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from questions.model import Bank
from reports.blocks import Paragraphs, Section, table_from_frame
from reports.workbook import Sheet
from storage import STATUS_NAMES, Action, Plan, day_text

__all__ = [
    "PLAN_COLUMNS",
    "actions_sheet",
    "dimension_name",
    "plan_frame",
    "plan_records",
    "plan_section",
]

#: The plan's columns, in order, as every output names them.
PLAN_COLUMNS: tuple[str, ...] = (
    "Agreed",
    "Dimension",
    "Action",
    "Next step it serves",
    "Who",
    "Due",
    "Status",
    "Notes",
)
_HERE = "at this assessment"
_BEFORE = "at an earlier assessment"


def plan_frame(plan: Plan, bank: Bank) -> pd.DataFrame:
    """One row per action: this assessment's first, then the earlier ones still carried."""
    rows = [_row(a, _HERE, bank) for a in plan.own]
    rows += [_row(a, _BEFORE, bank) for a in plan.carried]
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def plan_records(plan: Plan, bank: Bank) -> list[dict[str, str]]:
    """`plan_frame` as plain records (the JSON export): text, blanks as ""."""
    frame = plan_frame(plan, bank)
    return [{c: str(v) for c, v in zip(frame.columns, r, strict=True)} for r in frame.values]


def actions_sheet(plan: Plan | None, bank: Bank) -> tuple[Sheet, ...]:
    """A workbook's "Actions" sheet, or none when no action was ever recorded (as the report
    has no plan section then)."""
    if plan is None or not plan.recorded:
        return ()
    return (Sheet("Actions", PLAN_COLUMNS, [list(r.values()) for r in plan_records(plan, bank)]),)


def plan_section(
    plan: Plan | None, bank: Bank, source: str = "from the priorities"
) -> Section | None:
    """The report's "Action plan" section; None when no action was ever recorded.
    ``source``: where the actions came from, as the section's introduction says it."""
    if plan is None or not plan.recorded:
        return None
    counts = _counts(plan.own) if plan.own else "none yet"
    return Section(
        "plan",
        "Action plan",
        (
            Paragraphs((f"Agreed at this assessment: {counts}.",)),
            table_from_frame(
                plan_frame(plan, bank), "What was agreed, who does it and how it stands"
            ),
        ),
        intro=f"What the council agreed to do, {source}. Who does each is a role or team, "
        "never a person.",
    )


def _row(action: Action, agreed: str, bank: Bank) -> list[str]:
    name = dimension_name(bank, action.dimension_id)
    return [
        agreed,
        name,
        action.what,
        action.next_step or "",
        action.owner,
        _day(action.due),
        STATUS_NAMES.get(action.status, action.status),
        action.notes or "",
    ]


def dimension_name(bank: Bank, dimension_id: str) -> str:
    """ "P1 Transformative ambition", or the id alone when the bank no longer has it."""
    try:
        return f"{dimension_id} {bank.dimension(dimension_id).name}"
    except KeyError:
        return dimension_id


def _day(value: date | None) -> str:
    return "" if value is None else day_text(value)


def _counts(actions: Sequence[Action]) -> str:
    by = {s: sum(a.status == s for a in actions) for s in STATUS_NAMES}
    return ", ".join(f"{n} {STATUS_NAMES[s].lower()}" for s, n in by.items() if n)
