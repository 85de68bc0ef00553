"""``python -m storage``: deletes, exports, the list of areas and edits to one, from the shell,
with one-line refusals."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.cli import main
from storage.model import Area, Assessment, Workshop
from storage.repo import create_area, get_area, get_assessment, start_response
from storage.rooms import get_workshop
from storage.schema import areas


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


def test_delete_as_administrator_without_a_key_or_code(
    engine: Engine, opened: tuple[Workshop, str], assessment: Assessment
) -> None:
    """Whoever runs the command line holds the database: an administrator, who may delete by
    name for a deletion request (and the only way to delete an imported result)."""
    workshop, _ = opened
    code, _, err = run("delete-workshop", workshop.join_code, "--as-administrator")
    assert code == 0, err
    assert err.startswith(f"Deleted workshop {workshop.join_code} ")
    assert get_workshop(engine, workshop.id) is None
    code, _, err = run("delete-assessment", str(assessment.id), "--as-administrator")
    assert code == 0, err
    assert get_assessment(engine, assessment.id) is None
    code, _, err = run("delete-assessment", str(workshop.assessment_id), "--as-administrator")
    assert code == 1
    assert "no assessment" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    both = ["delete-workshop", "ABC-DEFG", "--key", "K", "--as-administrator"]
    for argv in (
        [],
        ["delete-workshop", "ABC-DEFG"],
        ["delete-assessment", "x", "--code", "y"],
        ["delete-assessment", "1"],
        both,
    ):
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


def test_list_areas_prints_the_tree(engine: Engine, area: Area, assessment: Assessment) -> None:
    code, out, err = run("list-areas")
    assert (code, err) == (0, "")
    day = assessment.created_at.date()
    assert out == (
        f"Testshire County Council · council · E10000099 · 1 assessment (1 self-assessment), "
        f"latest {day.day} {day:%B %Y}\n"
    )
    create_area(engine, "Dover Town", "ward", parent_id=area.id)
    code, out, _ = run("list-areas")
    assert out.splitlines()[1] == "    Dover Town · ward · not assessed yet"


def test_list_areas_when_there_are_none() -> None:
    code, out, err = run("list-areas")
    assert (code, out) == (0, "")
    assert err.startswith("There are no areas yet. One is made when someone starts")
    assert err.count("\n") == 1


def test_edit_an_area(engine: Engine, area: Area) -> None:
    ward = create_area(engine, "Dovr", "council")
    code, out, err = run(
        "edit-area",
        "dovr",
        "--name",
        "Dover Town",
        "--kind",
        "ward",
        "--parent",
        "Testshire County Council",
        "--ons-code",
        "e05000001",
    )
    assert (code, out) == (0, "")
    assert err == (
        "Renamed 'Dovr' to 'Dover Town'; kind set to ward (was council); ONS code set to "
        "E05000001; parent set to 'Testshire County Council'.\n"
    )
    edited = get_area(engine, ward.id)
    assert edited is not None
    assert (edited.name, edited.kind, edited.ons_code, edited.parent_id) == (
        "Dover Town",
        "ward",
        "E05000001",
        area.id,
    )
    code, _, err = run("edit-area", str(ward.id), "--no-parent", "--no-ons-code")
    assert (code, err) == (
        0,
        "Changed 'Dover Town': ONS code removed; parent removed (now a top-level area).\n",
    )
    assert get_area(engine, ward.id) == replace(edited, ons_code=None, parent_id=None)
    code, _, err = run("edit-area", "Dover Town", "--kind", "ward")
    assert (code, err) == (0, "Nothing changed: 'Dover Town' is already so.\n")


def test_renaming_to_a_name_in_use_warns(engine: Engine, area: Area) -> None:
    other = create_area(engine, "Elsewhere", "council")
    code, _, err = run("edit-area", "Elsewhere", "--name", "Testshire County Council")
    assert code == 0
    assert err == (
        "Renamed 'Elsewhere' to 'Testshire County Council'. Note: 2 areas now have this name "
        f"(ids {area.id}, {other.id}); use the id.\n"
    )


def test_edit_area_refusals(engine: Engine, area: Area) -> None:
    ward = create_area(engine, "Dover Town", "ward", parent_id=area.id)
    demo = create_area(engine, "Demo: Nowhere (fictional)", "council")
    with engine.begin() as conn:
        conn.execute(sa.update(areas).where(areas.c.id == demo.id).values(demo=True))
    twin = create_area(engine, "dover town", "service")  # the same name, another area
    refusals = {
        ("Nowhere", "--name", "X"): "there is no area called 'Nowhere'",
        ("99999999999", "--name", "X"): "there is no area called '99999999999'",
        ("DOVER TOWN", "--kind", "service"): (
            f"several areas are called 'DOVER TOWN' (ids {ward.id}, {twin.id}); please give the id"
        ),
        (str(area.id), "--parent", "Nowhere"): "--parent: there is no area called 'Nowhere'",
        (str(area.id), "--parent", "Dover Town"): (
            f"--parent: 'Dover Town' (area {ward.id}) is inside 'Testshire County Council', "
            "so each would contain the other; please choose an area above it, or none"
        ),
        (str(area.id), "--parent", str(area.id)): (
            "--parent: an area cannot be inside itself; please choose an area above it, or none"
        ),
        (str(area.id), "--parent", str(demo.id)): (
            f"--parent: 'Demo: Nowhere (fictional)' (area {demo.id}) is fictional demo data, "
            "which is removed as a whole; please choose a real area, or none"
        ),
        (str(area.id), "--kind", "county"): (
            "--kind: 'county' is not a kind of area; please choose council, ward, partnership, "
            "service or other"
        ),
        (str(area.id), "--ons-code", "X1"): "--ons-code: 'X1' is not an ONS code; please give",
        (str(area.id), "--name", " "): "--name: the name is empty; please give one",
        (str(area.id),): "nothing to change; please give --name, --kind, --ons-code, ",
        (str(twin.id), "--kind", "ward"): (
            f"--kind: 'Dover Town' (area {ward.id}) is already a ward of that name, with no ONS "
            "code, so the two would be one area; please keep them apart"
        ),
    }
    for argv, message in refusals.items():
        code, out, err = run("edit-area", *argv)
        assert (code, out) == (1, ""), argv
        assert err.startswith(f"edit-area: {message}"), (argv, err)
        assert err.count("\n") == 1, argv
    assert get_area(engine, area.id) == area  # nothing was changed
    assert get_area(engine, ward.id) == ward
    assert get_area(engine, twin.id) == twin


def test_edit_area_usage_errors_exit_2(area: Area, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["edit-area"],
        ["edit-area", str(area.id), "--parent", "1", "--no-parent"],
        ["edit-area", str(area.id), "--ons-code", "E10000099", "--no-ons-code"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- admin add | remove | list -------------------------------------------------------------

ADMIN_PASS = "correct horse battery staple"


class Terminal(io.StringIO):
    """Standard input that says it is (or is not) a terminal."""

    def __init__(self, text: str = "", tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from storage import admins

    monkeypatch.setattr(
        admins, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.mark.usefixtures("quick_hashes")
def test_admin_add_list_remove(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.admins import list_admins, sign_in

    monkeypatch.setattr(sys, "stdin", Terminal(ADMIN_PASS + "\n"))
    code, out, err = run("admin", "add", " Ops@Council.gov.uk", "--passphrase-stdin")
    assert (code, out) == (0, "")
    assert err == "Added the administrator 'ops@council.gov.uk'; they can sign in now.\n"
    assert sign_in(engine, "ops@council.gov.uk", ADMIN_PASS) is not None
    code, out, err = run("admin", "list")
    assert (code, out, err) == (0, "ops@council.gov.uk\n", "")
    code, out, err = run("admin", "remove", "OPS@council.gov.uk")
    assert code == 0
    assert err == "Removed the administrator 'ops@council.gov.uk'; they are signed out.\n"
    assert list_admins(engine) == []
    code, out, err = run("admin", "list")
    assert (code, out) == (0, "")
    assert err.startswith("There are no local administrators. Add one with: python -m storage")


@pytest.mark.usefixtures("quick_hashes")
def test_admin_add_asks_twice_at_a_terminal(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage import cli
    from storage.admins import list_admins

    answers = iter([ADMIN_PASS, ADMIN_PASS, ADMIN_PASS, "something else entirely"])
    prompts: list[str] = []

    def asked(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys, "stdin", Terminal(tty=True))
    monkeypatch.setattr(cli.getpass, "getpass", asked)
    assert run("admin", "add", "ops")[0] == 0
    assert prompts == ["Passphrase for the new administrator: ", "The same passphrase again: "]
    code, _, err = run("admin", "add", "second")
    assert (code, err) == (1, "admin: the two passphrases differ; nothing was changed\n")
    assert list_admins(engine) == ["ops"]


@pytest.mark.usefixtures("quick_hashes")
def test_admin_refusals_are_one_line(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.admins import add_admin, list_admins

    add_admin(engine, "ops", ADMIN_PASS)
    monkeypatch.setattr(sys, "stdin", Terminal("short\n"))
    code, _, err = run("admin", "add", "new", "--passphrase-stdin")
    assert code == 1
    assert err == (
        "admin: passphrase: is too short: at least 12 characters, please (a few words you "
        "will remember make a good one)\n"
    )
    monkeypatch.setattr(sys, "stdin", Terminal(ADMIN_PASS + "\n"))
    code, _, err = run("admin", "add", "OPS", "--passphrase-stdin")
    assert (code, err) == (1, "admin: EMAIL: there is already an administrator called 'ops'\n")
    monkeypatch.setattr(sys, "stdin", Terminal(ADMIN_PASS + "\n"))
    code, _, err = run("admin", "add", "two words", "--passphrase-stdin")
    assert (code, err) == (1, "admin: EMAIL: must not contain spaces or control characters\n")
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    code, _, err = run("admin", "add", "new", "--passphrase-stdin")
    assert code == 1
    assert err.startswith("admin: passphrase: is too short")
    monkeypatch.setattr(sys, "stdin", Terminal(ADMIN_PASS + "\n", tty=False))
    code, _, err = run("admin", "add", "new")
    assert code == 1
    assert err == (
        "admin: no terminal to ask for the passphrase on; type the command in a terminal, or "
        "give the passphrase on standard input with --passphrase-stdin\n"
    )
    code, _, err = run("admin", "remove", "nobody")
    assert (code, err) == (1, "admin: there is no administrator called 'nobody'\n")
    assert list_admins(engine) == ["ops"]


def test_admin_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["admin"], ["admin", "add"], ["admin", "delete", "x"], ["admin", "remove"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "usage: python -m storage admin" in capsys.readouterr().err


def test_python_dash_m_storage_admin_add(db_url: str, engine: Engine) -> None:
    """The real command, the real argon2 settings, the passphrase piped in."""
    from storage.admins import sign_in

    env = {"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "storage", "admin", "add", "it@council.gov.uk",
         "--passphrase-stdin"],
        input=ADMIN_PASS + "\n", capture_output=True, text=True, env=env,
        cwd=Path(__file__).resolve().parents[3], check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "Added the administrator 'it@council.gov.uk'; they can sign in now.\n"
    assert ADMIN_PASS not in done.stderr
    assert sign_in(engine, "it@council.gov.uk", ADMIN_PASS) is not None
