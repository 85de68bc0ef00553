import datetime as dt

import pytest

from common.fields import Reader, describe
from common.yamlfile import parse_yaml


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "empty"),
        (True, "yes/no value true"),
        (3, "number 3"),
        ("x", "text"),
        ("  ", "blank text"),
        ([], "a list"),
        ({}, "a mapping"),
        (dt.date(2010, 12, 1), "date 2010-12-01"),
    ],
)
def test_describe_reads_like_a_person(value, words):
    assert words in describe(value)


def _node(text: str):
    doc, _ = parse_yaml(text.encode(), "f.yaml")
    return doc.data


def test_reader_collects_unknown_missing_and_wrong_types_in_one_pass():
    r = Reader("f.yaml")
    node = r.mapping(
        _node("naem: x\ncount: many\nflag: 2\n"),
        "thing",
        required=("name", "count"),
        optional=("flag",),
    )
    assert r.number(node, "count", "thing") is None
    assert r.flag(node, "flag", "thing") is None
    assert [(i.code, i.line) for i in r.issues] == [("E201", 1), ("E203", 2), ("E203", 3)]
    assert "did you mean 'name'" in r.issues[0].message


def test_ids_written_as_numbers_are_text_but_names_are_not():
    r = Reader("f.yaml")
    node = _node("id: 7\nname: 7\n")
    assert r.text(node, "id", "") == "7"
    assert r.text(node, "name", "") is None
    assert r.issues[0].code == "E203"
    assert "quotes" in r.issues[0].fix


def test_numbers_must_be_positive():
    r = Reader("f.yaml")
    assert r.number(_node("weight: 0\n"), "weight", "") is None
    assert r.issues[0].code == "E204"
