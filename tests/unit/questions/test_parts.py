from common.fields import Reader
from common.yamlfile import parse_yaml
from questions.parts import Placed, questions
from tests.unit.questions.conftest import MINI_BANK, codes, line_of


def test_placed_finds_nested_lines_and_raw_fields():
    doc, _ = parse_yaml(b"- id: Q1\n  dimension: P1\n  essays:\n    - {id: a, page: 6}\n", "f")
    r = Reader("f")
    (p,) = questions(r, doc.data, 1)
    assert isinstance(p, Placed)
    assert p.value is None
    assert p.id == "Q1"
    assert p.raw("dimension") == "P1"
    assert p.raw("missing") is None
    assert p.line_at("essays", 0, "id") == 4
    assert p.line_at("nope") == p.line == 1
    assert {i.code for i in r.issues} == {"E202"}


# --- Bank 2.0: what to look for, who can judge it, the criteria's own words -------------


def test_look_for_lines_are_keyed_by_a_level_or_two_adjacent_levels(check) -> None:
    q = check().bank.question("P1.1")
    assert q.look_for_at(2) == "A pilot plan."
    assert q.look_for_at(3) == q.look_for_at(4) == "Service plans."
    assert q.look_for_at(1) is None
    bad = MINI_BANK.replace("3-4: Service plans.", "2-4: Service plans.", 1)
    result = check(bank=bad)
    assert "E204" in codes(result)
    assert "'2-4': that is not a level, or two adjacent levels" in result.issues[0].message


def test_answerable_by_names_the_bank_s_roles(check) -> None:
    bank = MINI_BANK.replace(
        "    evidence: A business case.",
        "    answerable_by: [officer]\n    evidence: A business case.",
        1,
    )
    q = check(bank=bank).bank.question("P1.1")
    assert q.answerable_by == ("officer",)
    assert q.answerable("officer")
    assert not q.answerable("resident")
    assert check().bank.question("P1.1").answerable("resident")  # not said: everyone
    wrong = bank.replace("answerable_by: [officer]", "answerable_by: [oficer]")
    result = check(bank=wrong)
    assert codes(result) == ["E312"]
    assert "(did you mean 'officer'?)" in result.issues[0].message
    assert result.issues[0].line == line_of(wrong, "answerable_by")


def test_a_criterion_quotes_the_introduction_within_its_pages(check) -> None:
    quoted = MINI_BANK.replace(
        "    next_steps: [Do one thing.]",
        '    next_steps: [Do one thing.]\n    quote: {text: "a short phrase", id: intro, page: 6}',
        1,
    )
    dim = check(bank=quoted).bank.dimension("P1")
    assert dim.quote is not None
    assert (dim.quote.text, dim.quote.page) == ("a short phrase", 6)
    outside = quoted.replace('phrase", id: intro, page: 6}', 'phrase", id: intro, page: 9}')
    assert codes(check(bank=outside)) == ["W410"]
    long = quoted.replace('"a short phrase"', '"' + "word " * 13 + '"')
    assert codes(check(bank=long)) == ["W404"]


def test_a_theme_says_what_a_council_looks_to_today_and_items_can_be_ours(check) -> None:
    bank = MINI_BANK.replace(
        "    strand: empowering",
        '    strand: empowering\n    today: "As at 2026, the Localism Act 2011."',
        1,
    ).replace("    equity: true", "    equity: true\n    our_addition: true", 1)
    result = check(bank=bank)
    assert codes(result) == []
    assert result.bank.dimension("T1").today == "As at 2026, the Localism Act 2011."
    assert result.bank.question("T1.2").our_addition
    assert not result.bank.question("T1.1").our_addition
