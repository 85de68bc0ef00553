"""Read and check a long answers CSV (design.md "Interfaces that stay stable").

Why: the CSV usually comes out of a spreadsheet, so its mistakes are people's
mistakes - a Windows encoding, semicolons, a stray value. We report the first
problem (in row order) as one line naming the file, the row and the field,
and say how to fix it; nothing here may end in a traceback.

Rows are numbered as a text editor or Excel numbers them: the header is row 1.
The returned frame is indexed by that row number, so later stages can point
back at the file too.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from common.errors import UserError
from questions.model import Bank
from scoring.rules import ANSWER_TEXT, CODE_TEXT

REQUIRED_COLUMNS: tuple[str, ...] = ("respondent_id", "question_id", "answer")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "area",
    "role",
    "round",
    "confidence",
    "evidence",
    "submitted_at",
)
#: One assessment's answers as Ladder stores and exports them: the brief's long format
#: without ``area`` (an assessment is of one area).
STORED_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS[1:])
#: Most answer rows read from one file (blank rows not counted); one more is refused.
MAX_ROWS = 1_000_000
#: Most columns in the header. The format has nine known columns; a few more (a ward, a
#: note) are kept, but a header far wider is refused before the body is read.
MAX_COLUMNS = 50
#: Longest header row (bytes), checked before anything else in the file is parsed.
MAX_HEADER_BYTES = 64 * 1024
#: Longest value in one cell (characters), refused naming its row and column. Generous:
#: evidence pasted from a document may be long (tests/data/malformed has a 140,000-character
#: cell that must stay whole). A quoted cell over 131,072 characters is already refused
#: by the csv module, as a row that cannot be read.
MAX_CELL_CHARS = 200_000
_KNOWN_COLUMNS = frozenset(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
_UNSTRIPPED = frozenset({"evidence"})  # free text keeps its spacing
_SAVE_AS = "please save it from your spreadsheet as 'CSV UTF-8 (Comma delimited)'"
_ANSWER_HINT = "please use 1-5, dk, na or leave it blank"
_ID_HINT = "please give every row the"


class AnswersError(UserError, ValueError):
    """A mistake in an answers file, told in one line: file, row, field, fix.

    Why: kept apart from bugs so the command line can print it without a
    traceback (house style: user errors apart from bugs).
    """

    def __init__(
        self, file: str, message: str, row: int | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.message = " ".join(message.split())  # never more than one line
        self.row = row
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.field is not None:
            where += f", field {_show(self.field)}"
        return f"{where}: {self.message}"


def read_answers(path: str | Path, bank: Bank | None = None) -> pd.DataFrame:
    """Read an answers CSV from disk; see `parse_answers`."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise AnswersError(name, "there is no such file; please check the path") from None
    except IsADirectoryError:
        raise AnswersError(name, "this is a folder, not a file; please name a CSV file") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise AnswersError(name, f"cannot read the file ({reason}); please check it") from None
    return parse_answers(data, name, bank)


def parse_answers(data: bytes, name: str = "answers.csv", bank: Bank | None = None) -> pd.DataFrame:
    """Check and parse the bytes of an answers CSV into a frame of strings.

    Returns one row per answer, indexed by CSV row number (``row``). Columns
    keep the file's order; known column names are lower-cased, ids and
    grouping values are stripped, and ``answer`` is canonical: "1".."5",
    "dk", "na" or "". Rows that are entirely blank are skipped. When `bank`
    is given, question ids must be in it.

    Raises:
        AnswersError: the first problem in row order, as one line.
    """
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    _check_text(body, name)
    _check_header_size(body, name)
    encoding_stop, limit = _encoding_stop(body, name)
    if encoding_stop is not None and encoding_stop.row == 1:
        raise encoding_stop
    text = body[:limit].decode("utf-8")
    header, header_lines = _header(text)
    columns = _columns(header, name)
    parsed = _fast_records(body[:limit], columns) if header_lines == 1 else None
    frame, lines, structure_stop = parsed or _slow_records(text, columns, name)
    frame = _clean(frame, lines)
    too_many = _too_many_rows(frame, name)
    if too_many is not None:
        frame = frame.iloc[:MAX_ROWS]
    long_cell = _long_cell(frame, name)
    problem = _first_value_problem(frame, name, bank)
    stops = [
        e for e in (long_cell, problem, structure_stop, encoding_stop, too_many) if e is not None
    ]
    if stops:
        raise min(stops, key=lambda e: e.row or 0)
    return frame


def _check_header_size(body: bytes, name: str) -> None:
    """Refuse a header that is too long or too wide, reading nothing past it.

    Why: the cost of parsing grows with the columns times the rows, so a small
    file with a header of 100,000 names took minutes and hundreds of MB before
    anything was said. Only the first record, and at most `MAX_HEADER_BYTES` of
    it, is looked at.
    """
    head = body[: MAX_HEADER_BYTES + 1]
    end = _header_end(head)
    cut = end is None and len(body) > MAX_HEADER_BYTES
    text = head[: len(head) if end is None else end].decode("utf-8", "replace")
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if len(header) > MAX_COLUMNS:
        count = f"at least {len(header):,}" if cut else f"{len(header):,}"
        raise AnswersError(
            name,
            f"the header names {count} columns, more than the {MAX_COLUMNS} Ladder reads; "
            "please keep respondent_id, question_id, answer and any of "
            f"{', '.join(OPTIONAL_COLUMNS)}, and delete the other columns",
            1,
            f"column {MAX_COLUMNS + 1}",
        )
    if cut:
        raise AnswersError(
            name,
            f"the header row is longer than {MAX_HEADER_BYTES // 1024} KB, the most Ladder "
            "reads; please make row 1 the column headings respondent_id,question_id,answer "
            "(other columns may follow), with short names",
            1,
            f"column {max(len(header), 1)}",
        )


def _header_end(head: bytes) -> int | None:
    """Where the first CSV record of `head` ends (its newline), or None if it does not.

    A newline inside double quotes belongs to the record; counting quotes is
    enough, since an escaped quote ("") adds two.
    """
    quotes, start = 0, 0
    while (newline := head.find(b"\n", start)) >= 0:
        quotes += head.count(b'"', start, newline)
        if quotes % 2 == 0:
            return newline
        start = newline + 1
    return None


def _long_cell(frame: pd.DataFrame, name: str) -> AnswersError | None:
    """The first cell (in row order) longer than `MAX_CELL_CHARS`, refused naming its column."""
    firsts = []
    for j, column in enumerate(frame.columns):
        hits = np.flatnonzero((frame[column].str.len() > MAX_CELL_CHARS).to_numpy())
        if hits.size:
            firsts.append((int(hits[0]), j))
    if not firsts:
        return None
    i, j = min(firsts)
    column = frame.columns[j]
    return AnswersError(
        name,
        f"the value is {len(frame[column].iat[i]):,} characters long, more than the "
        f"{MAX_CELL_CHARS:,} Ladder reads from one cell; please shorten it",
        int(frame.index[i]),
        column,
    )


def _too_many_rows(frame: pd.DataFrame, name: str) -> AnswersError | None:
    """The row after the `MAX_ROWS`-th answer, refused with the limit named."""
    if len(frame) <= MAX_ROWS:
        return None
    return AnswersError(
        name,
        f"the file has more than {MAX_ROWS:,} answer rows, the most Ladder reads from one "
        "file; please either split it (by area or by round) into smaller files, or remove "
        "rows that belong to another assessment",
        int(frame.index[MAX_ROWS]),
    )


def _show(value: str, limit: int = 40) -> str:
    """Quote a value for a message, short and on one line."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


def _line_of(body: bytes, offset: int) -> int:
    return body.count(b"\n", 0, offset) + 1


def _check_text(body: bytes, name: str) -> None:
    """Reject empty files and binary ones (a workbook, UTF-16 "Unicode text")."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise AnswersError(name, f"the file is UTF-16 text (Excel's 'Unicode Text'); {_SAVE_AS}", 1)
    nul = body.find(b"\x00")
    if nul >= 0:
        kind = "an Excel workbook" if body.startswith(b"PK\x03\x04") else "a binary file"
        raise AnswersError(
            name,
            f"the file contains NUL bytes, so it is {kind}, not CSV text; {_SAVE_AS}",
            _line_of(body, nul),
        )
    if not body.strip():
        raise AnswersError(
            name,
            "the file is empty; please start it with the header row "
            "respondent_id,question_id,answer",
        )


def _encoding_stop(body: bytes, name: str) -> tuple[AnswersError | None, int]:
    """Find the first byte that is not UTF-8; return its error and where good text ends."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        row = _line_of(body, exc.start)
        column = body.count(b",", line_start, exc.start)  # a good guess: quotes are rare
        field = f"column {column + 1}"
        if row > 1:
            first_line = body.split(b"\n", 1)[0].decode("utf-8", "replace")
            header = next(csv.reader([first_line]), [])
            field = header[column].strip() if column < len(header) else field
        message = (
            f"byte 0x{body[exc.start]:02X} is not UTF-8 text (the file was probably "
            f"saved in a Windows encoding); {_SAVE_AS}"
        )
        return AnswersError(name, message, row, field), line_start
    return None, len(body)


def _header(text: str) -> tuple[list[str], int]:
    """The first CSV record and how many physical lines it spans."""
    reader = csv.reader(io.StringIO(text, newline=""))
    return next(reader, []), max(reader.line_num, 1)


def _columns(header: list[str], name: str) -> list[str]:
    """Normalise and check the header: separators, missing, blank or repeated names."""
    columns = [
        h.strip().lower() if h.strip().lower() in _KNOWN_COLUMNS else h.strip() for h in header
    ]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    raw = ",".join(header)
    for sep, word in ((";", "semicolons"), ("\t", "tabs")):
        parts = {part.strip().lower() for part in raw.split(sep)}
        if missing and sep in raw and (len(header) == 1 or set(REQUIRED_COLUMNS) <= parts):
            raise AnswersError(
                name,
                f"the columns are separated by {word}, not commas; {_SAVE_AS} "
                f"(or replace each {sep!r} with ',')",
                1,
                raw,
            )
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise AnswersError(
            name,
            f"the header lacks the required column(s) {names}; please make row 1 the "
            "column headings respondent_id,question_id,answer (other columns may follow)",
            1,
            missing[0],
        )
    first: dict[str, int] = {}
    for i, column in enumerate(columns):
        if not column:
            raise AnswersError(
                name,
                "the column has no heading; please name it or delete the column",
                1,
                f"column {i + 1}",
            )
        if column in first:
            raise AnswersError(
                name,
                f"the heading appears twice (columns {first[column] + 1} and "
                f"{i + 1}); please rename or delete one of them",
                1,
                column,
            )
        first[column] = i
    return columns


def _fast_records(chunk: bytes, columns: list[str]) -> tuple[pd.DataFrame, np.ndarray, None] | None:
    """Parse with pandas' C reader when the layout is plainly regular, else None.

    Why: the csv module costs seconds per million rows. Without quotes and
    lone CRs, each line is one record, so a comma count per line proves the
    structure and the row numbers are simply 2, 3, 4 ...
    """
    if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
        return None
    buffer = np.frombuffer(chunk, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == ord("\n"))
    if newlines.size == 0:
        return _empty(columns), np.empty(0, np.int64), None
    starts = newlines + 1
    ends = np.append(newlines[1:], len(chunk))
    if chunk.endswith(b"\n"):
        starts, ends = starts[:-1], ends[:-1]
    commas = np.flatnonzero(buffer == ord(","))
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    for i in np.flatnonzero(counts != len(columns) - 1):
        blank = not chunk[starts[i] : ends[i]].strip(b" \t\r,")
        if not blank or counts[i] >= len(columns):
            return None  # a problem row (or an odd blank one): let the exact reader say
    frame = pd.read_csv(
        io.BytesIO(chunk),
        header=None,
        skiprows=1,
        names=columns,
        dtype=str,
        na_filter=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )
    if len(frame) != len(starts):
        return None
    return frame, np.arange(2, len(starts) + 2, dtype=np.int64), None


def _slow_records(
    text: str, columns: list[str], name: str
) -> tuple[pd.DataFrame, np.ndarray, AnswersError | None]:
    """Parse record by record with the csv module, stopping at a malformed row.

    ``strict``: an unclosed quote is an error, not a field running to the end of the file.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next(reader, None)
    width, previous = len(columns), reader.line_num
    rows: list[list[str]] = []
    lines: list[int] = []
    stop: AnswersError | None = None
    try:
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if len(record) != width:
                if any(field.strip() for field in record):
                    stop = _width_problem(record, columns, start, name)
                    break
                continue
            rows.append(record)
            lines.append(start)
    except csv.Error as exc:
        stop = AnswersError(
            name, f"the row cannot be read as CSV ({exc}); please check its quotes", previous + 1
        )
    frame = pd.DataFrame(rows, columns=columns, dtype=str) if rows else _empty(columns)
    return frame, np.asarray(lines, dtype=np.int64), stop


def _width_problem(record: list[str], columns: list[str], row: int, name: str) -> AnswersError:
    width = len(columns)
    found = f"the row has {len(record)} field(s) but the header names {width} columns"
    if len(record) == 1 and ";" in record[0]:
        return AnswersError(
            name, f"{found}: it looks separated by semicolons; {_SAVE_AS}", row, columns[0]
        )
    if len(record) < width:
        return AnswersError(
            name,
            f"{found}, so this one is missing; please add the missing value(s) (an empty "
            "answer is written as a trailing comma, e.g. r1,Q1,)",
            row,
            columns[len(record)],
        )
    return AnswersError(
        name,
        f"{found}; please remove the extra value(s), or put double quotes around text "
        "that contains commas",
        row,
        f"column {width + 1}",
    )


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})


def _clean(frame: pd.DataFrame, lines: np.ndarray) -> pd.DataFrame:
    """Strip values, drop all-blank rows, index by row number, canonicalise answers."""
    frame.index = pd.Index(lines, name="row")
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column].astype("str")
        stripped = values.str.strip()
        frame[column] = values if column in _UNSTRIPPED else stripped
        blank &= (stripped == "").to_numpy()
    if blank.any():
        frame = frame.loc[~blank].copy()
    codes, uniques = pd.factorize(frame["answer"])
    canonical = [CODE_TEXT.get(ANSWER_TEXT.get(u.lower(), -1), u) for u in uniques]
    text = np.asarray(canonical, dtype=object)[codes] if len(codes) else []
    frame["answer"] = pd.Series(text, index=frame.index, dtype="str")
    return frame


def _first_value_problem(frame: pd.DataFrame, name: str, bank: Bank | None) -> AnswersError | None:
    """Run the value checks on every row; return the earliest problem.

    Why: each check is one vectorised mask. The earliest row wins; on the same
    row, the check listed first wins.
    """
    respondent, question, answer = (frame[c] for c in REQUIRED_COLUMNS)
    keys = ["respondent_id", "question_id", *(["round"] if "round" in frame.columns else [])]
    checks: list[tuple[pd.Series, str, Callable[[int], str]]] = [
        (respondent == "", "respondent_id", lambda i: f"it is blank; {_ID_HINT} respondent's id"),
        (question == "", "question_id", lambda i: f"it is blank; {_ID_HINT} question id"),
    ]
    if bank is not None:
        known = [q.id for q in bank.questions]
        checks.append(
            (
                ~question.isin(known) & (question != ""),
                "question_id",
                lambda i: _unknown_question(question.iat[i], known, bank),
            )
        )
    checks.append(
        (
            ~answer.isin(list(CODE_TEXT.values())),
            "answer",
            lambda i: f"{_show(answer.iat[i])} is not an answer; {_ANSWER_HINT}",
        )
    )
    checks.append(
        (
            frame.duplicated(subset=keys, keep="first"),
            "question_id",
            lambda i: _repeated(frame, keys, i),
        )
    )
    firsts = []
    for priority, (mask, _, _) in enumerate(checks):
        hits = np.flatnonzero(mask.to_numpy())
        if hits.size:
            firsts.append((int(hits[0]), priority))
    if not firsts:
        return None
    i, priority = min(firsts)
    _, field, message = checks[priority]
    return AnswersError(name, message(i), int(frame.index[i]), field)


def _repeated(frame: pd.DataFrame, keys: list[str], i: int) -> str:
    """Message for row i, which repeats an earlier row's respondent, question (and round)."""
    same = np.ones(i, dtype=bool)
    for key in keys:
        same &= (frame[key].iloc[:i] == frame[key].iat[i]).to_numpy()
    first = int(frame.index[int(np.argmax(same))])
    rid, qid = frame["respondent_id"].iat[i], frame["question_id"].iat[i]
    in_round = f" in round {_show(frame['round'].iat[i])}" if "round" in keys else ""
    return (
        f"respondent {_show(rid)} already answered {_show(qid)}{in_round} on row {first}; "
        f"please keep only one of rows {first} and {frame.index[i]}"
    )


def _unknown_question(qid: str, known: list[str], bank: Bank) -> str:
    close = difflib.get_close_matches(qid, known, n=1)
    hint = f"did you mean {_show(close[0])}? " if close else ""
    return (
        f"{_show(qid)} is not a question in bank {_show(bank.id)} version "
        f"{_show(bank.version)}; {hint}please check the id, or score with the bank the "
        "answers were given against (--bank FILE)"
    )
