"""The shipped instrument keeps the promises the method and the issue make about it.

Why: the bank and corpus are data that people edit. These tests keep the
edited files true to the design: every essay is used, every citation lands
inside its essay, every dimension can explain itself, and the quick check stays
quick.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from questions.instrument import load_instrument
from questions.links import essays_behind
from questions.survey import minutes

#: The pamphlet's contents page: corpus id -> first page.
CONTENTS = {
    "foreword": 4,
    "introduction": 6,
    "eaton": 8,
    "adebowale": 11,
    "burgess": 14,
    "coughlin": 16,
    "brennan": 19,
    "jones": 22,
    "cruddas": 25,
    "whittaker": 28,
    "nevison": 31,
    "blume": 34,
    "king": 37,
    "mughal": 40,
    "mcneill": 42,
    "kemp": 45,
}
ROLES = {
    "councillor",
    "senior_officer",
    "service_manager",
    "frontline",
    "partner",
    "vcfs",
    "resident",
    "other",
}
#: The pamphlet's last printed page at most; the closing essay runs no further.
LAST_PAGE = 48


@pytest.fixture(scope="module")
def shipped():
    instrument = load_instrument(strict=True)
    assert instrument.ok, "\n".join(i.format() for i in instrument.issues)
    return instrument


@pytest.fixture(scope="module")
def bank(shipped):
    return shipped.bank


@pytest.fixture(scope="module")
def corpus(shipped):
    return shipped.corpus


def test_the_shipped_instrument_checks_clean_in_strict_mode(shipped):
    assert shipped.issues == ()


def test_the_corpus_has_every_entry_of_the_contents_at_its_page(corpus):
    assert {e.id: e.page for e in corpus.essays} == CONTENTS


def test_every_corpus_entry_is_complete(corpus):
    for e in corpus.essays:
        assert e.author, e.id
        assert e.role, e.id
        assert e.title, e.id
        assert 3 <= len(e.key_points) <= 6, e.id
        assert e.examples, f"{e.id} reports no concrete examples"
        assert e.themes or e.criteria, f"{e.id} feeds no dimension"
        assert len(e.quotes) <= 2, e.id
        for q in e.quotes:
            assert len(q.text.split()) <= 12, (e.id, q.text)
            start, end = corpus.pages(e.id)
            assert start <= q.page <= (end or LAST_PAGE), (e.id, q.page)


def test_six_criteria_with_three_or_four_questions_each(bank):
    assert [c.id for c in bank.criteria] == [f"P{i}" for i in range(1, 7)]
    for c in bank.criteria:
        assert 3 <= len(bank.questions_in(c.id)) <= 4, c.id
        assert all(q.criterion == c.id for q in bank.questions_in(c.id))


def test_about_sixteen_themes_with_two_to_four_questions_each(bank):
    """Two to four questions on what is in place (design.md), besides any equity question,
    which is shown as reach beside the theme and never scored into it."""
    assert 14 <= len(bank.themes) <= 18
    for t in bank.themes:
        in_place = [q for q in bank.questions_in(t.id) if not q.equity]
        assert 2 <= len(in_place) <= 4, t.id
        assert t.strand, t.id


def test_every_theme_question_carries_a_criterion_and_every_criterion_is_exercised(bank):
    tags = Counter(q.criterion for t in bank.themes for q in bank.questions_in(t.id))
    assert set(tags) <= {c.id for c in bank.criteria}
    for c in bank.criteria:
        assert tags[c.id] >= 4, f"{c.id} is exercised by only {tags[c.id]} theme questions"


def test_every_dimension_has_a_summary_essays_and_next_steps(bank, corpus):
    for d in bank.dimensions:
        assert len(d.summary.split()) >= 25, d.id
        assert d.essays, d.id
        assert set(d.essays) <= set(corpus.ids), d.id
        assert len(d.next_steps) >= 2, d.id


def test_every_essay_is_cited_by_at_least_two_questions(bank, corpus):
    per_question = Counter(e for q in bank.questions for e in {c.essay for c in q.essays})
    assert set(per_question) <= set(corpus.ids)
    for essay in corpus.ids:
        assert per_question[essay] >= 2, f"{essay} is cited by {per_question[essay]} questions"


def test_every_citation_lands_inside_its_essay(bank, corpus):
    for q in bank.questions:
        assert q.essays, q.id
        for c in q.essays:
            start, end = corpus.pages(c.essay)
            assert start <= c.page <= (end or LAST_PAGE), (q.id, c)


def test_every_question_is_complete_and_its_levels_differ(bank):
    for q in bank.questions:
        assert q.text.strip(), q.id
        assert q.evidence.strip(), q.id
        assert len(set(q.levels)) == 5, f"{q.id} repeats a level descriptor"
        # short is fine ("Several services have done so."): each level adds one thing
        assert all(len(level.split()) >= 4 for level in q.levels), q.id


def test_results_can_name_the_essays_behind_every_dimension_and_why(bank, corpus):
    for d in bank.dimensions:
        links = essays_behind(bank, corpus, d.id)
        assert links, d.id
        assert any(link.questions for link in links), f"no question of {d.id} cites an essay"
        assert all(link.reason.endswith(".") for link in links)


def test_equity_items_sit_in_most_themes(bank):
    with_equity = {q.dimension for q in bank.questions if q.equity}
    assert with_equity <= {t.id for t in bank.themes}, "equity items belong to themes"
    assert len(with_equity) >= len(bank.themes) // 2


def test_roles_are_the_eight_the_design_names(bank):
    assert {r.id for r in bank.roles} == ROLES


def test_forms_quick_full_and_one_module_per_strand(bank):
    criteria = [c.id for c in bank.criteria]
    assert list(bank.form("quick").dimensions) == criteria
    assert list(bank.form("full").dimensions) == [d.id for d in bank.dimensions]
    strands = {t.strand for t in bank.themes}
    modules = [f for f in bank.forms if f.module]
    assert len(modules) == len(strands)
    for m in modules:
        (strand,) = {bank.dimension(d).strand for d in m.dimensions}
        assert sorted(m.dimensions) == sorted(t.id for t in bank.themes if t.strand == strand)


def test_the_quick_check_says_an_honest_time_of_under_a_quarter_of_an_hour(bank):
    """Issue 16: 1.0 said nine minutes for 18 questions of ~137 words each (nearer 15)."""
    assert 10 <= minutes(bank, "quick") <= 15, f"{len(bank.form_questions('quick'))} questions"


CASES = Path(__file__).resolve().parents[3] / "docs" / "cases"


def _ratings(name: str) -> dict[tuple[str, str], str]:
    with (CASES / name).open(encoding="utf-8") as f:
        return {(r["case"], r["question_id"]): r["level"] for r in csv.DictReader(f)}


def _agree(a: str, b: str) -> bool:
    """Within one level; "dk" and "na" agree only with the same answer."""
    return a == b or (a.isdigit() and b.isdigit() and abs(int(a) - int(b)) <= 1)


def test_two_raters_agree_on_the_cases(bank):
    """Issue 16: two raters, each with only the bank and a case, agree on the exact level for
    at least 70 % of items and within one level for 95 % (docs/method.md gives the figures).
    The ratings name the bank's questions: change the bank and the study must be run again."""
    a, b = _ratings("ratings-rater-a.csv"), _ratings("ratings-rater-b.csv")
    full = {q.id for q in bank.form_questions("full")}
    assert set(a) == set(b) == {(c, q) for c in ("1", "2", "3") for q in full}
    exact = sum(a[k] == b[k] for k in a) / len(a)
    near = sum(_agree(a[k], b[k]) for k in a) / len(a)
    assert exact >= 0.70, exact
    assert near >= 0.95, near


def test_the_questions_2_0_1_changed_were_rated_again_and_agree(bank):
    """The 13 questions whose levels changed in 2.0.1, rated again on the same cases by two
    new raters (docs/method.md, "Bank 2.0.1, rated again")."""
    a, b = _ratings("ratings-2.0.1-rater-a.csv"), _ratings("ratings-2.0.1-rater-b.csv")
    changed = {"P3.3", "P3.4", "P4.1", "P4.3", "P5.1", "P5.2", "P5.3", "P6.3", "P6.4", "P6.5"}
    changed |= {"T8.2", "T12.1", "T12.2"}
    assert set(a) == set(b) == {(c, q) for c in ("1", "2", "3") for q in changed}
    assert changed <= {q.id for q in bank.form_questions("full")}
    assert sum(a[k] == b[k] for k in a) / len(a) >= 0.70
    assert sum(_agree(a[k], b[k]) for k in a) / len(a) >= 0.95
    assert a[("2", "T12.1")] == b[("2", "T12.1")] == "1"  # the 2.0.0 disagreement, resolved
