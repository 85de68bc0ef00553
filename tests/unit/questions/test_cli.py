"""``python -m questions check``: exit codes, the one-line format, and a golden message file."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import ROOT, run_module

GOLDEN = Path(__file__).with_name("golden")
LINE = re.compile(r"^[^:\s]+\.yaml:\d+: [EW]\d{3} .+\.$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_module("questions", *args, cwd=cwd, timeout=60)


def test_the_shipped_bank_passes_strict():
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("OK:")


def test_a_broken_bank_matches_the_golden_messages():
    result = run("check", "broken.yaml", "--corpus", "essays.yaml", cwd=GOLDEN)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    expected = GOLDEN / "broken.txt"
    if os.environ.get("LADDER_UPDATE_GOLDEN"):
        expected.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected.read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr
    assert "5 errors and 1 warning" in result.stderr


def test_warnings_fail_only_in_strict_mode(tmp_path: Path):
    bank = (GOLDEN / "essays.yaml").read_text()
    corpus = tmp_path / "essays.yaml"
    corpus.write_text(bank.replace('text: "a short phrase"', 'text: "' + "word " * 13 + '"'))
    from tests.unit.questions.conftest import MINI_BANK

    (tmp_path / "bank.yaml").write_text(MINI_BANK)
    relaxed = run("check", "bank.yaml", "essays.yaml", cwd=tmp_path)
    strict = run("check", "--strict", "bank.yaml", "essays.yaml", cwd=tmp_path)
    assert relaxed.returncode == 0
    assert "W404" in relaxed.stdout
    assert strict.returncode == 1
    assert "W404" in strict.stdout


@pytest.mark.parametrize(
    "args",
    [(), ("nonsense",), ("check", "--no-such-flag")],
)
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\xff\x00", b"- just\n- a list\n", b"bank: [\n", "caf\u00e9: [".encode("latin-1")],
)
def test_hostile_files_exit_1_without_traceback(tmp_path: Path, content: bytes):
    (tmp_path / "bad.yaml").write_bytes(content)
    result = run("check", str(tmp_path / "bad.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert all(LINE.match(line) for line in result.stdout.splitlines())
    assert "bad.yaml:" in result.stdout


def test_a_missing_file_is_reported(tmp_path: Path):
    result = run("check", str(tmp_path / "missing.yaml"))
    assert result.returncode == 1
    assert "E101" in result.stdout
    assert "no such file" in result.stdout


@pytest.mark.timeout(60)
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_gets_one_line_not_a_memory_error():
    result = run("check", "/dev/zero")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "/dev/zero:1: E101 cannot read the file: it is not a regular file (it is a device, "
        "pipe or socket). Please either check the path and spelling, or save the file as "
        "UTF-8 text."
    ]


@pytest.mark.timeout(30)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path):
    os.mkfifo(tmp_path / "bank.yaml")
    result = run_module("questions", "check", str(tmp_path / "bank.yaml"), timeout=20)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stdout.splitlines()
    assert line.endswith(
        "bank.yaml:1: E101 cannot read the file: it is not a regular file "
        "(it is a device, pipe or socket). Please either check the path and "
        "spelling, or save the file as UTF-8 text."
    )
