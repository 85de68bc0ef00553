"""Checks on what people type, before it reaches the database.

Why: SQLite and PostgreSQL disagree about bad input (SQLite stores a 500
character name in a VARCHAR(120), PostgreSQL refuses it; PostgreSQL cannot
store a NUL character at all), so storage decides, once, for both. Each
check returns the cleaned value or raises `InputError` naming the field and
saying what would be accepted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime
from typing import cast

from common.consensus import CONSENSUS_RULES
from common.screens import ROOM_SCREENS
from storage.core.errors import InputError
from storage.core.model import (
    AgreementStatus,
    AnswerInput,
    AreaKind,
    AssessmentKind,
    Confidence,
    ParticipantKind,
    PlanInput,
)
from storage.core.schema import (
    AGREEMENT_STATUSES,
    ANSWER_VALUES,
    AREA_KINDS,
    ASSESSMENT_KINDS,
    CONFIDENCES,
    GROUP_NAME_LENGTH,
    HASH_LENGTH,
    ID_LENGTH,
    K_RANGE,
    PARTICIPANT_KINDS,
)

__all__ = [
    "AREA_KINDS",
    "EVIDENCE_MAX",
    "GROUP_MAX",
    "IDS_MAX",
    "NAME_MAX",
    "NOTE_MAX",
    "TITLE_MAX",
    "agreement_status",
    "answer_input",
    "area_kind",
    "area_name",
    "assessment_kind",
    "content_hash",
    "group_name",
    "identifier",
    "identifiers",
    "k",
    "level",
    "moment",
    "note",
    "ons_code",
    "participant_kind",
    "plan_input",
    "record_id",
    "record_ids",
    "round_number",
    "step",
    "title",
    "visible",
    "workshop_title",
]

NAME_MAX = 120
TITLE_MAX = 200
EVIDENCE_MAX = 4000
NOTE_MAX = 4000  # an agreement's note or dissent
IDS_MAX = 200  # dimensions or roles in one workshop
GROUP_MAX = 500  # areas in one comparison group
_ONS = re.compile(r"[EWSNK][0-9]{8}")
_HASH = re.compile(rf"[0-9a-f]{{{HASH_LENGTH}}}")
_LINE_BREAKS = frozenset("\t\n\r")
#: Bidi controls: embeddings and overrides, isolates, and the directional marks.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _bad_character(text: str, allowed: Collection[str] = ()) -> str | None:
    """The first control character or lone surrogate in ``text`` (as U+XXXX), if any.

    Lone surrogates cannot be encoded as UTF-8, so neither database can keep them.
    """
    for char in text:
        if char in allowed:
            continue
        if unicodedata.category(char) in {"Cc", "Cs"}:
            return f"U+{ord(char):04X}"
    return None


def visible(field: str, text: str, what: str) -> str:
    """``text`` in Unicode NFC, refused if it holds a bidi control or another format character.

    Why: a name, title or code is read by people, and what they read must be what
    is stored. A right-to-left override (U+202E) shows "Leeds" stored as something
    else; zero-width characters (U+200B, U+200C, U+200D, U+FEFF) make two names that
    look the same differ. NFC makes an "é" typed as e + U+0301 the same as one typed
    as a single character, so the same name typed on two devices matches.

    Raises:
        InputError: naming ``field``, when ``text`` contains such a character.
    """
    for char in text:
        if char in _BIDI or unicodedata.category(char) == "Cf":
            raise InputError(
                field,
                f"the {what} contains an invisible or right-to-left control character "
                f"(U+{ord(char):04X}); please type it again without it",
            )
    return unicodedata.normalize("NFC", text)


def _one_of(field: str, value: object, allowed: tuple[str, ...], what: str) -> str:
    if isinstance(value, str) and value.strip().lower() in allowed:
        return value.strip().lower()
    choices = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
    raise InputError(field, f"{value!r} is not {what}; please choose {choices}")


def _text(field: str, value: object, limit: int, what: str, *, shown: bool = True) -> str:
    """Stripped one-line text of 1 to ``limit`` characters, without control characters.

    Text people read (``shown``: names and titles) is also `visible`: NFC, without bidi
    controls or format characters. Ids from the bank are kept exactly as given.
    """
    if not isinstance(value, str):
        raise InputError(field, f"the {what} must be text, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise InputError(field, f"the {what} is empty; please give one")
    if shown:
        text = visible(field, text, what)
    if len(text) > limit:
        raise InputError(
            field,
            f"the {what} is {len(text):,} characters long; please keep it to {limit:,} or fewer",
        )
    bad = _bad_character(text)
    if bad:
        raise InputError(
            field, f"the {what} contains a control character ({bad}); please remove it"
        )
    return text


def text_line(field: str, value: object, limit: int, what: str) -> str:
    """One line people typed and others read, 1 to ``limit`` characters (as `_text`)."""
    return _text(field, value, limit, what)


def area_name(value: object) -> str:
    return _text("name", value, NAME_MAX, "name")


def group_name(value: object) -> str:
    """A comparison group's name: one line of 1 to `GROUP_NAME_LENGTH` characters."""
    return _text("name", value, GROUP_NAME_LENGTH, "group name")


def area_kind(value: object) -> AreaKind:
    return cast(AreaKind, _one_of("kind", value, AREA_KINDS, "a kind of area"))


def assessment_kind(value: object) -> AssessmentKind:
    return cast(AssessmentKind, _one_of("kind", value, ASSESSMENT_KINDS, "a kind of assessment"))


def ons_code(value: object) -> str | None:
    """An ONS GSS code such as E06000001 (upper-cased), or None when left blank."""
    if value is None:
        return None
    text = value.strip().upper() if isinstance(value, str) else None
    if text == "":
        return None
    if text is None or not _ONS.fullmatch(text):
        raise InputError(
            "ons_code",
            f"{value!r} is not an ONS code; please give a letter E, W, S, N or K followed by "
            "eight digits, e.g. E06000001, or leave it blank",
        )
    return text


def title(value: object, field: str = "title") -> str | None:
    """An optional title: None when absent or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _text(field, value, TITLE_MAX, field)


def identifier(field: str, value: object) -> str:
    """An id from the bank (question, dimension, form, role): exact text, 1-100 characters."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise InputError(field, f"{value!r} is not an id; ids are text without surrounding spaces")
    return _text(field, value, ID_LENGTH, "id", shown=False)


def content_hash(value: object) -> str:
    if isinstance(value, str) and _HASH.fullmatch(value):
        return value
    raise InputError(
        "content_hash",
        f"{value!r} is not a bank content hash (64 hex digits); please load the bank with "
        "questions.validate_bank, which sets it",
    )


def record_id(field: str, value: object) -> int:
    """A row id handed out by storage: a positive whole number."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise InputError(field, f"{value!r} is not a record id (a whole number from 1)")


def record_ids(field: str, values: object, limit: int) -> tuple[int, ...]:
    """Row ids in the order given, each once (later repeats dropped); none is fine."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InputError(field, f"expected a list of record ids, not {type(values).__name__}")
    ids = tuple(dict.fromkeys(record_id(field, v) for v in values))
    if len(ids) > limit:
        raise InputError(field, f"{len(ids):,} were given; please choose {limit:,} or fewer")
    return ids


def moment(field: str, value: str) -> tuple[date, datetime]:
    """A date, or date and time, as a spreadsheet writes it: the date as written and the UTC time.

    ISO 8601 (``2025-03-15``, ``2025-03-15T10:30:00Z``, ``2025-03-15 10:30+01:00``)
    or day first, as in the UK (``15/03/2025``, ``15/03/2025 10:30``). No zone
    means UTC; a date alone means midnight.
    """
    text = value.strip()
    found = _UK_DATE.fullmatch(text)
    try:
        if found:
            day, month, year, hour, minute, second = (int(g or 0) for g in found.groups())
            written = datetime(year, month, day, hour, minute, second)
        else:
            written = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            field,
            f"{text!r} is not a date; please write it as 2025-03-15 (or 2025-03-15T10:30:00Z), "
            "or 15/03/2025",
        ) from None
    utc = written.replace(tzinfo=UTC) if written.tzinfo is None else written.astimezone(UTC)
    return written.date(), utc


def step(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InputError("step", f"{value!r} is not a step; please give a whole number from 0")


def answer_input(question_id: str, value: object) -> AnswerInput:
    """A checked `AnswerInput`, with the answer and confidence in their canonical spelling."""
    field = f"answers.{question_id}"
    if not isinstance(value, AnswerInput):
        raise InputError(field, f"expected an AnswerInput, not {type(value).__name__}")
    answer = value.answer
    if isinstance(answer, int) and not isinstance(answer, bool):
        answer = str(answer)
    if not isinstance(answer, str) or answer.strip().lower() not in ANSWER_VALUES:
        raise InputError(
            f"{field}.answer",
            f"{answer!r} is not an answer; please use 1-5, dk, na or leave it blank",
        )
    confidence = None
    if value.confidence is not None:
        confidence = _one_of(f"{field}.confidence", value.confidence, CONFIDENCES, "a confidence")
    return AnswerInput(
        answer.strip().lower(),
        cast("Confidence | None", confidence),  # a string: no typing work per answer
        _evidence(field, value.evidence),
    )


def _evidence(field: str, value: object) -> str | None:
    field = f"{field}.evidence"
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(field, f"evidence must be text, not {type(value).__name__}")
    if len(value) > EVIDENCE_MAX:
        raise InputError(
            field,
            f"the evidence is {len(value):,} characters long; please shorten it to "
            f"{EVIDENCE_MAX:,} characters or fewer",
        )
    bad = _bad_character(value, allowed=_LINE_BREAKS)
    if bad:
        raise InputError(
            field, f"the evidence contains a control character ({bad}); please remove it"
        )
    return value


def plan_input(dimension_id: str, value: object) -> PlanInput:
    field = f"plans.{dimension_id}"
    if not isinstance(value, PlanInput):
        raise InputError(field, f"expected a PlanInput, not {type(value).__name__}")
    target = value.target
    if target is not None and (
        not isinstance(target, int) or isinstance(target, bool) or not 1 <= target <= 5
    ):
        raise InputError(
            f"{field}.target", f"{target!r} is not a level; please choose 1-5 or no target"
        )
    if not isinstance(value.priority, bool):
        raise InputError(f"{field}.priority", f"{value.priority!r} is not yes or no (True/False)")
    return value


# --- Workshops ---------------------------------------------------------------


def workshop_title(value: object) -> str:
    """A workshop's title: required, one line, up to `TITLE_MAX` characters."""
    return _text("title", value, TITLE_MAX, "title")


def identifiers(field: str, values: object) -> tuple[str, ...]:
    """A non-empty list of ids, in the order given, each once (later repeats dropped).

    Why: a workshop combining two modules that share a dimension asks it once.
    """
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InputError(field, f"expected a list of ids, not {type(values).__name__}")
    ids = tuple(dict.fromkeys(identifier(field, v) for v in values))
    if not ids:
        raise InputError(field, "none were chosen; please choose at least one")
    if len(ids) > IDS_MAX:
        raise InputError(field, f"{len(ids)} were chosen; please choose {IDS_MAX} or fewer")
    return ids


def k(value: object) -> int:
    """The anonymity threshold: a whole number from 2 to 50."""
    low, high = K_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise InputError("k", f"{value!r} is not a group size; please choose {low} to {high}")


def consensus_rule(value: object) -> str:
    """A consensus rule's name (`common.consensus.CONSENSUS_RULES`), any case or spacing."""
    name = value.strip().lower() if isinstance(value, str) else None
    if name in CONSENSUS_RULES:
        return name
    shown = repr(value)[:40]
    raise InputError(
        "consensus_rule",
        f"{shown} is not a consensus rule; please choose one of " + ", ".join(CONSENSUS_RULES),
    )


def room_screen(value: object) -> str:
    """A room view screen's name (`common.screens.ROOM_SCREENS`), any case or spacing."""
    name = value.strip().lower() if isinstance(value, str) else None
    if name in ROOM_SCREENS:
        return name
    raise InputError(
        "screen",
        f"{repr(value)[:40]} is not a room screen; please choose one of " + ", ".join(ROOM_SCREENS),
    )


def round_number(value: object, field: str = "round") -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise InputError(field, f"{value!r} is not a round; please give a whole number from 1")


def level(value: object) -> int | None:
    """An agreed level: 1-5, or None for none."""
    if value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    ):
        return value
    raise InputError("level", f"{value!r} is not a level; please choose 1-5")


def agreement_status(value: object) -> AgreementStatus:
    return cast(AgreementStatus, _one_of("status", value, AGREEMENT_STATUSES, "a status"))


def participant_kind(value: object) -> ParticipantKind:
    return cast(ParticipantKind, _one_of("kind", value, PARTICIPANT_KINDS, "a kind of participant"))


def note(field: str, value: object) -> str | None:
    """A facilitator's note (line breaks allowed), stripped; None when absent or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(field, f"the {field} must be text, not {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if len(text) > NOTE_MAX:
        raise InputError(
            field,
            f"the {field} is {len(text):,} characters long; please shorten it to "
            f"{NOTE_MAX:,} characters or fewer",
        )
    bad = _bad_character(text, allowed=_LINE_BREAKS)
    if bad:
        raise InputError(
            field, f"the {field} contains a control character ({bad}); please remove it"
        )
    return text
