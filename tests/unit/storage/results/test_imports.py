"""Importing results from elsewhere: one assessment per (area, time point), all or nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from common.columns import STORED_COLUMNS
from questions.model import Bank, Form, Role
from scoring.answers import parse_answers
from scoring.engine import group_scores
from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.repo import create_area, get_area, list_areas, save_bank, update_area
from storage.core.schema import areas, responses
from storage.results import imports
from storage.results.compare import comparable_assessments
from storage.results.frames import answers_frame
from storage.results.imports import import_assessments
from tests.unit.storage.factories import BANK_SOURCE, QUESTIONS, dump, small_bank
from tests.unit.storage.results.test_publish import ADMIN

AREAS = ("Barnsley Council", "Doncaster", "Rotherham")


def assessment_answers(engine: Engine, assessment_id: int) -> pd.DataFrame:
    """What the import stored for one assessment (whether or not Compare may show it)."""
    return answers_frame(engine, assessment_id, statuses=("submitted",))[list(STORED_COLUMNS)]


DAYS = {"1": "2025-03-1{}T10:3{}:00Z", "2": "2026-03-1{}T09:1{}:00+00:00"}


def bank_with_forms() -> Bank:
    """The small bank, with forms and roles as a loaded bank has them."""
    return dataclasses.replace(
        small_bank(),
        forms=(
            Form("full", "Full", ("P1", "P2", "T1")),
            Form("quick", "Quick", ("P1", "P2")),
            Form("theme", "Theme module", ("T1",)),
        ),
        roles=(Role("councillor", "Councillor"), Role("resident", "Resident")),
    )


@pytest.fixture
def bank() -> Bank:
    return bank_with_forms()


@pytest.fixture
def bank_hash(engine: Engine, bank: Bank) -> str:
    return save_bank(engine, bank, BANK_SOURCE)


def parsed(bank: Bank, text: str) -> pd.DataFrame:
    return parse_answers(text.encode(), "results.csv", bank=bank)


def three_areas_two_rounds(bank: Bank) -> pd.DataFrame:
    """Three areas, two rounds, three to five people each, seeded: some dk, na and blanks.

    Rotherham's round 2 asked only the criteria (P1, P2): the quick form.
    """
    rng = np.random.default_rng(6)
    lines = ["respondent_id,question_id,answer,area,round,role,submitted_at,evidence"]
    for a, area in enumerate(AREAS):
        for round_ in ("1", "2"):
            for person in range(int(rng.integers(3, 6))):
                role = ("Councillor", "resident", "")[person % 3]
                when = DAYS[round_].format(a + 1, person)
                asked = [q for q in QUESTIONS if not (a == 2 and round_ == "2" and q[0] == "t")]
                for q in asked:
                    draw = rng.random()
                    answer = (
                        "dk" if draw < 0.08 else "na" if draw < 0.12 else "" if draw < 0.15
                        else str(int(rng.integers(1, 6)))
                    )  # fmt: skip
                    note = '"minutes, 3 March"' if q == "p1a" and person == 0 else ""
                    lines.append(
                        f"{area[:3]}-{person},{q},{answer},{area},{round_},{role},{when},{note}"
                    )
    return parsed(bank, "\n".join(lines) + "\n")


def test_three_areas_over_two_rounds_become_six_assessments(
    engine: Engine, bank: Bank, bank_hash: str
) -> None:
    barnsley = create_area(engine, "BARNSLEY COUNCIL", "council", "E08000016")
    frame = three_areas_two_rounds(bank)
    made = import_assessments(engine, ADMIN, frame, bank, bank_hash, "results.csv")

    assert len(made) == 6
    names = {a.id: a.name for a in list_areas(engine)}
    assert sorted(names.values()) == ["BARNSLEY COUNCIL", "Doncaster", "Rotherham"]
    assert [(names[a.area_id], a.title) for a in made] == [
        (name, f"Round {r}") for name in ("BARNSLEY COUNCIL", "Doncaster", "Rotherham")
        for r in (1, 2)
    ]  # fmt: skip
    assert {a.kind for a in made} == {"imported"}
    assert {a.bank_hash for a in made} == {bank_hash}
    assert [a.held_on for a in made] == [
        date(2025, 3, 11), date(2026, 3, 11), date(2025, 3, 12), date(2026, 3, 12),
        date(2025, 3, 13), date(2026, 3, 13),
    ]  # fmt: skip
    assert [a.form_id for a in made] == ["full"] * 5 + ["quick"]
    assert made[0].area_id == barnsley.id
    assert get_area(engine, made[2].area_id).kind == "other"  # type: ignore[union-attr]

    full = group_scores(frame, bank, by=["area", "round"])
    for assessment in made:
        area = frame.loc[frame["area"].str.casefold() == names[assessment.area_id].casefold()]
        round_ = assessment.title.removeprefix("Round ")  # type: ignore[union-attr]
        expected = full[(full["area"] == area["area"].iat[0]) & (full["round"] == round_)]
        expected = expected.drop(columns=["area", "round"]).reset_index(drop=True)
        assert len(expected) == (2 if assessment.form_id == "quick" else 3)
        assert expected["median"].notna().all()
        stored = assessment_answers(engine, assessment.id)
        pd.testing.assert_frame_equal(group_scores(stored, bank), expected)
        people = area.loc[area["round"] == round_, "respondent_id"]
        assert stored["respondent_id"].nunique() == people.nunique()
        assert set(stored["respondent_id"]) == {f"R{n}" for n in range(1, people.nunique() + 1)}


def test_what_an_import_stores(engine: Engine, bank: Bank, bank_hash: str) -> None:
    frame = three_areas_two_rounds(bank)
    first = import_assessments(engine, ADMIN, frame, bank, bank_hash, "results.csv")[0]
    stored = assessment_answers(engine, first.id)
    rows = frame[(frame["area"] == "Barnsley Council") & (frame["round"] == "1")]
    assert len(stored) == len(rows)
    assert sorted(stored["answer"]) == sorted(rows["answer"])
    assert set(stored["role"]) == {"councillor", "resident", "other"}
    assert stored["evidence"].dropna().tolist() == ["minutes, 3 March"] * 1
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(responses.c.status, responses.c.submitted_at, responses.c.round).where(
                responses.c.assessment_id == first.id
            )
        ).all()
    assert {(r.status, r.round) for r in found} == {("submitted", 1)}
    assert min(r.submitted_at for r in found) == datetime(2025, 3, 11, 10, 30, tzinfo=UTC)
    assert "Bar-0" not in dump(engine)  # the file's respondent ids are never stored
    listed = comparable_assessments(engine, ADMIN)
    assert len(listed) == 6
    assert listed["respondents"].iloc[0] == rows["respondent_id"].nunique()


def test_dates_make_the_time_points_when_there_is_no_round(
    engine: Engine, bank: Bank, bank_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "today", lambda: date(2027, 1, 2))
    frame = parsed(
        bank,
        "respondent_id,question_id,answer,area,submitted_at\n"
        "a,p1a,3,Leeds,2025-03-15\n"
        "a,p1b,4,Leeds,15/03/2025 09:30\n"
        "b,p1a,2,Leeds,2026-03-20T23:30:00-02:00\n"
        "c,t1a,2,leeds,\n"
        "d,t1a,5,York,2026-03-20\n",
    )
    made = import_assessments(engine, ADMIN, frame, bank, bank_hash, "spring.csv")
    assert [(a.held_on, a.title, a.form_id) for a in made] == [
        (date(2025, 3, 15), "Imported from spring.csv", "quick"),
        (date(2026, 3, 20), "Imported from spring.csv", "quick"),  # the date as written
        (date(2027, 1, 2), "Imported from spring.csv", "theme"),  # no date: today
        (date(2026, 3, 20), "Imported from spring.csv", "theme"),
    ]
    assert [len(assessment_answers(engine, a.id)) for a in made] == [2, 1, 1, 1]
    with engine.connect() as conn:
        moment = conn.scalar(
            sa.select(responses.c.submitted_at).where(responses.c.assessment_id == made[0].id)
        )
    assert moment == datetime(2025, 3, 15, 9, 30, tzinfo=UTC)  # the respondent's latest row


def test_rounds_without_dates_are_held_today(
    engine: Engine, bank: Bank, bank_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "today", lambda: date(2027, 1, 2))
    frame = parsed(bank, "respondent_id,question_id,answer,area,round\nx,p1a,3,Leeds,4\n")
    [made] = import_assessments(engine, ADMIN, frame, bank, bank_hash, "x.csv")
    assert (made.title, made.held_on, made.form_id) == ("Round 4", date(2027, 1, 2), "quick")


def test_demo_areas_are_never_matched_and_twins_are_refused(
    engine: Engine, bank: Bank, bank_hash: str
) -> None:
    demo = create_area(engine, "Northbrook", "council")
    with engine.begin() as conn:
        conn.execute(sa.update(areas).where(areas.c.id == demo.id).values(demo=True))
    frame = parsed(bank, "respondent_id,question_id,answer,area\nx,p1a,3,northbrook\n")
    [made] = import_assessments(engine, ADMIN, frame, bank, bank_hash, "x.csv")
    assert made.area_id != demo.id
    update_area(engine, made.area_id, name="Leeds")
    create_area(engine, "LEEDS", "ward")
    before = dump(engine)
    frame = parsed(bank, "respondent_id,question_id,answer,area\nx,p1a,3,Ripon\ny,p1a,3,leeds\n")
    with pytest.raises(InputError, match="2 areas are called 'leeds'") as caught:
        import_assessments(engine, ADMIN, frame, bank, bank_hash, "x.csv")
    assert caught.value.field == "row 3, area"
    assert dump(engine) == before


HEADER = "respondent_id,question_id,answer,area,role,round,confidence,submitted_at\n"
GOOD = "a,p1a,3,Leeds,councillor,1,high,2025-03-15\nb,p1a,4,York,,1,,\n"


@pytest.mark.parametrize(
    ("bad_row", "field", "says"),
    [
        ("c,p1b,2,,councillor,1,,", "row 4, area", "empty"),
        (f"c,p1b,2,{'x' * 121},councillor,1,,", "row 4, area", "120 or fewer"),
        ("c,p1b,2,Leeds,mayor,1,,", "row 4, role", "not a role in the bank"),
        ("a,p1b,2,Leeds,resident,1,,", "row 4, role", "was given role 'councillor' on row 2"),
        ("c,p1b,2,Leeds,,two,,", "row 4, round", "not a round"),
        ("c,p1b,2,Leeds,,0,,", "row 4, round", "not a round"),
        ("c,p1b,2,Leeds,,1,,yesterday", "row 4, submitted_at", "not a date"),
        ("c,p1b,2,Leeds,,1,,31/02/2025", "row 4, submitted_at", "not a date"),
        ("c,p1b,2,Leeds,,1,sure,", "row 4, confidence", "not a confidence"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    engine: Engine, bank: Bank, bank_hash: str, bad_row: str, field: str, says: str
) -> None:
    create_area(engine, "Leeds", "council")
    before = dump(engine)
    frame = parsed(bank, HEADER + GOOD + bad_row + "\n")
    with pytest.raises(InputError, match=says) as caught:
        import_assessments(engine, ADMIN, frame, bank, bank_hash, "results.csv")
    assert caught.value.field == field
    assert caught.value.format().startswith(f"{field}: ")
    assert dump(engine) == before


def test_a_respondent_answering_twice_in_one_area_and_time_is_refused(
    engine: Engine, bank: Bank, bank_hash: str
) -> None:
    frame = parsed(bank, HEADER + GOOD).copy()
    frame.loc[4] = frame.loc[2]  # parse_answers allows it across areas; here it is one area
    with pytest.raises(InputError, match=r"already answered 'p1a'.*on row 2") as caught:
        import_assessments(engine, ADMIN, frame, bank, bank_hash, "x.csv")
    assert caught.value.field == "row 4, question_id"


def test_the_file_as_a_whole_is_checked(
    engine: Engine, bank: Bank, bank_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(frame: object, field: str, says: str, name: object = "x.csv") -> None:
        with pytest.raises(InputError, match=says) as caught:
            import_assessments(engine, ADMIN, frame, bank, bank_hash, name)  # type: ignore[arg-type]
        assert caught.value.field == field

    no_area = parsed(bank, "respondent_id,question_id,answer\nx,p1a,3\n")
    refused(no_area, "area", "no 'area' column; please add one, naming the area of each row")
    refused(parsed(bank, "respondent_id,question_id,answer,area\n"), "frame", "no answers")
    refused("a,b,c", "frame", "expected a table")
    good = parsed(bank, HEADER + GOOD)
    refused(good, "source_name", "blank", "  ")
    with pytest.raises(InputError) as caught:
        import_assessments(engine, ADMIN, good, bank, "c" * 64, "x.csv")
    assert caught.value.field == "bank_hash"  # not saved
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    refused(good, "frame", "2 answers, more than the 1 Ladder imports at once")
    monkeypatch.setattr(imports, "MAX_ROWS", 200_000)
    monkeypatch.setattr(imports, "MAX_AREAS", 1)
    refused(good, "row 3, area", "more than 1 areas")
    assert list_areas(engine) == []


def test_the_limits_are_as_documented() -> None:
    assert (imports.MAX_ROWS, imports.MAX_AREAS) == (200_000, 500)


def test_only_an_administrator_imports(engine: Engine, bank: Bank, bank_hash: str) -> None:
    """Issue 12: anyone could import results under a real council's name."""
    frame = three_areas_two_rounds(bank)
    before = dump(engine)
    gone = Grant("admin", admin="removed@example.org", via="local")
    for grant in (ANYONE, Grant("facilitator", workshop_id=1), Grant("owner", token="x"), gone):
        with pytest.raises(AccessDenied):
            import_assessments(engine, grant, frame, bank, bank_hash, "results.csv")
    assert dump(engine) == before  # nothing written, not even an area


def test_an_import_is_published_and_compare_keeps_its_rule(
    engine: Engine, bank: Bank, bank_hash: str
) -> None:
    frame = parsed(
        bank,
        "respondent_id,question_id,answer,area,round\n"
        "a,p1a,3,Leeds,1\n"  # one answer set: shown
        "b,p1a,3,York,1\nc,p1a,4,York,1\n"  # two people: withheld
        "d,p1a,3,Hull,1\ne,p1a,4,Hull,1\nf,p1a,2,Hull,1\n",  # three: shown
    )
    made = import_assessments(engine, ADMIN, frame, bank, bank_hash, "results.csv")
    with engine.connect() as conn:
        published = conn.execute(sa.text("SELECT assessment_id, people FROM publications")).all()
    assert sorted(published) == sorted((a.id, n) for a, n in zip(made, (1, 2, 3), strict=True))
    listed = comparable_assessments(engine, ADMIN)
    assert sorted(listed["area_name"]) == ["Hull", "Leeds"]
    assert set(listed["entry"]) == {"imported"}
