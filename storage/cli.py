"""``python -m storage``: delete a workshop or a self-assessment, or export an area, from the shell.

Why: whoever runs Ladder must be able to act on a deletion or access request
without the app (issue 7, "Data lifecycle"). The database is the one the app
uses (``DATABASE_URL``, see `storage.engine.database_url`). Exit codes: 0 done,
1 refused or bad input (one line on stderr, never a traceback), 2 usage error
(argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from storage.engine import database_url, make_engine
from storage.errors import InputError, StorageError
from storage.lifecycle import MAX_ID, area_by_name, delete_assessment, delete_workshop, export_area
from storage.migrations import migrate
from storage.repo import get_area
from storage.rooms import find_workshop


class UserError(Exception):
    """A refusal or bad input: its one line is printed as it is."""


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
    except UserError as exc:
        print(f"{args.name}: {exc}", file=stderr)
        return 1
    except InputError as exc:
        print(f"{args.name}: {exc.message}", file=stderr)
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
        description="Delete or export what Ladder stores (the database named by DATABASE_URL).",
    )
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    workshop = commands.add_parser(
        "delete-workshop",
        help="delete a workshop with everything in it (needs its facilitator key)",
        description="Delete a workshop: its participants, answers, plans, agreed levels "
        "and its assessment.",
    )
    workshop.add_argument("code", metavar="CODE", help="the workshop's join code, e.g. ABC-DEFG")
    workshop.add_argument("--key", required=True, help="the facilitator key")
    workshop.set_defaults(command=_delete_workshop)
    assessment = commands.add_parser(
        "delete-assessment",
        help="delete a self-assessment with all its answers (needs a resume code)",
        description="Delete a self-assessment with all its responses, answers and plans.",
    )
    assessment.add_argument("id", metavar="ID", type=int, help="the assessment's id")
    assessment.add_argument(
        "--code", required=True, metavar="RESUME_CODE", help="the resume code of one response"
    )
    assessment.set_defaults(command=_delete_assessment)
    export = commands.add_parser(
        "export-area",
        help="everything stored about an area, as JSON",
        description="Everything stored about an area (no secrets), as JSON.",
    )
    export.add_argument("area", metavar="NAME_OR_ID", help="the area's name or id")
    export.add_argument("--out", metavar="FILE", type=Path, help="write here, not to stdout")
    export.set_defaults(command=_export_area)
    return parser


def _delete_workshop(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    workshop = find_workshop(engine, args.code)
    if workshop is None:
        raise UserError(f"there is no workshop with the code {args.code!r}")
    count = delete_workshop(engine, workshop.id, args.key)
    return f"Deleted workshop {workshop.join_code} ({workshop.title}): {count} rows."


def _delete_assessment(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    count = delete_assessment(engine, args.id, args.code)
    return f"Deleted assessment {args.id}: {count} rows."


def _export_area(engine: Engine, args: argparse.Namespace, stdout: TextIO) -> str:
    given = args.area.strip()
    if given.isdigit():
        area = get_area(engine, int(given)) if 0 < int(given) <= MAX_ID else None
    else:
        area = area_by_name(engine, given)
    if area is None:
        raise UserError(f"there is no area called {args.area!r}")
    text = json.dumps(export_area(engine, area.id), indent=2, ensure_ascii=False) + "\n"
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
