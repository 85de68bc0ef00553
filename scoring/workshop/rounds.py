"""Between rounds of a workshop: what moved, which splits closed, and the agreed levels.

Why: a workshop rates privately, discusses, and re-scores (design.md "Run a
workshop"). After round 2 the room wants to see whether the discussion changed
anything, and the facilitator records an agreed level per dimension *beside*
the computed median, never in place of it, keeping dissent on record
(domain_anchors.md L8). Every number here comes from two
`scoring.workshop.dashboard.Dashboard` objects, so the anonymity threshold k applies
exactly as on the dashboard.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from questions.model import Bank
from scoring.consensus import DEFAULT_RULE
from scoring.format import TIE_TOLERANCE, fmt_score, join
from scoring.rules import LEVEL_MAX, LEVEL_MIN, answer_codes, is_numeric, level_label
from scoring.workshop.dashboard import SPLIT_CLASSES, build_dashboard, round_answers
from scoring.workshop.model import Dashboard
from scoring.workshop.text import people, question_title

__all__ = [
    "AGREED_COLUMNS",
    "MOVED_COLUMNS",
    "ROUND_CHANGE_COLUMNS",
    "STATUSES",
    "AgreedLevel",
    "RoundComparison",
    "Stability",
    "agreed_table",
    "compare_dashboards",
    "compare_rounds",
    "round_stability",
    "stability_sentence",
]

STATUSES: tuple[str, ...] = ("agreed", "uncertain")
MOVED_COLUMNS: tuple[str, ...] = (
    "dimension",
    "name",
    "median_first",
    "median_second",
    "change",
    "n_first",
    "n_second",
)
ROUND_CHANGE_COLUMNS: tuple[str, ...] = (
    "question_id",
    "dimension",
    "text",
    "class_first",
    "class_second",
    "ad_md_first",
    "ad_md_second",
)
AGREED_COLUMNS: tuple[str, ...] = (
    "dimension",
    "name",
    "median",
    "level",
    "n",
    "agreed",
    "agreed_label",
    "status",
    "uncertain",
    "difference",
    "note",
    "dissent",
    "round",
)
_NAMED = 3


@dataclass(frozen=True, slots=True)
class AgreedLevel:
    """A level the room agreed for one dimension, or its record of not agreeing.

    ``level`` is 1-5 or None (an uncertain dimension may carry a provisional
    level, or none); ``status`` is 'agreed' or 'uncertain'; ``dissent`` keeps
    the views that did not carry.
    """

    round: Any
    dimension_id: str
    level: int | None
    status: str
    note: str = ""
    dissent: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be 'agreed' or 'uncertain', not {self.status!r}")
        if self.level is not None and not LEVEL_MIN <= self.level <= LEVEL_MAX:
            raise ValueError(f"an agreed level is 1-5 or none, not {self.level!r}")
        if self.status == "agreed" and self.level is None:
            raise ValueError(f"{self.dimension_id}: an agreed dimension needs a level")

    @classmethod
    def of(cls, record: AgreedLevel | Mapping[str, Any] | Any) -> AgreedLevel:
        """From an `AgreedLevel`, a mapping or any object with these attributes."""
        if isinstance(record, AgreedLevel):
            return record
        get = record.get if isinstance(record, Mapping) else lambda n, d=None: getattr(record, n, d)
        level = _level(get("level"))
        return cls(
            round=get("round"),
            dimension_id=str(get("dimension_id")),
            level=level,
            status=str(get("status")),
            note=_text(get("note")),
            dissent=_text(get("dissent")),
        )


@dataclass(frozen=True, slots=True)
class Stability:
    """How steady people's own answers were from one round to the next (Delphi's
    "stability"), from the answers of people who gave a level in both rounds.

    Attributes:
        n_both: people with at least one level in both rounds (pseudonyms are stable).
        answers_both: (person, question) pairs given a level in both rounds.
        changed: those pairs whose level changed.
        people_changed: people with at least one such change.
        shift: the mean size of a change, in levels (None when nothing changed).
    """

    n_both: int
    answers_both: int = 0
    changed: int = 0
    people_changed: int = 0
    shift: float | None = None


@dataclass(frozen=True, slots=True, eq=False)
class RoundComparison:
    """Round ``second`` against round ``first`` (treat frames as read-only).

    Attributes:
        shown: both rounds reach k; when False every frame is empty.
        n_first, n_second: people with a level in each round; ``n_both`` in both.
        moved: `MOVED_COLUMNS`, every workshop dimension in order; ``change`` =
            second - first, blank where either median is (including n < k).
        closed: `ROUND_CHANGE_COLUMNS`, questions polarised or spread in the first round
            and consensus in the second (splits closed), in bank order.
        opened: consensus in the first, polarised or spread in the second (new splits).
        still_split: questions polarised or spread in both rounds.
        summary: the comparison in plain sentences.
        stability: how many people changed their own answers, and by how much.
    """

    first: Any
    second: Any
    k: int
    shown: bool
    n_first: int
    n_second: int
    n_both: int
    moved: pd.DataFrame = field(repr=False)
    closed: pd.DataFrame = field(repr=False)
    opened: pd.DataFrame = field(repr=False)
    still_split: int
    summary: tuple[str, ...]
    stability: Stability = field(default_factory=lambda: Stability(0))


def compare_rounds(
    bank: Bank,
    answers: pd.DataFrame,
    first: Any,
    second: Any,
    dimensions: Sequence[str],
    k: int = 3,
    rule: str = DEFAULT_RULE,
) -> RoundComparison:
    """Compare two rounds of a workshop's answers (see `RoundComparison`), their questions
    classed by the consensus ``rule``."""
    before = build_dashboard(bank, answers, first, dimensions, (), k, rule=rule)
    after = build_dashboard(bank, answers, second, dimensions, (), k, rule=rule)
    return compare_dashboards(before, after, round_stability(answers, first, second))


def compare_dashboards(before: Dashboard, after: Dashboard, steady: Stability) -> RoundComparison:
    """`compare_rounds` from two dashboards already built (same dimensions and k).

    Why: a round-2 rerun already holds round 2's dashboard, and a closed round's
    never changes, so the page can keep it rather than build it again.

    Raises:
        ValueError: the dashboards were built with different k.
    """
    if before.k != after.k:
        raise ValueError(f"both rounds must use one k, not {before.k} and {after.k}")
    shown = before.shown and after.shown
    moved, closed, opened, still = (
        _empty(MOVED_COLUMNS),
        _empty(ROUND_CHANGE_COLUMNS),
        _empty(ROUND_CHANGE_COLUMNS),
        0,
    )
    if shown:
        moved = _moved(before.dimensions, after.dimensions)
        pairs = _pairs(before.items, after.items)
        split_before = pairs["class_first"].isin(SPLIT_CLASSES)
        split_after = pairs["class_second"].isin(SPLIT_CLASSES)
        closed = pairs[split_before & (pairs["class_second"] == "consensus")]
        opened = pairs[(pairs["class_first"] == "consensus") & split_after]
        closed, opened = closed.reset_index(drop=True), opened.reset_index(drop=True)
        still = int((split_before & split_after).sum())
    comparison = RoundComparison(
        before.round,
        after.round,
        after.k,
        shown,
        before.n,
        after.n,
        steady.n_both,
        moved,
        closed,
        opened,
        still,
        (),
        steady,
    )
    return replace(comparison, summary=_sentences(comparison))


def agreed_table(
    dimensions: Sequence[str],
    bank: Bank,
    agreements: Iterable[AgreedLevel | Mapping[str, Any] | Any],
    dashboard: Dashboard,
) -> pd.DataFrame:
    """The agreed level beside the computed median, one row per workshop dimension.

    For each dimension the record of the latest round is used (a later record of
    the same round wins). ``difference`` = agreed - median (blank without both);
    ``uncertain`` flags a dimension the room could not agree, with its dissent.
    A dimension with no record has blank agreed columns. The median is the
    dashboard's (blank when it is not shown, or n < k on the dimension).

    Raises:
        ValueError: a record with a bad status or level.
    """
    latest: dict[str, tuple[tuple[Any, ...], AgreedLevel]] = {}
    for position, raw in enumerate(agreements):
        record = AgreedLevel.of(raw)
        key = (*_round_key(record.round), position)
        if record.dimension_id not in latest or key > latest[record.dimension_id][0]:
            latest[record.dimension_id] = (key, record)
    computed = dashboard.dimensions.set_index("dimension")
    rows = []
    for dim in dict.fromkeys(dimensions):
        median = float(computed.at[dim, "median"]) if dim in computed.index else np.nan
        n = int(computed.at[dim, "n"]) if dim in computed.index else 0
        agreement = latest[dim][1] if dim in latest else None
        agreed = np.nan if agreement is None or agreement.level is None else float(agreement.level)
        rows.append(
            (
                dim,
                bank.dimension(dim).name,
                median,
                level_label(median, bank.scale),
                n,
                agreed,
                "" if np.isnan(agreed) else bank.scale.level_label(int(agreed)),
                agreement.status if agreement else "",
                bool(agreement and agreement.status == "uncertain"),
                agreed - median,
                agreement.note if agreement else "",
                agreement.dissent if agreement else "",
                agreement.round if agreement else None,
            )
        )
    table = pd.DataFrame(rows, columns=list(AGREED_COLUMNS))
    table["round"] = pd.Series([r[-1] for r in rows], dtype=object)  # 2 stays 2, not 2.0
    return table.astype({"n": "int64", "uncertain": bool})


def _level(value: Any) -> int | None:
    """A level as written, or None when blank (None, or NaN as pandas gives a missing one)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _round_key(value: Any) -> tuple[int, Any]:
    """Rounds order as numbers when they are numbers, else as text after them."""
    try:
        return (0, float(value))
    except (TypeError, ValueError):
        return (1, str(value))


def round_stability(answers: pd.DataFrame, first: Any, second: Any) -> Stability:
    """`Stability` from round ``first`` to round ``second`` of the answers."""

    def levels(round_: Any) -> pd.Series:
        rows = round_answers(answers, round_)
        codes = answer_codes(rows["answer"])
        kept = is_numeric(codes)
        index = pd.MultiIndex.from_arrays(
            [rows["respondent_id"].to_numpy()[kept], rows["question_id"].to_numpy()[kept]]
        )
        return pd.Series(codes[kept], index=index)

    before, after = levels(first), levels(second)
    both_people = set(before.index.get_level_values(0)) & set(after.index.get_level_values(0))
    paired = pd.concat([before, after], axis=1, join="inner", keys=["first", "second"])
    change = (paired["second"] - paired["first"]).abs()
    moved = change[change > 0]
    return Stability(
        n_both=len(both_people),
        answers_both=len(paired),
        changed=len(moved),
        people_changed=moved.index.get_level_values(0).nunique() if len(moved) else 0,
        shift=float(moved.mean()) if len(moved) else None,
    )


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _moved(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    left = before.set_index("dimension")
    right = after.set_index("dimension").reindex(left.index)
    table = pd.DataFrame(
        {
            "dimension": left.index,
            "name": left["name"].to_numpy(),
            "median_first": left["median"].to_numpy(dtype=float),
            "median_second": right["median"].to_numpy(dtype=float),
            "n_first": left["n"].to_numpy(),
            "n_second": right["n"].fillna(0).to_numpy(),
        }
    )
    table["change"] = table["median_second"] - table["median_first"]
    return table.astype({"n_first": "int64", "n_second": "int64"})[list(MOVED_COLUMNS)]


def _pairs(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Questions shown in both rounds, in the first round's (bank) order."""
    columns = ["question_id", "dimension", "text", "class", "ad_md"]
    merged = before[columns].merge(
        after[["question_id", "class", "ad_md"]],
        on="question_id",
        how="inner",
        suffixes=("_first", "_second"),
    )
    return merged[list(ROUND_CHANGE_COLUMNS)]


def _sentences(c: RoundComparison) -> tuple[str, ...]:
    both = f"{people(c.n_both)} gave levels in both rounds."
    if not c.shown:
        return (
            f"Round {c.second} is compared with round {c.first} once each has levels from "
            f"{people(c.k)} or more (round {c.first}: {c.n_first}, round {c.second}: "
            f"{c.n_second}).",
        )
    out = [f"Round {c.first}: {people(c.n_first)}; round {c.second}: {people(c.n_second)}. {both}"]
    changed = c.moved[c.moved["change"].abs() > TIE_TOLERANCE]
    changed = changed.reindex(changed["change"].abs().sort_values(ascending=False).index)
    if changed.empty:
        out.append("No dimension's middle level moved.")
    else:
        parts = [
            f"{r['name']} ({r['dimension']}) {'up' if r['change'] > 0 else 'down'} "
            f"{fmt_score(abs(r['change']))} to {fmt_score(r['median_second'])}"
            for r in changed.head(_NAMED).to_dict("records")
        ]
        more = len(changed) - len(parts)
        which = "one dimension" if len(changed) == 1 else f"{len(changed)} dimensions"
        tail = f", and {more} more" if more else ""
        out.append(f"The middle level moved on {which}: {'; '.join(parts)}{tail}.")
    out.append(stability_sentence(c.stability, c.k))
    out.append(_split_sentence(c.closed, "closed (split, now agreed)"))
    out.append(_split_sentence(c.opened, "opened (agreed, now split)"))
    if c.still_split:
        which = "one question is" if c.still_split == 1 else f"{c.still_split} questions are"
        out.append(f"{which.capitalize()} split in both rounds.")
    return tuple(out)


def stability_sentence(s: Stability, k: int) -> str:
    """How many people changed their own answers. Fewer than k who changed are not
    counted (k applies to them as to any group)."""
    if s.n_both < k:
        return f"Fewer than {people(k)} gave levels in both rounds, so changes are not counted."
    lead = f"Of the {people(s.n_both)} who gave levels in both rounds"
    if s.people_changed == 0:
        return f"{lead}, nobody changed an answer."
    if s.people_changed < k:
        return f"{lead}, fewer than {k} changed any answer."
    which = "answer" if s.answers_both == 1 else "answers"
    return (
        f"{lead}, {s.people_changed} changed at least one answer: {s.changed} of "
        f"{s.answers_both} {which}, by {fmt_score(s.shift or 0.0)} levels on average."
    )


def _split_sentence(frame: pd.DataFrame, what: str) -> str:
    if frame.empty:
        return f"No split {what.split(' ')[0]}."
    named = [question_title(q, t) for q, t in zip(frame["question_id"], frame["text"], strict=True)]
    shown = named[:_NAMED]
    more = len(named) - len(shown)
    tail = f", and {more} more" if more else ""
    which = "One split" if len(named) == 1 else f"{len(named)} splits"
    return f"{which} {what}: {join(shown)}{tail}."
