"""The workshop dashboard for one round: who has answered, the aggregate, where the room
agrees and splits, how roles see it, and "don't know" hot spots.

Why: the facilitator's live page, the projector, the workshop report and the
command line must show the same numbers. Every statistic comes from
`scoring.engine` (group scores) or `scoring.agreement` (ad_md, rwg, class);
this module only picks a round, applies the anonymity threshold k and
arranges the tables. Nothing here re-implements a rule.

Anonymity (design.md "Agreement (normative)" and "Trust"), applied in one place:

- for a live workshop the answers are the room's *view* (`storage.workshop.roomviews`,
  `storage.workshop.disclosure`): sent answers only, changing only when k or more people's
  answers differ; roles come only from their own views (k or more people each, the
  smaller roles pooled as "Other roles"), and only those roles get a count;
- without views (a file on the command line), participation counts per role are shown;
- nothing else leaves this module until n >= k, where n counts the people who
  gave at least one level (1-5) in the round: until then every table is empty
  and the summary says how many more are needed;
- a dimension's statistics are blank when fewer than k people have a score on it;
- an item's statistics and level counts appear only when at least k people gave
  it a level; a "don't know" share only when at least k answered it (level or dk);
- a role with fewer than k people (with a level) is listed as suppressed, never
  with its numbers; a role's cell is blank when fewer than k of them scored it.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from common.scopes import OTHER_ROLES, OTHER_ROLES_LABEL
from questions.model import Bank
from scoring.agreement import ITEM_AGREEMENT_COLUMNS, dimension_agreement, item_agreement
from scoring.coding import Coded, prepare
from scoring.consensus import DEFAULT_RULE, rule_named
from scoring.engine import Tally, group_scores, regrouped_scores, tally
from scoring.rules import (
    BLANK,
    LEVEL_MAX,
    LEVEL_MIN,
    N_CODES,
    answer_codes,
    dk_flagged,
    dk_share,
    is_numeric,
    level_labels,
)
from scoring.workshop.model import Dashboard
from scoring.workshop.roles import (
    GAP_COLUMNS,
    NO_ROLE,
    NO_ROLE_LABEL,
    ROLE_COLUMNS,
    role_column,
    role_gaps,
    role_medians,
    role_order,
)
from scoring.workshop.text import room_sentences

__all__ = [
    "DIMENSION_COLUMNS",
    "DK_COLUMNS",
    "GAP_COLUMNS",
    "ITEM_TABLE_COLUMNS",
    "LEVEL_COLUMNS",
    "NO_ROLE",
    "PARTICIPATION_COLUMNS",
    "ROLE_COLUMNS",
    "SPLIT_CLASSES",
    "build_dashboard",
    "round_answers",
    "with_sent",
]

#: The classes that put an item on the "where we split" list, in display order.
SPLIT_CLASSES: tuple[str, ...] = ("polarised", "spread")
#: How many chose each level, then "don't know".
LEVEL_COLUMNS: tuple[str, ...] = (
    *(f"level_{level}" for level in range(LEVEL_MIN, LEVEL_MAX + 1)),
    "dk",
)
PARTICIPATION_COLUMNS: tuple[str, ...] = ("role", "label", "n")
DIMENSION_COLUMNS: tuple[str, ...] = (
    "dimension",
    "name",
    "family",
    "n",
    "median",
    "q1",
    "q3",
    "level",
    "coverage",
    "dk_share",
    "dk_flag",
    "rwg_star",
    "ad_md_mean",
    "suppressed",
)
#: `scoring.agreement.ITEM_AGREEMENT_COLUMNS` (the command line's columns) with the question's
#: dimension and text, and the level counts (``dk`` is already the dk count).
ITEM_TABLE_COLUMNS: tuple[str, ...] = (
    "question_id",
    "dimension",
    "text",
    *ITEM_AGREEMENT_COLUMNS[1:],
    *LEVEL_COLUMNS[:-1],
)
DK_COLUMNS: tuple[str, ...] = ("question_id", "dimension", "text", "n", "dk", "dk_share")


def round_answers(answers: pd.DataFrame, round: Any) -> pd.DataFrame:
    """The rows of one round. Rounds compare as numbers when both sides are numbers
    (1, "1" and 1.0 are one round), otherwise as stripped text.

    Raises:
        ValueError: the answers have no ``round`` column.
    """
    if "round" not in answers.columns:
        raise ValueError("the answers have no column 'round'")
    column = answers["round"]
    wanted = pd.to_numeric(pd.Series([round]), errors="coerce").iloc[0]
    if not isinstance(round, bool) and pd.notna(wanted):
        if pd.api.types.is_integer_dtype(column) and bool((column == wanted).all()):
            return answers  # one round's rows already (a room view's frame): nothing to copy
        mask = pd.to_numeric(column, errors="coerce") == wanted
    else:
        mask = column.astype(str).str.strip() == str(round).strip()
    return answers.loc[mask.to_numpy(dtype=bool)]


def build_dashboard(
    bank: Bank,
    answers: pd.DataFrame,
    round: Any,
    dimensions: Sequence[str],
    roles: Sequence[str],
    k: int = 3,
    *,
    role_answers: pd.DataFrame | None = None,
    role_rows: np.ndarray | None = None,
    sent: int | None = None,
    memo: MutableMapping[str, Any] | None = None,
    rule: str = DEFAULT_RULE,
) -> Dashboard:
    """The dashboard of one round of a workshop.

    Args:
        answers: long answers (`scoring.answers.STORED_COLUMNS`; ``respondent_id``,
            ``question_id``, ``answer`` and ``round`` are required, ``role`` optional)
            of every round; only ``round``'s rows are used.
        dimensions: the workshop's dimension ids, in display order.
        roles: the role ids offered, in display order.
        k: the anonymity threshold (at least 1).
        role_answers: for a live workshop, the room's view of each role
            (`storage.workshop.roomviews.RoomView.role_answers`: the shown role scopes, and
            the roles under k pooled as `storage.workshop.disclosure.OTHER_ROLES`). When
            given, ``answers`` is the room scope's view, and everything about roles
            (participation, role medians and gaps) comes from ``role_answers``
            alone: a role appears only through a view of k or more people.
        role_rows: with ``role_answers``, when each of its rows repeats a row of
            ``answers`` (same person, question and answer; only ``role`` differs): that
            row's position (`storage.workshop.roomviews.RoomView.role_rows`). The roles'
            rows are then taken from the room's coded rows, not coded again.
        sent: with ``role_answers``, how many people have sent now (``participants``).
        memo: kept by the caller between builds of one workshop round: what rests on
            ``role_answers`` alone (its round's rows, its people, the role medians) is
            kept there with the frame and reused while the caller passes that very frame
            (the same object: `storage.workshop.roomviews` keeps a view's frame while the view
            stands), so a new room view does not redo the roles' views.
        rule: the workshop's consensus rule (`scoring.consensus.RULES`), which decides
            which questions count as consensus.

    Raises:
        ValueError: k < 1, an unknown consensus rule, an unknown dimension, a missing
            column, an unknown question or a bad answer (as `scoring.engine.group_scores`).
        DuplicateAnswerError: one person answered one question twice in the round.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    rule = rule_named(rule).name
    dims = tuple(dict.fromkeys(dimensions))
    known = {d.id for d in bank.dimensions}
    unknown = [d for d in dims if d not in known]
    if unknown:
        raise ValueError(f"dimension id {unknown[0]!r} is not in the bank")
    frame = _round_frame(answers, round)  # free text and times are never scored
    codes = answer_codes(frame["answer"])
    people = _people(frame, codes)
    labels = {r.id: r.label for r in bank.roles} | {
        NO_ROLE: NO_ROLE_LABEL,
        OTHER_ROLES: OTHER_ROLES_LABEL,
    }
    n = int(people["numeric"].sum())
    same: np.ndarray | None = None
    if role_answers is None:
        by_role, by_role_people, order = frame, people, role_order(roles, people["role"])
        participants = int(people["given"].sum())
        needed = max(k - n, 0)
    else:
        same = role_rows if role_rows is not None and len(frame) == len(answers) else None
        by_role, by_role_people, order = _role_views(
            role_answers, round, roles, memo, frame if same is not None else None, same
        )
        participants = int(people["given"].sum()) if sent is None else int(sent)
        needed = 0 if n >= k else max(k - participants, 1)
    present = set(people["role"])
    hidden = tuple(r for r in role_order(roles, people["role"]) if r in present - set(order))
    role_labels = MappingProxyType({r: labels.get(r, r) for r in (*order, *hidden)})
    given = by_role_people[by_role_people["given"]].groupby("role").size()
    participation = pd.DataFrame(
        {
            "role": list(order),
            "label": [role_labels[r] for r in order],
            "n": [int(given.get(r, 0)) for r in order],
        },
        columns=list(PARTICIPATION_COLUMNS),
    ).astype({"n": "int64"})
    dashboard = Dashboard(
        round=round,
        k=k,
        scale=bank.scale,
        participants=participants,
        n=n,
        shown=n >= k,
        needed=needed,
        participation=participation,
        dimensions=_empty(DIMENSION_COLUMNS),
        items=_empty(ITEM_TABLE_COLUMNS),
        splits=_empty(ITEM_TABLE_COLUMNS),
        role_medians=_empty(ROLE_COLUMNS),
        role_gaps=_empty(GAP_COLUMNS),
        shown_roles=(),
        suppressed_roles=(),
        role_labels=role_labels,
        dk_items=_empty(DK_COLUMNS),
        rule=rule,
    )
    if dashboard.shown:
        dashboard = _aggregate(
            dashboard, bank, frame, dims, (by_role, by_role_people, order, same), memo
        )
        if role_answers is not None:  # every role in the room without a view of its own
            dashboard = replace(dashboard, suppressed_roles=hidden)
    return replace(dashboard, summary=room_sentences(dashboard))


def with_sent(dashboard: Dashboard, sent: int) -> Dashboard:
    """The same dashboard with a new live count of people who have sent (``participants``):
    the figures rest on the room's view and do not move; the count and the summary do."""
    if dashboard.participants == sent:
        return dashboard
    needed = 0 if dashboard.shown else max(dashboard.k - sent, 1)
    counted = replace(dashboard, participants=sent, needed=needed)
    if not dashboard.shown or not dashboard.summary:
        return replace(counted, summary=room_sentences(counted))
    # Shown: only the first sentence (who answered) counts people; the rest rest on the
    # views, unchanged. Why: this runs on every refresh after a send, and the sentences
    # about the figures cost ~25 ms to write again for nothing.
    head = room_sentences(replace(counted, shown=False))[0]
    return replace(counted, summary=(head, *dashboard.summary[1:]))


def _round_frame(answers: pd.DataFrame, round: Any) -> pd.DataFrame:
    """The round's rows of the scored columns, with one clean role per person."""
    used = [c for c in ("respondent_id", "question_id", "answer", "role", "round") if c in answers]
    frame = round_answers(answers[used], round)
    # Coded once here: every consumer below factorizes these columns again (people, roles,
    # the coding of items, scores and agreement), and a category's codes are already there.
    frame = frame.assign(
        **{c: _category(frame[c]) for c in ("respondent_id", "question_id", "answer")}
    )
    return frame.assign(role=role_column(frame))


def _taken_frame(frame: pd.DataFrame, rows: np.ndarray, roles: pd.Series) -> pd.DataFrame:
    """`_round_frame` of rows that repeat ``frame``'s ``rows`` with other ``roles``: the
    coded columns taken, not coded again."""
    taken = frame.take(rows).reset_index(drop=True)
    taken["role"] = roles.to_numpy(dtype=object)
    return taken.assign(role=role_column(taken))


def _category(values: pd.Series) -> pd.Series:
    """``values`` as a category of the same values (as Python objects, sorted), missing kept."""
    codes, uniques = pd.factorize(values, sort=True)
    categories = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, categories), index=values.index)


def _aggregate(
    dashboard: Dashboard,
    bank: Bank,
    frame: pd.DataFrame,
    dims: tuple[str, ...],
    roles: tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...], np.ndarray | None],
    memo: MutableMapping[str, Any] | None = None,
) -> Dashboard:
    """The figures of a shown room. ``roles``: the roles' rows, their people and order (see
    `_role_views`), and the rows of ``frame`` the roles' rows repeat (or None)."""
    by_role, people, order, rows = roles
    k = dashboard.k
    coded = prepare(frame, bank)  # once, for item agreement, group scores and agreement
    tallied = tally(coded)  # once, for the room's scores and, when they repeat it, the roles'
    items = _items(bank, frame, coded, dims, dashboard.rule)
    shown_items = items[items["n"] >= k].reset_index(drop=True)
    splits = shown_items[shown_items["class"].isin(SPLIT_CLASSES)]
    polarised_first = (splits["class"] != SPLIT_CLASSES[0]).astype(int)
    splits = (
        splits.assign(_first=polarised_first, _ad=-splits["ad_md"])
        .sort_values(["_first", "_ad"], kind="stable")
        .drop(columns=["_first", "_ad"])
        .reset_index(drop=True)
    )
    with_level = people[people["numeric"]].groupby("role").size()
    shown_roles = tuple(r for r in order if with_level.get(r, 0) >= k)
    suppressed = tuple(r for r in order if 0 < with_level.get(r, 0) < k)
    key = (dims, shown_roles, tuple(dashboard.role_labels[r] for r in shown_roles), k)
    kept = memo.get("role_medians") if memo is not None else None
    if kept is not None and kept[0] is by_role and kept[1] is bank and kept[2] == key:
        medians = kept[3]
    else:
        scores = None
        if rows is not None and len(rows) == len(by_role):
            scores = _role_scores(coded, tallied, by_role, rows)
        medians = role_medians(bank, by_role, dims, shown_roles, dashboard.role_labels, k, scores)
        if memo is not None:
            memo["role_medians"] = (by_role, bank, key, medians)
    return replace(
        dashboard,
        dimensions=_dimension_table(bank, frame, (coded, tallied), dims, k),
        items=shown_items,
        splits=splits,
        role_medians=medians,
        role_gaps=role_gaps(bank, medians, dims, shown_roles),
        shown_roles=shown_roles,
        suppressed_roles=suppressed,
        dk_items=_dk_items(items, k),
    )


def _role_views(
    role_answers: pd.DataFrame,
    round: Any,
    roles: Sequence[str],
    memo: MutableMapping[str, Any] | None,
    room: pd.DataFrame | None = None,
    rows: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """The roles' views: their round's rows, their people and the roles' order (shown roles
    in the offered order, then the pool), kept in ``memo`` with the very frame they rest on.
    ``room`` and ``rows``: the room's `_round_frame` and the rows of it ``role_answers``
    repeats (see `build_dashboard`'s ``role_rows``)."""
    key = (round, tuple(roles))
    kept = memo.get("role_views") if memo is not None else None
    if kept is not None and kept[0] is role_answers and kept[1] == key:
        return kept[2]
    if room is not None and rows is not None:
        by_role = _taken_frame(room, rows, role_answers["role"])
    else:
        by_role = _round_frame(role_answers, round)
    by_role_people = _people(by_role, answer_codes(by_role["answer"]))
    found = set(by_role_people["role"])
    own = role_order(roles, pd.Series(sorted(found - {OTHER_ROLES}), dtype=object))
    order = tuple(r for r in own if r in found) + ((OTHER_ROLES,) if OTHER_ROLES in found else ())
    views = (by_role, by_role_people, order)
    if memo is not None:
        memo["role_views"] = (role_answers, key, views)
    return views


def _people(frame: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """One row per person (sorted by id): role, any answer given (not blank), any level."""
    person, ids = pd.factorize(frame["respondent_id"], sort=True)
    size = len(ids)
    given = np.bincount(person, weights=codes != BLANK, minlength=size) > 0
    numeric = np.bincount(person, weights=is_numeric(codes), minlength=size) > 0
    role = np.empty(size, dtype=object)
    role[person] = frame["role"].to_numpy(dtype=object)  # one role per person already
    return pd.DataFrame({"role": role, "given": given, "numeric": numeric}, index=ids)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _role_scores(
    coded: Coded, tallied: Tally, by_role: pd.DataFrame, rows: np.ndarray
) -> pd.DataFrame:
    """`group_scores` of ``by_role`` by role, when its rows are the room's ``rows`` (one
    role per person): the room's own tally of each person, grouped by their role's view."""
    role = by_role["role"].astype("category")
    unit_group = np.full(coded.n_units, -1, dtype=np.int64)
    unit_group[coded.unit[rows]] = role.cat.codes.to_numpy(dtype=np.int64)
    return regrouped_scores(coded, tallied, unit_group, list(role.cat.categories), "role")


def _dimension_table(
    bank: Bank,
    frame: pd.DataFrame,
    coding: tuple[Coded, Tally],
    dims: tuple[str, ...],
    k: int,
) -> pd.DataFrame:
    """Scores from `group_scores`, agreement from `dimension_agreement`; blank below k."""
    coded, tallied = coding
    scores = group_scores(frame, bank, coded=coded, tallied=tallied)
    scores = scores.set_index("dimension").reindex(list(dims))
    agreement = dimension_agreement(frame, bank, coded=coded)
    agreement = agreement.set_index("dimension").reindex(list(dims))
    n = scores["n"].fillna(0).to_numpy(dtype=np.int64)
    hidden = n < k

    def shown(values: pd.Series) -> np.ndarray:
        return np.where(hidden, np.nan, values.to_numpy(dtype=float))

    table = pd.DataFrame(
        {
            "dimension": list(dims),
            "name": [bank.dimension(d).name for d in dims],
            "family": [bank.dimension(d).kind for d in dims],
            "n": n,
            **{c: shown(scores[c]) for c in ("median", "q1", "q3")},
            "coverage": scores["coverage"].to_numpy(dtype=float),
            "dk_share": scores["dk_share"].to_numpy(dtype=float),
            "dk_flag": scores["dk_flag"].fillna(False).to_numpy(dtype=bool),
            "rwg_star": shown(agreement["rwg_star"]),
            "ad_md_mean": shown(agreement["ad_md_mean"]),
            "suppressed": hidden,
        }
    )
    table["level"] = level_labels(table["median"], bank.scale)
    return table[list(DIMENSION_COLUMNS)]


def _items(
    bank: Bank, frame: pd.DataFrame, coded: Coded, dims: tuple[str, ...], rule: str
) -> pd.DataFrame:
    """Every workshop question asked in the round: agreement statistics and level counts."""
    codes = coded.answer
    items = item_agreement(frame, bank, coded=coded, rule=rule)
    wanted = {q.id for q in bank.questions if q.dimension in dims}
    items = items[items["question_id"].isin(wanted)].reset_index(drop=True)
    question, uniques = pd.factorize(frame["question_id"])
    counts = np.bincount(question * N_CODES + codes, minlength=len(uniques) * N_CODES).reshape(
        len(uniques), N_CODES
    )
    position = {q: i for i, q in enumerate(uniques)}
    rows = counts[[position[q] for q in items["question_id"]]] if len(items) else counts[:0]
    for level in range(LEVEL_MIN, LEVEL_MAX + 1):
        items[f"level_{level}"] = rows[:, level].astype("int64")
    items["dimension"] = [bank.question(q).dimension for q in items["question_id"]]
    items["text"] = [bank.question(q).text for q in items["question_id"]]
    return items.astype({"n": "int64", "dk": "int64"})[list(ITEM_TABLE_COLUMNS)]


def _dk_items(items: pd.DataFrame, k: int) -> pd.DataFrame:
    n, dk = items["n"].to_numpy(), items["dk"].to_numpy()
    keep = (n + dk >= k) & dk_flagged(n, dk)
    table = items.loc[keep, ["question_id", "dimension", "text", "n", "dk"]].copy()
    table["dk_share"] = dk_share(table["n"].to_numpy(), table["dk"].to_numpy())
    table = table.sort_values("dk_share", ascending=False, kind="stable")
    return table.reset_index(drop=True)[list(DK_COLUMNS)]
