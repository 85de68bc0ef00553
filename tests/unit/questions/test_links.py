"""Which essays stand behind a dimension, and the sentence that says why."""

from __future__ import annotations

from dataclasses import replace

from corpus.model import Corpus, Essay
from questions.links import dimensions_drawing_on, essays_behind, questions_citing
from questions.model import Citation
from tests.unit.scoring.factories import make_bank


def _essay(essay_id: str, page: int) -> Essay:
    return Essay(essay_id, f"Title {essay_id}", "Author", page, "s", ("k",), ("e",), (), ())


CORPUS = Corpus((_essay("intro", 6), _essay("eaton", 8), _essay("kemp", 45)))


def _bank():
    """P1: p1a cites intro 6; p1b cites eaton 8 and 9; p1c cites eaton 9 and intro 7.

    T1 names kemp in its summary but no question cites it.
    """
    bank = make_bank({"P1": {"p1a": 1, "p1b": 1, "p1c": 1}, "T1": {"t1a": 1}})
    cites = {
        "p1a": (Citation("intro", 6),),
        "p1b": (Citation("eaton", 8), Citation("eaton", 9)),
        "p1c": (Citation("eaton", 9), Citation("intro", 7)),
        "t1a": (Citation("intro", 6),),
    }
    questions = tuple(replace(q, essays=cites[q.id]) for q in bank.questions)
    themes = (replace(bank.themes[0], essays=("kemp",)),)
    return replace(bank, questions=questions, themes=themes)


def test_every_essay_a_dimension_names_or_cites_is_linked_most_cited_first():
    links = essays_behind(_bank(), CORPUS, "P1")
    # P1 names intro (the factory's default); eaton and intro are each cited by two questions,
    # so the named essay keeps its place ahead of the one only its questions cite.
    assert [link.essay.id for link in links] == ["intro", "eaton"]
    intro, eaton = links
    assert intro.questions == ("p1a", "p1c")
    assert intro.pages == (6, 7)
    assert intro.named is True
    assert eaton.questions == ("p1b", "p1c")
    assert eaton.pages == (8, 9)
    assert eaton.named is False


def test_the_reason_names_the_questions_and_pages():
    intro, eaton = essays_behind(_bank(), CORPUS, "P1")
    assert intro.reason == "p1a and p1c draw on pages 6 and 7; the summary of P1 rests on it."
    assert eaton.reason == "p1b and p1c draw on pages 8 and 9."


def test_an_essay_only_named_by_the_dimension_is_still_linked():
    (kemp,) = essays_behind(_bank(), CORPUS, "T1")[-1:]
    assert kemp.essay.id == "kemp"
    assert kemp.questions == ()
    assert kemp.reason == "The summary of T1 rests on it."


def test_one_question_one_page_reads_in_the_singular():
    links = essays_behind(_bank(), CORPUS, "T1")
    intro = next(link for link in links if link.essay.id == "intro")
    assert intro.reason == "t1a draws on page 6."


def test_essays_missing_from_the_corpus_are_left_out():
    bank = _bank()
    questions = (replace(bank.questions[0], essays=(Citation("ghost", 3),)), *bank.questions[1:])
    links = essays_behind(replace(bank, questions=questions), CORPUS, "P1")
    assert "ghost" not in [link.essay.id for link in links]


def test_questions_and_dimensions_drawing_on_an_essay():
    bank = _bank()
    assert [q.id for q in questions_citing(bank, "eaton")] == ["p1b", "p1c"]
    assert [d.id for d in dimensions_drawing_on(bank, "kemp")] == ["T1"]
    assert [d.id for d in dimensions_drawing_on(bank, "intro")] == ["P1", "T1"]
    assert dimensions_drawing_on(bank, "nobody") == ()
