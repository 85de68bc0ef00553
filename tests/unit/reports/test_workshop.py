"""The workshop report: every section, k respected, user text escaped, nothing fetched;
and its exports (answers CSV with pseudonyms, workbook)."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest

from common.columns import STORED_COLUMNS
from questions.model import Bank, Role
from reports.meta import ReportMeta
from reports.workshop import (
    WORKSHOP_SECTIONS,
    render_workshop_report,
    workshop_answers_csv,
    workshop_sections,
    workshop_workbook,
)
from scoring.answers import parse_answers
from tests.unit.reports.factories import CORPUS, HOSTILE, MARKDOWN, small_bank
from tests.unit.reports.test_html import URL_ATTRIBUTES, Page

BANK = replace(
    small_bank(),
    roles=(
        Role("councillor", "Councillor"),
        Role("resident", "Resident"),
        Role("partner", "Partner agency"),
    ),
)
DIMS = ("P1", "P2", "T1")
ROLES = ("councillor", "resident", "partner")
AGREEMENTS = (
    {
        "round": 2,
        "dimension_id": "P1",
        "level": 3,
        "status": "agreed",
        "note": f"Agreed after a long talk {HOSTILE}",
        "dissent": "",
    },
    {
        "round": 2,
        "dimension_id": "P2",
        "level": None,
        "status": "uncertain",
        "note": f"Two camps {MARKDOWN}",
        "dissent": f"Residents disagree {HOSTILE}",
    },
)


def workshop_answers(second_round: bool = True, people: int = 6) -> pd.DataFrame:
    """Three councillors, three residents (and in round 2 a partner, fewer than k).

    Round 1: p1a is polarised (1,1,1,5,5,5); round 2 it is 3,3,3,3,4,4 (consensus), and
    p2a, consensus in round 1, is polarised in round 2 (1,1 against 5,5,5, and a dk).
    """
    rows = []
    roles = ["councillor"] * 3 + ["resident"] * 3
    first = {"p1a": [1, 1, 1, 5, 5, 5], "p1b": [2, 2, 2, 3, 3, 3], "p2a": [3, 3, 3, 4, 4, 4]}
    second = {"p1a": [3, 3, 3, 3, 4, 4], "p1b": [2, 2, 3, 3, 3, 4], "p2a": [1, "dk", 1, 5, 5, 5]}
    for r, columns in ((1, first), (2, second)) if second_round else ((1, first),):
        for i in range(people):
            for q, values in columns.items():
                evidence = f"=1+1 {HOSTILE}" if (i, q) == (0, "p1a") else None
                rows.append((f"P{i + 1}", q, str(values[i]), roles[i], r, None, evidence, None))
        if r == 2:
            rows.append(("P7", "p1a", "5", "partner", 2, None, None, None))
    return pd.DataFrame(rows, columns=list(STORED_COLUMNS))


META = ReportMeta(
    title=f"Workshop {MARKDOWN}",
    area_name=f"Borsetshire {HOSTILE}",
    area_kind="council",
    ons_code=None,
    form_title="Full",
    assessment_date=date(2026, 11, 25),
    generated_at=datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
    n_respondents=7,
    bank_title="Test bank",
    bank_version="1",
    bank_hash="abc",
)


def render(answers: pd.DataFrame, rounds=(1, 2), k: int = 3) -> str:
    return render_workshop_report(META, BANK, CORPUS, answers, DIMS, ROLES, k, AGREEMENTS, rounds)


@pytest.fixture(scope="module")
def html() -> str:
    return render(workshop_answers())


def test_every_section_is_there_in_order(html: str) -> None:
    found = re.findall(r'<section id="([^"]+)"', html)
    assert tuple(found) == WORKSHOP_SECTIONS
    titles = [
        s.title
        for s in workshop_sections(
            BANK, CORPUS, workshop_answers(), DIMS, ROLES, 3, AGREEMENTS, (1, 2)
        )
    ]
    assert titles == [
        "The room",
        "Agreed levels",
        "Between rounds",
        "Where we split",
        "How roles see it",
        "Appendix: the numbers",
        "Appendix: \u201cdon\u2019t know\u201d hot spots",
        "Appendix: how the figures are made",
        "Essays behind these dimensions",
    ]


def test_user_text_in_notes_and_dissent_is_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    visible = Page(html).visible
    assert f"Agreed after a long talk {HOSTILE}" in visible
    assert f"Dissent: Residents disagree {HOSTILE}" in visible
    assert f"Two camps {MARKDOWN}" in visible  # Markdown shown as typed, never a link
    assert f"Risk {HOSTILE} {MARKDOWN}" in visible  # a dimension name from the bank
    assert f"Borsetshire {HOSTILE}" in visible


def test_nothing_is_fetched_and_only_plotly_runs(html: str) -> None:
    page = Page(html)
    # plotly.js, then one bootstrap per chart: the dot plots of the criteria and the themes.
    assert len(page.scripts) == 1 + 2
    assert all("src" not in attrs for attrs in page.scripts)
    for tag, attrs in page.tags:
        for name in URL_ATTRIBUTES & set(attrs):
            value = attrs[name] or ""
            assert not value.lower().startswith(("http:", "https:", "//")), (tag, name, value)
            assert value.startswith(("#", "data:")), (tag, name, value)
    assert not [t for t, _ in page.tags if t in {"link", "iframe", "object", "embed", "base"}]


def test_the_report_shows_the_last_round_and_what_moved(html: str) -> None:
    visible = Page(html).visible
    assert "7 people answered round 2 (Councillor 3, Resident 3, Partner agency 1)" in visible
    # p1a was polarised in round 1 and consensus in round 2.
    assert "One split closed (split, now agreed): p1a" in visible
    assert "One split opened (agreed, now split): p2a" in visible
    assert "Where we split: how many chose each level" in visible
    assert "What moved from round 1 to round 2" in visible
    # The partner (one person) is counted but never shown as a role.
    assert "Not shown as a role, as fewer than 3 people gave levels: Partner agency." in visible
    assert "Partner agency</th>" not in html


def test_agreed_levels_keep_uncertain_and_dissent(html: str) -> None:
    visible = Page(html).visible
    assert "Round 2: the room and the levels it agreed" in visible
    assert "3 Developing" in visible
    assert "Uncertain" in visible
    # each note under its dimension, with what was recorded, as typed
    assert f"P1 Risk {HOSTILE} {MARKDOWN}: agreed at 3 Developing in round 2" in visible
    assert "P2 Dimension P2: uncertain in round 2" in visible


def test_below_k_every_section_waits_and_no_chart_is_drawn() -> None:
    html = render(workshop_answers(second_round=False, people=2), rounds=(1,))
    assert tuple(re.findall(r'<section id="([^"]+)"', html)) == WORKSHOP_SECTIONS
    assert "<script" not in html
    visible = Page(html).visible
    assert "1 more is needed" in visible
    assert "Only round 1 was held" in visible
    assert "Councillor 2" in visible  # counts are always shown


def test_answers_csv_keeps_pseudonyms_and_guards_formulas() -> None:
    answers = workshop_answers()
    data = workshop_answers_csv(answers)
    back = parse_answers(data, "workshop.csv")
    assert sorted(set(back["respondent_id"])) == [f"P{i}" for i in range(1, 8)]
    assert len(back) == len(answers)
    assert f"'=1+1 {HOSTILE}" in data.decode("utf-8-sig")


def test_workbook_has_summary_dimensions_agreed_levels_and_answers() -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(
            workshop_workbook(META, BANK, workshop_answers(), DIMS, ROLES, 3, AGREEMENTS, (1, 2))
        )
    )
    assert book.sheetnames == ["Summary", "Dimensions", "Agreed levels", "Answers"]
    dims = list(book["Dimensions"].values)
    assert dims[0][:3] == ("round", "dimension", "name")
    assert [r[1] for r in dims[1:]] == ["P1", "P2", "T1", "P1", "P2", "T1"]
    agreed = list(book["Agreed levels"].values)
    header = agreed[0]
    p2 = dict(zip(header, agreed[2], strict=True))
    assert (p2["status"], p2["uncertain"], p2["dissent"]) == (
        "uncertain",
        True,
        f"Residents disagree {HOSTILE}",
    )
    answers = list(book["Answers"].values)
    assert answers[0] == STORED_COLUMNS
    assert answers[1][0] == "P1"
    summary = [r[2] for r in book["Summary"].values]
    assert any("moved" in str(s) for s in summary)


# --- From the room's views: dates not times, no role under k, the pool ------------------


def timed(answers: pd.DataFrame) -> pd.DataFrame:
    stamp = pd.Timestamp("2026-11-25T10:17:43.123456", tz="UTC")
    return answers.assign(submitted_at=[stamp] * len(answers))


def test_answer_rows_carry_dates_not_times() -> None:
    text = workshop_answers_csv(timed(workshop_answers())).decode("utf-8-sig")
    assert ",2026-11-25\r\n" in text
    assert "10:17" not in text
    book = openpyxl.load_workbook(
        io.BytesIO(
            workshop_workbook(
                META,
                BANK,
                workshop_answers(),
                DIMS,
                ROLES,
                3,
                AGREEMENTS,
                (1, 2),
                export=timed(workshop_answers(second_round=False)),
            )
        )
    )
    rows = list(book["Answers"].values)[1:]
    assert {r[4] for r in rows} == {"1"}  # the export's rows, not the scored ones
    assert {r[7] for r in rows} == {"2026-11-25"}


def test_a_report_from_the_room_views_pools_small_roles() -> None:
    from common.scopes import OTHER_ROLES

    answers = workshop_answers(second_round=False)
    pooled = answers.assign(role=["councillor"] * 9 + [OTHER_ROLES] * 9)
    html = render_workshop_report(
        META,
        BANK,
        CORPUS,
        answers,
        DIMS,
        ROLES,
        3,
        AGREEMENTS,
        (1,),
        role_answers=pooled,
        sent={1: 8},
    )
    visible = Page(html).visible
    assert "Other roles" in visible
    assert "Resident 3" not in visible  # the residents appear only inside the pool
    assert "8 people answered round 1 (Councillor 3, Other roles 3)" in visible
    assert "Rounds held 1 round 1 " in visible


def test_a_round_with_no_view_has_no_figures() -> None:
    empty = workshop_answers().iloc[0:0]
    html = render_workshop_report(
        META,
        BANK,
        CORPUS,
        empty,
        DIMS,
        ROLES,
        3,
        AGREEMENTS,
        (1,),
        role_answers=empty,
        sent={1: 2},
    )
    visible = Page(html).visible
    assert "1 more is needed" in visible
    assert "Each role's middle level, round" not in visible
    assert "<script" not in html


def test_the_report_and_workbook_say_which_consensus_rule_classed_the_questions() -> None:
    """The rule chosen for the workshop decides the classes and is named in words, in the
    report beside the splits and on the workbook's summary sheet."""
    from html import unescape

    from scoring.consensus import RULES, rule_sentence

    answers = workshop_answers()
    for rule in ("iqr", "rand-ucla"):
        html = render_workshop_report(
            META, BANK, CORPUS, answers, DIMS, ROLES, 3, AGREEMENTS, (1, 2), rule=rule
        )
        assert rule_sentence(rule) in unescape(html)
        book = openpyxl.load_workbook(
            io.BytesIO(
                workshop_workbook(
                    META, BANK, answers, DIMS, ROLES, 3, AGREEMENTS, (1, 2), rule=rule
                )
            )
        )
        rows = {r[1]: r[2] for r in book["Summary"].values}
        assert rows["Consensus rule"] == rule_sentence(rule)
        assert RULES[rule].title in rows["Consensus rule"]


#: What no report body may say (issue 15): the statistician's names, and "n =".
JARGON = re.compile(r"rwg|ad_md|\bq1\b|\bq3\b|n =|polaris|consensus", re.IGNORECASE)


def test_the_report_speaks_plainly(html: str) -> None:
    visible = Page(html).visible
    assert not JARGON.findall(visible), sorted(set(JARGON.findall(visible)))
    assert "Two camps" in visible
    assert "Agreement index" in visible  # the numbers are there, in the appendix, named plainly


def test_report_made_is_when_it_was_made_and_files_name_the_workshop() -> None:
    from datetime import UTC, date, datetime

    from reports.meta import ReportMeta, report_filename

    made = datetime(2026, 12, 6, 14, 5, tzinfo=UTC)
    meta = ReportMeta(
        "Workshop: Leadership team", "Borsetshire", "council", None, "Quick check",
        date(2026, 11, 20), made, 7, "Ladder bank", "1.0", "abc",
        file_label="workshop Leadership team / <b> round 2",
    )  # fmt: skip
    assert dict(meta.facts())["Report made"] == "6 December 2026, 14:05 UTC"
    assert report_filename(meta, "pdf") == (
        "ladder-workshop-leadership-team-b-round-2-2026-11-20.pdf"
    )


def test_the_body_has_the_splits_and_roles_and_the_appendix_the_numbers(html: str) -> None:
    """The body says what the room found, in words and short tables; the statistics behind
    the words are in the appendix."""
    body, appendix = html.split('<section id="agreement"', 1)
    for caption in ("Where we split: how many chose each level", "A level apart", "Middle half"):
        assert caption in Page(body).visible
    for caption in ("Agreement by dimension: the numbers", "Agreement index"):
        assert caption not in Page(body).visible
        assert caption in Page(appendix).visible


def a_realistic_room(bank: Bank) -> tuple[pd.DataFrame, tuple[dict[str, object], ...]]:
    """Twelve people in three roles on the quick form over two rounds, one question in three
    splitting the room, and an agreed level with a note on every dimension (one uncertain,
    with dissent): the workshop the report is sized for."""
    chance = random.Random(15)
    questions = [q.id for q in bank.form_questions("quick")]
    base = {q: chance.choice([2, 3, 3, 4]) for q in questions}
    roles = ("councillor", "senior_officer", "resident")
    rows = []
    for r in (1, 2):
        for p in range(12):
            for i, q in enumerate(questions):
                step = chance.choice([-2, 2] if i % 3 == 0 else [-1, 0, 0, 0, 1])
                level = min(5, max(1, base[q] + step))
                rows.append((f"P{p + 1}", q, str(level), roles[p % 3], r, None, None, None))
    dims = bank.form("quick").dimensions
    agreements = tuple(
        {
            "round": 2,
            "dimension_id": d,
            "level": None if i == 0 else 3,
            "status": "uncertain" if i == 0 else "agreed",
            "note": "We agreed after hearing from the residents' panel and two service leads.",
            "dissent": "Residents see less of this than officers do." if i == 0 else "",
        }
        for i, d in enumerate(dims)
    )
    return pd.DataFrame(rows, columns=list(STORED_COLUMNS)), agreements


def test_a_realistic_workshop_prints_in_about_five_pages() -> None:
    """Issue 15: the report of a twelve-person, two-round room on the quick form prints in
    about five A4 pages, appendix and essays included (it was fifteen)."""
    from reports.pdf import html_to_pdf
    from tests.support.machine import require_browser
    from tests.unit.reports.factories import shipped

    chromium = require_browser()
    bank, corpus = shipped()
    answers, agreements = a_realistic_room(bank)
    roles = ("councillor", "senior_officer", "resident")
    dims = bank.form("quick").dimensions
    html = render_workshop_report(META, bank, corpus, answers, dims, roles, 3, agreements, (1, 2))
    visible = Page(html).visible
    assert "Residents see less of this than officers do." in visible
    pdf = html_to_pdf(html, chromium=chromium)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 3 <= pages <= 6, pages


def test_the_rooms_action_plan_follows_its_agreed_levels_in_report_and_workbook() -> None:
    """Issue 17: the report and the workbook carry what the room agreed to do; typed text
    shown as typed (escaped), and the section absent when nothing was agreed."""
    from tests.unit.reports.factories import small_plan

    plan = small_plan()
    html = render_workshop_report(
        META, BANK, CORPUS, workshop_answers(), DIMS, ROLES, 3, AGREEMENTS, (1, 2), plan=plan
    )
    page = Page(html)
    ids = [i for i in ("agreed", "plan", "rounds") if f'<section id="{i}"' in html]
    assert ids == ["agreed", "plan", "rounds"]
    assert html.index('<section id="plan"') < html.index('<section id="rounds"')
    assert "from the levels the room agreed" in page.visible
    assert f"Map spend {HOSTILE}" in page.visible
    without = render(workshop_answers())
    assert len(page.scripts) == len(Page(without).scripts)  # typed text ran nothing
    assert '<section id="plan"' not in without
    book = openpyxl.load_workbook(
        io.BytesIO(
            workshop_workbook(
                META, BANK, workshop_answers(), DIMS, ROLES, 3, AGREEMENTS, (1, 2), plan=plan
            )
        )
    )
    assert book.sheetnames[-1] == "Actions"
    rows = list(book["Actions"].values)
    assert f"Map spend {HOSTILE}" in rows[1]
    from storage import Plan

    none_yet = Plan(2, (), (), (), frozenset())  # a room that agreed nothing: no sheet
    empty = workshop_workbook(
        META, BANK, workshop_answers(), DIMS, ROLES, 3, AGREEMENTS, (1, 2), plan=none_yet
    )
    assert "Actions" not in openpyxl.load_workbook(io.BytesIO(empty)).sheetnames
