"""``python -m storage``: deletes and exports from the shell, with one-line refusals."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from storage.cli import main
from storage.model import Area, Assessment, Workshop
from storage.repo import get_assessment, start_response
from storage.rooms import get_workshop


@pytest.fixture(autouse=True)
def the_database(monkeypatch: pytest.MonkeyPatch, db_url: str, engine: Engine) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_delete_a_workshop(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop, key = opened
    code, out, err = run("delete-workshop", workshop.join_code.lower(), "--key", key)
    assert code == 0
    assert out == ""
    assert err.startswith(f"Deleted workshop {workshop.join_code} (Leadership team, March)")
    assert get_workshop(engine, workshop.id) is None


def test_delete_a_workshop_refused(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop, key = opened
    code, _, err = run("delete-workshop", workshop.join_code, "--key", "WRONG-KEY")
    assert code == 1
    assert err == (
        "delete-workshop: that is not this workshop's facilitator key; nothing was deleted\n"
    )
    code, _, err = run("delete-workshop", "ZZZ-ZZZZ", "--key", key)
    assert (code, err) == (1, "delete-workshop: there is no workshop with the code 'ZZZ-ZZZZ'\n")
    assert get_workshop(engine, workshop.id) is not None


def test_delete_an_assessment(engine: Engine, assessment: Assessment) -> None:
    _, token = start_response(engine, assessment.id, "councillor")
    code, _, err = run("delete-assessment", str(assessment.id), "--code", token)
    assert (code, err) == (0, f"Deleted assessment {assessment.id}: 2 rows.\n")
    assert get_assessment(engine, assessment.id) is None


def test_a_resume_code_that_begins_with_a_dash(
    engine: Engine, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One resume code in 64 begins with "-"; argparse must not take it for an option."""
    from storage import tokens

    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: "-" + "A" * 21)
    _, token = start_response(engine, assessment.id, "councillor")
    assert token.startswith("-")
    code, _, err = run("delete-assessment", str(assessment.id), "--code", token)
    assert (code, err) == (0, f"Deleted assessment {assessment.id}: 2 rows.\n")


def test_delete_an_assessment_refused(engine: Engine, assessment: Assessment) -> None:
    start_response(engine, assessment.id, "councillor")
    code, _, err = run("delete-assessment", str(assessment.id), "--code", "A" * 22)
    assert code == 1
    assert err.count("\n") == 1
    assert "does not belong to assessment" in err
    code, _, err = run("delete-assessment", "99999999999", "--code", "A" * 22)
    assert (code, err) == (1, "delete-assessment: there is no assessment with id 99999999999\n")
    assert get_assessment(engine, assessment.id) is not None


def test_export_an_area_to_stdout_and_to_a_file(
    engine: Engine, area: Area, assessment: Assessment, tmp_path: Path
) -> None:
    code, out, err = run("export-area", "testshire county council")
    assert (code, err) == (0, "")
    assert json.loads(out)["area"]["id"] == area.id
    target = tmp_path / "area.json"
    code, out, err = run("export-area", str(area.id), "--out", str(target))
    assert code == 0
    assert out == ""
    assert err == f"Wrote everything about Testshire County Council to {target}.\n"
    assert json.loads(target.read_text(encoding="utf-8"))["assessments"][0]["form_id"] == "full"


def test_export_refusals(area: Area, tmp_path: Path) -> None:
    assert run("export-area", "Nowhere")[::2] == (
        1,
        "export-area: there is no area called 'Nowhere'\n",
    )
    assert run("export-area", "99999999999")[0] == 1
    code, _, err = run("export-area", str(area.id), "--out", str(tmp_path / "no" / "x.json"))
    assert code == 1
    assert err.startswith("export-area: ")
    assert err.count("\n") == 1


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["delete-workshop", "ABC-DEFG"], ["delete-assessment", "x", "--code", "y"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_a_bad_database_url_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://x@y/z")
    code, _, err = run("export-area", "1")
    assert code == 1
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_python_dash_m_storage(db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "storage", "export-area", "Nowhere"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "export-area: there is no area called 'Nowhere'\n"
