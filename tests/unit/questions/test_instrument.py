"""Loading the bank and corpus together, and the shipped instrument itself."""

from __future__ import annotations

from questions import load_instrument
from tests.unit.questions.conftest import MINI_BANK, MINI_CORPUS, codes, line_of


def test_the_shipped_instrument_loads_strictly():
    result = load_instrument(strict=True)
    assert result.ok, [i.format() for i in result.issues]
    assert {d.id for d in result.bank.criteria} == {f"P{n}" for n in range(1, 7)}
    cited = {c.essay for q in result.bank.questions for c in q.essays}
    assert cited <= set(result.corpus.ids)


def test_every_shipped_question_has_five_distinct_descriptors_and_a_citation():
    bank = load_instrument().bank
    for q in bank.questions:
        assert len({d.casefold() for d in q.levels}) == 5, q.id
        assert q.essays, q.id
        assert q.evidence, q.id


def test_content_hash_ignores_comments_and_order_but_not_wording(check):
    base = check().bank.content_hash
    commented = "# edited by the policy team\n" + MINI_BANK.replace("roles:", "roles:  # who")
    assert check(commented).bank.content_hash == base
    reworded = MINI_BANK.replace("We redesign whole services.", "We redesign every service.")
    assert check(reworded).bank.content_hash != base


def test_corpus_entries_must_name_real_dimensions(check):
    corpus = MINI_CORPUS.replace("themes: [T1]", "themes: [T1, T8]", 1)
    result = check(corpus=corpus)
    issue = next(i for i in result.issues if i.code == "E301")
    assert issue.file.endswith("essays.yaml")
    assert issue.line == line_of(corpus, "- id: intro")
    assert not result.ok


def test_an_essay_nobody_cites_is_a_warning(check):
    extra = MINI_CORPUS.split("essays:\n", 1)[1].split("  - id: second")[0]
    moved = extra.replace("page: 6", "page: 12").replace("last_page: 7", "last_page: 13")
    corpus = MINI_CORPUS + moved.replace("id: intro", "id: unused")
    result = check(corpus=corpus)
    assert codes(result) == ["W408"]
    assert result.ok
    assert not check(corpus=corpus, strict=True).ok


def test_a_broken_corpus_does_not_flood_the_bank_with_echoes(check):
    result = check(corpus="essays: [\n")
    assert result.corpus is None
    assert not result.ok
    assert codes(result) == ["E102"]
