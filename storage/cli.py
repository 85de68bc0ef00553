"""``python -m storage``: delete, export, list and correct what Ladder stores, from the shell.

Why: whoever runs Ladder must be able to act on a deletion or access request
without the app (issue 7, "Data lifecycle"), and to put right an area made in
passing with a misspelt name or outside the council it belongs to (the app
shows areas but never edits them). The database is the one the app uses
(``DATABASE_URL``, see `storage.engine.database_url`). Whoever can run these
commands holds the server's database, which is an administrator's position:
they act with `COMMAND_LINE`, an administrator's grant of their own
(``via="cli"``), which storage checks like any other. Exit codes: 0 done,
1 refused or bad input (one line on stderr, never a traceback), 2 usage error
(argparse).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import Engine

from common.errors import UserError
from storage.access import Grant
from storage.admins import MIN_PASSPHRASE, add_admin, list_admins, remove_admin
from storage.engine import database_url, make_engine
from storage.errors import InputError, StorageError
from storage.lifecycle import (
    MAX_ID,
    area_by_name,
    delete_assessment,
    delete_assessment_as_admin,
    delete_workshop,
    delete_workshop_as_admin,
    export_area,
)
from storage.migrations import migrate
from storage.model import Area
from storage.registry import registry, tree_lines
from storage.repo import get_area, list_areas, update_area
from storage.rooms import find_workshop
from storage.schema import AREA_KINDS

#: The grant every command acts with: whoever runs them holds the database (an administrator).
COMMAND_LINE = Grant("admin", admin="command line", via="cli")
_AS_ADMIN = "delete it as the administrator who runs this command, without a key or code"


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code (argparse exits 2 itself)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser().parse_args(_glued(sys.argv[1:] if argv is None else argv))
    engine: Engine | None = None
    try:
        engine = make_engine(database_url())
        migrate(engine)
        message = args.command(engine, args, stdout)
    except UserError as exc:  # a refusal, or a value storage found wrong (InputError)
        said = exc.message if isinstance(exc, InputError) else str(exc)
        print(f"{args.name}: {said}", file=stderr)
        return 1
    except StorageError as exc:
        print(f"{args.name}: {exc.format()}", file=stderr)
        return 1
    finally:
        if engine is not None:
            engine.dispose()
    if message:
        print(message, file=stderr)
    return 0


def _glued(argv: Sequence[str]) -> list[str]:
    """``--code -AbC`` as ``--code=-AbC``: a resume code can begin with a dash, which argparse
    would otherwise take for an option and refuse the command."""
    out: list[str] = []
    words = iter(argv)
    for word in words:
        value = next(words, None) if word in {"--code", "--key"} else None
        out.append(word if value is None else f"{word}={value}")
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m storage",
        description="Delete, export, list or correct what Ladder stores "
        "(the database named by DATABASE_URL).",
    )
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    workshop = commands.add_parser(
        "delete-workshop",
        help="delete a workshop with everything in it (its facilitator key, or as administrator)",
        description="Delete a workshop: its participants, answers, plans, agreed levels "
        "and its assessment.",
    )
    workshop.add_argument("code", metavar="CODE", help="the workshop's join code, e.g. ABC-DEFG")
    proof = workshop.add_mutually_exclusive_group(required=True)
    proof.add_argument("--key", help="the facilitator key")
    proof.add_argument("--as-administrator", action="store_true", help=_AS_ADMIN)
    workshop.set_defaults(command=_delete_workshop)
    assessment = commands.add_parser(
        "delete-assessment",
        help="delete a self-assessment or imported result (a resume code, or as administrator)",
        description="Delete a self-assessment (or, as administrator, an imported result) with "
        "all its responses, answers and plans.",
    )
    assessment.add_argument("id", metavar="ID", type=int, help="the assessment's id")
    proof = assessment.add_mutually_exclusive_group(required=True)
    proof.add_argument("--code", metavar="RESUME_CODE", help="the resume code of one response")
    proof.add_argument("--as-administrator", action="store_true", help=_AS_ADMIN)
    assessment.set_defaults(command=_delete_assessment)
    export = commands.add_parser(
        "export-area",
        help="everything stored about an area, as JSON",
        description="Everything stored about an area (no secrets), as JSON.",
    )
    export.add_argument("area", metavar="NAME_OR_ID", help="the area's name or id")
    export.add_argument("--out", metavar="FILE", type=Path, help="write here, not to stdout")
    export.set_defaults(command=_export_area)
    listing = commands.add_parser(
        "list-areas",
        help="every area, each with the areas inside it beneath",
        description="Every area, as the Areas page shows them: each with the areas inside it "
        "indented beneath, its kind, ONS code and assessments; fictional demo areas last.",
    )
    listing.set_defaults(command=_list_areas)
    _edit_parser(commands)
    _admin_parser(commands)
    return parser


def _edit_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    edit = commands.add_parser(
        "edit-area",
        help="rename an area, change its kind or ONS code, or what it is inside",
        description="Change an area's name, kind, ONS code or parent (the area it is inside). "
        "Areas are named or given by id; what is not mentioned stays as it is.",
    )
    edit.add_argument("area", metavar="NAME_OR_ID", help="the area's name or id")
    edit.add_argument("--name", dest="new_name", metavar="NEW", help="its new name")
    edit.add_argument("--kind", metavar="KIND", help=f"one of: {', '.join(AREA_KINDS)}")
    ons = edit.add_mutually_exclusive_group()
    ons.add_argument("--ons-code", metavar="CODE", help="its ONS code, e.g. E08000033")
    ons.add_argument("--no-ons-code", action="store_true", help="remove its ONS code")
    parent = edit.add_mutually_exclusive_group()
    parent.add_argument(
        "--parent", metavar="NAME_OR_ID", help="the area it is inside (a ward's council, say)"
    )
    parent.add_argument("--no-parent", action="store_true", help="make it a top-level area")
    edit.set_defaults(command=_edit_area)


def _admin_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = commands.add_parser(
        "admin",
        help="add, remove or list local administrator accounts",
        description="Local administrator accounts: an e-mail address or user name and a "
        "passphrase. (Administrators who sign in through your organisation's own sign-in, "
        "OpenID Connect, are listed in secrets.toml instead; see docs/deploy.md.)",
    )
    actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="make an administrator (asks for the passphrase twice)",
        description="Make a local administrator. The passphrase is asked for twice and not "
        f"shown; at least {MIN_PASSPHRASE} characters.",
    )
    add.add_argument("email", metavar="EMAIL", help="an e-mail address or a user name")
    add.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input (for scripts)",
    )
    add.set_defaults(command=_admin_add)
    remove = actions.add_parser(
        "remove",
        help="remove an administrator (their sessions end at once)",
        description="Remove a local administrator; anyone signed in with it is signed out "
        "at their next click.",
    )
    remove.add_argument("email", metavar="EMAIL", help="the e-mail address or user name")
    remove.set_defaults(command=_admin_remove)
    listing = actions.add_parser(
        "list",
        help="every local administrator",
        description="Every local administrator's e-mail address or user name, one a line.",
    )
    listing.set_defaults(command=_admin_list)


def _passphrase(args: argparse.Namespace) -> str:
    """The passphrase: the first line of stdin with --passphrase-stdin, else asked twice at
    the terminal without echo."""
    if args.passphrase_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise UserError(
            "no terminal to ask for the passphrase on; type the command in a terminal, or "
            "give the passphrase on standard input with --passphrase-stdin"
        )
    try:
        first = getpass.getpass("Passphrase for the new administrator: ")
        second = getpass.getpass("The same passphrase again: ")
    except (EOFError, KeyboardInterrupt):
        raise UserError("no passphrase given; nothing was changed") from None
    if first != second:
        raise UserError("the two passphrases differ; nothing was changed")
    return first


def _admin_add(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    passphrase = _passphrase(args)
    try:
        add_admin(engine, args.email, passphrase)
    except InputError as exc:
        field = "EMAIL" if exc.field == "email" else exc.field
        raise UserError(f"{field}: {exc.message}") from None
    return f"Added the administrator {args.email.strip().lower()!r}; they can sign in now."


def _admin_remove(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    if not remove_admin(engine, args.email):
        raise UserError(f"there is no administrator called {args.email.strip().lower()!r}")
    return f"Removed the administrator {args.email.strip().lower()!r}; they are signed out."


def _admin_list(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    names = list_admins(engine)
    if not names:
        return (
            "There are no local administrators. Add one with: "
            "python -m storage admin add you@council.gov.uk"
        )
    stdout.write("\n".join(names) + "\n")
    return ""


def _delete_workshop(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    workshop = find_workshop(engine, args.code)
    if workshop is None:
        raise UserError(f"there is no workshop with the code {args.code!r}")
    if args.as_administrator:
        count = delete_workshop_as_admin(engine, COMMAND_LINE, workshop.id)
    else:
        count = delete_workshop(engine, workshop.id, args.key)
    return f"Deleted workshop {workshop.join_code} ({workshop.title}): {count} rows."


def _delete_assessment(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    if args.as_administrator:
        count = delete_assessment_as_admin(engine, COMMAND_LINE, args.id)
    else:
        count = delete_assessment(engine, args.id, args.code)
    return f"Deleted assessment {args.id}: {count} rows."


def _area(engine: Engine, given: str, option: str = "") -> Area:
    """The area named (exactly, else ignoring case) or numbered ``given``.

    Raises:
        UserError: no such area, or several with that name (prefixed ``option: ``, if given).
    """
    prefix = f"{option}: " if option else ""
    word = given.strip()
    try:
        if word.isdigit():
            area = get_area(engine, int(word)) if 0 < int(word) <= MAX_ID else None
        else:
            area = area_by_name(engine, word)
    except InputError as exc:
        raise UserError(prefix + exc.message) from None
    if area is None:
        raise UserError(f"{prefix}there is no area called {given!r}")
    return area


def _export_area(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    area = _area(engine, args.area)
    text = (
        json.dumps(export_area(engine, COMMAND_LINE, area.id), indent=2, ensure_ascii=False) + "\n"
    )
    if args.out is None:
        stdout.write(text)
        return ""
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(
            f"{args.out}: cannot write ({exc.strerror or type(exc).__name__})"
        ) from None
    return f"Wrote everything about {area.name} to {args.out}."


def _list_areas(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    lines = tree_lines(registry(engine, COMMAND_LINE))
    if not lines:
        return (
            "There are no areas yet. One is made when someone starts a self-assessment, "
            "opens a workshop or imports results in Ladder."
        )
    stdout.write("\n".join(lines) + "\n")
    return ""


#: The option that sets each of `update_area`'s fields, for messages.
_OPTION = {"name": "--name", "kind": "--kind", "ons_code": "--ons-code", "parent_id": "--parent"}


def _edit_area(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    area = _area(engine, args.area)
    changes: dict[str, Any] = {}
    if args.new_name is not None:
        changes["name"] = args.new_name
    if args.kind is not None:
        changes["kind"] = args.kind.strip().lower()
    if args.ons_code is not None or args.no_ons_code:
        changes["ons_code"] = None if args.no_ons_code else args.ons_code
    if args.parent is not None:
        changes["parent_id"] = _area(engine, args.parent, "--parent").id
    elif args.no_parent:
        changes["parent_id"] = None
    if not changes:
        raise UserError(
            "nothing to change; please give --name, --kind, --ons-code, --no-ons-code, "
            "--parent or --no-parent"
        )
    try:
        after = update_area(engine, area.id, **changes)
    except InputError as exc:
        raise UserError(f"{_OPTION.get(exc.field, exc.field)}: {exc.message}") from None
    return _changes(engine, area, after)


def _changes(engine: Engine, before: Area, after: Area) -> str:
    """``Renamed 'A' to 'B'; parent set to 'C'.``, ``Changed 'A': kind set to ward.`` or
    ``Nothing changed ...``; with a note when the new name is now shared."""
    said: list[str] = []
    if after.kind != before.kind:
        said.append(f"kind set to {after.kind} (was {before.kind})")
    if after.ons_code != before.ons_code:
        was = "" if before.ons_code is None else f" (was {before.ons_code})"
        said.append(
            "ONS code removed"
            if after.ons_code is None
            else f"ONS code set to {after.ons_code}{was}"
        )
    if after.parent_id != before.parent_id:
        parent = None if after.parent_id is None else get_area(engine, after.parent_id)
        said.append(
            "parent removed (now a top-level area)"
            if parent is None
            else f"parent set to {parent.name!r}"
        )
    if after.name != before.name:
        text = "; ".join([f"Renamed {before.name!r} to {after.name!r}", *said]) + "."
        same = sorted(
            a.id for a in list_areas(engine) if a.name.casefold() == after.name.casefold()
        )
        if len(same) > 1:
            ids = ", ".join(map(str, same))
            text += f" Note: {len(same)} areas now have this name (ids {ids}); use the id."
        return text
    if not said:
        return f"Nothing changed: {after.name!r} is already so."
    return f"Changed {after.name!r}: " + "; ".join(said) + "."
