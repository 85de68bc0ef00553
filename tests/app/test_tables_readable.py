"""The tables people read, in AppTest: plain headings, scores to one decimal, blanks (never
"None" or "nan") for missing values, the verdict early, and the facilitator's note shown.

Each page is given data straight through storage (no clicking through a survey), with
answers chosen so that the raw medians have many decimals (thirds) and some cells are
missing: an empty target, a dimension the room has not agreed, too few respondents.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from questions import load_instrument
from scoring.answers import parse_answers
from scoring.intervals import TOO_FEW
from storage import (
    AnswerInput,
    PlanInput,
    close_round,
    create_area,
    create_assessment,
    enter_group_response,
    import_assessments,
    make_engine,
    migrate,
    open_next_round,
    open_workshop,
    record_agreement,
    save_bank,
    save_draft,
    start_response,
    submit_response,
)
from tests.app.conftest import APP, button, open_page, rerun_on
from tests.unit.storage.factories import host

BANK = load_instrument().bank
SOURCE = (Path(APP).parent / "questions" / "bank.yaml").read_text(encoding="utf-8")
DASH, RESULTS, COMPARE = "app_pages/dashboard.py", "app_pages/results.py", "app_pages/compare.py"
WRITTEN_MISSING = {"None", "none", "nan", "NaN", "<NA>", "NaT", "null"}


def readable(element) -> pd.DataFrame:
    """The table as shown, after checking it reads for people; returns its value."""
    table = element.value
    headings = list(table.columns)
    assert all("_" not in h for h in headings), f"developer names among {headings}"
    assert element.proto.HasField("placeholder"), f"missing numbers show as 'None' in {headings}"
    assert element.proto.placeholder == ""
    for heading in headings:
        for value in table[heading]:
            if isinstance(value, str):
                assert value.strip() not in WRITTEN_MISSING, (heading, value)
            elif isinstance(value, float) and not math.isnan(value):
                assert abs(value * 10 - round(value * 10)) < 1e-9, (heading, value)
    return table


def table_with(at: AppTest, heading: str):
    """The one displayed table with this heading."""
    found = [d for d in at.dataframe if heading in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def saved_bank() -> tuple[Engine, str]:
    """This test's database, migrated, with the shipped bank saved; and the bank's hash."""
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    return engine, save_bank(engine, BANK, SOURCE)


def thirds(person: int, index: int) -> str:
    """A level for each question that gives dimension scores in thirds (2.3333...)."""
    return str(1 + (person + index * (person + 1)) % 5)


# --- The workshop dashboard -------------------------------------------------------------


def dashboard_with_agreed_levels(rounds: int = 1) -> AppTest:
    engine, bank_hash = saved_bank()
    area = create_area(engine, "Calderdale Council", "council")
    dims = list(BANK.form("quick").dimensions)
    workshop, key = open_workshop(
        engine, area.id, bank_hash, "Leadership team", dims, ["councillor", "senior_officer"]
    )
    grant = host(engine, workshop.id)
    questions = [q.id for q in BANK.form_questions("quick")]
    for round_ in range(1, rounds + 1):
        if round_ > 1:
            close_round(engine, grant, workshop.id)
            open_next_round(engine, grant, workshop.id)
        for person in range(3):
            levels = {q: AnswerInput(thirds(person + round_, i)) for i, q in enumerate(questions)}
            enter_group_response(engine, grant, workshop.id, "councillor", levels)
    record_agreement(
        engine,
        grant,
        workshop.id,
        1,
        dims[0],
        3,
        "agreed",
        note="Agreed after the budget discussion",
    )
    record_agreement(
        engine, grant, workshop.id, 1, dims[1], None, "uncertain", dissent="Partners differ"
    )
    at = open_page(DASH, w=workshop.join_code)
    next(t for t in at.text_input if t.label == "Facilitator key").input(key)
    button(at, "Unlock").click()
    rerun_on(at, DASH)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_agreed_levels_table_reads_plainly_with_the_note_early():
    at = dashboard_with_agreed_levels()
    table = readable(table_with(at, "Agreed level"))
    assert list(table.columns) == [
        "ID",
        "Dimension",
        "Agreed level",
        "The room",
        "Note",
        "Dissent",
        "Room's middle level",
        "Difference",
        "People",
        "Round",
    ]
    rows = table.set_index("ID")
    first, second, third = BANK.form("quick").dimensions[:3]
    assert rows.at[first, "Agreed level"] == f"3 · {BANK.scale.level_label(3)}"
    assert rows.at[first, "The room"] == "Agreed"
    assert rows.at[first, "Note"] == "Agreed after the budget discussion"
    assert rows.at[second, "The room"] == "Could not agree"
    assert rows.at[second, "Dissent"] == "Partners differ"
    assert rows.at[second, "Agreed level"] == ""
    assert rows.at[third, "Note"] == rows.at[third, "The room"] == ""  # nothing recorded
    assert math.isnan(rows.at[second, "Difference"])  # blank, not "None"
    middle = rows.at[first, "Room's middle level"]
    assert middle == round(middle, 1)


def test_the_rooms_tables_have_one_decimal_and_plain_headings():
    at = dashboard_with_agreed_levels()
    room = readable(table_with(at, "Don't know %"))
    assert list(room.columns) == [
        "Dimension",
        "The room",
        "Middle level",
        "Middle half",
        "People",
        "Don't know %",
    ]
    assert set(room["The room"]) <= {
        "agree",
        "mostly agree",
        "split",
        "too few to tell",
        "many don't know",
    }
    numbers = readable(table_with(at, "Agreement index"))  # under "How we worked this out"
    assert list(numbers.columns)[:4] == [
        "ID",
        "Dimension",
        "Middle level (median)",
        "Middle half (quartiles)",
    ]
    for element in at.dataframe:
        readable(element)  # every table on the dashboard


def test_what_moved_between_rounds_reads_plainly():
    at = dashboard_with_agreed_levels(rounds=2)
    moved = readable(table_with(at, "Change"))
    assert list(moved.columns) == [
        "ID",
        "Dimension",
        "Middle level, round 1",
        "Middle level, round 2",
        "Change",
        "People, round 1",
        "People, round 2",
    ]


# --- The results page -------------------------------------------------------------------


def test_the_results_tables_leave_an_unset_target_blank():
    engine, bank_hash = saved_bank()
    area = create_area(engine, "Calderdale Council", "council")
    assessment = create_assessment(engine, area.id, "quick", bank_hash)
    response, token = start_response(engine, assessment.id, "senior_officer")
    questions = [q.id for q in BANK.form_questions("quick")]
    answers = {q: AnswerInput(thirds(0, i)) for i, q in enumerate(questions)}
    answers[questions[1]] = AnswerInput("dk", None, "We have no figures on this yet")
    first = BANK.form("quick").dimensions[0]
    save_draft(engine, response.id, answers, {first: PlanInput(target=4, priority=True)}, 0)
    submit_response(engine, response.id)
    at = open_page(RESULTS, r=token)
    assert not at.exception, [e.value for e in at.exception]
    every = readable(table_with(at, "Gap"))
    assert list(every.columns)[:8] == [
        "ID",
        "Dimension",
        "Family",
        "Score",
        "Level",
        "Target",
        "Gap",
        "Priority",
    ]
    rows = every.set_index("ID")
    assert rows.at[first, "Target"] == 4
    assert rows.at[first, "Priority"] == "Yes"
    others = rows.drop(index=first)
    assert others["Target"].isna().all()
    assert (others["Priority"] == "").all()
    for element in at.dataframe:
        readable(element)  # the radars' tables and the evidence notes too


# --- The compare page -------------------------------------------------------------------


def _answers(areas: dict[str, int], rounds: tuple[int, ...]) -> pd.DataFrame:
    """Long answers on the quick form; `areas` maps an area to its number of respondents."""
    rows = []
    questions = [q.id for q in BANK.form_questions("quick")]
    for a, (area, n) in enumerate(areas.items()):
        for round_ in rounds:
            for r in range(n):
                for i, q in enumerate(questions):
                    level = thirds(r + a + round_, i)
                    rows.append((f"{area[:2]}{round_}{r}", q, level, area, round_))
    columns = ["respondent_id", "question_id", "answer", "area", "round"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["submitted_at"] = frame["round"].map(
        {1: "2025-03-15T10:00:00Z", 2: "2026-03-15T10:00:00Z"}
    )
    return frame


def compared() -> AppTest:
    from tests.app.test_compare import ADMIN, raw
    from tests.app.test_compare import open_page as open_signed_in

    at = open_signed_in(COMPARE)  # Compare is an administrator's
    engine, bank_hash = saved_bank()
    # Beta has 3 respondents: enough to be shown in Compare, too few (under 5) to tell.
    csv = _answers({"Alpha Test": 6, "Beta Test": 3}, (1, 2)).to_csv(index=False)
    frame = parse_answers(csv.encode("utf-8"), "areas.csv", bank=BANK)
    import_assessments(engine, ADMIN, frame, BANK, bank_hash, "areas.csv")
    at = rerun_on(at, COMPARE)
    at.multiselect[0].set_value(raw(at.multiselect[0].options))
    at = rerun_on(at, COMPARE)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_compare_tables_put_the_verdict_early_in_plain_words():
    at = compared()
    differences = readable(table_with(at, "Reference median"))
    assert list(differences.columns) == [
        "Assessment",
        "ID",
        "Dimension",
        "Verdict",
        "Difference",
        "Interval",
        "Median",
        "People",
        "Reference median",
        "Reference people",
    ]
    few = differences[differences["Assessment"].str.startswith("Beta Test")]
    assert set(few["Verdict"]) == {"Too few respondents (under 5) to tell"}
    assert (few["Interval"] == "").all()
    assert TOO_FEW not in " ".join(differences["Verdict"])

    scores = readable(next(d for d in at.dataframe if list(d.value.columns)[-1] == "People"))
    assert list(scores.columns) == ["Assessment", "ID", "Dimension", "Median", "Interval", "People"]
    beta = scores[scores["Assessment"].str.startswith("Beta Test")]
    assert set(beta["Interval"]) == {"Too few respondents (under 5)"}

    over_time = readable(next(d for d in at.dataframe if "Change" in d.value.columns))
    assert list(over_time.columns)[:5] == ["ID", "Dimension", "Verdict", "Change", "Interval"]
    assert any(c.startswith("Median, ") for c in over_time.columns)
    for element in at.dataframe:
        readable(element)


def test_notes_and_dissent_are_also_shown_whole_as_typed():
    at = dashboard_with_agreed_levels()
    [full] = [e for e in at.expander if e.label == "Notes and dissent in full"]
    said = [m.value for m in full.markdown]
    assert "Agreed after the budget discussion" in said
    assert "Dissent: Partners differ" in said
