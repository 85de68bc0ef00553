"""The safe YAML reader: lines kept, tags refused, nothing constructed, never raises."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import common.yamlfile
from common.catalogue import FILE_UNREADABLE, TOO_LARGE
from common.yamlfile import LDict, LList, parse_yaml, read_yaml


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


# --- What is actually read: regular files only, never more than the limit plus one byte


@pytest.mark.timeout(10)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "bank.yaml"
    os.mkfifo(fifo)
    doc, issues = read_yaml(fifo, "bank.yaml")
    assert doc is None
    assert [(i.code, i.file) for i in issues] == [(FILE_UNREADABLE.code, "bank.yaml")]
    assert "not a regular file" in issues[0].message


@pytest.mark.timeout(10)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_without_reading_it():
    doc, issues = read_yaml("/dev/zero")
    assert doc is None
    assert [i.code for i in issues] == [FILE_UNREADABLE.code]
    assert "not a regular file" in issues[0].message


def test_a_folder_is_refused(tmp_path: Path):
    doc, issues = read_yaml(tmp_path, "banks")
    assert doc is None
    assert [i.code for i in issues] == [FILE_UNREADABLE.code]
    assert "a folder, not a file" in issues[0].message


@pytest.mark.timeout(10)
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_the_limit_counts_bytes_read_not_the_size_the_file_claims(
    monkeypatch: pytest.MonkeyPatch,
):
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0  # it claims 0 bytes ...
    assert len(status.read_bytes()) > 100  # ... but has more
    monkeypatch.setattr(common.yamlfile, "MAX_FILE_BYTES", 100)
    doc, issues = read_yaml(status, "status.yaml")
    assert doc is None
    assert [i.code for i in issues] == [TOO_LARGE.code]
    assert "the file is at least 101 bytes" in issues[0].message


def test_the_read_stops_one_byte_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "bank.yaml"
    path.write_bytes(b"a: 1\n")
    sizes: list[int] = []
    real_fdopen = os.fdopen

    class Counted:
        def __init__(self, file: io.BufferedReader) -> None:
            self.file = file

        def __enter__(self) -> Counted:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def read(self, size: int = -1) -> bytes:
            sizes.append(size)
            return self.file.read(size)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Counted(real_fdopen(*a, **k)))
    doc, issues = read_yaml(path, "bank.yaml")
    assert (doc.data, issues) == ({"a": 1}, [])
    assert sizes == [common.yamlfile.MAX_FILE_BYTES + 1]
