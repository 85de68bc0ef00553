"""Compare results given against different versions of the bank, on what they share.

Why: a council edits its bank between rounds, but last year's results must still
sit beside this year's. Scores are only comparable on the same questions, so a
`Crosswalk` names the questions every version asked (following ``replaces:``
through renames), maps each version's ids onto the newest ids, and says in
plain words what it left out and why.

Usage::

    walk = crosswalk([bank_2024, bank_2025])          # oldest first, newest last
    old = translate(answers_2024, walk.maps[0])
    new = translate(answers_2025, walk.maps[1])
    scores = group_scores(pd.concat([old, new]), walk.canonical, by=["round"])
    notes = left_out_sentences(walk)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal

import pandas as pd

from questions.model import Bank, Question

__all__ = [
    "Crosswalk",
    "LeftOut",
    "crosswalk",
    "left_out_sentences",
    "translate",
    "version_key",
]

LeftOutKind = Literal["question", "dimension"]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """One question or dimension kept out of a comparison.

    Attributes:
        kind: ``question`` or ``dimension``.
        id: its id in ``bank_version``.
        bank_version: a version that has it (the newest such, for one that was removed).
        reason: why, in plain English, e.g. "P2.4 was removed in version 1.1.0".
    """

    kind: LeftOutKind
    id: str
    bank_version: str
    reason: str


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """How results from several bank versions meet.

    Attributes:
        canonical: the newest bank, restricted to the shared questions and the
            dimensions that keep at least one of them (forms trimmed to match).
            Score translated answers of every version against it.
        maps: per input bank, in the order given: its question id -> canonical id,
            for the shared questions only.
        left_out: what the comparison leaves out, dimensions first.
    """

    canonical: Bank
    maps: tuple[Mapping[str, str], ...]
    left_out: tuple[LeftOut, ...]


def crosswalk(banks: Sequence[Bank]) -> Crosswalk:
    """Match the questions of several bank versions, oldest first and newest last.

    A question of the newest bank is shared when every bank has exactly one
    question that it continues: the same id, or an id it (or a successor of
    it in a later bank) names in ``replaces``. A shared question takes the
    newest bank's wording, weight and dimension.

    Raises:
        ValueError: no banks were given.
    """
    if not banks:
        raise ValueError("a crosswalk needs at least one bank")
    banks = tuple(banks)
    newest = banks[-1]
    if len(banks) == 1:
        identity = MappingProxyType({q.id: q.id for q in newest.questions})
        return Crosswalk(newest, (identity,), ())
    sources = _sources(banks)
    shared = [
        c
        for c in (q.id for q in newest.questions)
        if all(len(found[c]) == 1 for found in sources) and not _contested(sources, c)
    ]
    maps = tuple(MappingProxyType({found[c][0]: c for c in shared}) for found in sources)
    canonical = _restrict(banks, set(shared))
    left = (
        *_left_out_dimensions(banks, canonical),
        *_removed_questions(banks, sources),
        *_unshared_questions(banks, sources, set(shared)),
    )
    return Crosswalk(canonical, maps, tuple(left))


def translate(answers: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Answers (long format) with question ids mapped to canonical ids.

    Rows of questions outside the mapping (not shared) are dropped; every
    other column is kept. The index is renumbered from 0.

    Raises:
        ValueError: the answers have no ``question_id`` column.
    """
    if "question_id" not in answers.columns:
        raise ValueError("the answers have no column 'question_id'")
    mapped = answers["question_id"].map(dict(mapping))
    keep = mapped.notna()
    out = answers.loc[keep].copy()
    out["question_id"] = mapped[keep].astype(object)
    return out.reset_index(drop=True)


def left_out_sentences(walk: Crosswalk) -> tuple[str, ...]:
    """What was left out of the comparison, and why: one sentence each, for a page or report."""
    return tuple(_sentence(item) for item in walk.left_out)


# --- Ordering versions ------------------------------------------------------


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """How bank versions sort, oldest first: by their dot- or dash-separated parts in turn.

    A part of digits counts by its value ("1.10.0" comes after "1.9.2") and before any
    part with letters, which count as text; a version that runs out of parts first is the
    older ("1.0" before "1.0.1", "1.0.0" before "1.0.0-rc1"). Any text is a version: the
    bank guide asks for numbers, but nothing breaks when a bank says "2026-spring".
    """
    parts = version.replace("-", ".").split(".")
    return tuple((0, int(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts)


# --- Matching questions -----------------------------------------------------


def _sources(banks: tuple[Bank, ...]) -> list[dict[str, list[str]]]:
    """Per bank: canonical id -> the ids of that bank's questions that it continues.

    Walks from the newest bank back to the oldest, gathering for each newest
    question every name it has had (ids and ``replaces`` of the questions
    found so far); a question of an older bank continues it when its id is
    one of those names.
    """
    newest = banks[-1]
    names = {q.id: {q.id, *q.replaces} for q in newest.questions}
    found: list[dict[str, list[str]]] = [{} for _ in banks]
    found[-1] = {c: [c] for c in names}
    for k in range(len(banks) - 2, -1, -1):
        for c, known in names.items():
            hits = [q for q in banks[k].questions if q.id in known]
            found[k][c] = [q.id for q in hits]
            for q in hits:
                known.update(q.replaces)
    return found


def _contested(sources: list[dict[str, list[str]]], canonical: str) -> tuple[int, str, str] | None:
    """(bank index, old id, other canonical id) when two newest questions continue one old one."""
    for k, found in enumerate(sources):
        for old in found[canonical]:
            for other, ids in found.items():
                if other != canonical and old in ids:
                    return k, old, other
    return None


def _restrict(banks: tuple[Bank, ...], shared: set[str]) -> Bank:
    """The newest bank cut down to the shared questions and the dimensions they use."""
    newest = banks[-1]
    questions = tuple(q for q in newest.questions if q.id in shared)
    used = {q.dimension for q in questions}
    if len(questions) == len(newest.questions) and used == {d.id for d in newest.dimensions}:
        return newest
    fingerprint = "\n".join(f"{b.version}:{b.content_hash}" for b in banks)
    return replace(
        newest,
        criteria=tuple(d for d in newest.criteria if d.id in used),
        themes=tuple(d for d in newest.themes if d.id in used),
        forms=tuple(
            replace(f, dimensions=tuple(d for d in f.dimensions if d in used)) for f in newest.forms
        ),
        questions=questions,
        content_hash=hashlib.sha256(("crosswalk\n" + fingerprint).encode()).hexdigest(),
    )


# --- Saying what was left out -----------------------------------------------


def _left_out_dimensions(banks: tuple[Bank, ...], canonical: Bank) -> list[LeftOut]:
    newest, older = banks[-1], banks[:-1]
    kept = {d.id for d in canonical.dimensions}
    out = []
    for dim in newest.dimensions:
        if dim.id in kept:
            continue
        missing = [b.version for b in older if not _has_dimension(b, dim.id)]
        if len(missing) == len(older):
            reason = f"dimension {dim.id} is only in version {newest.version}"
        elif missing:
            reason = f"dimension {dim.id} is not in version {_either(missing, 'or')}"
        else:
            reason = f"dimension {dim.id} has no question that every version asked"
        out.append(LeftOut("dimension", dim.id, newest.version, reason))
    gone: dict[str, int] = {}
    for k, bank in enumerate(older):
        for dim in bank.dimensions:
            if not _has_dimension(newest, dim.id):
                gone[dim.id] = k
    for dim_id, k in gone.items():
        reason = f"dimension {dim_id} was removed in version {banks[k + 1].version}"
        out.append(LeftOut("dimension", dim_id, banks[k].version, reason))
    return out


def _removed_questions(
    banks: tuple[Bank, ...], sources: list[dict[str, list[str]]]
) -> list[LeftOut]:
    """Older questions that do not reach the newest bank, each at its last appearance."""
    out = []
    for k, bank in enumerate(banks[:-1]):
        traced = {old for ids in sources[k].values() for old in ids}
        successors = {q.id for q in banks[k + 1].questions}
        successors |= {old for q in banks[k + 1].questions for old in q.replaces}
        for q in bank.questions:
            if q.id in traced or q.id in successors:
                continue
            called = _earlier_names(banks[:k], q)
            reason = f"{q.id}{called} was removed in version {banks[k + 1].version}"
            out.append(LeftOut("question", q.id, bank.version, reason))
    return out


def _unshared_questions(
    banks: tuple[Bank, ...], sources: list[dict[str, list[str]]], shared: set[str]
) -> list[LeftOut]:
    """Newest questions that some version did not ask, or asked as more than one question."""
    newest, out = banks[-1], []
    for q in newest.questions:
        if q.id in shared:
            continue
        out.append(LeftOut("question", q.id, newest.version, _unshared_reason(banks, sources, q)))
    return out


def _unshared_reason(
    banks: tuple[Bank, ...], sources: list[dict[str, list[str]]], q: Question
) -> str:
    missing = [k for k, found in enumerate(sources) if not found[q.id]]
    if missing:
        versions = _either([banks[k].version for k in missing], "or")
        if missing == list(range(len(missing))):
            since = banks[len(missing)].version
            return f"{q.id} is new in version {since} and was not asked in {versions}"
        return f"{q.id} was not asked in version {versions}"
    merged = next((k for k, found in enumerate(sources) if len(found[q.id]) > 1), None)
    if merged is not None:
        olds = _either(sources[merged][q.id], "and")
        return (
            f"{q.id} continues {olds} of version {banks[merged].version}, "
            "so it matches no single earlier question"
        )
    k, old, other = _contested(sources, q.id) or (0, "?", "?")
    return (
        f"{q.id} cannot be matched: {old} of version {banks[k].version} "
        f"is continued by both {q.id} and {other}"
    )


def _earlier_names(earlier: tuple[Bank, ...], q: Question) -> str:
    """' (called A in version 1.0.0)' when the question had other ids before."""
    names, known, notes = {q.id}, {q.id, *q.replaces}, []
    for bank in reversed(earlier):
        hits = [p for p in bank.questions if p.id in known]
        if not hits:
            break
        for p in hits:
            known.update(p.replaces)
            if p.id not in names:
                names.add(p.id)
                notes.append(f"{p.id} in version {bank.version}")
    return f" (called {_either(notes, 'and')})" if notes else ""


def _has_dimension(bank: Bank, dim_id: str) -> bool:
    return any(d.id == dim_id for d in bank.dimensions)


def _either(items: Sequence[str], word: str) -> str:
    """'a', 'a or b', 'a, b or c'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _sentence(item: LeftOut) -> str:
    """The reason as a sentence; a question's reason starts with its id, kept as written."""
    text = item.reason
    if item.kind == "dimension":
        text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
