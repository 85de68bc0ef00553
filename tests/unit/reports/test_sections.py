"""Self-assessment sections: what the report says, as data, before any HTML."""

from __future__ import annotations

import pandas as pd

from reports.blocks import BLANK, Callouts, Chart, EssayList, Facts, Paragraphs, Priorities, Table
from reports.sections import (
    LEVEL_MEANINGS,
    charts_sections,
    dimensions_section,
    essay_anchors,
    essays_section,
    headline_section,
    method_section,
    pages_text,
    priorities_section,
    self_assessment_sections,
)
from scoring.assessment.results import build_results
from tests.unit.reports.factories import (
    CORPUS,
    HOSTILE,
    MARKDOWN,
    SECTIONS,
    full_answers,
    quick_answers,
    shipped,
    small_answers,
    small_bank,
    small_plan,
    small_results,
)


def test_the_report_runs_in_reading_order() -> None:
    sections = self_assessment_sections(small_results(), CORPUS, small_answers(), small_bank())
    assert tuple(s.id for s in sections) == SECTIONS
    assert [s.id for s in sections if s.new_page] == ["essays"]


def test_the_action_plan_follows_the_priorities_when_there_is_one() -> None:
    """Issue 17: the report carries the plan, right after the priorities; none, no section."""
    sections = self_assessment_sections(
        small_results(), CORPUS, small_answers(), small_bank(), small_plan()
    )
    ids = [s.id for s in sections]
    assert ids[ids.index("priorities") + 1] == "plan"
    plan = sections[ids.index("plan")]
    said, table = plan.blocks
    assert isinstance(said, Paragraphs)
    assert said.texts == ("Agreed at this assessment: 1 planned.",)
    assert isinstance(table, Table)
    assert [row[2] for row in table.rows] == [f"Map spend {HOSTILE}", "Train ward councillors"]
    assert [row[6] for row in table.rows] == ["Planned", "Under way"]


def test_headline_is_two_figures_and_the_summary() -> None:
    results = small_results()
    section = headline_section(results)
    callouts, paragraphs = section.blocks
    assert isinstance(callouts, Callouts)
    median, weakest = callouts.items
    assert (median.label, median.value) == ("Median of the dimension scores", "3.0 Developing")
    assert median.detail == "3 of 3 dimensions scored; 2 respondents"
    assert (weakest.label, weakest.value) == (
        "Weakest dimension",
        f"Risk {HOSTILE} {MARKDOWN} (P1)",
    )
    assert weakest.detail == "2.0 Emerging"
    assert isinstance(paragraphs, Paragraphs)
    assert paragraphs.texts == results.summary


def test_headline_names_every_tied_weakest_and_copes_with_no_score() -> None:
    bank, corpus = shipped()
    flat = pd.DataFrame(
        [("R1", q.id, "3") for q in bank.form_questions("quick")],
        columns=["respondent_id", "question_id", "answer"],
    )
    tied = headline_section(build_results(bank, corpus, flat)).blocks[0]
    assert isinstance(tied, Callouts)
    assert tied.items[1].label == "Weakest dimensions (tied)"
    assert tied.items[1].value.count("(P") == 6
    blank = flat.assign(answer="dk")
    nothing = headline_section(build_results(bank, corpus, blank)).blocks[0]
    assert isinstance(nothing, Callouts)
    assert [c.value for c in nothing.items] == ["No score yet", BLANK]


def test_priorities_carry_why_steps_and_essays_pointing_at_the_appendix() -> None:
    results = small_results()
    anchors = essay_anchors(results.priorities)
    assert anchors == {"intro": "essay-1"}
    block = priorities_section(results.priorities, CORPUS, anchors, small_bank()).blocks[0]
    assert isinstance(block, Priorities)
    first = block.cards[0]
    assert (first.rank, first.title) == (1, f"Risk {HOSTILE} {MARKDOWN} (P1)")
    assert first.score == "Score 2.0 (Emerging), n = 2"
    assert first.why == results.priorities[0].why
    assert first.next_steps == (MARKDOWN, "Plain step.")
    assert first.climb_heading == "What level 3 (Developing) asks"
    assert first.climb == tuple(
        f"{r.question_id}: {r.descriptor}" for r in results.priorities[0].climb
    )
    assert len(first.climb) == len(small_bank().questions_in("P1"))
    (ref,) = first.essays
    assert (ref.anchor, ref.pages, ref.reason) == (
        "essay-1",
        "pages 6–9",
        "p1a and p1b draw on page 6; the summary of P1 rests on it.",
    )
    appendix = essays_section(results.priorities, CORPUS, anchors).blocks[0]
    assert isinstance(appendix, EssayList)
    (entry,) = appendix.entries
    assert (entry.anchor, entry.title, entry.pages) == ("essay-1", f"Intro {HOSTILE}", "pages 6–9")
    assert entry.cited_for.startswith(f"Cited for Risk {HOSTILE}")


def test_pages_text() -> None:
    assert pages_text(CORPUS, "intro") == "pages 6–9"
    assert pages_text(CORPUS, "later") == "page 10"  # the last essay, built without a last page


def test_each_chart_is_followed_by_its_table() -> None:
    bank, corpus = shipped()
    results = build_results(bank, corpus, full_answers(bank))
    sections = charts_sections(results)
    assert [s.id for s in sections] == ["criteria", "themes", "heatmap"]
    charts = [b for s in sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) == 3
    criteria, themes, heat = charts
    assert criteria.table is not None
    assert [r[0] for r in criteria.table.rows] == [c.id for c in bank.criteria]
    assert themes.table is not None
    assert len(themes.table.rows) == len(bank.themes)
    assert "Reach" in themes.table.columns  # the chart draws reach, so the table shows it
    assert heat.table is not None
    assert heat.table.columns == ("Theme", *(c.id for c in bank.criteria))
    assert heat.table.rows[0][0].endswith("(T1)")


def test_quick_form_has_only_the_criteria_chart() -> None:
    bank, corpus = shipped()
    results = build_results(bank, corpus, quick_answers(bank))
    (section,) = charts_sections(results)
    assert section.id == "criteria"
    assert isinstance(section.blocks[1], Paragraphs)
    assert "No themes were asked" in section.blocks[1].texts[0]


def test_dimension_tables_leave_out_what_was_never_set() -> None:
    section = dimensions_section(small_results())
    criteria, themes = section.blocks
    assert isinstance(criteria, Table)
    assert isinstance(themes, Table)
    assert criteria.columns == ("ID", "Dimension", "Score", "Level", "n", "Coverage %")
    assert [r[0] for r in criteria.rows] == ["P1", "P2"]
    assert criteria.rows[0][2:] == ("2.0", "Emerging", "2", "100 %")
    assert "Not shown, as nothing was set: Target, Gap, Priority, Reach and Reach gap." in (
        themes.note
    )


def test_dimension_tables_show_targets_when_set() -> None:
    plans = pd.DataFrame(
        [("R1", "P1", 4, True)], columns=["respondent_id", "dimension_id", "target", "priority"]
    )
    results = build_results(small_bank(), CORPUS, small_answers(), plans)
    criteria = dimensions_section(results).blocks[0]
    assert isinstance(criteria, Table)
    assert criteria.columns == (
        "ID",
        "Dimension",
        "Score",
        "Level",
        "n",
        "Coverage %",
        "Target",
        "Gap",
        "Priority",
    )
    assert criteria.rows[0][6:] == ("4.0", "2.0", "Yes")


def test_method_note_lists_the_scale_and_the_rules() -> None:
    bank, _ = shipped()
    facts, words = method_section(bank.scale).blocks
    assert isinstance(facts, Facts)
    assert facts.items[0] == ("1 Not yet", LEVEL_MEANINGS[1])
    assert [label for label, _ in facts.items[5:]] == ["Don't know", "Not applicable"]
    assert isinstance(words, Paragraphs)
    text = " ".join(words.texts)
    for rule in ("at least half", "median", "halves rounding up", "never added", "method.md"):
        assert rule in text
