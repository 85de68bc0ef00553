"""The compare page in AppTest: administrators only (nothing at all without sign-in), only
published entries and none under k, the empty state, demo data in and out, a comparison that
agrees with the command line, one area over time, and a comparison group's median on the page
and in the report."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

import ui.comparison.choosing
import ui.comparison.view
from questions import load_instrument
from reports.compare import GROUP_TOO_FEW, ChosenGroup
from scoring.engine import group_scores
from scoring.format import round_half_up
from storage import (
    assessment_answers,
    comparable_assessments,
    create_group,
    list_areas,
    list_groups,
    make_engine,
    migrate,
)
from storage.core.access import Grant
from tests.app.conftest import APP, button, rerun_on
from tests.support.plotly_arrays import array_of
from tests.unit.reports.test_html import Page
from ui.text import literal

PAGE = "app_pages/compare.py"
BANK = load_instrument().bank
#: A signed-in administrator, as ui/admin.py keeps one in the session.
ADMIN = Grant("admin", admin="tester@example.org", via="oidc")


def open_page(page: str, grant: Grant | None = ADMIN, **query: str) -> AppTest:
    """A fresh session on ``page``, signed in as an administrator (``grant``) unless None."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if grant is not None:
        at.session_state["admin_grant"] = grant
    at.switch_page(page)
    return at.run()


SCORE_HEADINGS = ("Assessment", "ID", "Dimension", "Median", "Interval", "People")


def raw(options: list[str]) -> list[str]:
    """The entries' labels, from the options as the page words them ("label — kind, ...")."""
    return [o.split(" — ")[0] for o in options]


def scores_table(at) -> pd.DataFrame:
    """The page's "every score, with its interval" table (one row per assessment and dimension)."""
    return next(
        d.value
        for d in at.dataframe
        if list(d.value.columns)
        == ["Assessment", "ID", "Dimension", "Median", "Interval", "People"]
    )


def shown(value: float) -> float:
    """A score as the page shows it: one decimal, halves up."""
    return float(round_half_up(value))


def test_with_nothing_to_compare_the_page_says_so():
    at = open_page(PAGE)
    assert not at.exception
    assert "nothing to compare yet" in at.info[0].value


def test_demo_data_loads_compares_over_time_and_goes():
    at = open_page(PAGE)
    button(at, "Load the demo data (fictional areas)").click()
    rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    headings = [s.value for s in at.subheader]
    assert "What differs" in headings
    # Chosen without choosing: the latest demo result of three councils, one kind, one form.
    chosen = at.multiselect[0].value
    assert len(chosen) == 3
    assert all("(fictional)" in label and "Council" in label for label in chosen)
    assert {label.rsplit(" · ", 1)[1] for label in chosen} == {"2026-03-15"}
    assert len({label.rsplit(" · ", 1)[0] for label in chosen}) == 3
    findings = next(m.value for m in at.markdown if "than the noise" in m.value)
    assert findings.count("\n- ") <= 2  # the three largest differences, no more
    assert not any(h.startswith("Change over time") for h in headings)
    labels = [b.label for b in at.get("download_button")]
    assert "Comparison report (HTML)" in labels
    # The same council a year earlier added: its change over time appears.
    earlier = chosen[0].replace("2026-03-15", "2025-03-15")
    at.multiselect[0].set_value([*chosen, earlier])
    rerun_on(at, PAGE)
    headings = [s.value for s in at.subheader]
    assert any(h.startswith("Change over time: " + literal("Demo:")) for h in headings)

    engine = make_engine(os.environ["DATABASE_URL"])
    assert not comparable_assessments(engine, ADMIN).empty
    button(at, "Remove the demo data").click()
    rerun_on(at, PAGE)
    assert "nothing to compare yet" in at.info[0].value
    assert comparable_assessments(engine, ADMIN).empty


def test_the_scores_on_the_page_are_the_engines():
    at = open_page(PAGE)
    button(at, "Load the demo data (fictional areas)").click()
    rerun_on(at, PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    listed = comparable_assessments(engine, ADMIN)
    label = at.multiselect[0].value[0]
    first = listed[listed["area_name"] + " · " + listed["held_on"].astype(str) == label].iloc[0]
    answers = assessment_answers(engine, ADMIN, int(first["assessment_id"]))
    expected = group_scores(answers, BANK).set_index("dimension")["median"]
    table = scores_table(at)
    mine = table[table["Assessment"] == label].set_index("ID")["Median"].astype(float)
    engines = expected.loc[mine.index].astype(float).map(shown)
    pd.testing.assert_series_equal(mine.sort_index(), engines.sort_index(), check_names=False)


def answers_frame(bank, areas, rounds, rename=None, n=5):
    """Long answers on the quick form: area, round, level rising by area index and round."""
    rows = []
    for a, area in enumerate(areas):
        for round_ in rounds:
            for r in range(n):
                for q in bank.form_questions("quick"):
                    level = str(min(5, 1 + a + round_ + (r % 2)))
                    rows.append(
                        (
                            f"{area[:2]}{round_}{r}",
                            q.id,
                            level,
                            area,
                            round_,
                            "other",
                            f"{2024 + round_}-03-15T10:00:00Z",
                        )
                    )
    columns = ["respondent_id", "question_id", "answer", "area", "round", "role", "submitted_at"]
    return pd.DataFrame(rows, columns=columns)


def test_every_number_agrees_with_the_command_line(tmp_path):
    at = open_page(PAGE)  # creates and migrates the database
    engine = make_engine(os.environ["DATABASE_URL"])
    areas = ("Alpha Test", "Beta Test", "Gamma Test")
    frame = answers_frame(BANK, areas, (1, 2))
    csv = tmp_path / "areas.csv"
    frame.to_csv(csv, index=False)
    from scoring.answers import read_answers
    from storage import import_assessments, save_bank
    from tests.support.cli import run_module

    bank_hash = save_bank(engine, BANK, (Path(APP).parent / "questions" / "bank.yaml").read_text())
    import_assessments(engine, ADMIN, read_answers(csv, BANK), BANK, bank_hash, "areas.csv")
    at = rerun_on(at, PAGE)
    at.multiselect[0].set_value(raw(at.multiselect[0].options))
    at = rerun_on(at, PAGE)
    table = scores_table(at).rename(
        columns={"Assessment": "label", "ID": "dimension", "People": "n", "Median": "median"}
    )
    done = run_module("scoring", "score", "--responses", csv, "--by", "area", "round")
    assert done.returncode == 0, done.stderr
    cli = pd.read_csv(io.StringIO(done.stdout))
    cli["label"] = cli["area"] + " · " + cli["round"].map({1: "2025-03-15", 2: "2026-03-15"})
    merged = table.merge(cli, on=["label", "dimension"], suffixes=("_page", "_cli"))
    assert len(merged) == len(table) == 6 * 6  # six assessments x six criteria
    assert (merged["n_page"].astype(int) == merged["n_cli"].astype(int)).all()
    assert (merged["median_page"].astype(float) == merged["median_cli"].map(shown)).all()


def test_a_bank_version_and_its_successor_compare_on_what_they_share(tmp_path):
    at = open_page(PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    shipped = (Path(APP).parent / "questions" / "bank.yaml").read_text()
    successor = re.sub(r'version: "[0-9.]+"', 'version: "9.1.0"', shipped, count=1)
    successor = successor.replace("  - id: P1.2\n", "  - id: P1.2b\n    replaces: P1.2\n", 1)
    start = successor.index("  - id: P1.3\n")
    end = successor.index("  - id: ", start + 5)
    successor = successor[:start] + successor[end:]
    path = tmp_path / "bank-1.1.yaml"
    path.write_text(successor, encoding="utf-8")
    newer = load_instrument(path).bank
    assert newer is not None
    assert newer.has_question("P1.2b")
    assert not newer.has_question("P1.3")
    from storage import import_assessments, save_bank

    old_hash = save_bank(engine, BANK, shipped)
    new_hash = save_bank(engine, newer, successor)
    earlier = answers_frame(BANK, ("Delta Test",), (1,))
    import_assessments(engine, ADMIN, earlier, BANK, old_hash, "2025.csv")
    later = answers_frame(newer, ("Delta Test",), (2,))
    import_assessments(engine, ADMIN, later, newer, new_hash, "2026.csv")
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    left_out = " ".join(m.value for m in at.markdown)
    assert literal("P1.3") in left_out  # shown as typed: escaped for Markdown
    assert "removed" in left_out
    table = scores_table(at)
    p1 = table[table["ID"] == "P1"]
    assert len(p1) == 2
    assert (p1["People"] == 5).all()


def test_a_1x_self_assessment_and_a_2_0_one_compare_naming_what_is_left_out():
    """Issue 16: results given on bank 1.0.0 and on the shipped 2.0 bank compare on the page,
    on the questions both asked, and the page names what the comparison left out."""
    from storage import import_assessments, save_bank

    at = open_page(PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    old_text = (Path(APP).parent / "tests" / "data" / "banks" / "ladder-1.0.0.yaml").read_text()
    old = load_instrument(Path(APP).parent / "tests" / "data" / "banks" / "ladder-1.0.0.yaml").bank
    assert old is not None
    assert old.version.startswith("1.")
    shipped = (Path(APP).parent / "questions" / "bank.yaml").read_text()
    old_hash, new_hash = save_bank(engine, old, old_text), save_bank(engine, BANK, shipped)
    import_assessments(
        engine, ADMIN, answers_frame(old, ("Delta Test",), (1,)), old, old_hash, "2025.csv"
    )
    import_assessments(
        engine, ADMIN, answers_frame(BANK, ("Delta Test",), (2,)), BANK, new_hash, "2026.csv"
    )
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in at.markdown)
    quick_old = {q.id for q in old.form_questions("quick")}
    quick_new = {q.id for q in BANK.form_questions("quick")}
    for qid in sorted(quick_new - quick_old):  # new in 2.0, never asked on 1.0.0
        assert literal(qid) in said, qid
    for qid in sorted(quick_old - quick_new):  # asked on 1.0.0, gone from 2.0
        assert literal(qid) in said, qid
    assert quick_new - quick_old  # the test would prove nothing if the forms were the same
    table = scores_table(at)
    assert len(set(table[table["ID"] == "P1"]["Assessment"])) == 2


def test_change_over_time_is_only_between_dates_of_the_same_kind_for_one_area():
    """Issue 17: two people's self-assessments of one area on one day are not a change over
    time, nor is a self-assessment beside an imported result; two dates of the same kind are."""
    from datetime import date

    from storage import (
        AnswerInput,
        create_assessment,
        find_or_create_area,
        import_assessments,
        publish_assessment,
        save_bank,
        save_draft,
        start_response,
        submit_response,
    )

    at = open_page(PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    bank_hash = save_bank(engine, BANK, (Path(APP).parent / "questions" / "bank.yaml").read_text())
    area = find_or_create_area(engine, "Samedale Council", "council")

    def self_assessment(day: date, level: str) -> None:
        made = create_assessment(engine, area.id, "quick", bank_hash, held_on=day)
        response, token = start_response(engine, made.id, "senior_officer")
        given = {q.id: AnswerInput(level) for q in BANK.form_questions("quick")}
        save_draft(engine, response.id, given, {}, 0)
        submit_response(engine, response.id)
        publish_assessment(engine, token)

    self_assessment(date(2026, 3, 15), "2")
    self_assessment(date(2026, 3, 15), "4")  # a second person, the same day
    import_assessments(
        engine, ADMIN, answers_frame(BANK, ("Samedale Council",), (1,)), BANK, bank_hash, "x.csv"
    )
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert not [h for h in at.subheader if h.value.startswith("Change over time")]
    engine.dispose()


def test_a_series_is_one_area_one_kind_at_two_dates_or_more():
    from ui.comparison.choosing import over_time, series_name

    rows = pd.DataFrame(
        [
            ("Leeds", "self", "2026-03-15", "Leeds · 2026-03-15 · #1"),
            ("Leeds", "self", "2026-03-15", "Leeds · 2026-03-15 · #2"),  # the same day
            ("Leeds", "imported", "2025-03-15", "Leeds · 2025-03-15"),  # another kind
            ("Leeds", "self", "2026-09-01", "Leeds · 2026-09-01"),
            ("York", "workshop", "2026-01-10", "York · 2026-01-10"),
        ],
        columns=["area_name", "entry", "day", "label"],
    )
    assert over_time(rows) == {("Leeds", "self"): ["Leeds · 2026-03-15 · #2", "Leeds · 2026-09-01"]}
    assert series_name(("Leeds", "self")) == "Leeds (self-assessments)"
    assert over_time(rows.iloc[:3]) == {}  # one day, or two kinds: no change over time


def test_a_chosen_group_is_shown_and_goes_into_the_report(
    monkeypatch: pytest.MonkeyPatch, download_data: dict[str, object]
):
    reports: list[tuple[ChosenGroup | None, str]] = []
    real = ui.comparison.view.render_comparison_report

    def spy(*args, **kwargs):
        html = real(*args, **kwargs)
        reports.append((args[5] if len(args) > 5 else kwargs.get("group"), html))
        return html

    monkeypatch.setattr(ui.comparison.view, "render_comparison_report", spy)
    at = open_page(PAGE)
    button(at, "Load the demo data (fictional areas)").click()
    rerun_on(at, PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    five = list_areas(engine)[:5]
    create_group(engine, ADMIN, "Five demo areas", [a.id for a in five])
    at = rerun_on(at, PAGE)
    options = raw(at.multiselect[0].options)
    # The earliest assessment of each of the five areas, and one of an area outside the group.
    picked = [next(o for o in options if o.startswith(a.name + " · ")) for a in five]
    outside = next(o for o in options if not any(o.startswith(a.name) for a in five))
    at.multiselect[0].set_value([*picked, outside])
    at = rerun_on(at, PAGE)
    reports.clear()
    next(s for s in at.selectbox if s.label == "Show a group's median").select_index(1)
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert GROUP_TOO_FEW not in [i.value for i in at.info]
    median = next(d.value for d in at.dataframe if "Group median" in d.value.columns)
    assert (median["Areas"] == 5).all()
    chosen = at.multiselect[0].value
    assert len(chosen) == 6
    download_data["Comparison report (HTML)"]()  # the report is built when it is asked for
    group, html = reports[-1]
    assert group == ChosenGroup("Five demo areas", tuple(chosen[:5]))
    assert '<section id="group"' in html
    assert "Comparison group: Five demo areas" in html
    assert "median of 5 areas" in html
    assert "demo (fictional)," in Page(html).visible  # each entry's kind, in the report too

    at.multiselect[0].set_value(picked[:3])
    at = rerun_on(at, PAGE)
    assert GROUP_TOO_FEW in [i.value for i in at.info]
    download_data["Comparison report (HTML)"]()
    group, html = reports[-1]
    assert group == ChosenGroup("Five demo areas", tuple(chosen[:3]))
    assert GROUP_TOO_FEW in Page(html).visible
    assert "median of 5 areas" not in html


def test_the_group_editor_states_the_rule_and_warns_below_five_areas():
    at = open_page(PAGE)
    button(at, "Load the demo data (fictional areas)").click()
    rerun_on(at, PAGE)
    rule = "A group's median is shown only when 5 or more of its areas"
    assert any(c.value.startswith(rule) for c in at.caption)
    engine = make_engine(os.environ["DATABASE_URL"])
    ids = [a.id for a in list_areas(engine)]
    editor = next(m for m in at.multiselect if m.label == "Areas in it")
    assert not at.warning
    editor.set_value(ids[:2])
    next(t for t in at.text_input if t.label == "Group name").input("Two neighbours")
    at = rerun_on(at, PAGE)
    assert "This group has 2 areas" in at.warning[0].value
    assert "You can save it" in at.warning[0].value
    button(at, "Save the group").click()
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert [g.name for g in list_groups(engine, ADMIN)] == ["Two neighbours"]  # warned, not refused
    editor = next(m for m in at.multiselect if m.label == "Areas in it")
    editor.set_value(ids[:5])
    at = rerun_on(at, PAGE)
    assert not at.warning


# --- Who sees what (issue 12) ---------------------------------------------------------------


def _sent(engine, workshop_id: int, people: int, question: str) -> None:
    """``people`` join the workshop and send one answer each."""
    from storage import current_response, join_workshop, save_draft, submit_response
    from storage.core.model import AnswerInput

    for n in range(people):
        person, _ = join_workshop(engine, workshop_id, "resident")
        response = current_response(engine, person.id)
        save_draft(engine, response.id, {question: AnswerInput(str(1 + n % 5))}, {}, 1)
        submit_response(engine, response.id)


def _who_sees_what(engine) -> None:
    """Every kind of result, published or not: only two may show in Compare."""
    from storage import (
        close_round,
        create_area,
        create_assessment,
        open_workshop,
        publish_assessment,
        publish_round,
        save_bank,
        save_draft,
        start_response,
        submit_response,
    )
    from storage.core.model import AnswerInput
    from storage.results.publish import record_publication
    from tests.unit.storage.factories import host

    bank_hash = save_bank(engine, BANK, (Path(APP).parent / "questions" / "bank.yaml").read_text())
    question = BANK.form_questions("quick")[0].id
    dims = [BANK.form_questions("quick")[0].dimension]

    def self_assessment(name: str, finish: bool, publish: bool) -> None:
        area = create_area(engine, name, "council")
        assessment = create_assessment(engine, area.id, "quick", bank_hash)
        response, token = start_response(engine, assessment.id, "councillor")
        save_draft(engine, response.id, {question: AnswerInput("3")}, {}, 1)
        if finish:
            submit_response(engine, response.id)
        if publish:
            publish_assessment(engine, token)

    self_assessment("Published Self Council", finish=True, publish=True)
    self_assessment("Unpublished Self Council", finish=True, publish=False)
    self_assessment("Draft Self Council", finish=False, publish=False)

    def room(name: str, people: int) -> int:
        area = create_area(engine, name, "council")
        workshop, _ = open_workshop(engine, area.id, bank_hash, name, dims, ["resident"], k=3)
        _sent(engine, workshop.id, people, question)
        return workshop.id

    open_room = room("Open Round Area", 1)
    with engine.begin() as conn:  # even a publication row for an open round is not enough
        record_publication(conn, open_room_assessment(engine, open_room), 1, 1)
    small = room("Small Round Area", 2)
    close_round(engine, host(engine, small), small)
    with engine.begin() as conn:  # publishing refuses under k; the listing refuses it too
        record_publication(conn, open_room_assessment(engine, small), 1, 2)
    full = room("Full Round Area", 3)
    close_round(engine, host(engine, full), full)
    publish_round(engine, host(engine, full), full, 1)


def open_room_assessment(engine, workshop_id: int) -> int:
    from storage import get_workshop

    found = get_workshop(engine, workshop_id)
    assert found is not None
    return found.assessment_id


def test_without_sign_in_compare_shows_nothing_at_all():
    """Issue 12: without any key, Compare listed a workshop whose round was still open and its
    score table and downloads showed that one person's answers."""
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    _who_sees_what(engine)
    for grant in (
        None,
        Grant("facilitator", workshop_id=1),
        Grant("admin", admin="x", via="local"),
    ):
        at = open_page(PAGE, grant)
        assert not at.exception, [e.value for e in at.exception]
        [refusal] = [w.value for w in at.warning]  # one sentence (its words: ui.access)
        assert refusal.startswith(("This page is ", "Compare is open only to administrators"))
        assert not at.multiselect
        assert not at.dataframe
        assert not at.get("download_button")
        assert not at.get("plotly_chart")
        assert not at.button  # no demo, import or group controls either
        text = " ".join(m.value for kind in ("markdown", "caption", "info") for m in at.get(kind))
        assert "Round Area" not in text
        assert "Self Council" not in text


def test_signed_in_compare_lists_only_published_entries_at_k():
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    _who_sees_what(engine)
    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    options = list(at.multiselect[0].options)
    assert len(options) == 2
    described = sorted(o.split(" · ")[0] + " — " + o.split(" — ")[1] for o in options)
    assert described == [
        "Full Round Area — workshop round 1, chosen modules, 3 people",
        "Published Self Council — self-assessment, Quick check: the six next-practice "
        "criteria, 1 person",
    ]
    assert sorted(comparable_assessments(engine, ADMIN)["area_name"]) == [
        "Full Round Area",
        "Published Self Council",
    ]
    table = scores_table(at)
    assert {label.split(" · ")[0] for label in table["Assessment"]} == {
        "Full Round Area",
        "Published Self Council",
    }
    assert set(table["People"].astype(int)) <= {1, 3}


def test_an_administrator_withdraws_an_entry_that_does_not_belong():
    """Anyone may publish under any area's name; the administrator takes such an entry out
    of Compare from the page (its answers stay)."""
    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    _who_sees_what(engine)
    at = open_page(PAGE)
    assert len(at.multiselect[0].options) == 2
    box = next(s for s in at.selectbox if s.label == "Entry")
    choice = next(o for o in box.options if o.startswith("Published Self Council"))
    box.set_value(choice.split(" — ")[0])  # the option's value is its label (area · date)
    button(at, "Withdraw it from Compare").click()
    at = rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert list(comparable_assessments(engine, ADMIN)["area_name"]) == ["Full Round Area"]
    engine.dispose()


# --- Reruns read what changed only (issue 14) -------------------------------------------------


def _published_selves(engine, levels: dict[str, str]) -> dict[str, int]:
    """One published self-assessment per area, its one response answering the quick form's
    first question with the given level; returns each area's response id."""
    from storage import (
        create_area,
        create_assessment,
        publish_assessment,
        save_bank,
        save_draft,
        start_response,
        submit_response,
    )
    from storage.core.model import AnswerInput

    bank_hash = save_bank(engine, BANK, (Path(APP).parent / "questions" / "bank.yaml").read_text())
    question = BANK.form_questions("quick")[0].id
    made = {}
    for name, level in levels.items():
        area = create_area(engine, name, "council")
        assessment = create_assessment(engine, area.id, "quick", bank_hash)
        response, token = start_response(engine, assessment.id, "councillor")
        save_draft(engine, response.id, {question: AnswerInput(level)}, {}, 1)
        submit_response(engine, response.id)
        publish_assessment(engine, token)
        made[name] = response.id
    return made


def test_a_rerun_reads_no_answers_again_until_an_entry_changes(monkeypatch):
    """The page keeps each entry's answers under its change stamp: the same entries are read
    once, however often the page reruns, and a changed entry is read again and shown new."""
    from storage import save_draft
    from storage.core.model import AnswerInput

    engine = make_engine(os.environ["DATABASE_URL"])
    migrate(engine)
    made = _published_selves(engine, {"Reread Council": "3", "Steady Council": "2"})
    reads: list[tuple[int, int]] = []

    def counted(engine, grant, assessment_id, round=None):
        reads.append((assessment_id, round))
        return assessment_answers(engine, grant, assessment_id, round)

    monkeypatch.setattr(ui.comparison.choosing, "assessment_answers", counted)
    question = BANK.form_questions("quick")[0]
    dimension = question.dimension

    def median(at, area: str) -> float:
        table = scores_table(at)
        mine = table[table["Assessment"].str.startswith(area) & (table["ID"] == dimension)]
        return float(mine["Median"].item())

    at = open_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert len(reads) == 2  # each chosen entry once
    assert median(at, "Reread Council") == 3.0
    for _ in range(2):
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    assert len(reads) == 2  # nothing read again: the stamps did not move
    save_draft(
        engine,
        made["Reread Council"],
        {question.id: AnswerInput("5")},
        {},
        1,
        allow_submitted=True,
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(reads) == 3  # only the changed entry, read again
    assert median(at, "Reread Council") == 5.0  # not the answers kept from before
    assert median(at, "Steady Council") == 2.0
    engine.dispose()


def test_the_default_choice_is_the_latest_of_one_kind_of_result_for_like_areas():
    from ui.comparison.choosing import default_choice

    rows = [
        # label, area_id, area_name, area_kind, entry, form_id, day
        ("Ash · 2025", 1, "Ash", "council", "imported", "full", "2025-03-01"),
        ("Ash · 2026", 1, "Ash", "council", "imported", "full", "2026-03-01"),
        ("Bay · 2026", 2, "Bay", "council", "imported", "full", "2026-02-01"),
        ("Cob · 2026", 3, "Cob", "ward", "imported", "full", "2026-01-01"),
        ("Dun · 2026", 4, "Dun", "council", "imported", "full", "2026-01-05"),
        ("Elm · 2026", 5, "Elm", "council", "imported", "full", "2026-01-06"),
        ("Ash · self", 1, "Ash", "council", "self", "quick", "2026-04-01"),
    ]
    columns = ["label", "area_id", "area_name", "area_kind", "entry", "form_id", "day"]
    table = pd.DataFrame(rows, columns=columns)
    assert default_choice(table) == ["Ash · 2026", "Bay · 2026", "Dun · 2026"]
    assert default_choice(table, most=5) == [
        "Ash · 2026", "Bay · 2026", "Dun · 2026", "Elm · 2026", "Cob · 2026",
    ]  # fmt: skip
    mixed = table.iloc[[0, 6]]  # one area only, in two kinds: the first two entries
    assert default_choice(mixed) == ["Ash · 2025", "Ash · self"]
    assert default_choice(table.iloc[:1]) == ["Ash · 2025"]


def test_many_areas_at_once_shows_every_demo_area_and_withholds_a_small_group():
    from storage import create_group, list_areas

    at = open_page(PAGE)
    button(at, "Load the demo data (fictional areas)").click()
    rerun_on(at, PAGE)
    engine = make_engine(os.environ["DATABASE_URL"])
    demo = sorted(
        (a for a in list_areas(engine) if a.name.startswith("Demo:")), key=lambda a: a.name
    )
    create_group(engine, ADMIN, "Four of them", [a.id for a in demo[:4]])
    create_group(engine, ADMIN, "Five of them", [a.id for a in demo[:5]])
    at.radio[0].set_value("Many areas at once (up to 500)")
    rerun_on(at, PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert "Many areas at once" in [s.value for s in at.subheader]
    assert not at.multiselect  # no side-by-side chooser here
    kind = next(s for s in at.selectbox if s.label == "Kind of result")
    assert kind.options[0].endswith("(7 areas)")
    mark = next(s for s in at.selectbox if s.label == "Mark this area")
    mark.set_value(demo[0].name)
    rerun_on(at, PAGE)
    chart = pio.from_json(at.get("plotly_chart")[0].proto.spec)
    names = [t.name for t in chart.data]
    assert literal(demo[0].name) in names or demo[0].name in names
    dots = next(t for t in chart.data if t.name == "Each area")
    assert len(array_of(dots.x)) > 7 * 20  # every area on every dimension it scored

    def pick(name: str) -> list[str]:
        group = next(s for s in at.selectbox if s.label.startswith("and this comparison group"))
        group.select_index(group.options.index(name))
        rerun_on(at, PAGE)
        return [str(t.name) for t in pio.from_json(at.get("plotly_chart")[0].proto.spec).data]

    assert not any(n.startswith("Four of them") for n in pick("Four of them"))
    assert any("withheld" in i.value for i in at.info)
    assert any(n.startswith("Five of them: median of 5 areas") for n in pick("Five of them"))
    assert not any("withheld" in i.value for i in at.info)
