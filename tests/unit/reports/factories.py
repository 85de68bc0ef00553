"""Banks, answers and results for the report tests: a small hostile bank and the shipped one.

Why: a report must escape whatever a council or a respondent typed, so the
small bank carries script tags and Markdown links in its names, questions,
next steps and essays; the shipped bank shows the reports work on real text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache

import pandas as pd

from common.columns import STORED_COLUMNS
from corpus.model import Corpus, Essay
from questions.instrument import load_instrument
from questions.model import Bank, Form
from reports.meta import ReportMeta
from scoring.assessment.results import Results, build_results
from storage import Action, Plan
from tests.unit.scoring.factories import make_bank

HOSTILE = "<script>alert(1)</script>"
MARKDOWN = "[x](javascript:alert(1))"
#: Text a spreadsheet would run; the CSV export must make each one literal.
FORMULAS = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTabbed", '=HYPERLINK("http://x.test")')
WHEN = pd.Timestamp("2026-11-25T10:30:00", tz="UTC")

CORPUS = Corpus(
    (
        Essay(
            "intro",
            f"Intro {HOSTILE}",
            "Ed <b>Itor</b>",
            6,
            f"Summary {MARKDOWN}",
            ("k",),
            (),
            (),
            (),
        ),
        Essay("later", "Later essay", "Someone", 10, "Another summary.", (), (), (), ()),
    )
)


@cache
def small_bank() -> Bank:
    """Criteria P1, P2 and theme T1, with hostile text wherever a council can type."""
    bank = make_bank({"P1": {"p1a": 1, "p1b": 1}, "P2": {"p2a": 1, "p2b": 1}, "T1": {"t1a": 1}})
    criteria = tuple(
        replace(d, name=f"Risk {HOSTILE} {MARKDOWN}", next_steps=(MARKDOWN, "Plain step."))
        if d.id == "P1"
        else d
        for d in bank.criteria
    )
    questions = tuple(
        replace(q, text=f"Question {HOSTILE}") if q.id == "p1a" else q for q in bank.questions
    )
    forms = (Form("full", f"Full {HOSTILE}", ("P1", "P2", "T1")),)
    return replace(
        bank, title=f"Bank {HOSTILE}", criteria=criteria, questions=questions, forms=forms
    )


def small_answers() -> pd.DataFrame:
    """Two respondents, shaped like `storage.results.frames.answers_frame` (NaN for no note)."""
    rows = [
        ("R1", "p1a", "2", "councillor", "low", f"{HOSTILE} {MARKDOWN}"),
        ("R1", "p1b", "1", "councillor", None, "=1+1"),
        ("R1", "p2a", "4", "councillor", "high", 'Minutes, 3 March:\nbudget "devolved".'),
        ("R1", "p2b", "dk", "councillor", None, None),
        ("R1", "t1a", "3", "councillor", None, None),
        ("R2", "p1a", "3", "resident", "medium", None),
        ("R2", "p1b", "2", "resident", None, None),
        ("R2", "p2a", "5", "resident", None, "@cmd"),
        ("R2", "p2b", "na", "resident", None, None),
        ("R2", "t1a", "", "resident", None, None),
    ]
    frame = pd.DataFrame(
        rows, columns=["respondent_id", "question_id", "answer", "role", "confidence", "evidence"]
    )
    frame.insert(4, "round", pd.Series([1] * len(rows), dtype="int64"))
    frame["submitted_at"] = pd.Series([WHEN] * len(rows)).astype("datetime64[us, UTC]")
    return frame


def small_results() -> Results:
    return build_results(small_bank(), CORPUS, small_answers())


@cache
def shipped() -> tuple[Bank, Corpus]:
    instrument = load_instrument()
    assert instrument.bank is not None
    assert instrument.corpus is not None
    return instrument.bank, instrument.corpus


def quick_answers(bank: Bank) -> pd.DataFrame:
    """One synthetic respondent on the quick form: levels cycling 1-5, a "don't know", notes."""
    rows = []
    for i, q in enumerate(bank.form_questions("quick")):
        answer = "dk" if i == 4 else str(i % 5 + 1)
        evidence = f"Note on {q.id}: {HOSTILE}" if i % 6 == 0 else None
        rows.append(("R1", q.id, answer, "senior_officer", 1, "high", evidence, WHEN))
    return pd.DataFrame(
        rows,
        columns=list(STORED_COLUMNS),
    )


def full_answers(bank: Bank, people: int = 3) -> pd.DataFrame:
    """A few respondents on the full form, levels varying by person and question."""
    rows = [
        (f"R{p}", q.id, str((i + p) % 5 + 1), "councillor")
        for p in range(1, people + 1)
        for i, q in enumerate(bank.form_questions("full"))
    ]
    return pd.DataFrame(rows, columns=["respondent_id", "question_id", "answer", "role"])


def meta_for(results: Results, bank: Bank, area: str = f"Borsetshire {HOSTILE}") -> ReportMeta:
    return ReportMeta.for_results(
        results,
        bank,
        area_name=area,
        area_kind="council",
        ons_code="E10000099",
        assessment_date=date(2026, 11, 25),
        title=f"Readiness {MARKDOWN}",
        generated_at=datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
    )


#: The self-assessment report's sections, in reading order.
SECTIONS: tuple[str, ...] = (
    *("summary", "priorities", "criteria", "themes", "heatmap"),
    *("dimensions", "evidence", "method", "essays"),
)


def small_plan() -> Plan:
    """One action agreed at this assessment (hostile text where people type) and one
    carried from an earlier one, under way."""
    at = WHEN.to_pydatetime()
    own = Action(
        1, 2, "P1", MARKDOWN, f"Map spend {HOSTILE}", "=Policy team", date(2027, 3, 31),
        "planned", "@notes", at, at,
    )  # fmt: skip
    carried = Action(
        3, 1, "T1", None, "Train ward councillors", "Member services", None, "under_way",
        None, at, at,
    )  # fmt: skip
    return Plan(2, (own,), (carried,), (), frozenset())
