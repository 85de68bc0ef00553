"""``python -m scoring``: score an answers CSV, or measure agreement, from the shell.

Why: councils' analysts work in spreadsheets and R as much as in the app;
the command line gives them the same numbers the app shows. Exit codes:
0 done, 1 bad input (one line per problem on stderr, never a traceback),
2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TextIO

import pandas as pd

from common.columns import REQUIRED_COLUMNS
from common.errors import UserError
from questions.model import Bank
from scoring.agreement import ITEM_AGREEMENT_COLUMNS, item_agreement
from scoring.answers import read_answers
from scoring.cells import guard_formula
from scoring.coding import DuplicateAnswerError
from scoring.consensus import DEFAULT_RULE, RULES
from scoring.engine import GROUP_COLUMNS, group_scores, respondent_scores

# The brief's stable CSV columns: the engine's group columns without the dk extras.
SCORE_COLUMNS: tuple[str, ...] = tuple(c for c in GROUP_COLUMNS if c not in ("dk_share", "dk_flag"))
PER_RESPONDENT_COLUMNS: tuple[str, ...] = (
    "respondent_id",
    "dimension",
    "score",
    "answered",
    "applicable",
)
DECIMALS = 4

Scorer = Callable[[pd.DataFrame, Bank, Sequence[str]], pd.DataFrame]


class Refusal(UserError):
    """Bad input told in one line or several (every problem of a bank), printed as they are."""

    def __init__(self, *lines: str) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code (argparse exits 2 itself)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        frame = args.command(args)
        stdout.write(_render(frame, args.format))
    except UserError as exc:  # a Refusal, a bad answers file or a repeated answer
        print(exc, file=stderr)
        return 1
    except BrokenPipeError:  # e.g. `... | head`: the reader left, which is no error
        if stdout is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scoring",
        description="Score a long answers CSV (respondent_id,question_id,answer) against a bank.",
    )
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    score = commands.add_parser(
        "score",
        help="group dimension scores (median, quartiles, coverage)",
        description="One row per (group, dimension): n, median, mean, q1, q3, min, max, "
        "coverage. With --per-respondent, one row per respondent and dimension.",
    )
    score.add_argument(
        "--per-respondent",
        action="store_true",
        help="one row per respondent and dimension instead of per group",
    )
    score.set_defaults(command=_score)
    agreement = commands.add_parser(
        "agreement",
        help="agreement per question (ad_md, rwg, class)",
        description="One row per (group, question_id): n, dk, median, ad_md, rwg, "
        "outside_core, class. --rule chooses when a question counts as consensus: "
        + "; ".join(f"{r.name}: {r.words}" for r in RULES.values())
        + ".",
    )
    agreement.add_argument(
        "--rule",
        choices=list(RULES),
        default=DEFAULT_RULE,
        metavar="NAME",
        help=f"the consensus rule, one of {', '.join(RULES)} (default {DEFAULT_RULE}), "
        "as a workshop chooses it",
    )
    agreement.set_defaults(command=_agreement)
    for sub in (score, agreement):
        sub.add_argument(
            "--responses",
            required=True,
            metavar="CSV",
            help="long answers CSV: respondent_id,question_id,answer[,...]",
        )
        sub.add_argument(
            "--bank",
            metavar="FILE",
            default=None,
            help="question bank YAML (default: the shipped bank)",
        )
        sub.add_argument(
            "--by",
            nargs="+",
            action="extend",
            default=[],
            metavar="COLUMN",
            help="group by these CSV columns (e.g. area role round)",
        )
        sub.add_argument(
            "--format", choices=("csv", "json"), default="csv", help="output format (default csv)"
        )
    return parser


def _score(args: argparse.Namespace) -> pd.DataFrame:
    bank, answers, by = _inputs(args)
    if args.per_respondent:
        frame = _guarded(respondent_scores, answers, bank, by, args.responses)
        return frame[[*by, *PER_RESPONDENT_COLUMNS]]
    frame = _guarded(group_scores, answers, bank, by, args.responses)
    return frame[[*by, *SCORE_COLUMNS]]


def _agreement(args: argparse.Namespace) -> pd.DataFrame:
    bank, answers, by = _inputs(args)
    agreed = partial(item_agreement, rule=args.rule)
    frame = _guarded(agreed, answers, bank, by, args.responses)
    return frame[[*by, *ITEM_AGREEMENT_COLUMNS]]


def _inputs(args: argparse.Namespace) -> tuple[Bank, pd.DataFrame, list[str]]:
    """Load the bank, read the answers and check the --by columns."""
    bank = load_bank(args.bank)
    answers = read_answers(args.responses, bank)  # AnswersError: main prints it
    by = list(dict.fromkeys(args.by))
    for column in by:
        if column in REQUIRED_COLUMNS:
            raise Refusal(
                f"{args.responses}: row 1, field {column!r}: --by cannot group by "
                f"{column!r}; please choose another column, such as area or role"
            )
        if column not in answers.columns:
            others = [c for c in answers.columns if c not in REQUIRED_COLUMNS]
            choice = ", ".join(others) if others else "none besides the required three"
            raise Refusal(
                f"{args.responses}: row 1, field {column!r}: there is no such "
                f"column to group by (--by); the other columns are: {choice}"
            )
    return bank, answers, by


def load_bank(path: str | None) -> Bank:
    """The bank at `path` (default: the shipped one), or a `Refusal` with every issue."""
    from questions import load_instrument  # lazily: `--help` should not parse YAML

    instrument = load_instrument(bank_path=path)
    if not instrument.ok or instrument.bank is None:
        lines = [issue.format() for issue in instrument.issues]
        raise Refusal(
            *(
                lines
                or [
                    f"{path or 'the shipped bank'}: the bank could not be "
                    "loaded; please run `python -m questions check`"
                ]
            )
        )
    return instrument.bank


def _guarded(
    function: Scorer, answers: pd.DataFrame, bank: Bank, by: list[str], file: str
) -> pd.DataFrame:
    """Run a scoring function, turning a repeated answer into a one-line user error."""
    try:
        return function(answers, bank, by)
    except DuplicateAnswerError as exc:
        first, second = exc.rows
        hint = (
            "--by round"
            if "round" in answers.columns and "round" not in by
            else "--by with the column that tells them apart"
        )
        raise Refusal(
            f"{file}: row {second}, field 'question_id': respondent {exc.respondent!r} "
            f"answered {exc.question!r} again in the same group (first on row {first}); "
            f"please score them separately with {hint}, or keep only one of the rows"
        ) from None


def _cell(value: object) -> object:
    return guard_formula(value) if isinstance(value, str) else value


def _render(frame: pd.DataFrame, fmt: str) -> str:
    """CSV ("\\n" line ends, blank for missing) or a JSON list of records (null)."""
    floats = frame.select_dtypes("float").columns
    frame = frame.assign(**{c: frame[c].round(DECIMALS) for c in floats})
    if fmt == "csv":
        # Group values (--by) come from the input file: a spreadsheet must not run them.
        text = frame.select_dtypes(exclude="number").columns
        frame = frame.assign(**{c: frame[c].map(_cell) for c in text})
        return frame.to_csv(index=False, lineterminator="\n", na_rep="")
    records = [
        {k: _json_value(v) for k, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _json_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return value
