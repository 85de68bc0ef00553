"""The comparison report: every section, user text escaped, nothing fetched, a chosen
comparison group's median; and its exports (the long CSV with differences, the workbook)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest

from reports.compare import (
    COMPARE_SECTIONS,
    CSV_COLUMNS,
    GROUP_SECTION,
    GROUP_TOO_FEW,
    ChosenGroup,
    comparison_csv,
    comparison_frame,
    comparison_workbook,
    render_comparison_report,
)
from reports.meta import ReportMeta
from scoring.comparison.results import (
    GROUP_COLUMNS,
    AssessmentInfo,
    Change,
    Comparison,
    change_over_time,
    compare,
)
from scoring.intervals import LARGER
from tests.unit.reports.factories import HOSTILE, MARKDOWN
from tests.unit.reports.test_html import URL_ATTRIBUTES, Page
from tests.unit.scoring.factories import frame, make_bank

BANK = make_bank({"P1": {"p1a": 1}, "P2": {"p2a": 1}, "T1": {"t1a": 1}})
HOSTILE_LABEL = f"Westbury {HOSTILE}"
FORMULA_LABEL = "=1+1"
LEFT_OUT = (f"Question p9 {HOSTILE} was asked only in the 2025 bank, so it was left out.",)
META = ReportMeta(
    title=f"Neighbours {MARKDOWN}",
    area_name=f"Borsetshire {HOSTILE}",
    area_kind="partnership",
    ons_code=None,
    form_title="Full",
    assessment_date=None,
    generated_at=datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
    n_respondents=20,
    bank_title="Test bank",
    bank_version="1",
    bank_hash="abc",
)


def flat(level: int, n: int, prefix: str) -> pd.DataFrame:
    return frame((f"{prefix}{i}", q, level) for i in range(n) for q in ("p1a", "p2a", "t1a"))


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare(
        BANK,
        {"Low": flat(2, 8, "l"), HOSTILE_LABEL: flat(4, 8, "h"), FORMULA_LABEL: flat(3, 4, "f")},
        n_boot=100,
        info={
            "Low": AssessmentInfo("Lowton", date(2026, 3, 15)),
            HOSTILE_LABEL: AssessmentInfo(f"Area {HOSTILE}"),
        },
    )


@pytest.fixture(scope="module")
def change() -> Change:
    return change_over_time(BANK, {"2024": flat(2, 6, "p"), "2026": flat(3, 6, "p")}, n_boot=100)


@pytest.fixture(scope="module")
def html(comparison: Comparison, change: Change) -> str:
    return render_comparison_report(META, BANK, comparison, change, LEFT_OUT)


def test_every_section_is_there_in_order(html: str) -> None:
    page = Page(html)
    assert set(COMPARE_SECTIONS) <= page.ids
    positions = [html.index(f'<section id="{s}"') for s in COMPARE_SECTIONS]
    assert positions == sorted(positions)


def test_labels_area_names_and_left_out_text_are_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    visible = Page(html).visible
    assert HOSTILE_LABEL in visible
    assert f"Area {HOSTILE}" in visible  # an assessment's area
    assert f"Borsetshire {HOSTILE}" in visible  # the report's area
    assert LEFT_OUT[0] in visible
    assert f"Neighbours {MARKDOWN}" in visible


def test_nothing_is_loaded_and_only_plotly_scripts_run(html: str) -> None:
    page = Page(html)
    # plotly.js, then the criteria's radar, the heatmap and the change chart (the themes are
    # in the heatmap: the report's body stays four pages).
    assert len(page.scripts) == 1 + 3
    assert all("src" not in attrs for attrs in page.scripts)
    for tag, attrs in page.tags:
        for name in URL_ATTRIBUTES & set(attrs):
            value = attrs[name] or ""
            assert not re.match(r"\s*https?:", value, re.IGNORECASE), (tag, name, value)
            assert value.startswith(("#", "data:")), (tag, name, value)


def test_the_report_says_what_it_found(html: str) -> None:
    visible = Page(html).visible
    assert f"Larger than the noise, {HOSTILE_LABEL} against Low" in visible
    assert "No interval for =1+1 on any dimension" in visible
    assert "Moved by more than the noise from 2024 to 2026" in visible
    assert "2.0 [2.0–2.0], n = 8" in visible  # a radar table cell
    assert "3.0, n = 4" in visible  # n too small: no interval
    assert "15 March 2026" in visible
    assert "percentile bootstrap" in visible


def test_without_a_change_or_anything_left_out_the_sections_say_so(
    comparison: Comparison,
) -> None:
    visible = Page(render_comparison_report(META, BANK, comparison)).visible
    assert "No change over time is shown" in visible
    assert "Nothing was left out" in visible


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_csv_has_every_score_with_its_difference(comparison: Comparison) -> None:
    data = comparison_csv(comparison)
    rows = read_csv(data)
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(comparison.table) == 9
    low = rows[0]
    assert (low["label"], low["area"], low["assessed_on"]) == ("Low", "Lowton", "2026-03-15")
    assert (low["dimension"], low["n"], low["median"], low["verdict"]) == (
        "P1",
        "8",
        "2.0",
        "reference",
    )
    assert low["difference"] == ""
    high = rows[3]
    assert high["label"] == HOSTILE_LABEL
    # By hand: eight 4s against eight 2s on every dimension.
    assert (high["median_reference"], high["difference"], high["verdict"]) == ("2.0", "2.0", LARGER)
    assert (high["difference_low"], high["difference_high"]) == ("2.0", "2.0")
    few = rows[6]
    assert few["label"] == "'=1+1"  # a formula made literal
    assert few["interval"] == "n too small to tell"
    assert (few["low"], few["difference"]) == ("", "1.0")


def test_negative_differences_stay_numbers(comparison: Comparison) -> None:
    turned = compare(BANK, {"High": flat(4, 6, "h"), "Low": flat(2, 6, "l")}, n_boot=20)
    rows = read_csv(comparison_csv(turned))
    assert [r["difference"] for r in rows[3:]] == ["-2.0"] * 3
    assert rows[3]["difference_low"] == "-2.0"


def test_comparison_frame_rounds_like_the_command_line() -> None:
    thirds = make_bank({"P1": {"a": 1, "b": 1, "c": 1}})
    # One respondent answers 1, 1, 2: a score of 4/3, written with four decimals.
    one = frame([("r", "a", 1), ("r", "b", 1), ("r", "c", 2)])
    c = compare(thirds, {"A": one, "B": one.copy()}, n_boot=30)
    table = comparison_frame(c)
    assert table["median"].tolist() == [1.3333, 1.3333]
    assert table["difference"].tolist()[1] == 0.0
    assert pd.isna(table["n_reference"].iloc[0])
    assert table["n_reference"].iloc[1] == 1


def test_the_workbook_has_summary_scores_and_change(comparison: Comparison, change: Change) -> None:
    book = openpyxl.load_workbook(io.BytesIO(comparison_workbook(META, comparison, change)))
    assert book.sheetnames == ["Summary", "Scores", "Change", "Steps"]
    scores = list(book["Scores"].values)
    assert list(scores[0]) == list(CSV_COLUMNS)
    assert len(scores) == 1 + 9
    assert scores[7][0] == FORMULA_LABEL  # a text cell, never a formula
    assert book["Scores"].cell(row=8, column=1).data_type == "s"
    summary = [row[2] for row in book["Summary"].values]
    assert comparison.sentences[0] in summary
    assert change.sentences[0] in summary
    plain = openpyxl.load_workbook(io.BytesIO(comparison_workbook(META, comparison)))
    assert plain.sheetnames == ["Summary", "Scores"]


# ---------------------------------------------------------------- a comparison group

GROUP_NAME = f"Neighbours {HOSTILE}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
#: The areas' levels (every answer alike): the members' median is 3 (all six: 2.5).
LEVELS = (1, 2, 4, 5, 3, 2)
AREAS = tuple(f"Area {i}" for i in range(1, 7))


@pytest.fixture(scope="module")
def six() -> Comparison:
    answers = {a: flat(lv, 5, f"a{i}") for i, (a, lv) in enumerate(zip(AREAS, LEVELS, strict=True))}
    return compare(BANK, answers, n_boot=20)


def test_a_chosen_group_has_its_section_numbers_and_radar(six: Comparison) -> None:
    group = ChosenGroup(GROUP_NAME, AREAS[:5])
    html = render_comparison_report(META, BANK, six, group=group)
    page = Page(html)
    assert GROUP_SECTION in page.ids
    section = html[html.index(f'<section id="{GROUP_SECTION}"') :]
    section = section[: section.index("</section>")]
    visible = Page(section).visible
    assert f"Comparison group: {GROUP_NAME}" in visible
    assert all(area in visible for area in AREAS[:5])
    assert "Group median" in visible
    assert visible.count("3.0, median of 5 areas") == 3  # P1, P2 and T1
    assert "2.5" not in visible  # the median of all six is not the group's
    assert GROUP_TOO_FEW not in page.visible
    # plotly.js, the criteria's radar, the heatmap, and the group's radar.
    assert len(page.scripts) == 1 + 2 + 1
    plain = render_comparison_report(META, BANK, six)
    assert f'<section id="{GROUP_SECTION}"' not in plain
    assert "median of 5 areas" not in plain
    assert len(Page(plain).scripts) == 1 + 2


def test_with_fewer_than_five_members_the_report_says_why(six: Comparison) -> None:
    html = render_comparison_report(META, BANK, six, group=ChosenGroup("Few", AREAS[:4]))
    page = Page(html)
    assert GROUP_SECTION in page.ids
    assert GROUP_TOO_FEW in page.visible
    assert "Group median" not in page.visible  # no table of the group's median
    assert len(page.scripts) == 1 + 2  # no group radar


def test_a_hostile_group_name_appears_only_escaped(six: Comparison) -> None:
    html = render_comparison_report(META, BANK, six, group=ChosenGroup(GROUP_NAME, AREAS[:5]))
    assert "<script>alert(1)" not in html
    assert ESCAPED in html
    visible = Page(html).visible
    assert f"Comparison group: {GROUP_NAME}" in visible  # the heading and the contents
    assert visible.count(GROUP_NAME) >= 3  # and the table captions


def test_the_workbook_adds_the_group_and_its_median(six: Comparison) -> None:
    group = ChosenGroup(FORMULA_LABEL, AREAS[:5])
    book = openpyxl.load_workbook(io.BytesIO(comparison_workbook(META, six, None, group)))
    assert book.sheetnames == ["Summary", "Scores", "Group"]
    rows = list(book["Group"].values)
    assert rows[0] == GROUP_COLUMNS
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [
        ("P1", 5, 3.0),
        ("P2", 5, 3.0),
        ("T1", 5, 3.0),
    ]
    summary = [row[1:] for row in book["Summary"].values if row[0] == "Group"]
    assert summary[0] == ("Name", FORMULA_LABEL)
    assert summary[1:] == [(f"Member {i}", f"Area {i}") for i in range(1, 6)]
    name = next(c for c in book["Summary"]["C"] if c.value == FORMULA_LABEL)
    assert name.data_type == "s"  # text, never a formula
    few = comparison_workbook(META, six, None, ChosenGroup("Few", AREAS[:4]))
    few_book = openpyxl.load_workbook(io.BytesIO(few))
    assert few_book.sheetnames == ["Summary", "Scores"]
    assert ["Group", "Median", GROUP_TOO_FEW] in [list(r) for r in few_book["Summary"].values]


def realistic_comparison(areas: int):
    """``areas`` areas on the shipped full form, seven people each, and the first one a
    year earlier too (a change over time), as the demo data would give them."""
    import random

    from tests.unit.reports.factories import shipped

    bank, _ = shipped()
    rng = random.Random(20101201)
    questions = [q.id for q in bank.form_questions("full")]

    def people(base: int, prefix: str) -> pd.DataFrame:
        return frame(
            (f"{prefix}{i}", q, min(5, max(1, base + rng.choice((-1, 0, 0, 1)))))
            for i in range(7)
            for q in questions
        )

    by_label = {f"Area {a} Council · 2026-03-15": people(2 + a % 3, f"a{a}-") for a in range(areas)}
    earlier = {"Area 0 Council · 2025-03-15": people(2, "b0-")}
    info = {label: AssessmentInfo(label.split(" · ")[0]) for label in [*by_label, *earlier]}
    comparison = compare(bank, by_label | earlier, n_boot=200, info=info)
    first = {**earlier, "Area 0 Council · 2026-03-15": by_label["Area 0 Council · 2026-03-15"]}
    change = change_over_time(bank, first, n_boot=200, info=info)
    return bank, comparison, change


@pytest.mark.parametrize("areas", [2, 4, 7])
def test_the_report_prints_its_body_in_four_pages_at_most_then_the_appendix(areas: int) -> None:
    """Issue 17: the comparison report's body (before its appendix) is three or four A4 pages,
    overlaid radars for three assessments or small multiples for eight, with a change over
    time; every table is in the appendix, which starts on a page of its own."""
    from reports.compare_sections import APPENDIX, comparison_sections
    from reports.html import render_sections
    from reports.pdf import html_to_pdf
    from tests.support.machine import require_browser

    chromium = require_browser()
    bank, comparison, change = realistic_comparison(areas)
    sections = comparison_sections(bank, comparison, change)
    ids = [s.id for s in sections]
    body = sections[: ids.index(APPENDIX)]

    def pages(chosen) -> int:
        html = render_sections(META, chosen, kicker="Ladder comparison report")
        return len(re.findall(rb"/Type\s*/Page\b(?!s)", html_to_pdf(html, chromium=chromium)))

    before = pages(body)
    assert 3 <= before <= 4, before
    assert pages(sections) > before  # the appendix follows on pages of its own
    shown = render_sections(META, body, kicker="x").split("</header>", 1)[-1]
    assert shown.count("<table") == 1  # the list of what is compared; the numbers: appendix
