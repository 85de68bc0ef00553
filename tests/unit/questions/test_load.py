"""The safe YAML reader: lines kept, tags refused, nothing constructed, never raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from questions.load import LDict, LList, parse_yaml, read_yaml


def test_lines_are_kept_for_keys_and_items():
    doc, issues = parse_yaml(b"a: 1\nb:\n  - x\n  - y\nc:\n  d: e\n", "f.yaml")
    assert issues == []
    data = doc.data
    assert isinstance(data, LDict)
    assert isinstance(data["b"], LList)
    assert data.lines == {"a": 1, "b": 2, "c": 5}
    assert data["b"].lines == [3, 4]
    assert data["c"].lines == {"d": 6}


def test_python_tags_are_refused_and_never_constructed(tmp_path: Path):
    marker = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.system ['touch {marker}']\nb: ok\n"
    doc, issues = parse_yaml(text.encode(), "f.yaml")
    assert [(i.code, i.line) for i in issues] == [("E103", 1)]
    assert "!!python/object/apply:os.system" in issues[0].message
    assert doc.data["a"] is None
    assert doc.data["b"] == "ok"
    assert not marker.exists()


def test_custom_tags_are_refused():
    _, issues = parse_yaml(b"a: !secret value\n", "f.yaml")
    assert [i.code for i in issues] == ["E103"]


def test_a_key_given_twice_is_reported_not_overwritten():
    doc, issues = parse_yaml(b"a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [(i.code, i.line) for i in issues] == [("E106", 3)]
    assert "first on line 1" in issues[0].message
    assert doc.data["a"] == 1


def test_alias_bombs_are_stopped():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    _, issues = parse_yaml("\n".join(lines).encode(), "f.yaml")
    assert [i.code for i in issues] == ["E107"]


def test_recursive_alias_is_stopped():
    _, issues = parse_yaml(b"a: &a [*a]\n", "f.yaml")
    assert [i.code for i in issues] == ["E107"]


@pytest.mark.parametrize(
    ("raw", "code", "line", "words"),
    [
        (b"", "E104", 0, "empty"),
        (b"a: 1\nb: [\n", "E102", 3, "not valid YAML"),
        (b"a: 1\nb: caf\xe9\n", "E101", 2, "not UTF-8"),
        (b"\x00\x01binary", "E101", 0, "binary"),
        (b"a: 1\n---\nb: 2\n", "E102", 2, "single document"),
    ],
)
def test_unreadable_content_becomes_one_issue(raw, code, line, words):
    doc, issues = parse_yaml(raw, "f.yaml")
    assert doc is None
    assert [(i.code, i.line) for i in issues] == [(code, line)]
    assert words in issues[0].message


def test_a_bom_is_accepted():
    doc, issues = parse_yaml("\ufeffa: 1\n".encode(), "f.yaml")
    assert issues == []
    assert doc.data == {"a": 1}


def test_a_missing_file_is_an_issue(tmp_path: Path):
    doc, issues = read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert doc is None
    assert issues[0].code == "E101"
    assert issues[0].file == "nope.yaml"
