"""The self-assessment journey in AppTest: start, answer, resume, finish, results, essays."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from questions import load_instrument
from tests.app.conftest import as_read, button, open_page, rerun_on, start
from ui.text import literal

BANK, CORPUS = load_instrument().bank, load_instrument().corpus
SURVEY = "app_pages/survey.py"


def _answer_step(at: AppTest, level: str) -> None:
    for i in range(len(at.radio)):  # elements go stale after a run: look each one up afresh
        at.radio[i].set_value(level)
        rerun_on(at, SURVEY)


def test_every_page_opens_without_answers():
    for page in ("app_pages/home.py", "app_pages/start.py", "app_pages/essays.py"):
        at = open_page(page)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
    method = open_page("app_pages/method.py")
    assert method.markdown[0].value.startswith("# How Ladder works")
    for page in (SURVEY, "app_pages/results.py"):
        at = open_page(page)
        assert not at.exception
        assert any("Start a self-assessment" in i.value for i in at.info), page


def test_the_quick_check_from_start_to_results():
    at = open_page("app_pages/start.py")
    token = start(at)
    assert len(token) == 22
    rerun_on(at, SURVEY)
    steps = BANK.form("quick").dimensions
    for i, dim in enumerate(steps):
        assert at.title[0].value.startswith(dim), at.title[0].value
        assert f"Step {i + 1} of {len(steps)}" in at.get("progress")[0].proto.text
        _answer_step(at, "2" if dim in ("P3", "P4") else "4")
        if dim == "P4":
            next(s for s in at.selectbox if "12 months" in s.label).set_value(4)
            next(c for c in at.checkbox if "priorities" in c.label).check()
            rerun_on(at, SURVEY)
        if i < len(steps) - 1:
            button(at, "Next").click()
            rerun_on(at, SURVEY)
    button(at, "Finish and see results").click()
    rerun_on(at, SURVEY)
    at = open_page("app_pages/results.py", r=token)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Results: Calderdale Council"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Typical level (median of dimensions)"] == "4.0 · Embedded"
    assert metrics["Weakest dimension"] == "2.0 · Emerging"
    text = " ".join(m.value for m in at.markdown)
    assert "1. P4" in text  # the only dimension with a target and the priority flag
    assert any("submitted" in c.value for c in at.caption)
    # Advice tied to the level reached: P4 stands at 2, so level 3 of each of its questions
    climb = next(e for e in at.expander if "What level 3 · Developing asks" in e.label)
    climb_text = " ".join(m.value for m in climb.markdown)
    for q in BANK.questions_in("P4"):
        assert literal(q.descriptor(3)) in climb_text
    quote = BANK.dimension("P4").quote
    assert quote is not None
    assert any(literal(quote.text) in c.value for c in at.caption)


def test_a_new_session_with_the_token_resumes_every_answer_and_the_step():
    at = open_page("app_pages/start.py")
    token = start(at)
    rerun_on(at, SURVEY)
    _answer_step(at, "3")
    button(at, "Next").click()
    rerun_on(at, SURVEY)
    at.radio[1].set_value("dk")
    rerun_on(at, SURVEY)
    again = open_page(SURVEY, r=token)  # a refresh or a new tab: nothing but the URL
    assert again.title[0].value.startswith("P2")
    assert [r.value for r in again.radio][:2] == [None, "dk"]
    button(again, "Back").click()
    rerun_on(again, SURVEY)
    assert [r.value for r in again.radio] == ["3", "3", "3"]


def test_mistakes_on_the_start_page_are_named_and_nothing_is_started():
    at = open_page("app_pages/start.py")
    assert start(at, name="   ") == ""
    assert "Name of the area" in at.error[0].value
    assert start(at, name="Leeds", ons="E0800003X") == ""
    assert "ONS code" in at.error[0].value
    fields = {t.label: t for t in at.text_input}
    fields["Resume code"].input("not a code")
    button(at, "Resume").click()
    rerun_on(at, "app_pages/start.py")
    assert "does not match" in at.error[0].value
    assert not at.exception


def test_hostile_evidence_stays_text():
    hostile = "<script>alert(1)</script> [x](javascript:alert(1))"
    at = open_page("app_pages/start.py")
    token = start(at, name="<b>Bold</b> council")
    rerun_on(at, SURVEY)
    at.radio[0].set_value("5")
    rerun_on(at, SURVEY)
    next(t for t in at.text_area if t.label.startswith("Evidence")).input(hostile)
    rerun_on(at, SURVEY)
    again = open_page(SURVEY, r=token)
    assert next(t for t in again.text_area if t.label.startswith("Evidence")).value == hostile
    results = open_page("app_pages/results.py", r=token)
    assert results.title[0].value == f"Results: {literal('<b>Bold</b> council')}"  # as typed
    assert not results.exception


def test_an_essay_page_lists_its_questions_and_the_visitors_scores():
    at = open_page("app_pages/start.py")
    token = start(at)
    rerun_on(at, SURVEY)
    _answer_step(at, "4")  # P1
    essay = open_page("app_pages/essays.py", essay="introduction", r=token)
    assert not essay.exception
    assert as_read(essay.title[0].value) == CORPUS.essay("introduction").title
    labels = [as_read(e.label) for e in essay.expander]
    assert any(label.startswith("P1 ") and "your score 4.0" in label for label in labels)
    missing = open_page("app_pages/essays.py", essay="nobody")
    assert "not in the corpus" in missing.warning[0].value


def scroll_scripts(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "scrollTop" in h.proto.body]


def test_self_assessment_steps_keep_looking_ahead_and_labels_carry_no_codes():
    at = open_page("app_pages/start.py")
    start(at)
    rerun_on(at, SURVEY)
    assert any(m.value.startswith("**Looking ahead: ") for m in at.markdown)
    assert [s.label for s in at.selectbox if "in 12 months" in s.label]
    assert [c.label for c in at.checkbox if "one of our priorities" in c.label]
    confidence = [b.label for b in at.get("button_group")]
    assert confidence == ["How sure are you of this answer?"] * len(BANK.questions_in("P1"))
    assert {t.label for t in at.text_area} == {"Evidence"}


def test_the_page_goes_back_to_the_top_only_when_the_step_changes():
    at = open_page("app_pages/start.py")
    start(at)
    rerun_on(at, SURVEY)
    assert not scroll_scripts(at)
    at.radio[0].set_value("3")
    rerun_on(at, SURVEY)
    assert not scroll_scripts(at)  # answering keeps the person where they are
    button(at, "Next").click()
    rerun_on(at, SURVEY)
    assert at.title[0].value.startswith("P2")
    first = scroll_scripts(at)
    assert len(first) == 1
    assert "data-move" in first[0]
    assert "P2" not in first[0]  # fixed text: no bank text
    at.radio[0].set_value("2")
    rerun_on(at, SURVEY)
    assert not scroll_scripts(at)
    button(at, "Back").click()
    rerun_on(at, SURVEY)
    assert at.title[0].value.startswith("P1")
    second = scroll_scripts(at)
    assert len(second) == 1
    assert second != first  # new to the browser, so it runs again
