from common.fields import Reader
from common.yamlfile import parse_yaml
from questions.parts import Placed, questions


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
