"""``python -m questions check [--strict] [--corpus FILE] [FILE ...]``.

Exit status: 0 valid, 1 issues found (one line each, ``FILE:LINE: CODE message``),
2 usage error. Default: the shipped bank and corpus.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from common.issue import Issue, has_errors
from common.yamlfile import LDict, read_yaml
from questions.instrument import Instrument, load_instrument


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    banks, corpora = _sort_files(args.files)
    corpus = args.corpus or (corpora[0] if corpora else None)
    chosen: list[str | None] = [*banks] or [None]  # None: the shipped bank
    runs = [load_instrument(bank, corpus, strict=args.strict) for bank in chosen]
    runs += [load_instrument(None, extra, strict=args.strict) for extra in corpora[1:]]
    issues = _unique(i for run in runs for i in run.issues)
    for issue in sorted(issues, key=lambda i: (i.file, i.line)):
        print(issue.format())
    failed = has_errors(issues) or (args.strict and bool(issues))
    print(_summary(runs, issues, failed), file=sys.stderr)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m questions",
        description="Check a Ladder question bank and its essay corpus.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="check")
    check = sub.add_parser("check", help="report every problem in the bank and corpus files")
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="bank or corpus YAML files (default: the shipped bank and corpus)",
    )
    check.add_argument(
        "--corpus", metavar="FILE", help="the corpus the bank cites (default: the shipped corpus)"
    )
    check.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (CI runs this)"
    )
    return parser


def _sort_files(files: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split FILE arguments into banks and corpora by their top-level keys."""
    banks: list[str] = []
    corpora: list[str] = []
    for name in files:
        doc, _ = read_yaml(Path(name), name) if Path(name).is_file() else (None, [])
        data = doc.data if doc else None
        is_corpus = isinstance(data, LDict) and "essays" in data and "questions" not in data
        (corpora if is_corpus else banks).append(name)
    return banks, corpora


def _unique(issues: Iterable[Issue]) -> list[Issue]:
    seen: dict[Issue, None] = {}
    for issue in issues:
        seen.setdefault(issue, None)
    return list(seen)


def _summary(runs: list[Instrument], issues: list[Issue], failed: bool) -> str:
    errors = sum(i.severity == "error" for i in issues)
    warnings = len(issues) - errors
    if not failed:
        banks = {r.bank for r in runs if r.bank}
        n_q = sum(len(b.questions) for b in banks)
        n_e = len({e.id for r in runs if r.corpus for e in r.corpus.essays})
        tail = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
        return f"OK: {n_q} questions, {n_e} essays{tail}."
    return (
        f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)}."
    )
