"""bench/load_participants.py: the load script itself works and counts honestly.

A small run (three participants) through a real server on SQLite and on PostgreSQL
keeps the script from rotting between the occasions it is run at full size; the figures
it prints are not judged here (docs/deploy.md quotes a 50-participant run).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bench.load_participants import BANK, Tally, asked, lost_count
from tests.support.server import ROOT

PARTICIPANTS = 3
#: The quick form's questions each participant can judge (their role takes turns).
ANSWERS = sum(asked(BANK.roles[n % len(BANK.roles)].id) for n in range(PARTICIPANTS))


def run_script(*extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "bench/load_participants.py", "--participants", str(PARTICIPANTS),
         "--ramp", "0.1", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def figure(output: str, label: str) -> str:
    match = re.search(rf"^\s+{label}\s+(.+)$", output, re.MULTILINE)
    assert match, f"no {label!r} line in:\n{output}"
    return match.group(1).strip()


def check(output: str) -> None:
    answers = ANSWERS
    assert figure(output, "answers confirmed") == f"{answers} of {answers}"
    assert figure(output, "answers stored") == f"{answers} (confirmed {answers})"
    assert figure(output, "submissions stored") == f"{PARTICIPANTS} (confirmed {PARTICIPANTS})"
    assert figure(output, "lost") == "0"
    assert figure(output, "errors") == "0"
    assert re.match(r"p50 \d+ ms\s+p95 \d+ ms", figure(output, r"latency answer->shown"))
    assert re.match(r"p50 \d+ ms\s+p95 \d+ ms", figure(output, "dashboard refresh"))
    said = f"Round 1: {PARTICIPANTS} people have answered so far."
    assert figure(output, "dashboard said") == f"**{said}**"
    assert re.search(rf"{PARTICIPANTS} sessions open \d+ MB", figure(output, "server RSS"))


def test_three_participants_on_sqlite() -> None:
    output = run_script()
    assert "SQLite" in output.splitlines()[0]
    check(output)


@pytest.mark.postgres
def test_three_participants_on_postgres(fresh_postgres_url: str) -> None:
    output = run_script("--database-url", fresh_postgres_url)
    assert "PostgreSQL" in output.splitlines()[0]
    check(output)


def test_lost_counts_only_what_was_confirmed() -> None:
    tally = Tally(confirmed=36, submitted=2)
    assert lost_count(tally, given=36, sent=2) == 0
    assert lost_count(tally, given=35, sent=2) == 1
    assert lost_count(tally, given=36, sent=1) == 1
    assert lost_count(tally, given=40, sent=3) == 0  # more stored than confirmed is no loss


def test_guessers_load_a_second_run_and_are_reported() -> None:
    """``--guessers``: an unloaded run, then a loaded one while sessions guess keys."""
    output = run_script("--guessers", "2")
    check(output)
    said = figure(output, "guessers")
    assert said.startswith("2 sessions on the participants workshop")
    assert re.search(r"\d+ wrong key", said)
    assert re.match(
        r"\d+ ms\s+loaded \d+ ms\s+\(\d+\.\d\d x\)", figure(output, "answer p95 unloaded")
    )
